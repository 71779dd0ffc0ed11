"""Errors the services raise, shared by both apps; each view and API maps them alike.

Bad input is Django's ValidationError (400) and a forbidden action PermissionDenied (403);
these two cover the rest.
"""


class ServiceError(Exception):
    code = "service_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StaleVersion(ServiceError):
    """The object changed since the actor loaded it (412 in the API)."""

    code = "stale_version"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class InvalidTransition(ServiceError):
    """The workflow does not allow this step from the object's current status (409)."""

    code = "invalid_transition"


class InUse(ServiceError):
    """Something still cites the object, so it is not deleted (409)."""

    code = "in_use"
