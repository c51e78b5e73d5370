"""The bench server's URLconf: the project's URLs plus the bare floor view and the signed-in
empty page. Selected only by ``HOPE_BENCH_URLS=1`` (learning/settings/production.py), which
only ``manage.py bench`` sets; the default URLconf, and so the permission matrix, never sees
it."""

from django.urls import path

from learning.bench.floor import BARE_PATH, EMPTY_PATH, bare_view, empty_view, register
from learning.urls import handler500  # noqa: F401  (the same error page)
from learning.urls import urlpatterns as project_urlpatterns

register()

urlpatterns = [
    path(BARE_PATH.lstrip("/"), bare_view, name="bench_bare"),
    path(EMPTY_PATH.lstrip("/"), empty_view, name="bench_empty"),
    *project_urlpatterns,
]
