"""What every signed-in page pays before its own content, kept small: the layout's fragments
and header links worked out once per process (per key), one cache round trip for the roles,
facts and unread count, one Redis client per connection pool, the Content Security Policy built
once per process, and per-reply links resolved once per page."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import translation

from learning import cache as hope_cache
from learning import notify, request_memo
from learning.areas import navigation_for
from learning.links import link_for_each
from learning.models import Role
from learning.permissions import RoleSet, roles_for

from .factories import MembershipFactory, UserFactory


def test_local_memo_computes_once_per_key_and_forgets_when_a_setting_changes():
    calls: list[int] = []

    def compute():
        calls.append(1)
        return len(calls)

    assert hope_cache.local_memo("test", "a", compute) == 1
    assert hope_cache.local_memo("test", "a", compute) == 1
    assert hope_cache.local_memo("test", "b", compute) == 2
    with override_settings(HOPE_PRODUCT_NAME="Another name"):
        assert hope_cache.local_memo("test", "a", compute) == 3


def test_shared_fragment_renders_once_per_key_and_language():
    template = Template(
        '{% load i18n hope_layout %}{% shared_fragment "t" vary %}{% translate "Sign out" %}'
        "{{ count }}{% end_shared_fragment %}"
    )
    hope_cache.local_memo_clear()
    with translation.override("en-gb"):
        assert template.render(Context({"vary": 1, "count": 1})) == "Sign out1"
        # Same key: the markup kept from the first render, whatever else the context holds.
        assert template.render(Context({"vary": 1, "count": 2})) == "Sign out1"
        assert template.render(Context({"vary": 2, "count": 3})) == "Sign out3"
    with translation.override("cy"):
        welsh = template.render(Context({"vary": 1, "count": 4}))
    assert welsh.endswith("4") and not welsh.startswith("Sign out")


@pytest.mark.django_db
def test_header_links_are_worked_out_once_per_set_of_roles_and_language(organisation):
    admin = MembershipFactory(organisation=organisation, role=Role.ORG_ADMIN).user
    practitioner = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user
    hope_cache.local_memo_clear()
    with translation.override("en-gb"):
        admin_links = navigation_for(roles_for(admin))
        assert navigation_for(roles_for(admin)) is admin_links
        practitioner_links = navigation_for(roles_for(practitioner))
        assert {link.key for link in admin_links} > {link.key for link in practitioner_links}
        anonymous = navigation_for(None)
    with translation.override("cy"):
        welsh = navigation_for(roles_for(admin))
    assert welsh is not admin_links
    assert [link.url for link in welsh] == [link.url for link in admin_links]
    assert navigation_for(None) is anonymous
    assert RoleSet().key() != roles_for(admin).key()


@pytest.mark.django_db
def test_roles_facts_and_the_unread_count_come_in_one_cache_round_trip(monkeypatch):
    user = UserFactory()
    from django.core.cache import cache

    reads: list[str] = []
    real_get, real_get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda key, *a, **k: reads.append(key) or real_get(key))
    monkeypatch.setattr(
        cache, "get_many", lambda keys, *a, **k: reads.append("many") or real_get_many(keys)
    )
    cache.set(notify.unread_cache_key(user.pk), 7)
    token = request_memo._current.set(request_memo.RequestMemo())
    try:
        roles_for(user)
        assert reads[0] == "many"  # roles, facts and the count asked for together
        reads.clear()
        assert notify.unread_count(user) == 7
        assert reads == []  # kept from the roles' read
        # Forgotten during the request (a notice read): read again, not the value kept.
        notify.unread_count_forget(user.pk)
        assert notify.unread_count(user) == 0
    finally:
        request_memo._current.reset(token)


def test_the_redis_cache_keeps_one_client_per_connection_pool():
    client = hope_cache.ReusingRedisCacheClient(["redis://127.0.0.1:6379/15"])
    first = client.get_client(write=True)
    assert client.get_client(write=False) is first  # one server: reads and writes share it


@pytest.mark.django_db
def test_the_content_security_policy_is_the_same_as_django_csp_builds(client):
    from csp.utils import build_policy

    response = client.get(reverse("accessibility"))
    assert response["Content-Security-Policy"] == build_policy()
    with override_settings(
        CONTENT_SECURITY_POLICY={"DIRECTIVES": {"default-src": ["'self'", "https://x.example"]}}
    ):
        changed = client.get(reverse("accessibility"))
    assert changed["Content-Security-Policy"] == "default-src 'self' https://x.example"


def test_a_response_asking_for_its_own_policy_still_gets_it():
    from django.http import HttpResponse

    from learning.security import ContentSecurityPolicyMiddleware

    def view(request):
        response = HttpResponse("x")
        response._csp_update = {"form-action": ["https://idp.example"]}
        return response

    response = ContentSecurityPolicyMiddleware(view)(RequestFactory().get("/"))
    assert "form-action 'self' https://idp.example" in response["Content-Security-Policy"]


def test_a_link_for_each_reply_is_what_reverse_gives():
    flag = link_for_each("community_post_flag", vary="post_id", space="a-space")
    for post_id in (1, 42, 918273):
        assert flag(post_id) == reverse(
            "community_post_flag", kwargs={"space": "a-space", "post_id": post_id}
        )
    moderate = link_for_each("community_moderation_post", vary="post_id")
    assert moderate(5) == reverse("community_moderation_post", kwargs={"post_id": 5})


@pytest.mark.django_db
def test_a_signed_in_page_reads_the_person_and_their_values_in_one_round_trip(client, monkeypatch):
    """The session is one read; the person's row, roles, facts and unread count another."""
    from django.core.cache import cache

    user = UserFactory()
    client.force_login(user)
    cache.set(notify.unread_cache_key(user.pk), 3)
    client.get(reverse("dashboard"))  # the row, roles and facts are kept
    reads: list[object] = []
    inside_many = []
    real_get, real_get_many = cache.get, cache.get_many

    def get(key, *args, **kwargs):
        if not inside_many:  # the local cache's get_many asks get for each key
            reads.append(key)
        return real_get(key, *args, **kwargs)

    def get_many(keys, *args, **kwargs):
        reads.append(tuple(keys))
        inside_many.append(True)
        try:
            return real_get_many(keys, *args, **kwargs)
        finally:
            inside_many.pop()

    monkeypatch.setattr(cache, "get", get)
    monkeypatch.setattr(cache, "get_many", get_many)
    page = client.get(reverse("dashboard")).content.decode()
    assert ", 3 new" in page  # the count, from the read with the person's row
    many = [r for r in reads if isinstance(r, tuple)]
    assert len(many) == 1
    assert {key.split(":")[1] for key in many[0]} >= {"user", "roles", "facts", "unread"}
    singles = [r for r in reads if not isinstance(r, tuple)]
    assert len(singles) == 1 and str(singles[0]).startswith("django.contrib.sessions")
