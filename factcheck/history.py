"""History tracking shared by every tracked model.

The acting user is kept as a plain id plus the username at the time, so a revision still
says who made it after that user's account is deleted (a foreign key would be nulled).
"""

from dataclasses import dataclass
from typing import Any

from django.db import models
from simple_history.models import HistoricalRecords


class HistoricalActor(models.Model):
    history_username = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        abstract = True


@dataclass(frozen=True)
class RecordedActor:
    """Who made a revision, as recorded then: no query, and still there after the account is gone."""

    pk: int | None
    username: str

    def __str__(self) -> str:
        return self.username

    def get_username(self) -> str:
        return self.username


def _recorded_actor(record: Any) -> RecordedActor | None:
    if record.history_user_id is None and not record.history_username:
        return None
    return RecordedActor(pk=record.history_user_id, username=record.history_username)


def _set_actor(record: Any, user: Any) -> None:
    if user is not None:
        record.history_user_id = user.pk
        record.history_username = user.get_username()


def tracked_history(**options: Any) -> HistoricalRecords:
    """The HistoricalRecords every model of the service uses."""
    return HistoricalRecords(
        bases=[HistoricalActor],
        history_user_id_field=models.IntegerField(null=True, blank=True, db_index=True),
        history_user_getter=_recorded_actor,
        history_user_setter=_set_actor,
        **options,
    )
