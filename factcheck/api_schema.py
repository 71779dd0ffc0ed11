"""How the OpenAPI schema describes what every endpoint shares (drf-spectacular's AutoSchema).

Apart from factcheck/api.py, which DRF imports while it starts: drf-spectacular needs DRF's
views, which would then not exist yet.
"""

from typing import Any

from drf_spectacular import openapi
from rest_framework.permissions import SAFE_METHODS

from factcheck.api import ReadOrDeskWrite


class AutoSchema(openapi.AutoSchema):
    def get_auth(self) -> list[Any]:
        """Anyone may read (ReadOrDeskWrite) and anyone may ask for a token: say so, with the
        empty security requirement, or clients (and schemathesis) take a public read for one
        that ignores authentication."""
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        public_read = self.method in SAFE_METHODS and any(isinstance(p, ReadOrDeskWrite) for p in permissions)
        if (public_read or not permissions) and {} not in auths:
            auths.append({})
        return auths
