"""Privacy handlers for community spaces (see learning/privacy/__init__.py).

Chosen approach: what an erased person wrote in the community (posts and their earlier
versions) is deleted, not pseudonymised. Posts are personal and often reflective; keeping them
under "A former member" would keep words people can recognise. A thread they started is deleted
only if nobody else has replied; otherwise it stays for the other people's replies, with its
title replaced and no author ("A former member"). Moderation history is kept for the space,
with the link to the person set to empty.
"""

from __future__ import annotations

from learning.privacy import (
    combine,
    m2m_delete,
    m2m_export,
    register,
    rows_delete,
    rows_export,
    rows_unlink,
)

DELETED = "Deleted with the account."

for label, field in (
    ("community.SpaceMember", "user"),
    ("community.ThreadFollow", "user"),
    ("community.ThreadVisit", "user"),
    ("community.SessionSignup", "user"),
):
    register(
        label,
        fields=[field],
        export=rows_export(label, [field]),
        erase=rows_delete(label, [field]),
        note=DELETED,
    )
register(
    "community.Space",
    fields=["facilitators"],
    export=m2m_export("community.Space", "facilitators"),
    erase=m2m_delete("community.Space", "facilitators"),
    note="They stop being a facilitator; the space stays.",
)
# Posts before threads: a thread's deletion takes every post in it.
register(
    "community.Post",
    fields=["author"],
    export=rows_export("community.Post", ["author"]),
    erase=rows_delete("community.Post", ["author"]),
    note="Deleted: every post they wrote, with its earlier versions.",
    order=40,
)


def _erase_threads(user) -> None:
    """After their posts are gone (order 40): threads nobody else replied to are deleted; the
    rest keep the others' replies under a neutral title, with no author."""
    from django.utils.translation import gettext

    from community.models import Thread

    started = Thread._base_manager.filter(author=user)
    started.filter(posts__isnull=True).delete()
    started.update(
        author=None,
        anonymous=False,
        title=gettext("A thread started by a former member"),
    )


register(
    "community.Thread",
    fields=["author"],
    export=rows_export("community.Thread", ["author"]),
    erase=_erase_threads,
    note=(
        "Threads they started are deleted if nobody else replied; otherwise they stay for "
        "the other people's replies, with a neutral title and no author."
    ),
    order=41,
)
register(
    "community.PostRevision",
    fields=["edited_by"],
    export=rows_export("community.PostRevision", ["edited_by"]),
    erase=combine(
        rows_delete("community.PostRevision", ["post__author"]),
        rows_unlink("community.PostRevision", ["edited_by"]),
    ),
    note=(
        "Earlier versions of their posts go with the posts; a moderator's edits of other "
        "people's posts are kept, unlinked."
    ),
    order=39,
)
register(
    "community.Flag",
    fields=["reporter", "resolved_by"],
    export=rows_export("community.Flag", ["reporter", "resolved_by"]),
    erase=combine(
        rows_delete("community.Flag", ["reporter"]),
        rows_unlink("community.Flag", ["resolved_by"]),
    ),
    note="Reports they made are deleted; reports they resolved are kept, unlinked.",
)
for label, fields in (
    ("community.ModerationAction", ["actor", "member"]),
    ("community.ReflectiveSession", ["created_by"]),
):
    register(
        label,
        fields=fields,
        export=rows_export(label, fields),
        erase=rows_unlink(label, fields),
        note="Kept for the space, with the link to them set to empty (pseudonymised).",
    )
