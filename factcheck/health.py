"""What /healthz checks besides the database: that static files are collected.

With the manifest storage production uses, a page naming a static file the manifest lacks
cannot render (ManifestStaticFilesStorage raises); factcheck.storage softens that to an
unhashed link, and this check makes the service unhealthy so a load balancer keeps it out.
"""

import weakref

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.files.storage import storages

# A storage found complete stays so: collectstatic cannot un-collect files while the process
# runs, and the check walks every app's static files.
_complete: weakref.WeakSet = weakref.WeakSet()


def static_files_problem() -> str | None:
    """Why static files cannot be served as the pages name them, or None when they can."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin) or storage in _complete:
        return None  # without a manifest, files are served as they are found
    # The manifest this process read when it started is the one its pages use.
    manifest = storage.hashed_files
    if not manifest:
        if storage.load_manifest()[0]:
            return "static files were collected after this process started: restart it"
        return "static files are not collected: run `python manage.py collectstatic`"
    missing = sorted(path for path in _found_paths() if path not in manifest)
    if missing:
        return (f"{len(missing)} static files are not collected (e.g. {missing[0]}): "
                "run `python manage.py collectstatic`")
    _complete.add(storage)
    return None


def _found_paths() -> set[str]:
    paths = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            paths.add((f"{prefix}/{path}" if prefix else path).replace("\\", "/"))
    return paths
