"""Static files storage: whitenoise's compressed manifest, forgiving a file it has not collected.

Django's manifest storage raises on a file missing from the manifest, so a deployment that
forgot collectstatic answered 500 on every page. Here such a file gets its plain URL, the
page renders (possibly unstyled), the error is logged, and /healthz says 503 with the reason.
"""

import logging

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError as error:
            logger.error("Static file %r is not collected (%s): run `python manage.py collectstatic`", name, error)
            return StaticFilesStorage.url(self, name)
