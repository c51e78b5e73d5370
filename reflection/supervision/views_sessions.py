"""Session record pages: record, read, change, confirm, check in, add an addendum, complete an
action. Every session is fetched through ``sessions_visible_to``, so anyone who is not a party
gets 404; services refuse any change to a locked record."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning import guard
from learning.forms import id_from
from learning.formviews import call_service
from learning.middleware import client_ip
from learning.submissions import once_per_submission
from reflection.supervision import checkins, selectors, sessions
from reflection.supervision.forms import (
    ACTION_ROWS,
    AddendumForm,
    CheckInForm,
    ConfirmForm,
    SessionForm,
)
from reflection.supervision.models import (
    SupervisionAction,
    SupervisionRelationship,
    SupervisionSession,
)
from reflection.supervision.view_helpers import support_organisations


def _session(request, session_id: int) -> SupervisionSession:
    return get_object_or_404(selectors.sessions_visible_to(request.user), pk=session_id)


def _written_text(form: SessionForm) -> str:
    """What the writer typed in the record, one field to a paragraph."""
    names = ["summary", *(f"action-{i}-text" for i in range(ACTION_ROWS))]
    return "\n\n".join(str(form.data.get(name, "")) for name in names)


def _prompt_first(request, form: SessionForm) -> bool:
    """The safeguarding prompt comes back on the form, before saving, the first time the text
    suggests a current concern (the same mechanism as the journal)."""
    return guard.safeguarding_prompt_first(
        request.user, _written_text(form), seen=bool(form.cleaned_data.get("safeguarding_seen"))
    )


def _session_form_page(request, form, *, rel, session=None, extra=None, status=200):
    return render(
        request,
        "reflection/supervision/session_form.html",
        {
            "form": form,
            "rel": rel,
            "session": session,
            "carried": selectors.carried_actions_for_relationship(rel) if session is None else [],
            "safeguarding": guard.safeguarding_routes(request.user, _written_text(form))
            if form.is_bound
            else None,
            **(extra or {}),
        },
        status=status,
    )


def _save(request, form, *, rel, session):
    """Run the service; the saved session, or the extra context to show the form again."""
    fields = {
        "data": form.to_input(),
        "confirm_identifiers": form.cleaned_data.get("confirm_identifiers", False),
        "ip_address": client_ip(request),
    }
    if session is None:
        result = call_service(
            form, lambda: sessions.session_create(author=request.user, relationship=rel, **fields)
        )
    else:
        result = call_service(
            form, lambda: sessions.session_update(actor=request.user, session=session, **fields)
        )
    return result.value, result.context


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def session_new(request):
    rel_id = request.POST.get("relationship") or request.GET.get("relationship", "")
    active = selectors.relationships_for(request.user).filter(
        status=SupervisionRelationship.Status.ACTIVE
    )
    if id_from(rel_id) is None:
        return render(
            request, "reflection/supervision/session_choose.html", {"relationships": list(active)}
        )
    rel = get_object_or_404(active, pk=id_from(rel_id))
    themes = list(selectors.offered_themes())
    if request.method == "GET":
        return _session_form_page(request, SessionForm(themes=themes), rel=rel)
    form = SessionForm(request.POST, themes=themes)
    extra = {}
    if form.is_valid() and _prompt_first(request, form):
        return _session_form_page(request, form, rel=rel, extra={"prompted": True})
    if form.is_valid():
        session, extra = _save(request, form, rel=rel, session=None)
        if session is not None:
            messages.success(
                request,
                _("The record is saved and sent to %(name)s to confirm.")
                % {"name": rel.other_party(request.user)},
            )
            return redirect("supervision_detail", session_id=session.pk)
    return _session_form_page(request, form, rel=rel, extra=extra, status=400)


@login_required
@require_GET
def session_detail(request, session_id: int):
    session = _session(request, session_id)
    own, carried = selectors.session_actions(session)
    checkin = selectors.checkin_visible_to(request.user, session)
    rel = session.relationship
    return render(
        request,
        "reflection/supervision/session_detail.html",
        {
            "session": session,
            "rel": rel,
            "other": rel.other_party(request.user),
            "is_supervisee": rel.supervisee_id == request.user.pk,
            # The supervisee's check-in section: theirs to read, or still theirs to complete
            # (a confirmed record with no check-in has nothing to show or do).
            "show_own_checkin": rel.supervisee_id == request.user.pk
            and (checkin is not None or not session.is_locked),
            "is_author": session.author_id == request.user.pk,
            "themes": list(session.themes.all()),
            "attendees": list(session.attendees.all()),
            "actions": own,
            "carried": carried,
            "checkin": checkin,
            "addenda": selectors.addenda_of(session) if session.is_locked else [],
            "addendum_form": AddendumForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, session_id: int):
    session = _session(request, session_id)
    if session.author_id != request.user.pk or session.is_locked:
        raise Http404
    themes = list(selectors.offered_themes())
    rel = session.relationship
    if request.method == "GET":
        own, _carried = selectors.session_actions(session)
        initial = {
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "format": session.format,
            "attendance_only": session.attendance_only,
            "attendees": ", ".join(u.email for u in session.attendees.all()),
            "external_attendees": session.external_attendees,
            "functions": [f for f in sessions.FUNCTIONS if getattr(session, f)],
            "themes": [t.pk for t in session.themes.all()],
            "summary": session.summary,
            "next_on": session.next_on,
        }
        open_actions = [a for a in own if a.status == SupervisionAction.Status.OPEN]
        for i, a in enumerate(open_actions[:ACTION_ROWS]):
            initial[f"action-{i}-text"] = a.text
            initial[f"action-{i}-owner"] = (
                "supervisee" if a.owner_id == rel.supervisee_id else "supervisor"
            )
            initial[f"action-{i}-due"] = a.due_on
        form = SessionForm(initial=initial, themes=themes)
        return _session_form_page(request, form, rel=rel, session=session)
    form = SessionForm(request.POST, themes=themes)
    extra = {}
    if form.is_valid() and _prompt_first(request, form):
        return _session_form_page(request, form, rel=rel, session=session, extra={"prompted": True})
    if form.is_valid():
        saved, extra = _save(request, form, rel=rel, session=session)
        if saved is not None:
            messages.success(request, _("Your changes are saved and sent to be confirmed again."))
            return redirect("supervision_detail", session_id=saved.pk)
    return _session_form_page(request, form, rel=rel, session=session, extra=extra, status=400)


def _decide(request, session, form) -> tuple[bool, dict]:
    """Confirm, or ask for a change; False (with the form's errors, or the identifiers to
    check in the comment) if the service refused."""
    result = call_service(form, lambda: _decision_apply(request, session, form))
    if result.ok:
        messages.success(request, result.value)
    return result.ok, result.context


def _decision_apply(request, session, form) -> str:
    """Run the chosen decision's service; the message to show when it is done."""
    if form.cleaned_data["decision"] == "confirm":
        sessions.session_confirm(actor=request.user, session=session, ip_address=client_ip(request))
        return _("You have confirmed the record. It is now locked.")
    sessions.session_request_change(
        actor=request.user,
        session=session,
        comment=form.cleaned_data["comment"],
        confirm_identifiers=form.cleaned_data["confirm_identifiers"],
        ip_address=client_ip(request),
    )
    return _("You have asked for a change.")


@login_required
@require_http_methods(["GET", "POST"])
def session_confirm(request, session_id: int):
    session = _session(request, session_id)
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    extra = {}
    if request.method == "POST" and form.is_valid():
        decided, extra = _decide(request, session, form)
        if decided:
            return redirect("supervision_detail", session_id=session.pk)
    own, _carried = selectors.session_actions(session)
    return render(
        request,
        "reflection/supervision/confirm.html",
        {
            "session": session,
            "themes": list(session.themes.all()),
            "actions": own,
            "form": form,
            "can_confirm": session.status == SupervisionSession.Status.SUBMITTED
            and session.author_id != request.user.pk,
            **extra,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_checkin(request, session_id: int):
    session = _session(request, session_id)
    if session.relationship.supervisee_id != request.user.pk:
        raise Http404
    checkin = selectors.checkin_visible_to(request.user, session)
    extra = {}
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            result = call_service(
                form,
                lambda: checkins.checkin_save(
                    supervisee=request.user,
                    session=session,
                    workload=d["workload"],
                    emotional_impact=d["emotional_impact"],
                    support=d["support"],
                    notes=d["notes"],
                    share_with_supervisor=d["share"],
                    confirm_identifiers=d["confirm_identifiers"],
                ),
            )
            extra.update(result.context)
            if result.ok:
                checkin = result.value
                messages.success(request, _("Your check-in is saved."))
                if not checkin.is_concerning:
                    return redirect("supervision_detail", session_id=session.pk)
                return render(
                    request,
                    "reflection/supervision/checkin_support.html",
                    {"session": session, "organisations": support_organisations(request.user)},
                )
        status = 400
    else:
        initial = {}
        if checkin:
            initial = {
                "workload": checkin.workload,
                "emotional_impact": checkin.emotional_impact,
                "support": checkin.support,
                "notes": checkin.notes,
                "share": checkin.shared_with_supervisor,
            }
        form, status = CheckInForm(initial=initial), 200
    return render(
        request,
        "reflection/supervision/checkin.html",
        {"session": session, "form": form, "locked": session.is_locked, **extra},
        status=status,
    )


@login_required
@require_POST
def session_addendum(request, session_id: int):
    session = _session(request, session_id)
    form = AddendumForm(request.POST)
    extra = {}
    if form.is_valid():
        result = call_service(
            form,
            lambda: sessions.addendum_add(
                actor=request.user,
                session=session,
                text=form.cleaned_data["text"],
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
                ip_address=client_ip(request),
            ),
        )
        if result.ok:
            messages.success(request, _("Your addendum is added to the record."))
            return redirect("supervision_detail", session_id=session.pk)
        extra.update(result.context)
    return render(
        request,
        "reflection/supervision/addendum.html",
        {"session": session, "form": form, **extra},
        status=400,
    )


@login_required
@require_POST
def action_done(request, action_id: int):
    action = selectors.action_visible_to(request.user, action_id)
    if action is None:
        raise Http404
    try:
        sessions.action_complete(actor=request.user, action=action)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The action is marked as done."))
    target = request.POST.get("next", "")
    if target.startswith("/supervision/") or target == "/dashboard/":
        return redirect(target)
    return redirect("supervision_detail", session_id=action.session_id)
