"""Supervision pages: the supervision home (with the supervisor's view), relationships, the
calendar feed and its settings, the log export and the organisation view. Thin views: every
read goes through a scoped selector, so "not yours" and "missing" are the same 404."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from community.sessions.selectors import reflective_sessions_attended_by
from learning.calendar import calendar_feed_text
from learning.formviews import call_service
from learning.fragments import item_renderer
from learning.links import link_for_each
from learning.pagination import keyset_page
from learning.permissions import can_view_organisation_supervision
from learning.ratelimit import rate_limit_message
from learning.site_url import absolute_url
from reflection.supervision import calendar, exports, selectors, selectors_org, services
from reflection.supervision.forms import ExportForm, ProposeForm
from reflection.supervision.models import SupervisionRelationship, SupervisionSession

PAGE_SIZE = 20
MEMBERS_PAGE_SIZE = 50


def _unconfirmed(user) -> dict:
    """Records not yet confirmed by both, split by who they wait for (one query), each with
    the link its list shows (one resolved URL a view, not a ``{% url %}`` a row)."""
    rows = selectors.unconfirmed_shown(user)
    mine = [s for s in rows if s.author_id == user.pk]
    awaiting = [s for s in rows if s.author_id != user.pk and s.status == "submitted"]
    awaiting_them = [s for s in mine if s.status == "submitted"]
    changes_asked = [s for s in mine if s.status == "changes_requested"]
    for sessions, url_name in (
        (awaiting, "supervision_confirm"),
        (awaiting_them, "supervision_detail"),
        (changes_asked, "supervision_edit"),
    ):
        link = link_for_each(url_name, vary="session_id")
        for session in sessions:
            session.link = link(session.pk)
    return {"awaiting": awaiting, "awaiting_them": awaiting_them, "changes_asked": changes_asked}


RELATIONSHIP_ROW = "reflection/supervision/includes/relationship_row.html"
SESSION_ROW = "reflection/supervision/includes/session_row.html"


def _relationship_row(row: selectors.RelationshipRow, link, render_row) -> SafeString:
    """A row of the relationships table, kept per process under the values it shows (names,
    dates, kind and status; learning/fragments.py). ``render_row`` is an ``item_renderer`` of
    ``RELATIONSHIP_ROW``."""
    rel = row.relationship
    return render_row(
        {
            "row": {
                "link": link(rel.pk),
                "other": str(row.other) if row.other is not None else "",
                "kind": str(rel.get_kind_display()),
                "proposed": rel.status == SupervisionRelationship.Status.PROPOSED,
                "active": rel.status == SupervisionRelationship.Status.ACTIVE,
                "last_held_on": row.last_held_on,
                "next_on": row.next_on,
                "overdue": row.overdue,
                "due_by": row.due_by,
            }
        },
    )


def _session_row(session: SupervisionSession, user, link, render_row) -> SafeString:
    """A row of the sessions list, kept per process under everything it shows and nothing else
    (no summary, no notes; learning/fragments.py). ``render_row`` is an ``item_renderer`` of
    ``SESSION_ROW``."""
    relationship = session.relationship
    mine = relationship.supervisee_id == user.pk
    other = relationship.supervisor if mine else relationship.supervisee
    return render_row(
        {
            "link": link(session.pk),
            "held_on": session.held_on,
            "kind": str(relationship.get_kind_display()),
            "other": str(other) if other is not None else "",
            "format": str(session.get_format_display()),
            "minutes": session.duration_minutes,
            "status": str(session.get_status_display()),
        },
    )


@login_required
@require_GET
def supervision_home(request):
    """Everything in one page: relationships with last and next dates (overdue highlighted),
    records waiting for you, open actions and recent sessions."""
    today = timezone.localdate()
    rows = selectors.relationship_rows(request.user, today=today)
    page = selectors.sessions_page(request.user, cursor=request.GET.get("after"))
    detail = link_for_each("supervision_detail", vary="session_id")
    session_row = item_renderer(SESSION_ROW)
    for session in page.items:
        session.html = _session_row(session, request.user, detail, session_row)
    agreement = link_for_each("supervision_relationship", vary="relationship_id")
    relationship_row = item_renderer(RELATIONSHIP_ROW)
    shown = [
        (row.as_supervisor, _relationship_row(row, agreement, relationship_row)) for row in rows
    ]
    return render(
        request,
        "reflection/supervision/home.html",
        {
            "supervisees": [html for as_supervisor, html in shown if as_supervisor],
            "supervisors": [html for as_supervisor, html in shown if not as_supervisor],
            **_unconfirmed(request.user),
            "actions": selectors.open_actions_for(request.user, limit=50),
            "page": page,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def relationship_propose(request):
    form = ProposeForm(request.POST if request.method == "POST" else None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        # Counted only when an address would be looked up: a form sent back to fix a missing
        # answer does not use up the person's proposals.
        limited = rate_limit_message(request.user, "propose")
        if limited:
            form.add_error(None, limited)
            return render(
                request, "reflection/supervision/propose.html", {"form": form}, status=429
            )
        result = call_service(
            form,
            lambda: services.relationship_propose(
                actor=request.user,
                other_email=d["other_email"],
                actor_is_supervisor=d["role"] == "supervisor",
                kind=d["kind"],
                frequency_min_weeks=d["frequency_min_weeks"],
                frequency_max_weeks=d["frequency_max_weeks"],
                started_on=d["started_on"],
                confidentiality=d["confidentiality"],
                recording=d["recording"],
                escalation=d["escalation"],
            ),
        )
        if result.ok:
            messages.success(
                request, _("Your proposal has been sent. It starts when the other person accepts.")
            )
            return redirect("supervision_relationship", relationship_id=result.value.pk)
    return render(request, "reflection/supervision/propose.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def relationship_detail(request, relationship_id: int):
    rel = get_object_or_404(selectors.relationships_for(request.user), pk=relationship_id)
    error = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        handlers = {
            "accept": (services.relationship_accept, _("You have accepted the agreement.")),
            "decline": (services.relationship_decline, _("You have declined the proposal.")),
            "end": (
                services.relationship_end,
                _("The relationship has ended. Its records are kept."),
            ),
        }
        if action in handlers:
            service, done = handlers[action]
            try:
                service(actor=request.user, relationship=rel)
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(request, done)
                return redirect("supervision_relationship", relationship_id=rel.pk)
        else:
            error = _("Choose accept, decline or end.")
    return render(
        request,
        "reflection/supervision/relationship.html",
        {
            "rel": rel,
            "other": rel.other_party(request.user),
            "as_supervisor": rel.supervisor_id == request.user.pk,
            "can_answer": rel.status == SupervisionRelationship.Status.PROPOSED
            and rel.proposed_by_id != request.user.pk,
            "error": error,
        },
        status=400 if error else 200,
    )


def calendar_feed(request):
    """The personal feed: no sign-in, the secret token in the link. Every app's events for the
    person (``learning.calendar``): their community sessions, supervision dates and
    assignment due dates, with dates, names and joining details only."""
    if request.method != "GET":
        return HttpResponse(status=405)
    user = calendar.calendar_user_for(request.GET.get("token", ""))
    if user is None:
        raise Http404
    response = HttpResponse(
        calendar_feed_text(user, today=timezone.localdate()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    token = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.calendar_token_revoke(user=request.user)
            messages.success(request, _("Your calendar link has been turned off."))
            return redirect("supervision_calendar_settings")
        token = calendar.calendar_token_regenerate(user=request.user)
    feed_url = ""
    if token:
        feed_url = absolute_url(reverse("supervision_calendar")) + "?" + urlencode({"token": token})
    return render(
        request,
        "reflection/supervision/calendar_settings.html",
        {
            "feed_url": feed_url,
            "has_token": bool(token) or calendar.calendar_has_token(request.user),
        },
    )


@login_required
@require_GET
def log_export(request):
    fmt = request.GET.get("format", "")
    if not fmt:
        attended = exports.community_log_rows(reflective_sessions_attended_by(request.user))
        return render(
            request,
            "reflection/supervision/export.html",
            {"form": ExportForm(), "attended": attended},
        )
    if fmt not in exports.EXPORT_FORMATS:
        return HttpResponseBadRequest(_("Choose PDF or CSV."))
    summaries = request.GET.get("summaries") in ("on", "1", "true")
    rows = exports.supervision_log_rows(request.user, include_summaries=summaries)
    exports.supervision_export_record(
        user=request.user, fmt=fmt, rows=len(rows), summaries=summaries
    )
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(
            exports.supervision_log_csv(rows, include_summaries=summaries),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            exports.supervision_log_pdf(
                rows, holder_name=str(request.user), include_summaries=summaries
            ),
            content_type="application/pdf",
        )
    response["Content-Disposition"] = f'attachment; filename="supervision-log-{stamp}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _labelled(rows: list[dict]) -> list[dict]:
    kinds = dict(SupervisionRelationship.Kind.choices)
    formats = dict(SupervisionSession.Format.choices)
    return [
        {**r, "kind": kinds.get(r["relationship__kind"]), "format_label": formats.get(r["format"])}
        for r in rows
    ]


@login_required
@require_GET
def organisation_supervision(request, slug: str):
    """Per member: last session date, sessions, minutes, types and whether supervision is
    within the agreed frequency. Never summaries, check-ins or action text."""
    organisation = get_object_or_404(
        selectors_org.organisations_with_supervision_view(request.user), slug=slug
    )
    if not can_view_organisation_supervision(request.user, organisation):
        raise Http404
    today = timezone.localdate()
    page = keyset_page(
        selectors_org.member_frequency_queryset(organisation, today=today),
        order=("display_name", "email", "pk"),
        cursor=request.GET.get("after"),
        size=MEMBERS_PAGE_SIZE,
    )
    return render(
        request,
        "reflection/supervision/organisation.html",
        {
            "organisation": organisation,
            "members": selectors_org.member_frequency_rows(page.items, today=today),
            "page": page,
            "by_type": _labelled(
                selectors_org.sessions_by_type(organisation, since=today - timedelta(days=365))
            ),
        },
    )
