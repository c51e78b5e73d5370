"""Reflective sessions of a space: the list (and scheduling, for facilitators), one session
with sign-up, and attendance."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from community import selectors
from community.forms import SessionForm
from community.sessions import services as session_services
from community.shared.views import space_access
from learning.forms import id_from
from learning.formviews import call_service


@login_required
@require_http_methods(["GET", "POST"])
def community_sessions(request, space: str):
    access = space_access(request, space)
    form = None
    status = 200
    if access.is_facilitator:
        form = SessionForm(request.POST or None)
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


@login_required
@require_http_methods(["GET", "POST"])
def community_session(request, space: str, session_id: int):
    access = space_access(request, space)
    session = _session(request, access, session_id)
    if request.method == "POST":
        if not access.takes_part:
            raise Http404
        try:
            session_services.session_signup(user=request.user, session=session)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("community_session", space=access.space.slug, session_id=session.pk)
        messages.success(request, _("You have a place. We have emailed you a calendar invitation."))
        return redirect("community_session", space=access.space.slug, session_id=session.pk)
    taken = session.signups.count()
    return render(
        request,
        "community/session.html",
        {
            "access": access,
            "session": session,
            "places_left": max(session.capacity - taken, 0),
            "started": session.starts_at <= timezone.now(),
        },
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
        return redirect("community_session", space=access.space.slug, session_id=session.pk)
    return render(
        request,
        "community/session_attendance.html",
        {"access": access, "session": session, "signups": signups},
    )
