"""The enumerations of the claims domain, shared by models, querysets and services."""

from django.db import models


class Credibility(models.IntegerChoices):
    """The Admiralty (NATO) grading of an item of information."""

    CONFIRMED = 1, "Confirmed by other sources"
    PROBABLY_TRUE = 2, "Probably true"
    POSSIBLY_TRUE = 3, "Possibly true"
    DOUBTFUL = 4, "Doubtful"
    IMPROBABLE = 5, "Improbable"
    CANNOT_BE_JUDGED = 6, "Truth cannot be judged"


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


class LinkType(models.TextChoices):
    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    QUALIFIES = "qualifies", "Qualifies"
    SAME_ASSERTION = "same_assertion", "Same assertion"


class LinkStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class ReviewAction(models.TextChoices):
    CREATE = "create", "Created"
    EDIT = "edit", "Edited"
    SUBMIT = "submit", "Submitted for review"
    REQUEST_CHANGES = "request_changes", "Changes requested"
    PUBLISH = "publish", "Published"
    RETRACT = "retract", "Retracted"
    PROPOSE = "propose", "Link proposed"
    ACCEPT = "accept", "Link accepted"
    REJECT = "reject", "Link rejected"
    WITHDRAW = "withdraw", "Link withdrawn"
    REVERT = "revert", "Reverted"
