"""Page links read Wagtail's site root paths once a request, however many links a page shows
(``learning/request_memo.py``); outside a request Wagtail behaves as it always did."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from wagtail.models import Site

from learning import request_memo
from modules.models import Enrolment

from .factories import UserFactory
from .module_factories import make_module

pytestmark = pytest.mark.django_db


def _count_reads():
    return mock.patch.object(Site, "get_site_root_paths", wraps=Site.get_site_root_paths)


@pytest.mark.parametrize("modules", [1, 6])
def test_my_learning_reads_site_root_paths_once_a_request(client, modules):
    user = UserFactory()
    built = [make_module(lessons=1) for _ in range(modules)]
    for module in built:
        Enrolment.objects.create(user=user, module=module)
    client.force_login(user)
    with _count_reads() as reads:
        response = client.get(reverse("my_learning"))
    assert response.status_code == 200
    for module in built:
        assert f'href="{module.url}"'.encode() in response.content
    assert reads.call_count == 1


def test_outside_a_request_there_is_no_memo_and_links_still_work():
    module = make_module(lessons=1)
    assert request_memo.current() is None
    assert module.url.endswith(f"/{module.slug}/")


def test_each_request_gets_a_fresh_memo():
    memos = []
    middleware = request_memo.RequestMemoMiddleware(
        lambda request: memos.append(request_memo.current())
    )
    middleware(object())
    middleware(object())
    assert len(memos) == 2 and all(m is not None for m in memos)
    assert memos[0] is not memos[1]
    assert request_memo.current() is None
