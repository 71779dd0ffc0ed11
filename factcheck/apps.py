from django.apps import AppConfig
from django.core.signals import request_finished


class FactcheckConfig(AppConfig):
    name = "factcheck"
    verbose_name = "Fact-check desk"

    def ready(self) -> None:
        from factcheck.logs import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="factcheck.logs.forget_request_id")
