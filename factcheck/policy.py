"""The Content-Security-Policy header, by django-csp, built once.

Our policy (settings.CONTENT_SECURITY_POLICY) has no nonce and no view changes it, so the
header is the same string on every response; django-csp builds it anew each time, which cost a
fifth of a 304. A response a view did change (csp_update, csp_exempt and the like), a request
that asked for a nonce, and a report-only or per-prefix policy go through django-csp as usual.
"""

from dataclasses import asdict
from typing import Any

from csp.constants import HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

CHANGED_BY_A_VIEW = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                     "_csp_replace_ro", "_csp_exempt", "_csp_exempt_ro")


class PolicyMiddleware(CSPMiddleware):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._built: dict[str, str] = {}  # the settings' policy (as text) → its header

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        policy: dict[str, Any] = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        if (any(getattr(response, name, None) for name in CHANGED_BY_A_VIEW)
                or getattr(request, "_csp_nonce", None) is not None or policy.get("EXCLUDE_URL_PREFIXES")
                or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or settings.DEBUG):
            return super().process_response(request, response)
        if HEADER not in response:
            key = repr(policy)
            if key not in self._built:
                self._built[key] = build_policy(**asdict(self.get_policy_parts(request=request, response=response)))
            response[HEADER] = self._built[key]
        return response
