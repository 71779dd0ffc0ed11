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

    def _get_response_for_code(self, serializer: Any, status_code: str, media_types: Any = None,
                               direction: str = "response") -> dict[str, Any]:
        """A response given as a raw JSON schema is that document as it is: never wrapped as a
        list in our cursor page (the W3C AnnotationCollection is its own paged document)."""
        if isinstance(serializer, dict) and serializer.get("type") == "object" and self._is_list_view():
            return {"description": "", "content": {media_type: {"schema": serializer}
                                                   for media_type in media_types or self.map_renderers("media_type")}}
        return super()._get_response_for_code(serializer, status_code, media_types, direction)


def closed_request_bodies(result: dict[str, Any], generator: Any, request: Any, public: Any) -> dict[str, Any]:
    """drf-spectacular post-processing: a write names only fields it may set (an unknown one is a
    400, factcheck.api.StrictFieldsMixin), so every request body says `additionalProperties: false`."""
    for name, schema in result.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") and schema.get("type") == "object":
            schema["additionalProperties"] = False
            for field in schema.get("properties", {}).values():
                for variant in [field, *field.get("oneOf", [])]:
                    if variant.get("format") == "uri":  # Django's URLValidator: http(s) and a host name
                        variant["pattern"] = WEB_ADDRESS
    return result


WEB_ADDRESS = r"^(https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}(/[A-Za-z0-9._~/-]*)?)?$"
