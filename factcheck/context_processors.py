from typing import Any

from django.http import HttpRequest

from factcheck.roles import is_team_member


def roles(request: HttpRequest) -> dict[str, Any]:
    """Whether the reader is on the editorial team (for the navigation)."""
    return {"on_the_team": is_team_member(getattr(request, "user", None))}
