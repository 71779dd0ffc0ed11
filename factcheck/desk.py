"""What the desk's pages (the workspace of fact-checkers and editors) share."""

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme

from factcheck.errors import ServiceError
from factcheck.roles import is_team_member

# What a page shows back to the person; PermissionDenied is not among them: it propagates to
# a 403 that Django logs.
REFUSALS = (ServiceError, ValidationError)


def team_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Sign-in first; then only the editorial team and staff (403 for anyone else)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_team_member(request.user):
            raise PermissionDenied("The desk is for fact-checkers and editors.")
        return view(request, *args, **kwargs)

    return wrapper


class SearchForm(forms.Form):
    """A search box's words; the form refuses what the database cannot take (NUL characters)."""

    q = forms.CharField(required=False, max_length=200, strip=True)


def search_words(request: HttpRequest) -> str:
    form = SearchForm(request.GET)
    return form.cleaned_data["q"] if form.is_valid() else ""


def next_url(request: HttpRequest, default: str) -> str:
    """Where to go after a form: the posted `next` if it is a path on this site, else `default`."""
    candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


def refusal_message(error: Exception) -> str:
    """One sentence for a person, from whatever a service refused with."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(getattr(error, "message", None) or error)


def add_refusal_to_form(form: Any, error: Exception) -> None:
    """Show a service's refusal on the form: on its fields where it names them."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_message(error))
