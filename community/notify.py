"""Notifications for the community, through the core's ``notification_send``. Messages name the
thread title at most and link to it; they never carry post content."""

from __future__ import annotations

from django.urls import reverse

from learning.services import notification_send


def notify(*, recipient, kind: str, message: str, url: str, dedupe_key: str = "") -> None:
    notification_send(
        recipient=recipient, kind=kind, message=message, url=url, dedupe_key=dedupe_key
    )


def thread_url(thread) -> str:
    return reverse("community_thread", kwargs={"space": thread.space.slug, "thread_id": thread.pk})


def post_url(post) -> str:
    return f"{thread_url(post.thread)}#post-{post.pk}"
