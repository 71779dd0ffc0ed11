"""The floor `make bench` measures every page against: a bare Django view returning a small
JsonResponse, with no database, no middleware, no templates.

Settings and URLs in one module (DJANGO_SETTINGS_MODULE=bench.bare, ROOT_URLCONF is this
module); served by gunicorn exactly as the service is (bench/bare_wsgi.py).
"""

import os

from django.http import HttpRequest, JsonResponse
from django.urls import path

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.bare"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True


def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "service": "bare"})


urlpatterns = [path("", hello)]
