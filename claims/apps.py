from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and evidence"

    def ready(self) -> None:
        from claims.publication import check_projection
        from publicrecord import projections

        projections.register(check_projection)
