"""History tracking shared by every tracked model.

The acting user is kept as a plain id plus the username at the time, so a revision still
says who made it after that user's account is deleted (a foreign key would be nulled).
"""

from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class HistoricalActor(models.Model):
    history_username = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        abstract = True


def tracked_history(**options: Any) -> HistoricalRecords:
    """The HistoricalRecords every model of the service uses."""
    return HistoricalRecords(
        bases=[HistoricalActor],
        history_user_id_field=models.IntegerField(null=True, blank=True, db_index=True),
        **options,
    )


def _record_username(sender: type, history_instance: Any, history_user: Any, **kwargs: Any) -> None:
    if history_user is not None and not history_instance.history_username:
        history_instance.history_username = history_user.get_username()


def connect_signals() -> None:
    pre_create_historical_record.connect(_record_username, dispatch_uid="factcheck-history-username")
