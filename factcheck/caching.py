"""HTTP caching of the public pages: ETags that answer 304 without rendering.

Everything the public sees changes through a review event (publish, retract, accept, reject)
or an edit of a public source or document, each of which leaves a row with a higher id. So
the highest of those ids fingerprints the public state: three index lookups, no rendering.
The team's pages show work in progress and are never cached.
"""

import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition

from factcheck.roles import is_team_member

PUBLIC_MAX_AGE = 60


def public_state() -> str:
    from claims.models import ReviewEvent
    from sources.models import Document, Source

    marks = [
        ReviewEvent.objects.aggregate(mark=Max("pk"))["mark"],
        Source.history.aggregate(mark=Max("history_id"))["mark"],
        Document.history.aggregate(mark=Max("history_id"))["mark"],
    ]
    return ":".join(str(mark or 0) for mark in marks)


def _public_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    # The header names a signed-in reader: their pages are their own.
    key = f"{request.get_full_path()}|{request.user.pk or ''}|{public_state()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """ETag and Cache-Control for anonymous readers; private and uncached for the team."""
    conditional_view = condition(etag_func=_public_etag)(view)

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if is_team_member(request.user):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_cache=True)
        else:
            response = conditional_view(request, *args, **kwargs)
            if response.status_code in (200, 304):
                signed_in = request.user.is_authenticated
                patch_cache_control(response, public=not signed_in, private=signed_in, max_age=PUBLIC_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
