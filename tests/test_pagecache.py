"""The anonymous full-page cache (learning/pagecache.py): public pages for people not signed in
come from the cache without touching the database; nothing personal is ever stored."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from zeal import zeal_ignore

from learning import pagecache

from .factories import UserFactory
from .module_factories import make_catalogue, make_module

pytestmark = pytest.mark.django_db

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Strict-Transport-Security",
)


@pytest.fixture
def cached(settings):
    settings.HOPE_PAGE_CACHE_SECONDS = 60
    pagecache.clear_local()
    yield Client()
    pagecache.clear_local()


@pytest.fixture
def module():
    # Building the page tree repeats queries by design (test data, not a request path).
    with zeal_ignore():
        make_catalogue()
        return make_module(lessons=2)


def test_middleware_is_off_without_a_lifetime(settings):
    settings.HOPE_PAGE_CACHE_SECONDS = 0
    from django.core.exceptions import MiddlewareNotUsed

    with pytest.raises(MiddlewareNotUsed):
        pagecache.PublicPageCacheMiddleware(lambda request: HttpResponse("x"))


def test_middleware_sits_straight_after_security_and_static():
    names = django_settings.MIDDLEWARE
    position = names.index("learning.pagecache.PublicPageCacheMiddleware")
    assert position <= names.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1
    assert position < names.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert position < names.index("learning.security.ContentSecurityPolicyMiddleware")


def test_anonymous_hit_is_served_without_the_database(cached, module, django_assert_num_queries):
    url = module.url
    first = cached.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = cached.get(url)
    assert second.status_code == 200
    assert second.content == first.content


def test_wagtail_page_hit_without_the_database(cached, module, django_assert_num_queries):
    catalogue = make_catalogue()
    # The catalogue through Wagtail's serving path (the before_serve_page hook opts it in).
    first = cached.get(catalogue.url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        assert cached.get(catalogue.url).content == first.content


def test_head_is_served_from_the_cache(cached, module, django_assert_num_queries):
    cached.get(module.url)
    with django_assert_num_queries(0):
        assert cached.head(module.url).status_code == 200


def test_cached_response_carries_the_same_security_headers(cached, module, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = False
    fresh = cached.get(module.url, secure=True)
    hit = cached.get(module.url, secure=True)
    assert fresh.status_code == hit.status_code == 200
    for name in SECURITY_HEADERS:
        assert fresh.get(name) == hit.get(name), name
    assert fresh.get("Content-Security-Policy")
    assert fresh.get("Strict-Transport-Security")
    # Every header the same, but the request id: each request has its own, hit or not.
    per_request = {"X-Request-ID"}
    assert fresh["X-Request-ID"] != hit["X-Request-ID"]
    assert sorted(h for h in fresh.headers.items() if h[0] not in per_request) == sorted(
        h for h in hit.headers.items() if h[0] not in per_request
    )


def test_signed_in_people_are_never_served_or_stored(cached, module):
    person = UserFactory()
    assert cached.get(module.url).status_code == 200  # stored for people not signed in
    cached.force_login(person)
    response = cached.get(module.url)
    assert response.status_code == 200
    # A fresh page, not the stored one: it is marked private and is never kept.
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    pagecache.invalidate()
    assert cached.get(module.url).status_code == 200
    assert pagecache._local == {}


def test_responses_setting_a_cookie_are_never_stored(cached):
    request = RequestFactory().get("/anything/")
    pagecache.mark_cacheable(request)
    response = HttpResponse("hello")
    response.set_cookie("something", "personal")
    assert not pagecache._storable(request, response)


def test_responses_needing_a_csrf_cookie_are_never_stored(cached):
    request = RequestFactory().get("/anything/")
    pagecache.mark_cacheable(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not pagecache._storable(request, HttpResponse("form"))


def test_only_opted_in_ok_public_responses_are_stored(cached):
    request = RequestFactory().get("/anything/")
    assert not pagecache._storable(request, HttpResponse("not opted in"))
    pagecache.mark_cacheable(request)
    assert pagecache._storable(request, HttpResponse("fine"))
    assert not pagecache._storable(request, HttpResponse("gone", status=404))
    private = HttpResponse("private")
    private["Cache-Control"] = "private, no-store"
    assert not pagecache._storable(request, private)
    varies = HttpResponse("varies")
    varies["Vary"] = "Cookie, User-Agent"
    assert not pagecache._storable(request, varies)
    harmless = HttpResponse("harmless")
    harmless["Vary"] = "Cookie, Accept-Language"
    assert pagecache._storable(request, harmless)


def test_requests_with_a_session_csrf_or_messages_cookie_bypass(cached, module):
    cached.get(module.url)
    factory = RequestFactory()
    for name in (
        django_settings.SESSION_COOKIE_NAME,
        django_settings.CSRF_COOKIE_NAME,
        "messages",
    ):
        request = factory.get(module.url)
        request.COOKIES[name] = "x"
        assert not pagecache._eligible(request), name
    assert not pagecache._eligible(factory.post(module.url))
    assert pagecache._eligible(factory.get(module.url))


def test_publishing_invalidates(cached, module, django_assert_num_queries):
    cached.get(module.url)
    with django_assert_num_queries(0):
        cached.get(module.url)
    module.title = "A new title for the module"
    with zeal_ignore():
        module.save_revision().publish()
    response = cached.get(module.url)
    assert "A new title for the module" in response.content.decode()


def test_unpublishing_invalidates(cached, module):
    lesson = module.get_children().live().first().specific
    assert cached.get(lesson.url).status_code == 200
    with zeal_ignore():
        lesson.unpublish()
    assert cached.get(lesson.url).status_code == 404


def test_snippet_hooks_invalidate(cached, module, django_assert_num_queries):
    from wagtail import hooks

    cached.get(module.url)
    before = pagecache._shared_generation()
    assert pagecache.invalidate in hooks.get_hooks("after_edit_snippet")
    for hook in hooks.get_hooks("after_edit_snippet"):
        if hook is pagecache.invalidate:
            hook(None, None)
    assert pagecache._shared_generation() == before + 1


def test_publishing_still_works_while_redis_is_down(cached, monkeypatch):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("down")

    monkeypatch.setattr(pagecache.cache, "incr", down)
    pagecache._local["a-page"] = (float("inf"), (200, [], b"old"))
    pagecache._generation["checked"] = 123.0
    pagecache.invalidate()  # no exception
    # This process still forgets its copies and reads the generation again on the next request.
    assert "a-page" not in pagecache._local
    assert pagecache._generation["checked"] == 0.0
