"""May this user do this to this object?

The one place that answers it, for the HTML views, the API, the admin and the management
commands alike. `denial(user, action, obj)` returns the reason an action is refused (or
None); `may` and `require` are the two ways callers ask.

Who may do what:
- anyone: view what is public;
- staff: view everything, including work in progress and history, and change nothing;
- fact-checkers: create and edit sources, documents, snapshots, annotations and claims,
  submit claims, propose links;
- editors: everything fact-checkers can, plus request changes, publish, retract, accept
  or reject links, and revert to an earlier revision;
- four eyes: nobody publishes a claim whose content they changed since it was last
  published (wrote, edited, reverted or submitted: any of the revision's contributors,
  `Claim.pending_contributor_ids`), and nobody accepts or rejects a link they proposed.

Whether a transition is legal from the object's current status is the workflow's
business (claims/services.py), not a permission.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from factcheck.roles import Role, role_of


class Action(models.TextChoices):
    VIEW = "view", "view"
    VIEW_HISTORY = "view_history", "view the history of"
    CREATE = "create", "create"
    EDIT = "edit", "edit"
    SUBMIT = "submit", "submit"
    REQUEST_CHANGES = "request_changes", "request changes to"
    PUBLISH = "publish", "publish"
    RETRACT = "retract", "retract"
    PROPOSE_LINK = "propose_link", "propose a link from"
    REVIEW_LINK = "review_link", "accept or reject"
    REVERT = "revert", "revert"


FACT_CHECKER_ACTIONS = frozenset(
    {Action.VIEW, Action.VIEW_HISTORY, Action.CREATE, Action.EDIT, Action.SUBMIT, Action.PROPOSE_LINK}
)
EDITOR_ACTIONS = FACT_CHECKER_ACTIONS | {
    Action.REQUEST_CHANGES,
    Action.PUBLISH,
    Action.RETRACT,
    Action.REVIEW_LINK,
    Action.REVERT,
}
STAFF_ACTIONS = frozenset({Action.VIEW, Action.VIEW_HISTORY})
ALLOWED_ACTIONS: dict[Role, frozenset[str]] = {
    # The public's views of public objects are answered before this table is read.
    Role.ANONYMOUS: frozenset(),
    Role.READER: frozenset(),
    Role.STAFF: STAFF_ACTIONS,
    Role.FACT_CHECKER: FACT_CHECKER_ACTIONS,
    Role.EDITOR: EDITOR_ACTIONS,
}


def is_public(obj: Any) -> bool:
    """Whether an anonymous reader may see this object."""
    label = obj._meta.label
    if label == "claims.Claim":
        return obj.published_version is not None
    if label == "claims.ClaimLink":
        return obj.status == "accepted" and is_public(obj.from_claim) and is_public(obj.to_claim)
    if label == "sources.Snapshot":
        return obj.document.public_since is not None
    if label in {"sources.Source", "sources.Document", "sources.Annotation"}:
        return obj.public_since is not None
    return False


def denial(user: Any, action: str, obj: Any = None) -> str | None:
    """The reason `user` may not do `action` to `obj`, or None when they may."""
    role = role_of(user)
    if action == Action.VIEW and (obj is None or is_public(obj)):
        return None  # with no object, a listing: the querysets' visible_to() filters it
    if action not in ALLOWED_ACTIONS[role]:
        if role == Role.ANONYMOUS:
            return "Sign in with a fact-checker or editor account to do this."
        if action == Action.VIEW:
            return "This is not published."
        if action in EDITOR_ACTIONS and role == Role.FACT_CHECKER:
            return f"Only editors may {Action(action).label} this."
        return f"Your account may not {Action(action).label} this."
    if obj is None:
        return None
    label = obj._meta.label
    if action == Action.PUBLISH and label == "claims.Claim" and (
        user.pk in {obj.last_changed_by_id, obj.submitted_by_id} or user.pk in obj.pending_contributor_ids()
    ):
        # Everyone whose edit is in the pending revision, not only the last editor: an editor's
        # change does not become publishable by them because someone else fixed a typo after.
        if obj.published_version is not None:
            return ("Four eyes: you changed this claim since it was last published, "
                    "so another editor must publish it.")
        return "Four eyes: you wrote, edited or submitted this claim, so another editor must publish it."
    if action == Action.REVIEW_LINK and label == "claims.ClaimLink" and obj.proposed_by_id == user.pk:
        return "Four eyes: you proposed this link, so another editor must accept or reject it."
    if (
        action == Action.EDIT
        and label in {"sources.Source", "sources.Document", "sources.Annotation"}
        and obj.public_since is not None
        and role != Role.EDITOR
    ):
        return "This is cited by a published claim: only editors may change it."
    if label == "sources.Snapshot" and action == Action.EDIT:
        return "Archived snapshots are never edited; capture a new snapshot instead."
    if label == "claims.ReviewEvent" and action not in {Action.VIEW, Action.VIEW_HISTORY}:
        return "The review record cannot be changed."
    return None


def may(user: Any, action: str, obj: Any = None) -> bool:
    return denial(user, action, obj) is None


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied, with the reason, unless `user` may do `action` to `obj`."""
    reason = denial(user, action, obj)
    if reason is not None:
        raise PermissionDenied(reason)
