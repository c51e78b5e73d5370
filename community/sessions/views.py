"""Reflective sessions of a space: the list (and scheduling, for facilitators), one session
with sign-up, the waiting list and withdrawal, the facilitator's edit and cancel, and
attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from community.forms import SessionCreateForm, SessionEditForm
from community.sessions import places, selectors
from community.sessions import services as session_services
from community.shared.views import space_access
from learning import permissions
from learning.forms import id_from
from learning.formviews import call_service


@login_required
@require_http_methods(["GET", "POST"])
def community_sessions(request, space: str):
    access = space_access(request, space)
    form = None
    status = 200
    if access.is_facilitator:
        form = SessionCreateForm(request.POST or None)
        if request.method == "POST":
            status = 400
            if form.is_valid():
                result = call_service(
                    form,
                    lambda: session_services.session_create(
                        actor=request.user, space=access.space, **form.cleaned_data
                    ),
                )
                if result.ok:
                    messages.success(request, _("The session is scheduled."))
                    return redirect(
                        "community_session", space=access.space.slug, session_id=result.value.pk
                    )
    elif request.method == "POST":
        raise Http404
    now = timezone.now()
    sessions = list(selectors.sessions_of(access.space, request.user).order_by("-starts_at")[:50])
    return render(
        request,
        "community/sessions.html",
        {
            "access": access,
            "upcoming": sorted(
                (s for s in sessions if s.starts_at > now), key=lambda s: s.starts_at
            ),
            "past": [s for s in sessions if s.starts_at <= now],
            "form": form,
        },
        status=status,
    )


def _session(request, access, session_id):
    session = selectors.sessions_of(access.space, request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    session.space = access.space
    return session


def _back(access, session):
    return redirect("community_session", space=access.space.slug, session_id=session.pk)


def _facilitated_session(request, space: str, session_id: int):
    """The space and one of its sessions, for a facilitator of that space (anyone else: 404)."""
    access = space_access(request, space)
    if not access.is_facilitator:
        raise Http404
    return access, _session(request, access, session_id)


@login_required
@require_http_methods(["GET", "POST"])
def community_session(request, space: str, session_id: int):
    access = space_access(request, space)
    session = _session(request, access, session_id)
    if request.method == "POST":
        if not access.takes_part:
            raise Http404
        try:
            signup = places.session_signup(user=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(access, session)
        if signup.has_place:
            messages.success(
                request, _("You have a place. We have emailed you a calendar invitation.")
            )
        else:
            messages.success(request, _("The session is full, so you are on the waiting list."))
        return _back(access, session)
    signup = selectors.session_signup_of(session, request.user)
    user = request.user
    active = signup is not None and (signup.has_place or signup.is_waiting)
    return render(
        request,
        "community/session.html",
        {
            "access": access,
            "session": session,
            "signup": signup,
            "places_left": max(session.capacity - session.taken, 0),
            "may_sign_up": not active
            and permissions.can_sign_up_to_session(user, session, access.member),
            "may_withdraw": permissions.can_withdraw_from_session(user, session, signup),
            "may_change": permissions.can_change_session(user, session),
            "sees_joining": permissions.can_see_session_joining(user, session, signup),
            "may_mark_attendance": access.is_facilitator and session.has_started,
        },
    )


@login_required
@require_POST
def community_session_withdraw(request, space: str, session_id: int):
    access = space_access(request, space)
    session = _session(request, access, session_id)
    signup = selectors.session_signup_of(session, request.user)
    if signup is None or not (signup.has_place or signup.is_waiting):
        raise Http404  # nothing of theirs to withdraw
    try:
        places.session_withdraw(user=request.user, session=session)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(access, session)
    messages.success(request, _("You have withdrawn from this session."))
    return _back(access, session)


def _initial(session) -> dict:
    return {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": session.duration_minutes,
        "capacity": session.capacity,
        "joining_details": session.joining_details,
        "meeting_url": session.meeting_url,
    }


@login_required
@require_http_methods(["GET", "POST"])
def community_session_edit(request, space: str, session_id: int):
    access, session = _facilitated_session(request, space, session_id)
    if not permissions.can_change_session(request.user, session):
        messages.error(
            request, _("This session has started or been cancelled, so it cannot change.")
        )
        return _back(access, session)
    form = SessionEditForm(request.POST or None, initial=_initial(session))
    if not session.in_series:
        del form.fields["scope"]
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            result = call_service(
                form,
                lambda: session_services.session_change(
                    actor=request.user, session=session, **form.cleaned_data
                ),
            )
            if result.ok:
                messages.success(
                    request,
                    _("The session is saved. Everyone with a place has the updated details."),
                )
                return _back(access, session)
    return render(
        request,
        "community/session_edit.html",
        {"access": access, "session": session, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_session_cancel(request, space: str, session_id: int):
    access, session = _facilitated_session(request, space, session_id)
    if not permissions.can_change_session(request.user, session):
        messages.error(request, _("This session has started or been cancelled already."))
        return _back(access, session)
    if request.method == "POST":
        try:
            session_services.session_cancel(actor=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return _back(access, session)
        messages.success(request, _("The session is cancelled. Everyone signed up has been told."))
        return _back(access, session)
    return render(
        request,
        "community/session_cancel.html",
        {"access": access, "session": session},
    )


@login_required
@require_http_methods(["GET", "POST"])
def community_session_attendance(request, space: str, session_id: int):
    access = space_access(request, space)
    if not access.is_facilitator:
        raise Http404
    session = _session(request, access, session_id)
    signups = list(selectors.session_signups(session))
    if request.method == "POST":
        attended = {n for n in map(id_from, request.POST.getlist("attended")) if n is not None}
        try:
            session_services.session_attendance_set(
                actor=request.user, session=session, attended_ids=attended
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(
                "community_session_attendance", space=access.space.slug, session_id=session.pk
            )
        messages.success(request, _("Attendance is saved."))
        return _back(access, session)
    return render(
        request,
        "community/session_attendance.html",
        {"access": access, "session": session, "signups": signups},
    )
