"""Privacy handlers for community spaces (see learning/privacy/__init__.py).

Chosen approach: what an erased person wrote in the community (posts and their earlier
versions) is deleted, not pseudonymised. Posts are personal and often reflective; keeping them
under "A former member" would keep words people can recognise. A thread they started is deleted
only if nobody else has replied; otherwise it stays for the other people's replies, with its
title replaced and no author ("A former member"). Moderation history is kept for the space,
with the link to the person set to empty.

Exports: what the person wrote and their own memberships, follows and reports are exported
whole. Moderation history, other people's posts they edited as a moderator, reports they
resolved and sessions they set up are shared records of a space, so they are exported through
the scoped selectors the moderation and space pages use: only for spaces the person still
facilitates (or can still read), and with no moderator named where the page names none.
"""

from __future__ import annotations

from django.db.models import Q

from community.models import Flag, PostRevision, ReflectiveSession
from community.moderation.selectors import (
    moderation_log_about_posts_of,
    moderation_log_for,
    reveal_requests_visible_to,
)
from community.selectors import spaces_facilitated_by, spaces_readable_by
from learning.privacy import (
    combine,
    exports_join,
    m2m_delete,
    m2m_export,
    register,
    rows_delete,
    rows_export,
    rows_unlink,
    scoped_export,
)

DELETED = "Deleted with the account."

for label, field in (
    ("community.SpaceMember", "user"),
    ("community.ThreadFollow", "user"),
    ("community.ThreadVisit", "user"),
    ("community.SavedThread", "user"),
    ("community.SessionSignup", "user"),
    ("community.PostHelped", "user"),
    ("community.PostMention", "user"),
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


def revisions_edited_by(user):
    """Earlier versions the person saved: of their own posts, and of others' posts in spaces
    they still facilitate (as the moderation post page shows them)."""
    own = Q(post__author_id=user.pk)
    moderated = Q(post__thread__space__in=spaces_facilitated_by(user))
    return PostRevision.objects.filter(edited_by_id=user.pk).filter(own | moderated)


def flags_resolved_by(user):
    """Reports the person resolved, in spaces they still facilitate (the moderation pages)."""
    return Flag.objects.filter(
        resolved_by_id=user.pk, post__thread__space__in=spaces_facilitated_by(user)
    )


def moderation_log_naming(user):
    """The moderation log of spaces the person facilitates, where they acted or were acted on."""
    return moderation_log_for(user).filter(Q(actor_id=user.pk) | Q(member_id=user.pk))


def moderation_about_their_posts(user):
    """What facilitators did to the person's own posts, as "My posts" shows it (no names)."""
    return moderation_log_about_posts_of(user).exclude(
        pk__in=moderation_log_naming(user).values("pk")
    )


def reveal_requests_involving(user):
    """Requests to reveal an anonymous author that the person asked for or decided, in spaces
    where they may still see them (as the request page shows them)."""
    return reveal_requests_visible_to(user).filter(
        Q(requested_by_id=user.pk) | Q(decided_by_id=user.pk)
    )


def sessions_set_up_by(user):
    """Reflective sessions the person set up, in spaces they can still read."""
    return ReflectiveSession.objects.filter(
        created_by_id=user.pk, space__in=spaces_readable_by(user)
    )


register(
    "community.PostRevision",
    fields=["edited_by"],
    export=scoped_export("community.PostRevision", revisions_edited_by),
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
    export=exports_join(
        # Their own reports; who resolved them is not shown to a reporter.
        rows_export("community.Flag", ["reporter"], exclude=["resolved_by"]),
        scoped_export(
            "community.Flag",
            lambda user: flags_resolved_by(user).exclude(reporter_id=user.pk),
        ),
    ),
    erase=combine(
        rows_delete("community.Flag", ["reporter"]),
        rows_unlink("community.Flag", ["resolved_by"]),
    ),
    note="Reports they made are deleted; reports they resolved are kept, unlinked.",
)
register(
    "community.ModerationAction",
    fields=["actor", "member"],
    export=exports_join(
        scoped_export("community.ModerationAction", moderation_log_naming),
        scoped_export(
            "community.ModerationAction", moderation_about_their_posts, exclude=["actor"]
        ),
    ),
    erase=rows_unlink("community.ModerationAction", ["actor", "member"]),
    note="Kept for the space, with the link to them set to empty (pseudonymised).",
)
register(
    "community.RevealRequest",
    fields=["requested_by", "decided_by"],
    export=scoped_export("community.RevealRequest", reveal_requests_involving),
    erase=rows_unlink("community.RevealRequest", ["requested_by", "decided_by"]),
    note=(
        "Requests to reveal an anonymous author are part of the space's moderation record: "
        "kept, with the link to them set to empty (pseudonymised)."
    ),
)
register(
    "community.ReflectiveSession",
    fields=["created_by"],
    export=scoped_export("community.ReflectiveSession", sessions_set_up_by),
    erase=rows_unlink("community.ReflectiveSession", ["created_by"]),
    note="Kept for the space, with the link to them set to empty (pseudonymised).",
)
