"""Every HTML page costs the same at 1× and 10× data, with a pinned query count, and no hot path
runs COUNT(…) or OFFSET over a large table.

One test builds the permission matrix's world (tests/test_permission_matrix.py) around its
people, adds one unit of background data (other organisations, members, modules, progress,
journal entries, sign-off requests, supervision, community, notifications, audit events),
measures every GET row of the matrix that answers 200 as the person who would use it, adds nine
more units and measures again. The people's own data stays the same size, except the lists that
page (journal, notifications, sign-off queue, space threads, thread replies, moderation queue,
audit log, organisation members), which are longer than a page at 1× and ten times that at 10×
(the pages in ``PAGED`` must offer a next page at both). Every mismatch is reported at once; an
HTML page without a pin fails the test, as a URL without a matrix row fails the matrix. Run with
``-s`` to see every count, and the pages whose HTML grows by more than a fifth from 1× to 10×
(a list that is not paged shows up there).
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from zeal import zeal_ignore

from . import test_permission_matrix as pm
from .test_permission_matrix import matrix_context  # noqa: F401  (the shared world, a fixture)

# Who uses a page that several kinds of person may open (the first role the row answers 200 for
# in this order, unless named here). Pages everyone may open are measured signed out too.
PREFERENCE = (
    "practitioner",
    "supervisor",
    "facilitator",
    "org_admin",
    "coordinator",
    "editor",
    "superuser",
)
PERSONA = {"signoff_queue": "supervisor", "signoff_detail": "supervisor"}
# Pages that differ by role (panels on "My home"): measured as each of these too.
ALSO_AS = {
    "dashboard": ("supervisor", "facilitator", "org_admin", "coordinator", "editor"),
    "supervision_home": ("supervisor",),
    "notification_list": ("supervisor",),
}

# Third-party admin screens (Wagtail's CMS, Django's admin): tools for a few staff, measured
# and pinned so they cannot grow with data, but outside the product's page budget.
ADMIN_KEYS = {"include:admin/", "include:django-admin/"}

# "<url name><query> as <role>" -> queries, the same at 1× and 10× data.
PINS: dict[str, int] = {
    "accessibility /accessibility/ as anonymous": 0,
    "accessibility /accessibility/ as practitioner": 0,
    "account_deleted /account/data/deleted/ as anonymous": 0,
    "account_deleted /account/data/deleted/ as practitioner": 0,
    "audit_log /audit/ as superuser": 1,
    "audit_log /audit/?action=auth as superuser": 1,
    "certificate_verify /certificates/HH-MTRX-CERT-TEST/ as anonymous": 1,
    "certificate_verify /certificates/HH-MTRX-CERT-TEST/ as practitioner": 1,
    "community_guidelines /community/matrix-closed/guidelines/ as practitioner": 1,
    "community_guidelines /community/matrix-open/guidelines/ as practitioner": 1,
    "community_index /community/ as practitioner": 1,
    "community_members /community/matrix-open/members/ as facilitator": 2,
    "community_moderation /community/moderation/ as facilitator": 3,
    "community_moderation_log /community/moderation/log/ as facilitator": 2,
    "community_moderation_post /community/moderation/posts/N/ as facilitator": 3,
    "community_moderation_thread /community/moderation/threads/N/ as facilitator": 1,
    "community_my_posts /community/my-posts/ as practitioner": 1,
    "community_resources /community/matrix-closed/resources/ as practitioner": 2,
    "community_resources /community/matrix-open/resources/ as practitioner": 2,
    "community_resources_manage /community/matrix-closed/resources/manage/ as coordinator": 2,
    "community_resources_manage /community/matrix-open/resources/manage/ as facilitator": 3,
    "community_saved /community/saved/ as practitioner": 1,
    "community_facilitators /community/moderation/facilitators/ as org_admin": 2,
    (
        "community_space_facilitators /community/moderation/facilitators/matrix-open/ "
        "as coordinator"
    ): 2,
    "community_space_facilitators /community/moderation/facilitators/matrix-org/ as org_admin": 3,
    "community_reveal_request /community/moderation/reveals/N/ as coordinator": 1,
    "community_reveal_request /community/moderation/reveals/N/ as facilitator": 2,
    "community_search /community/search/ as practitioner": 1,
    "community_search /community/search/?q=reply as practitioner": 2,
    "community_search /community/search/?q=reply&space=N as practitioner": 2,
    "community_post_edit /community/matrix-open/posts/N/edit/ as practitioner": 2,
    "community_post_flag /community/matrix-closed/posts/N/report/ as practitioner": 2,
    "community_post_flag /community/matrix-open/posts/N/report/ as facilitator": 2,
    "community_session /community/matrix-open/sessions/N/ as practitioner": 3,
    "community_session_attendance /community/matrix-open/sessions/N/attendance/ as facilitator": 3,
    "community_session_cancel /community/matrix-open/sessions/N/cancel/ as facilitator": 2,
    "community_session_edit /community/matrix-open/sessions/N/edit/ as facilitator": 2,
    "community_sessions /community/matrix-closed/sessions/ as practitioner": 2,
    "community_sessions /community/matrix-open/sessions/ as practitioner": 2,
    "community_space /community/matrix-closed/ as practitioner": 2,
    "community_space /community/matrix-open/ as practitioner": 2,
    "community_thread /community/matrix-closed/N/ as practitioner": 3,
    "community_thread /community/matrix-open/N/ as facilitator": 3,
    "community_thread /community/matrix-open/N/ as practitioner": 3,
    "community_thread_new /community/matrix-closed/new/ as practitioner": 1,
    "community_thread_new /community/matrix-open/new/ as practitioner": 1,
    "cpd_record /learning/cpd/ as practitioner": 3,
    # One fewer than before the header's unread count: the notifications panel reads the same
    # cached count (learning.notify.unread_count) rather than counting again.
    "dashboard /dashboard/ as coordinator": 1,
    "dashboard /dashboard/ as editor": 1,
    "dashboard /dashboard/ as facilitator": 3,
    "dashboard /dashboard/ as org_admin": 2,
    "dashboard /dashboard/ as practitioner": 3,
    "dashboard /dashboard/ as supervisor": 4,
    "data_export_detail /account/data/download/N/ as practitioner": 1,
    "data_home /account/data/ as practitioner": 1,
    "include: / as anonymous": 5,  # with the reader's locale (the home page in their language)
    "include: / as practitioner": 5,
    "include:accounts/ /accounts/email/ as practitioner": 4,
    "include:accounts/ /accounts/login/ as anonymous": 0,
    "include:admin/ /admin/ as editor": 21,
    "include:django-admin/ /django-admin/ as superuser": 1,
    "include:django-admin/ /django-admin/learning/user/ as superuser": 4,
    "invitation_accept /invitations/T/ as anonymous": 4,
    "invitation_accept /invitations/T/ as practitioner": 1,
    "journal_delete /journal/N/delete/ as practitioner": 2,
    "journal_detail /journal/N/ as practitioner": 2,
    "journal_edit /journal/N/edit/ as practitioner": 1,
    "journal_export /journal/export/ as practitioner": 0,
    "journal_list /journal/ as practitioner": 1,
    "journal_list /journal/?q=hard as practitioner": 2,
    "journal_new /journal/new/ as practitioner": 0,
    "journal_new /journal/new/?model=gibbs as practitioner": 0,
    "journal_share /journal/N/share/ as practitioner": 3,
    "lesson_detail /modules/module-N/lesson-N/ as anonymous": 0,
    "lesson_detail /modules/module-N/lesson-N/ as practitioner": 4,
    "membership_end /organisations/home-org/members/N/end/ as org_admin": 2,
    # One more than before prerequisites: each module's live prerequisites (a prefetch).
    # A SCORM package's launch file, for its sandboxed frame: the package behind the signed link.
    # H5P content's player page for its sandboxed frame: the content behind the signed link.
    "h5p_file /hNp/N/T/__hope__/player.html as anonymous": 1,
    "h5p_file /hNp/N/T/__hope__/player.html as practitioner": 1,
    "scorm_package_file /scorm/N/T/index.html as anonymous": 1,
    "scorm_package_file /scorm/N/T/index.html as practitioner": 1,
    "module_catalogue /modules/ as anonymous": 4,
    "module_catalogue /modules/ as practitioner": 6,  # lesson counts kept per process
    # One more than before the question bank: the person's attempts are counted, as the count
    # is their next round, which fixes the questions drawn and the option orders.
    "module_check /learning/modules/N/check/ as practitioner": 2,
    # The module and the person's own attempt, which holds the questions and orders shown.
    "module_check_review /learning/modules/N/check/N/review/ as practitioner": 2,
    # The module, the enrolment, the certificate, the passing attempt, the confidence ratings
    # and a module to try next.
    "module_complete /learning/modules/N/complete/ as practitioner": 6,
    # One more than before prerequisites: the module's live prerequisites (and, only when it
    # has some, which of them the person has completed).
    "module_detail /modules/module-N/ as anonymous": 2,
    "module_detail /modules/module-N/ as practitioner": 4,
    "module_start /learning/modules/N/start/ as practitioner": 2,
    "my_learning /learning/ as practitioner": 4,  # modules and lesson counts kept per process
    "notification_list /notifications/ as practitioner": 1,
    "notification_list /notifications/ as supervisor": 1,
    # The person's email settings per group of notices (one row, read once).
    "notification_settings /notifications/settings/ as practitioner": 1,
    "account_details /account/details/ as practitioner": 0,
    # the modules (certificates, enrolments), external CPD, sessions attended, group supervision
    "portfolio_cpd /portfolio/cpd/ as practitioner": 5,
    "external_cpd_new /portfolio/cpd/new/ as practitioner": 0,
    "external_cpd_edit /portfolio/cpd/N/edit/ as practitioner": 1,
    "external_cpd_delete /portfolio/cpd/N/delete/ as practitioner": 1,
    # the CPD record's five, the feedback in the window and the signed-off reflections
    "portfolio_home /portfolio/ as practitioner": 7,
    "revalidation_declaration /portfolio/declaration/ as practitioner": 0,
    "feedback_list /portfolio/feedback/ as practitioner": 1,
    "feedback_new /portfolio/feedback/new/ as practitioner": 0,
    "feedback_delete /portfolio/feedback/N/delete/ as practitioner": 1,
    "share_list /portfolio/shares/ as practitioner": 1,
    "share_new /portfolio/shares/new/ as practitioner": 4,
    "share_detail /portfolio/shares/N/ as practitioner": 3,
    "share_revoke /portfolio/shares/N/revoke/ as practitioner": 1,
    "shared_portfolio /shared/T/ as anonymous": 3,
    "shared_portfolio /shared/T/ as practitioner": 3,
    "feedback_edit /portfolio/feedback/N/edit/ as practitioner": 1,
    # the person's own discussions and those waiting for them to confirm
    "discussion_home /portfolio/discussion/ as practitioner": 2,
    "discussion_new /portfolio/discussion/new/ as practitioner": 0,
    "discussion_confirm /portfolio/discussion/N/confirm/ as supervisor": 1,
    "discussion_delete /portfolio/discussion/N/delete/ as practitioner": 1,
    "organisation_assignments /organisations/home-org/assignments/ as org_admin": 4,
    # the person, the organisation they administer
    "esr_export /organisations/home-org/esr/ as org_admin": 1,
    # the person, the export with its organisation
    "esr_export_detail /organisations/home-org/esr/N/ as org_admin": 1,
    "organisation_invite_bulk /organisations/home-org/members/invite/ as org_admin": 1,
    # members, invitations, and how the members sign in (work accounts, passkeys)
    "organisation_members /organisations/home-org/members/ as org_admin": 5,
    "privacy /privacy/ as anonymous": 0,
    "privacy /privacy/ as practitioner": 0,
    "reflective_account /sign-off/N/reflective-account/ as practitioner": 1,
    "report_export_detail /reports/exports/N/ as coordinator": 1,
    "report_export_detail /reports/exports/N/ as org_admin": 1,
    "report_national /reports/national/ as coordinator": 2,
    "report_national /reports/national/?section=community&group_by=region as coordinator": 2,
    "report_organisation /reports/home-org/ as org_admin": 4,
    "report_organisation /reports/home-org/?section=supervision as org_admin": 2,
    "reports_index /reports/ as org_admin": 0,
    "signoff_detail /sign-off/N/ as supervisor": 2,
    "signoff_queue /sign-off/ as supervisor": 3,
    "supervision_calendar_settings /supervision/calendar/ as practitioner": 1,
    "supervision_checkin /supervision/N/check-in/ as practitioner": 2,
    "supervision_confirm /supervision/N/confirm/ as practitioner": 3,
    "supervision_detail /supervision/N/ as practitioner": 5,
    "supervision_edit /supervision/N/edit/ as supervisor": 5,
    "supervision_export /supervision/export/ as practitioner": 1,
    "supervision_home /supervision/ as practitioner": 4,
    "supervision_home /supervision/ as supervisor": 4,
    "supervision_new /supervision/new/ as practitioner": 1,
    "supervision_new /supervision/new/?relationship=N as practitioner": 3,
    "supervision_organisation /supervision/organisation/home-org/ as org_admin": 3,
    "supervision_relationship /supervision/relationships/N/ as practitioner": 1,
    "supervision_relationship_new /supervision/relationships/new/ as practitioner": 0,
    "support /support/ as anonymous": 0,
    "support /support/ as practitioner": 0,
    "signin_work /signin/work/ as anonymous": 0,
    # the organisation, its linked domains and the confirmation links waiting
    "organisation_domains /organisations/home-org/domains/ as org_admin": 3,
    # the claim (with its organisation and admin) and the admin check
    "domain_claim_confirm /signin/domains/confirm/T/ as org_admin": 1,
    # the provider sessions with this sid, locked and ended (a savepoint around them)
    "oidc_frontchannel_logout /signin/oidc/mx/frontchannel-logout/?sid=matrix as anonymous": 3,
    "oidc_frontchannel_logout /signin/oidc/mx/frontchannel-logout/?sid=matrix as practitioner": 3,
}

# Large tables: a COUNT( or OFFSET over one of these on a page grows with the platform.
LARGE_TABLES = (
    "modules_enrolment",
    "modules_lessoncompletion",
    "modules_checkattempt",
    "reflection_journalentry",
    "reflection_signoffrequest",
    "reflection_supervisionsession",
    "community_post",
    "community_thread",
    "learning_notification",
    "learning_auditevent",
    "learning_user",
    "learning_membership",
)

# Bounded cases: (start of the page key, a fragment of the query) -> why it is bounded.
COUNT_ALLOWED: dict[tuple[str, str], str] = {
    ("module_catalogue ", 'COUNT("modules_lessoncompletion"."id")'): (
        "one person's completed lessons, on the modules of one page they are enrolled on"
    ),
    ("my_learning ", 'COUNT("modules_lessoncompletion"."id")'): (
        "one person's completed lessons, on the modules they are enrolled on"
    ),
    ("supervision_organisation ", '"n_recent"'): (
        "per member of one page of members: that supervisee's sessions in the last 12 months"
    ),
    ("supervision_organisation ", 'AS "sessions"'): (
        "one organisation's sessions in the last 12 months, grouped by type and format"
    ),
    ("community_thread ", 'FROM "community_posthelped" U0 WHERE U0."post_id" = ('): (
        "per reply on one page of a thread: the people that reply helped"
    ),
    ("portfolio_home ", 'FROM "reflection_practicefeedback" U0 WHERE (U0."owner_id"'): (
        "one person's own practice-related feedback in the last three years (the task list's "
        "count towards five)"
    ),
    ("report_organisation ", "FROM"): (
        "an organisation's report: aggregates over that organisation's members in the chosen "
        "period (its size, not the platform's)"
    ),
}

# Not a hot path, and known to grow with the platform: the national report aggregates over every
# organisation's rows (a few national coordinators open it). A rollup table kept up to date by
# the services would make it flat; until then it is listed here, not hidden.
NOT_HOT: dict[str, str] = {
    "report_national ": "aggregates over the whole platform for national coordinators",
}

# Lists that must be longer than a page at both sizes (so paging is what is measured).
PAGED = (
    "audit_log /audit/ as superuser",
    "community_space /community/matrix-open/ as practitioner",
    "community_search /community/search/?q=reply as practitioner",
    "journal_list /journal/ as practitioner",
    "notification_list /notifications/ as practitioner",
    "organisation_members /organisations/home-org/members/ as org_admin",
)

SIGNED_IN_LIMIT = 8
# Wagtail's routing on a site with Welsh pages looks up the reader's locale: one query more on
# a public page than before there were translations.
PUBLIC_LIMIT = 5

PER_UNIT = 60  # rows a unit adds to each paged list: more than the largest page (50)


# --- the background data ----------------------------------------------------------------------


def _users(n: int, tag: str):
    from learning.models import User

    return User.objects.bulk_create(
        User(email=f"scale-{tag}-{i}@example.nhs.uk", display_name=f"Scale {tag} {i:04d}")
        for i in range(n)
    )


def _module(tag: str, lessons: int = 2):
    """A module and its lessons, straight into the tree (no revisions)."""
    from modules.models import LessonPage, ModulePage

    from .module_factories import check_block, make_catalogue

    module = ModulePage(
        title=f"Scale module {tag}",
        slug=f"scale-module-{tag}",
        summary="A module.",
        final_check=[check_block("Final?")],
    )
    make_catalogue().add_child(instance=module)
    built = []
    for n in range(lessons):
        lesson = LessonPage(
            title=f"Lesson {n}",
            slug=f"lesson-{n}",
            body=[{"type": "rich_text", "value": "<p>Text.</p>"}, check_block()],
        )
        module.add_child(instance=lesson)
        built.append(lesson)
    return module, built


def _entries(author_ids, per: int, tag: str):
    from reflection.models import JournalEntry

    body = json.dumps({"description": "<p>What happened.</p>"})
    return JournalEntry.objects.bulk_create(
        JournalEntry(
            author_id=a,
            title=f"Entry {tag} {i}",
            experienced_on=date(2026, 1, 1 + i % 28),
            model="gibbs",
            body_json=body,
            summary="<p>Summary.</p>",
        )
        for a in author_ids
        for i in range(per)
    )


def _requests(entries, supervisor_id, status="pending"):
    from reflection.models import SignOffRequest

    return SignOffRequest.objects.bulk_create(
        SignOffRequest(
            entry=e,
            author_id=e.author_id,
            supervisor_id=supervisor_id,
            version=1,
            summary="<p>Summary.</p>",
            content_hash=f"{e.pk:064d}",
            status=status,
        )
        for e in entries
    )


def _posts(thread, author_ids, n: int, status="published", start=None):
    from community.models import Post

    start = start or timezone.now() - timedelta(days=2)
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author_id=author_ids[i % len(author_ids)],
            body_html=f"<p>Reply {i}</p>",
            status=status,
            created_at=start + timedelta(seconds=i),
        )
        for i in range(n)
    )


def grow(ctx: dict, unit: int) -> None:
    """One more unit of data: background rows, and the paged lists of the people grow."""
    from community.models import Post, PostHelped, PostStatus, Space, SpaceMember, Thread
    from learning.models import AuditEvent, Membership, Notification, Organisation
    from modules.models import Enrolment, LessonCompletion
    from reflection.models import SupervisionRelationship, SupervisionSession

    tag = f"u{unit}"
    people = ctx["people"]
    now = timezone.now()

    # Background: an organisation of ten, a module, progress, journals, supervision, a space.
    org = Organisation.objects.create(
        name=f"Scale organisation {tag}", slug=f"scale-org-{tag}", kind="mmhs", region="london"
    )
    users = _users(10, tag)
    ids = [u.pk for u in users]
    Membership.objects.bulk_create(
        Membership(user_id=u, organisation=org, role="practitioner") for u in ids
    )
    module, lessons = _module(tag)
    modules = [module, ctx["module"]]
    Enrolment.objects.bulk_create(
        Enrolment(user_id=u, module=m, started_at=now) for u in ids for m in modules
    )
    LessonCompletion.objects.bulk_create(
        LessonCompletion(user_id=u, lesson=lesson, module=module) for u in ids for lesson in lessons
    )
    entries = _entries(ids, 5, tag)
    _requests(entries[::5], ids[0])
    for i in range(0, 10, 2):
        rel = SupervisionRelationship.objects.create(
            supervisee_id=ids[i],
            supervisor_id=ids[i + 1],
            proposed_by_id=ids[i + 1],
            kind="clinical",
            status="active",
            frequency_min_weeks=4,
            frequency_max_weeks=6,
            started_on=date(2025, 1, 1),
            supervisee_agreed_at=now,
            supervisor_agreed_at=now,
        )
        SupervisionSession.objects.bulk_create(
            SupervisionSession(
                relationship=rel,
                author_id=ids[i + 1],
                held_on=date(2026, 1, 1) + timedelta(days=7 * s),
                duration_minutes=60,
                format="one_to_one",
                summary="Summary.",
                status="locked",
                locked_at=now,
            )
            for s in range(3)
        )
    space = Space.objects.create(name=f"Scale space {tag}", slug=f"scale-space-{tag}")
    SpaceMember.objects.bulk_create(
        SpaceMember(space=space, user_id=u, status="active", joined_at=now) for u in ids
    )
    for t in range(3):
        thread = Thread.objects.create(
            space=space, author_id=ids[t], title=f"Thread {t}", status="published"
        )
        _posts(thread, ids, 5)
    Notification.objects.bulk_create(
        Notification(recipient_id=u, kind="scale", message="Something.", url="/dashboard/")
        for u in ids
        for _ in range(5)
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(actor_id=ids[i % 10], action="scale.test", target_type="user", target_id="1")
        for i in range(20)
    )

    # The people's paged lists grow: more than a page at 1×, ten times that at 10×.
    per = PER_UNIT
    practitioner = people["practitioner"]
    supervisor = people["supervisor"]
    _entries([practitioner.pk], per, f"own-{tag}")
    Notification.objects.bulk_create(
        Notification(recipient=practitioner, kind="scale", message="Yours.", url="/dashboard/")
        for _ in range(per)
    )
    _requests(_entries([ids[1]], per, f"queue-{tag}"), supervisor.pk)
    open_space = Space.objects.get(slug="matrix-open")
    matrix_thread = ctx["community"]["thread"]
    SpaceMember.objects.bulk_create(
        SpaceMember(space=open_space, user_id=u, status="active", joined_at=now) for u in ids[:3]
    )
    _posts(matrix_thread, [practitioner.pk, ids[0]], per)
    # Each of the thread's replies helped three more people.
    replies = Post.objects.filter(thread=matrix_thread, is_opening=False).values_list(
        "pk", flat=True
    )
    PostHelped.objects.bulk_create(
        PostHelped(post_id=p, user_id=u) for p in replies for u in ids[:3]
    )
    Thread.objects.filter(pk=matrix_thread.pk).update(
        reply_count=Post.objects.filter(thread=matrix_thread, is_opening=False).count()
    )
    threads = Thread.objects.bulk_create(
        Thread(space=open_space, author_id=ids[t % 3], title=f"Open {tag} {t}", status="published")
        for t in range(per)
    )
    Post.objects.bulk_create(
        Post(
            thread=thread,
            author_id=thread.author_id,
            body_html="<p>Opening.</p>",
            is_opening=True,
            status=PostStatus.PUBLISHED if t % 3 else PostStatus.PENDING,
        )
        for t, thread in enumerate(threads)
    )
    Membership.objects.bulk_create(
        Membership(user_id=u, organisation=ctx["organisation"], role="practitioner")
        for u in [u.pk for u in _users(per, f"home-{tag}")]
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(actor=practitioner, action="scale.own", target_type="user", target_id="1")
        for _ in range(per)
    )


# --- measuring --------------------------------------------------------------------------------


def _html_pages() -> list[tuple[pm.Row, str]]:
    """(row, role) for every GET row of the matrix that answers 200, as whoever uses it."""
    pages = []
    for row in pm.MATRIX:
        if row.method != "get":
            continue
        ok = [r for r, status in row.expected.items() if status == 200]
        if not ok:
            continue
        roles = []
        if "anonymous" in ok:
            roles.append("anonymous")
        chosen = PERSONA.get(row.key)
        if chosen is None or chosen not in ok:
            chosen = next((r for r in PREFERENCE if r in ok), None)
        if chosen:
            roles.append(chosen)
        roles += [r for r in ALSO_AS.get(row.key, ()) if r in ok and r not in roles]
        for role in roles:
            pages.append((row, role))
    return pages


def _key(row: pm.Row, path: str, role: str) -> str:
    """The pin key: URL name, path (numbers as N) and role, e.g. "journal_detail /journal/N/ as
    practitioner"."""
    if row.data:
        path += ("&" if "?" in path else "?") + urlencode(row.data)
    path = re.sub(r"/[\w.:-]{20,}/", "/T/", path)  # a signed token in the path
    path = re.sub(r"\d+", "N", path)
    return f"{row.key} {path} as {role}"


SIZES: dict[str, list[int]] = {}
NOT_PAGED: list[str] = []


def _measure(client, ctx) -> dict[str, tuple[int, list[str], str]]:
    """key -> (queries, SQL, content type) for every GET row that answers 200."""
    results = {}
    for row, role in _html_pages():
        user = ctx["people"][role]
        with zeal_ignore():  # test set-up; the requests are checked by zeal's middleware
            client.logout()
            if user is not None:
                client.force_login(user)
            path = row.path(ctx)
        key = _key(row, path, role)
        client.get(path, row.data)  # warm the roles cache and the visit rows
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, row.data)
        if response.status_code != 200:
            results[key] = (-response.status_code, [], "")
            continue
        results[key] = (
            len(captured.captured_queries),
            [q["sql"] for q in captured.captured_queries],
            response.get("Content-Type", ""),
        )
        if not response.streaming:
            SIZES.setdefault(key, []).append(len(response.content))
            if key in PAGED and b"Next page" not in response.content:
                NOT_PAGED.append(key)
    return results


_COUNT = re.compile(r"\bCOUNT\(", re.IGNORECASE)
_OFFSET = re.compile(r"\bOFFSET\b", re.IGNORECASE)


def _unbounded(key: str, sql: str) -> bool:
    if not (_COUNT.search(sql) or _OFFSET.search(sql)):
        return False
    if not any(f'"{t}"' in sql or f" {t} " in sql for t in LARGE_TABLES):
        return False
    if any(key.startswith(k) for k in NOT_HOT):
        return False
    return not any(key.startswith(k) and frag in sql for (k, frag) in COUNT_ALLOWED)


def _diff(sql1: list[str], sql10: list[str]) -> str:
    import difflib

    short = [[q[:160] for q in sql] for sql in (sql1, sql10)]
    return "\n".join(difflib.unified_diff(*short, "1×", "10×", lineterm=""))


def _personas(ctx: dict) -> None:
    """The people's own data, the same at 1× and 10×: the practitioner is part-way through the
    matrix's module, has accepted the closed space's guidelines and is on the NMC register."""
    from community.models import SpaceMember
    from modules.progress import services

    from .module_factories import answer_lesson_check

    practitioner = ctx["people"]["practitioner"]
    module, lesson = ctx["module"], ctx["lesson"]
    services.enrolment_start(user=practitioner, module=module)
    answer_lesson_check(practitioner, lesson, ctx["check_id"])
    SpaceMember.objects.filter(user=practitioner, space__slug="matrix-closed").update(
        guidelines_accepted_at=timezone.now()
    )
    # On the NMC register, so that the revalidation task list counts everything it can.
    type(practitioner).objects.filter(pk=practitioner.pk).update(
        professional_register="nmc", registration_number="12A3456E"
    )


@pytest.mark.slow
@pytest.mark.django_db
def test_every_page_costs_the_same_at_1x_and_10x(client, matrix_context):  # noqa: F811
    ctx = matrix_context
    SIZES.clear()
    NOT_PAGED.clear()
    with zeal_ignore():  # building data, not a request path
        _personas(ctx)
        for row in pm.MATRIX:
            row.path(ctx)  # make the objects the rows name, before anything is measured
        grow(ctx, 1)
    small = _measure(client, ctx)
    with zeal_ignore():
        for unit in range(2, 11):
            grow(ctx, unit)
    large = _measure(client, ctx)

    problems: list[str] = []
    report: list[str] = []
    for key in sorted(set(small) | set(large)):
        q1, sql1, ctype = small.get(key, (None, [], ""))
        q10, sql10, _ = large.get(key, (None, [], ""))
        if None in (q1, q10) or min(q1, q10) < 0:
            problems.append(f"{key}: not 200 at both sizes (1× {q1}, 10× {q10}; -status)")
            continue
        if "text/html" not in ctype:
            continue
        report.append(f"{key}: {q1} / {q10}")
        pin = PINS.get(key)
        if pin is None:
            problems.append(f"{key}: no pin (1× {q1}, 10× {q10})")
        elif not (q1 == q10 == pin):
            problems.append(f"{key}: pinned {pin}, 1× {q1}, 10× {q10}")
        if q1 != q10:
            problems.append(f"{key}: 1× {q1}, 10× {q10}; the queries:\n" + _diff(sql1, sql10))
        if key.split(" ")[0] not in ADMIN_KEYS:
            limit = PUBLIC_LIMIT if key.endswith(" as anonymous") else SIGNED_IN_LIMIT
            if q10 > limit:
                problems.append(f"{key}: {q10} queries, over the budget of {limit}")
            for sql in sql10:
                if _unbounded(key, sql):
                    problems.append(f"{key}: COUNT/OFFSET over a large table: {sql[:300]}")
    problems += [f"{key}: no next page, so paging is not measured" for key in NOT_PAGED]
    stale = set(PINS) - {k for k in large if "text/html" in large[k][2]}
    problems += [f"{key}: pinned, but no such HTML page" for key in sorted(stale)]
    print("\n".join(report))
    for k, v in SIZES.items():
        if len(v) == 2 and v[1] > 1.2 * v[0]:
            print("grows:", k, v)
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.django_db
def test_the_catalogue_pages_by_keyset(client, home_page, django_assert_num_queries):
    """4,000 modules at 100× data: the catalogue shows a page at a time, for the same cost."""
    from modules.pages.views import PAGE_SIZE

    with zeal_ignore():
        for n in range(PAGE_SIZE + 6):
            _module(f"{n:03d}", lessons=0)
    client.get("/modules/")
    # catalogue page, a page of modules, their topics, their prerequisites
    with django_assert_num_queries(4):
        first = client.get("/modules/")
    body = first.content.decode()
    assert body.count('class="nhsuk-card__link"') == PAGE_SIZE
    assert "Scale module 000" in body and f"Scale module {PAGE_SIZE:03d}" not in body
    after = re.search(r'href="\?after=([^"&]+)"', body).group(1)
    rest = client.get("/modules/", {"after": after}).content.decode()
    assert rest.count('class="nhsuk-card__link"') == 6
    assert f"Scale module {PAGE_SIZE:03d}" in rest and "Scale module 000" not in rest
    assert "First page" in rest


@pytest.mark.slow
@pytest.mark.django_db
def test_the_community_page_lists_spaces_a_page_at_a_time(client, people):
    """Every open space is listed for everyone: at 100× data that is 2,000 spaces."""
    from community.models import Space
    from community.spaces.views import PAGE_SIZE

    Space.objects.bulk_create(
        Space(name=f"Space {n:03d}", slug=f"space-{n:03d}") for n in range(PAGE_SIZE + 3)
    )
    client.force_login(people["practitioner"])
    body = client.get("/community/").content.decode()
    assert "Space 000" in body and f"Space {PAGE_SIZE - 1:03d}" in body
    assert f"Space {PAGE_SIZE:03d}" not in body
    after = re.search(r'href="\?after=([^"&]+)"', body).group(1)
    rest = client.get("/community/", {"after": after}).content.decode()
    assert f"Space {PAGE_SIZE + 2:03d}" in rest and "Space 000" not in rest


@pytest.mark.django_db
def test_sign_off_waiting_is_capped_and_open_requests_come_first(client, people):
    """ "Waiting for your sign-off" counts to 100 with a LIMIT, never a COUNT; a request still
    waiting is on the queue however many newer ones were decided."""
    from reflection.models import SignOffRequest
    from reflection.signoff.selectors import WAITING_CAP
    from reflection.signoff.views import QUEUE_SIZE

    practitioner, supervisor = people["practitioner"], people["supervisor"]
    oldest = _requests(_entries([practitioner.pk], 1, "old"), supervisor.pk)[0]
    SignOffRequest.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - timedelta(days=9)
    )
    _requests(_entries([practitioner.pk], QUEUE_SIZE + 5, "decided"), supervisor.pk, "signed_off")
    client.force_login(supervisor)
    body = client.get("/sign-off/").content.decode()
    assert f'href="/sign-off/{oldest.pk}/"' in body
    _requests(_entries([practitioner.pk], WAITING_CAP, "more"), supervisor.pk)
    home = client.get("/dashboard/").content.decode()
    assert f"Waiting for your sign-off: {WAITING_CAP} or more" in home


@pytest.mark.django_db
def test_sign_off_lists_page_on_their_own(client, people):
    """Each list on the sign-off page has its own next page: every request waiting is reachable
    (the longest waiting first), and moving on in one list keeps the place in the others."""
    import re

    from reflection.models import SignOffRequest
    from reflection.signoff.views import QUEUE_SIZE

    practitioner, supervisor = people["practitioner"], people["supervisor"]
    waiting = _requests(_entries([practitioner.pk], QUEUE_SIZE + 2, "wait"), supervisor.pk)
    now = timezone.now()
    for n, request in enumerate(waiting):  # waiting[0] has waited longest
        SignOffRequest.objects.filter(pk=request.pk).update(
            created_at=now - timedelta(hours=len(waiting) - n)
        )
    _requests(_entries([practitioner.pk], QUEUE_SIZE + 1, "done"), supervisor.pk, "signed_off")
    client.force_login(supervisor)

    def links(body):
        return [int(pk) for pk in re.findall(r'href="/sign-off/(\d+)/"', body)]

    first = client.get("/sign-off/").content.decode()
    assert links(first)[:QUEUE_SIZE] == [r.pk for r in waiting[:QUEUE_SIZE]]
    pages = ["/sign-off/" + p for p in re.findall(r'href="(\?[^"]+)"', first)]
    waiting_next = next(p for p in pages if p.startswith("/sign-off/?waiting="))
    decided_next = next(p for p in pages if p.startswith("/sign-off/?decided="))

    rest = client.get(waiting_next.replace("&amp;", "&")).content.decode()
    assert links(rest)[:2] == [r.pk for r in waiting[QUEUE_SIZE:]]
    assert "There are no more" not in rest and "First page" in rest
    # The decided list's next page keeps the waiting list where it is.
    moved_on = ["/sign-off/" + p for p in re.findall(r'href="(\?[^"]+)"', rest) if "decided=" in p]
    assert moved_on and "waiting=" in moved_on[0]
    both = client.get(moved_on[0].replace("&amp;", "&")).content.decode()
    assert links(both)[:2] == [r.pk for r in waiting[QUEUE_SIZE:]]
    assert client.get(decided_next).status_code == 200
    # An unreadable cursor starts the list from the beginning.
    assert links(client.get("/sign-off/?waiting=%%%").content.decode())[0] == waiting[0].pk


@pytest.mark.slow
@pytest.mark.django_db
def test_the_organisation_report_pages_its_modules(client, people, home_page):
    """Training by module has a row a live module: 4,000 at 100× data, so a page at a time on
    screen (the export still has them all)."""
    from learning.reports.views import PAGE_SIZE

    with zeal_ignore():
        for n in range(PAGE_SIZE + 3):
            _module(f"{n:03d}", lessons=0)
    client.force_login(people["org_admin"])
    body = client.get("/reports/home-org/").content.decode()
    assert "Scale module 000" in body and f"Scale module {PAGE_SIZE:03d}" not in body
    after = re.search(r'href="\?after=([^"&]+)"', body).group(1)
    rest = client.get("/reports/home-org/", {"after": after}).content.decode()
    assert f"Scale module {PAGE_SIZE + 2:03d}" in rest and "Scale module 000" not in rest


@pytest.mark.django_db
def test_a_space_with_many_members_lists_them_a_page_at_a_time(client, people):
    """Members past the first page are reached by paging, not left off without a word."""
    from community.models import SpaceMember
    from community.spaces.views import MEMBERS_PAGE_SIZE

    from .community_factories import SpaceFactory, member

    facilitator = people["facilitator"]
    space = SpaceFactory(slug="big-space", facilitators=[facilitator])
    member(space, facilitator)
    users = _users(MEMBERS_PAGE_SIZE + 1, "big")
    start = timezone.now()
    SpaceMember.objects.bulk_create(
        SpaceMember(
            space=space,
            user=u,
            status="active",
            joined_at=start,
            created_at=start + timedelta(seconds=i),
        )
        for i, u in enumerate(users)
    )
    client.force_login(facilitator)
    body = client.get("/community/big-space/members/").content.decode()
    last = f"Scale big {MEMBERS_PAGE_SIZE:04d}"
    assert "Scale big 0000" in body and last not in body
    after = re.search(r'href="\?after=([^"&]+)"', body).group(1)
    rest = client.get("/community/big-space/members/", {"after": after}).content.decode()
    assert last in rest and "Scale big 0000" not in rest
