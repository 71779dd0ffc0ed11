"""What the wiring keeps in the database besides the apps' own data."""

from django.db import models


class RateCount(models.Model):
    """How many requests one caller has made in one window of an API rate limit.

    Counted by one atomic statement per request (factcheck.ratecounts), which every app server
    shares; rows of windows that have ended are deleted as new windows begin.
    """

    key = models.CharField(max_length=200, help_text="The limit and the caller: scope and address or account.")
    window = models.BigIntegerField(help_text="The window's number: its start in seconds over its length.")
    count = models.PositiveIntegerField(default=0)
    expires = models.BigIntegerField(db_index=True, help_text="When the window ends, in seconds since 1970.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="ratecount_one_row_per_window")]

    def __str__(self) -> str:
        return f"{self.key} in window {self.window}: {self.count}"
