"""The route × role permission matrix.

One declarative table: for each URL pattern (or third-party URL include), the method and the
status every kind of person gets. A URL pattern without a row fails the suite, so nothing new can
be added without saying who may reach it. Later issues add their rows here.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from learning.models import NOTIFICATION_GROUP_FIELDS, Membership, User

from .conftest import ROLE_NAMES
from .factories import InvitationFactory
from .journal_factories import (
    practitioner_entry,
    signed_matrix_request,
    signoff_matrix_entry,
    signoff_matrix_request,
)
from .matrix_rows import Row, everyone, signed_in
from .matrix_rows import accounts as account_rows
from .matrix_rows import checks as check_rows
from .matrix_rows import community as community_rows
from .matrix_rows import esr as esr_rows
from .matrix_rows import journeys as journey_rows
from .matrix_rows import media as media_rows
from .matrix_rows import portfolio as portfolio_rows
from .matrix_rows import privacy as privacy_rows
from .matrix_rows import reports as reports_rows
from .matrix_rows import scorm as scorm_rows
from .matrix_rows import shares as share_rows
from .matrix_rows import signin as signin_rows
from .matrix_rows import supervision as supervision_rows
from .test_welsh import WelshPageText, english_messages

LOCAL_APPS = ("learning", "modules", "reflection", "community")


def _org_members(ctx):
    return reverse("organisation_members", kwargs={"slug": ctx["organisation"].slug})


def _other_org_members(ctx):
    return reverse("organisation_members", kwargs={"slug": ctx["other_organisation"].slug})


def _membership_end_url(ctx, membership_id: int) -> str:
    return reverse(
        "membership_end",
        kwargs={"slug": ctx["organisation"].slug, "membership_id": membership_id},
    )


def _practitioner_membership_end(ctx):
    membership = Membership.objects.get(
        user=ctx["people"]["practitioner"], organisation=ctx["organisation"]
    )
    return _membership_end_url(ctx, membership.pk)


def _invitation(ctx):
    from learning.tokens import invitation_token_make

    return reverse("invitation_accept", kwargs={"token": invitation_token_make(ctx["invitation"])})


MATRIX: list[Row] = [
    Row("healthz", lambda c: reverse("healthz"), everyone(200)),
    # Prometheus metrics: no page at all without HOPE_METRICS_TOKEN, whoever asks (signed in or
    # not); with a token only the bearer gets in (tests/test_observability.py).
    Row("metrics", lambda c: reverse("metrics"), everyone(404)),
    Row("nhsuk_assets", lambda c: "/assets/images/nhsuk-icon-cross.svg", everyone(301)),
    Row("dashboard", lambda c: reverse("dashboard"), signed_in(200)),
    Row(
        "organisation_members",
        _org_members,
        signed_in(404, org_admin=200),
    ),
    Row(
        "organisation_members",
        _org_members,
        signed_in(404, org_admin=302),
        method="post",
        data={"email": "matrix@example.nhs.uk", "role": "practitioner"},
    ),
    Row("organisation_members", _other_org_members, signed_in(404)),
    # Removing a member's role: that organisation's admins only ("are you sure?", then POST).
    Row("membership_end", _practitioner_membership_end, signed_in(404, org_admin=200)),
    Row("membership_end", lambda c: _membership_end_url(c, 999999), signed_in(404)),
    # Anyone holding a valid link sees the invitation; accepting needs the invited address.
    Row("invitation_accept", _invitation, everyone(200)),
    Row(
        "invitation_accept",
        _invitation,
        everyone(400, anonymous=200, deactivated=200),
        method="post",
    ),
    Row("accessibility", lambda c: reverse("accessibility"), everyone(200)),
    Row("privacy", lambda c: reverse("privacy"), everyone(200)),
    Row("wagtailadmin_login_redirect", lambda c: "/admin/login/", everyone(302)),
    Row("support", lambda c: reverse("support"), everyone(200)),
    # the audit log: superusers only, read only
    Row("audit_log", lambda c: reverse("audit_log"), signed_in(404, superuser=200)),
    Row(
        "audit_log", lambda c: reverse("audit_log") + "?action=auth", signed_in(404, superuser=200)
    ),
    Row("audit_log", lambda c: reverse("audit_log"), signed_in(405), method="post"),
    # notifications: a person's own only
    Row("notification_list", lambda c: reverse("notification_list"), signed_in(200)),
    Row(
        "notification_open",
        lambda c: reverse("notification_open", args=[c["notification"].pk]),
        signed_in(404, practitioner=302),
        method="post",
    ),
    Row(
        "notification_open",
        lambda c: reverse("notification_open", args=[c["notification"].pk]),
        signed_in(405),
    ),
    Row(
        "notification_read_all",
        lambda c: reverse("notification_read_all"),
        signed_in(302),
        method="post",
    ),
    Row("notification_read_all", lambda c: reverse("notification_read_all"), signed_in(405)),
    Row("notification_settings", lambda c: reverse("notification_settings"), signed_in(200)),
    Row(
        "notification_settings",
        lambda c: reverse("notification_settings"),
        signed_in(302),
        method="post",
        data=dict.fromkeys(NOTIFICATION_GROUP_FIELDS, "daily"),
    ),
    # modules: catalogue, lessons and progress
    Row("module_catalogue", lambda c: reverse("module_catalogue"), everyone(200)),
    Row("module_detail", lambda c: c["module"].url, everyone(200)),
    Row("module_detail", lambda c: "/modules/no-such-module/", everyone(404)),
    Row("lesson_detail", lambda c: c["lesson"].url, everyone(200)),
    Row("lesson_detail", lambda c: c["module"].url + "no-such-lesson/", everyone(404)),
    Row("my_learning", lambda c: reverse("my_learning"), signed_in(200)),
    Row("module_start", lambda c: reverse("module_start", args=[c["module"].pk]), signed_in(200)),
    Row(
        "module_start",
        lambda c: reverse("module_start", args=[c["module"].pk]),
        signed_in(302),
        method="post",
    ),
    Row("module_start", lambda c: reverse("module_start", args=[999999]), signed_in(404)),
    # Rating confidence afterwards needs a completed module: nobody here has one.
    Row(
        "module_confidence",
        lambda c: reverse("module_confidence", args=[c["module"].pk, "after"]),
        signed_in(404),
    ),
    Row("module_check", lambda c: reverse("module_check", args=[c["module"].pk]), signed_in(200)),
    Row(
        "lesson_check_answer",
        lambda c: reverse("lesson_check_answer", args=[c["lesson"].pk, c["check_id"]]),
        signed_in(302),
        method="post",
        data={"answer": "0", "round": "0"},
    ),
    Row(
        "lesson_check_answer",
        lambda c: reverse("lesson_check_answer", args=[c["lesson"].pk, c["check_id"]]),
        signed_in(405),
    ),
    Row(
        "lesson_complete",
        lambda c: reverse("lesson_complete", args=[c["lesson"].pk]),
        signed_in(302),
        method="post",
    ),
    # certificates and CPD
    Row(
        "certificate_verify",
        lambda c: reverse("certificate_verify", kwargs={"code": c["certificate"].code}),
        everyone(200),
    ),
    Row(
        "certificate_verify",
        lambda c: reverse("certificate_verify", kwargs={"code": "HH-ZZZZ-ZZZZ-ZZZZ"}),
        everyone(404),
    ),
    Row(
        "certificate_verify",
        lambda c: reverse("certificate_verify", kwargs={"code": c["certificate"].code}),
        everyone(405),
        method="post",
    ),
    Row(
        "certificate_download",
        lambda c: reverse("certificate_download", kwargs={"code": c["certificate"].code}),
        signed_in(404, practitioner=200),
    ),
    Row("cpd_record", lambda c: reverse("cpd_record"), signed_in(200)),
    Row("cpd_record", lambda c: reverse("cpd_record"), signed_in(200), data={"format": "csv"}),
    Row("cpd_record", lambda c: reverse("cpd_record"), signed_in(200), data={"format": "pdf"}),
    Row("cpd_record", lambda c: reverse("cpd_record"), signed_in(400), data={"format": "xls"}),
    Row("cpd_record", lambda c: reverse("cpd_record"), signed_in(405), method="post"),
    # assignments
    Row(
        "organisation_assignments",
        lambda c: reverse("organisation_assignments", kwargs={"slug": c["organisation"].slug}),
        signed_in(404, org_admin=200),
    ),
    Row(
        "organisation_assignments",
        lambda c: reverse("organisation_assignments", kwargs={"slug": c["organisation"].slug}),
        signed_in(404, org_admin=400),  # an empty form: the admin is told what to fix
        method="post",
    ),
    Row(
        "organisation_assignments",
        lambda c: reverse(
            "organisation_assignments", kwargs={"slug": c["other_organisation"].slug}
        ),
        signed_in(404),
    ),
    Row(
        "organisation_assignment_cancel",
        lambda c: reverse(
            "organisation_assignment_cancel",
            kwargs={"slug": c["organisation"].slug, "assignment_id": c["assignment"].pk},
        ),
        signed_in(405),
    ),
    Row(
        "organisation_assignment_cancel",
        lambda c: reverse(
            "organisation_assignment_cancel",
            kwargs={"slug": c["organisation"].slug, "assignment_id": c["assignment"].pk},
        ),
        signed_in(404, org_admin=302),
        method="post",
    ),
    # journal
    Row("journal_list", lambda c: reverse("journal_list"), signed_in(200)),
    Row("journal_list", lambda c: reverse("journal_list"), signed_in(200), data={"q": "hard"}),
    Row("journal_new", lambda c: reverse("journal_new"), signed_in(200)),
    Row("journal_new", lambda c: reverse("journal_new"), signed_in(200), data={"model": "gibbs"}),
    Row(
        "journal_new",
        lambda c: reverse("journal_new"),
        # An empty entry: the person is told what to fix. Posted with no session, the text is
        # shown back to copy (nothing is kept for an unknown writer).
        signed_in(400, anonymous=200, deactivated=200),
        method="post",
        data={"model": "gibbs"},
    ),
    Row(
        "journal_detail",
        lambda c: reverse("journal_detail", args=[practitioner_entry(c).pk]),
        signed_in(404, practitioner=200),
    ),
    Row("journal_detail", lambda c: reverse("journal_detail", args=[999999]), signed_in(404)),
    Row(
        "journal_edit",
        lambda c: reverse("journal_edit", args=[practitioner_entry(c).pk]),
        signed_in(404, practitioner=200),
    ),
    Row(
        "journal_edit",
        lambda c: reverse("journal_edit", args=[practitioner_entry(c).pk]),
        # An empty form: nothing is changed. With no session, the text is shown back to copy.
        signed_in(404, practitioner=400, anonymous=200, deactivated=200),
        method="post",
    ),
    Row(
        "journal_delete",
        lambda c: reverse("journal_delete", args=[practitioner_entry(c).pk]),
        signed_in(404, practitioner=200),  # "are you sure?"
    ),
    Row("journal_delete", lambda c: reverse("journal_delete", args=[999999]), signed_in(404)),
    Row(
        "journal_delete",
        lambda c: reverse("journal_delete", args=[999999]),
        signed_in(404),
        method="post",
    ),
    # Last journal row: the author's own delete removes the entry.
    Row(
        "journal_delete",
        lambda c: reverse("journal_delete", args=[practitioner_entry(c).pk]),
        signed_in(404, practitioner=302),
        method="post",
    ),
    # journal extras
    Row("journal_export", lambda c: reverse("journal_export"), signed_in(200)),
    Row(
        "journal_export",
        lambda c: reverse("journal_export"),
        signed_in(200),
        data={"format": "json"},
    ),
    Row(
        "journal_export",
        lambda c: reverse("journal_export"),
        signed_in(200),
        data={"format": "pdf"},
    ),
    Row(
        "journal_export",
        lambda c: reverse("journal_export"),
        signed_in(400),
        data={"format": "xls"},
    ),
    Row("journal_export", lambda c: reverse("journal_export"), signed_in(405), method="post"),
    Row("journal_autosave", lambda c: reverse("journal_autosave"), signed_in(405)),
    Row(
        "journal_autosave",
        lambda c: reverse("journal_autosave"),
        signed_in(400),  # nothing written yet: nothing is saved
        method="post",
    ),
    Row(
        "journal_autosave",
        lambda c: reverse("journal_autosave"),
        signed_in(200),  # a new draft of the person's own
        method="post",
        data={"model": "free", "section-reflection": "A few words."},
    ),
    Row(
        "journal_autosave",
        lambda c: reverse("journal_autosave"),
        signed_in(404),
        method="post",
        data={"entry": "999999", "title": "x"},
    ),
    # sign-off
    Row(
        "journal_share",
        lambda c: reverse("journal_share", args=[signoff_matrix_entry(c).pk]),
        signed_in(404, practitioner=200),
    ),
    Row(
        "journal_share",
        lambda c: reverse("journal_share", args=[signoff_matrix_entry(c).pk]),
        signed_in(404, practitioner=400),  # no supervisor chosen: nothing is shared
        method="post",
    ),
    Row("journal_share", lambda c: reverse("journal_share", args=[999999]), signed_in(404)),
    Row("signoff_queue", lambda c: reverse("signoff_queue"), signed_in(200)),
    Row("signoff_queue", lambda c: reverse("signoff_queue"), signed_in(405), method="post"),
    Row(
        "signoff_detail",
        lambda c: reverse("signoff_detail", args=[signoff_matrix_request(c).pk]),
        signed_in(404, practitioner=200, supervisor=200),
    ),
    Row(
        "signoff_detail",
        lambda c: reverse("signoff_detail", args=[signoff_matrix_request(c).pk]),
        signed_in(404, supervisor=400),  # no decision chosen: nothing is changed
        method="post",
    ),
    Row("signoff_detail", lambda c: reverse("signoff_detail", args=[999999]), signed_in(404)),
    Row(
        "reflective_account",
        lambda c: reverse("reflective_account", args=[signed_matrix_request(c).pk]),
        signed_in(404, practitioner=200),
    ),
    Row(
        "reflective_account",
        lambda c: reverse("reflective_account", args=[signed_matrix_request(c).pk]) + "?format=pdf",
        signed_in(404, practitioner=200),
    ),
    Row(
        "reflective_account",
        lambda c: reverse("reflective_account", args=[signed_matrix_request(c).pk]),
        signed_in(405),
        method="post",
    ),
    # A version still waiting is not an account yet.
    Row(
        "reflective_account",
        lambda c: reverse("reflective_account", args=[signoff_matrix_request(c).pk]),
        signed_in(404),
    ),
    # Last sign-off row: the supervisor signs off.
    Row(
        "signoff_detail",
        lambda c: reverse("signoff_detail", args=[signoff_matrix_request(c).pk]),
        signed_in(404, supervisor=302),
        method="post",
        data={"action": "sign", "comment": "Signed in the matrix."},
    ),
    # Third-party includes, checked at a representative URL.
    Row(
        "include:accounts/",
        lambda c: reverse("account_login"),
        everyone(302, anonymous=200, deactivated=200),
    ),
    Row("include:accounts/", lambda c: reverse("account_email"), signed_in(200)),
    Row(
        "include:admin/",
        lambda c: reverse("wagtailadmin_home"),
        everyone(302, editor=200, superuser=200),
    ),
    Row("include:documents/", lambda c: "/documents/999999/missing.pdf", everyone(404)),
    Row("include:django-admin/", lambda c: "/django-admin/", everyone(302, superuser=200)),
    Row(
        "include:django-admin/",
        lambda c: "/django-admin/learning/user/",
        everyone(302, superuser=200),
    ),
    Row("include:", lambda c: "/", everyone(200)),
    Row("include:", lambda c: "/no-such-page/", everyone(404)),
]


MATRIX += supervision_rows.ROWS + community_rows.ROWS + reports_rows.ROWS + privacy_rows.ROWS
MATRIX += check_rows.ROWS
MATRIX += esr_rows.ROWS
MATRIX += journey_rows.ROWS

MATRIX += media_rows.ROWS

MATRIX += signin_rows.ROWS
MATRIX += account_rows.ROWS
MATRIX += portfolio_rows.ROWS
MATRIX += share_rows.ROWS
MATRIX += scorm_rows.ROWS
# Last of all, as it changes the organisation: an admin removes the practitioner's role.
MATRIX.append(
    Row(
        "membership_end",
        _practitioner_membership_end,
        signed_in(404, org_admin=302),
        method="post",
    )
)


def url_keys() -> set[str]:
    """Every URL pattern in the project, as the keys the matrix uses."""
    keys: set[str] = set()

    def walk(patterns, prefix: str):
        for p in patterns:
            if isinstance(p, URLPattern):
                keys.add(p.name or f"unnamed:{prefix}{p.pattern}")
            elif isinstance(p, URLResolver):
                module = getattr(p.urlconf_module, "__name__", "")
                if module.split(".")[0] in LOCAL_APPS:
                    walk(p.url_patterns, prefix + str(p.pattern))
                else:
                    keys.add(f"include:{prefix}{p.pattern}")

    walk(get_resolver().url_patterns, "")
    return keys


def test_every_url_pattern_has_a_matrix_row():
    covered = {row.key for row in MATRIX}
    missing = url_keys() - covered
    assert not missing, f"URL patterns with no row in the permission matrix: {sorted(missing)}"
    stale = covered - url_keys()
    assert not stale, f"Matrix rows for URLs that no longer exist: {sorted(stale)}"


def test_matrix_rows_name_every_role():
    for row in MATRIX:
        assert set(row.expected) == set(ROLE_NAMES), row.key


@pytest.fixture
def matrix_context(people, organisation, other_organisation, home_page, settings):
    invitation = InvitationFactory(organisation=organisation, email="invitee-matrix@example.nhs.uk")
    from django.core.files.base import ContentFile

    from modules.models import Assignment, Certificate

    certificate = Certificate.objects.create(
        user=people["practitioner"],
        code="HH-MTRX-CERT-TEST",
        holder_name="Matrix Practitioner",
        module_title="Matrix module",
        cpd_minutes=30,
        completed_on="2026-01-15",
        status=Certificate.Status.READY,
    )
    certificate.pdf.save("matrix-certificate.pdf", ContentFile(b"%PDF-1.4\n"))
    from modules.progress.selectors import lessons_of

    from .module_factories import make_module

    module = make_module(lessons=1)
    lesson = lessons_of(module)[0]
    ctx = {
        "module": module,
        "lesson": lesson,
        "check_id": lesson.knowledge_checks[0].id,
        "people": people,
        "settings": settings,  # for rows whose URLs need a deployment setting
        "organisation": organisation,
        "other_organisation": other_organisation,
        "invitation": invitation,
        "certificate": certificate,
        "assignment": Assignment.objects.create(
            organisation=organisation,
            user=people["practitioner"],
            module=module,
            due_on="2099-01-01",
        ),
    }
    from learning.models import Notification

    ctx["notification"] = Notification.objects.create(
        recipient=people["practitioner"],
        kind="matrix",
        message="Something is waiting for you.",
        url="/dashboard/",
    )
    supervision_rows.extend_context(ctx)
    community_rows.extend_context(ctx)
    reports_rows.extend_context(ctx)
    privacy_rows.extend_context(ctx)
    check_rows.extend_context(ctx)
    esr_rows.extend_context(ctx)
    journey_rows.extend_context(ctx)

    media_rows.extend_context(ctx)

    signin_rows.extend_context(ctx)
    portfolio_rows.extend_context(ctx)
    share_rows.extend_context(ctx)
    scorm_rows.extend_context(ctx)
    return ctx


# Wagtail's and Django's own admin screens: their words come from those projects' catalogues.
THIRD_PARTY_SCREENS = ("/admin/", "/django-admin/")


def _english_left(response, english: set[str]) -> list[str]:
    """The whole English interface messages on a page served in Welsh (passages marked
    ``lang="en-GB"`` and scripts left out)."""
    parser = WelshPageText()
    parser.feed(response.content.decode())
    return sorted({text for text in parser.texts if text in english})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLE_NAMES)
def test_route_role_matrix(client, matrix_context, role):
    """Every route as every kind of person, each in Welsh: the status is the one in the table,
    and a page that opens shows no English interface text (the status never depends on the
    language, and English is what every other test reads)."""
    user = matrix_context["people"][role]
    if user is not None:
        User.objects.filter(pk=user.pk).update(language="cy")
    english = english_messages()
    unexpected = []
    for row in MATRIX:
        client.logout()
        if user is not None:
            client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        path = row.path(matrix_context)
        response = getattr(client, row.method)(path, row.data)
        if response.status_code != row.expected[role]:
            unexpected.append(
                f"{row.method.upper()} {path} as {role}: got {response.status_code}, "
                f"expected {row.expected[role]}"
            )
        elif (
            response.status_code == 200
            and not response.streaming
            and "text/html" in response.get("Content-Type", "")
            and not path.startswith(THIRD_PARTY_SCREENS)
        ):
            left = _english_left(response, english)
            if left:
                unexpected.append(f"{path} as {role} in Welsh shows English: {left}")
    assert not unexpected, "\n".join(unexpected)
