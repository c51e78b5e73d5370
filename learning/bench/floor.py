"""The floor the pages are measured against, in the same server and run:

* a bare Django view (a tiny ``HttpResponse``) through the project's whole middleware stack;
* the signed-in empty page: a view that needs someone signed in and renders the site's layout
  (``base.html``: header, role-dependent navigation, unread count, session warning, footer)
  around no content of its own, so its cost is the floor of every signed-in page;
* Wagtail's default welcome page: a plain ``wagtailcore.Page`` at the root of a second ``Site``
  (hostname :data:`WAGTAIL_HOST`), served through Wagtail's normal path (site lookup, routing,
  ``before_serve_page`` hooks, ``TemplateResponse``) with the templates ``wagtail start`` gives a
  new project's home page (base.html, home/home_page.html, home/welcome_page.html), read from
  the installed Wagtail. Only ``{% static %}`` is replaced by the literal URL, because those
  stylesheets are not in this project's static manifest.

Nothing here is reachable outside the bench server: urls.py registers the hook and the view.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

WAGTAIL_HOST = "wagtail-floor.bench"
WAGTAIL_SLUG = "bench-wagtail-welcome"
WAGTAIL_TITLE = "Home"
BARE_PATH = "/bench/bare/"
EMPTY_PATH = "/bench/empty/"
_STATIC = re.compile(r"\{%\s*static\s+'([^']+)'\s*%\}")


def bare_view(request):
    return HttpResponse(b"ok", content_type="text/plain")


@login_required
def empty_view(request):
    return render(request, "bench/empty.html")


@cache
def _templates():
    """The welcome page templates of ``wagtail start``, rendered the way start does."""
    import wagtail
    from django.template import Context, Engine

    root = Path(wagtail.__file__).parent / "project_template"
    sources = {
        "base.html": root / "project_name" / "templates" / "base.html",
        "home/home_page.html": root / "home" / "templates" / "home" / "home_page.html",
        "home/welcome_page.html": root / "home" / "templates" / "home" / "welcome_page.html",
    }
    engine = Engine()
    rendered = {}
    for name, path in sources.items():
        text = engine.from_string(path.read_text(encoding="utf-8")).render(
            Context({"project_name": "bench"})
        )
        rendered[name] = _STATIC.sub(lambda m: "/static/" + m.group(1), text)
    from django.template.backends.django import DjangoTemplates

    backend = DjangoTemplates(
        {
            "NAME": "bench-wagtail-start",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {
                "loaders": [("django.template.loaders.locmem.Loader", rendered)],
                # The context processors of a `wagtail start` project.
                "context_processors": [
                    "django.template.context_processors.debug",
                    "django.template.context_processors.request",
                    "django.contrib.auth.context_processors.auth",
                    "django.contrib.messages.context_processors.messages",
                ],
            },
        }
    )
    return backend.get_template("home/home_page.html")


def serve_welcome(page, request, serve_args, serve_kwargs):
    """``before_serve_page`` hook: the floor page with the welcome template, not cached."""
    if page.slug != WAGTAIL_SLUG or page.depth != 2:
        return None
    from django.template.response import TemplateResponse

    from learning import pagecache

    setattr(request, pagecache.OPT_IN, False)  # measure rendering, not the page cache
    return TemplateResponse(request, _templates(), page.get_context(request))


def register() -> None:
    from wagtail import hooks

    if serve_welcome not in hooks.get_hooks("before_serve_page"):
        hooks.register("before_serve_page", serve_welcome)


def ensure_wagtail_floor() -> int:
    """Create (once) the plain page and the Site that serves it; returns the page id."""
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    page = Page.objects.filter(depth=2, slug=WAGTAIL_SLUG).first()
    if page is None:
        page = root.add_child(instance=Page(title=WAGTAIL_TITLE, slug=WAGTAIL_SLUG, live=True))
        page.save_revision().publish()
    Site.objects.update_or_create(
        hostname=WAGTAIL_HOST,
        defaults={"port": 80, "root_page": page, "is_default_site": False, "site_name": ""},
    )
    return page.pk
