from django.apps import AppConfig


class PublicRecordConfig(AppConfig):
    name = "publicrecord"
    verbose_name = "Public record"
    default_auto_field = "django.db.models.BigAutoField"
