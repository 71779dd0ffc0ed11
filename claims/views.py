from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from claims.models import Claim
from claims.querysets import as_published, evidence_for, published_revision
from factcheck.roles import is_team_member


def home(request: HttpRequest) -> HttpResponse:
    """The latest published fact-checks, as published."""
    claims = as_published(Claim.objects.public().with_parties().order_by("-published_at", "-pk")[:30])
    return render(request, "claims/home.html", {"claims": claims})


def claim_detail(request: HttpRequest, slug: str) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.visible_to(request.user).with_parties(), slug=slug)
    # The team reads the working copy; everyone else the last published revision, so an
    # edit in review never shows before an editor publishes it.
    shown = claim if is_team_member(request.user) else published_revision(claim)
    if shown is None:
        raise Http404("No published revision of this claim.")
    return render(request, "claims/claim_detail.html", {
        "claim": claim, "shown": shown, "evidence": evidence_for(claim, request.user),
    })
