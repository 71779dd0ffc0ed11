"""The editorial roles: who is a fact-checker, who is an editor.

Roles are Django groups (created by factcheck/migrations/0001_roles.py). Editors can do
everything fact-checkers can; superusers count as editors.
"""

from typing import Any

from django.db import models

FACT_CHECKERS = "fact-checkers"
EDITORS = "editors"


class Role(models.TextChoices):
    ANONYMOUS = "anonymous", "Anonymous reader"
    READER = "reader", "Signed-in reader"
    STAFF = "staff", "Staff (admin, read-only)"
    FACT_CHECKER = "fact_checker", "Fact-checker"
    EDITOR = "editor", "Editor"


def _group_names(user: Any) -> frozenset[str]:
    # Cached on the user object: one query per request, however many checks a page makes.
    cached = getattr(user, "_factcheck_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._factcheck_group_names = cached
    return cached


def role_of(user: Any) -> Role:
    if user is None or not user.is_authenticated or not user.is_active:
        return Role.ANONYMOUS
    if user.is_superuser:
        return Role.EDITOR
    groups = _group_names(user)
    if EDITORS in groups:
        return Role.EDITOR
    if FACT_CHECKERS in groups:
        return Role.FACT_CHECKER
    if user.is_staff:
        return Role.STAFF
    return Role.READER


def is_editor(user: Any) -> bool:
    return role_of(user) == Role.EDITOR


def is_fact_checker(user: Any) -> bool:
    """True for fact-checkers and editors alike."""
    return role_of(user) in {Role.FACT_CHECKER, Role.EDITOR}


def is_team_member(user: Any) -> bool:
    """May see work in progress: the editorial team and staff."""
    return role_of(user) in {Role.FACT_CHECKER, Role.EDITOR, Role.STAFF}
