"""The community in a real browser.

1. A new member's thread waits for review; another member reports a reply; the facilitator
   works the queue (approves one, hides one with a reason); each author sees the outcome.
   axe-core clean on every page.
2. The project's XSS payloads (and the public corpus named by HOPE_XSS_CORPUS where present)
   posted as thread titles, thread bodies and replies: rendered in chromium, no script runs,
   no dialog opens and no request leaves for anything but the page and its static files.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from zeal import zeal_context

from community.models import Post, PostStatus, PreModeration
from community.threads import services as thread_services

from ..community_factories import facilitated_space, member
from ..factories import PASSWORD, UserFactory
from ..test_sanitise import corpus_payloads, own_payloads
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def sign_in(page, base, user):
    page.context.clear_cookies()
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def test_new_member_waits_report_and_the_queue(page, live_server):
    base = live_server.url
    space, facilitator = facilitated_space(
        name="HOPE Boxes practitioners", premoderation=PreModeration.FIRST_POSTS
    )
    veteran = member(space, UserFactory(display_name="Vera Veteran"), approved_posts=9).user
    replier = member(space, UserFactory(display_name="Rob Replier"), approved_posts=9).user
    newcomer = member(space, UserFactory(display_name="Nia Newcomer"), accepted=False).user
    thread = thread_services.thread_create(
        author=veteran, space=space, title="Introducing the box", body="When do you start?"
    )
    unkind = thread_services.reply_create(
        author=replier, thread=thread, body="That is a silly question."
    )

    # The new member accepts the guidelines and posts; it waits for review.
    sign_in(page, base, newcomer)
    visit(page, f"{base}/community/")
    page.get_by_role("link", name="HOPE Boxes practitioners").click()
    page.wait_for_url(f"**/community/{space.slug}/")
    assert_accessible(page)
    page.get_by_role("button", name="Start a thread").click()
    page.wait_for_url("**/guidelines/?next=new")
    assert_accessible(page)
    page.get_by_label("I have read these guidelines and will follow them").check()
    page.get_by_role("button", name="Accept and continue").click()
    page.wait_for_url(f"**/community/{space.slug}/new/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Boxes for fathers too?")
    page.get_by_label("Your post").fill("Has anyone adapted the box for fathers?")
    page.get_by_role("button", name="Post thread").click()
    page.get_by_text("Your thread is waiting for a facilitator to review it.").wait_for()
    assert_accessible(page)
    assert "Awaiting review" in page.content()
    waiting = Post.objects.get(author=newcomer)

    # Another member does not see it, and reports the unkind reply.
    sign_in(page, base, veteran)
    visit(page, f"{base}/community/{space.slug}/")
    assert "Boxes for fathers too?" not in page.content()
    visit(page, f"{base}/community/{space.slug}/{thread.pk}/")
    page.get_by_role("link", name=f"Report (post {unkind.pk})").click()
    page.wait_for_url("**/report/")
    assert_accessible(page)
    page.get_by_label("It is unkind").check()
    page.get_by_role("button", name="Send report").click()
    page.get_by_text("Thank you. A facilitator will look at the post you reported.").wait_for()
    assert_accessible(page)

    # The facilitator approves the waiting thread and hides the reported reply.
    sign_in(page, base, facilitator)
    visit(page, f"{base}/community/moderation/")
    assert "Boxes for fathers too?" in page.content() and "It is unkind" in page.content()
    page.get_by_role("button", name="Approve post in Boxes for fathers too?").click()
    page.get_by_text("The post is published.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Review reported post in Introducing the box").click()
    page.wait_for_url(f"**/community/moderation/posts/{unkind.pk}/")
    assert_accessible(page)
    page.get_by_label("Reason", exact=True).fill("Please keep replies kind.")
    page.get_by_role("button", name="Hide with this reason").click()
    page.get_by_text("The post is hidden. The author is told why.").wait_for()
    assert_accessible(page)
    visit(page, f"{base}/community/moderation/log/")
    assert "Please keep replies kind." in page.content()

    # Each author sees what happened.
    sign_in(page, base, newcomer)
    visit(page, f"{base}/community/my-posts/")
    assert "Published" in page.content()
    sign_in(page, base, replier)
    visit(page, f"{base}/community/my-posts/")
    assert "Hidden" in page.content() and "Please keep replies kind." in page.content()
    waiting.refresh_from_db()
    unkind.refresh_from_db()
    assert waiting.status == PostStatus.PUBLISHED and unkind.status == PostStatus.HIDDEN


def _chunks(payloads: list[str], size: int = 8000) -> list[str]:
    chunks, current = [], ""
    for payload in payloads:
        piece = payload + "\n\n"
        if current and len(current) + len(piece) > size:
            chunks.append(current)
            current = ""
        current += piece[:size]
    if current:
        chunks.append(current)
    return chunks


def test_xss_payloads_do_nothing_in_a_browser(page, live_server):
    base = live_server.url
    space, _facilitator = facilitated_space(premoderation=PreModeration.NONE)
    writer = member(space, approved_posts=9).user
    payloads = own_payloads() + corpus_payloads()
    chunks = _chunks(payloads)
    thread = thread_services.thread_create(
        author=writer,
        space=space,
        title=f"Payloads: {payloads[0]}"[:200],
        body=chunks[0],
        confirm_identifiers=True,
    )
    for chunk in chunks[1:24]:
        with zeal_context():  # each reply is a request of its own
            thread_services.reply_create(
                author=writer, thread=thread, body=chunk, confirm_identifiers=True
            )
    for i, payload in enumerate(own_payloads()[:24]):
        with zeal_context():
            thread_services.thread_create(
                author=writer,
                space=space,
                title=f"Payload {i}: {payload}"[:200],
                body=f"Payload {i}: {payload}",
                confirm_identifiers=True,
            )

    dialogs: list[str] = []
    strays: list[str] = []
    host = urlparse(base).netloc

    def on_request(request):
        url = urlparse(request.url)
        if url.scheme in ("data", "about", "blob"):
            return
        same = url.netloc == host and (
            url.path.startswith(("/static/", "/community/", "/accounts/"))
            or url.path == "/dashboard/"
        )
        # The NHS.UK frontend stylesheet's own web fonts.
        same = same or (url.netloc == "assets.nhs.uk" and url.path.startswith("/fonts/"))
        if not same:
            strays.append(request.url)

    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, base, writer)
    page.on("request", on_request)
    page.add_init_script(
        "window.__xss = 0;"
        "window.alert = window.confirm = window.prompt = () => { window.__xss += 1; };"
    )
    for url in (f"/community/{space.slug}/", f"/community/{space.slug}/{thread.pk}/"):
        page.goto(base + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__xss") == 0
        assert "Payload" in page.content()
        sources = page.locator("script").evaluate_all("els => els.map(e => e.src)")
        assert all("/static/" in src for src in sources), sources
        assert page.locator("[onerror], [onload], [onclick], [onmouseover]").count() == 0
        assert page.locator("iframe, object, embed").count() == 0
    assert dialogs == [] and strays == [], (dialogs, strays[:10])
