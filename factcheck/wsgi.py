"""The WSGI application: Django's, with anonymous readers' 304s answered in front of it
(factcheck.caching.NotModifiedApplication)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

django_application = get_wsgi_application()  # sets Django up, so our modules may be imported

from factcheck.caching import NotModifiedApplication  # noqa: E402

application = NotModifiedApplication(django_application)
