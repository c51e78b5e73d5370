"""Thin views for the core app: read through selectors, write through services."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from learning import permissions, selectors, services
from learning.adapters import INVITATION_SESSION_KEY, INVITED_EMAIL_SESSION_KEY
from learning.areas import areas_for, dashboard_panels
from learning.forms import InvitationForm
from learning.pagination import keyset_page
from learning.signin.selectors import SIGNIN_LABELS, signin_methods_for


@login_required
def dashboard(request):
    roles = permissions.roles_for(request.user)
    memberships_by_org: dict = {}
    for m in roles.memberships:
        memberships_by_org.setdefault(m.organisation, []).append(m.get_role_display())
    return render(
        request,
        "learning/dashboard.html",
        {
            "roles": roles,
            "memberships_by_org": memberships_by_org.items(),
            "areas": [a for a in areas_for(roles) if a.key != "dashboard" and a.on_dashboard],
            "administered": roles.organisations_with_role("org_admin"),
            "panels": dashboard_panels(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug: str):
    organisation = get_object_or_404(
        selectors.organisations_administered_by(request.user), slug=slug
    )
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user,
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        except PermissionDenied:
            raise
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s. The link lasts %(days)s days.")
                % {"email": invitation.email, "days": settings.HOPE_INVITATION_DAYS},
            )
            return redirect("organisation_members", slug=organisation.slug)
    page = keyset_page(
        selectors.organisation_members(organisation),
        order=("user__email", "pk"),
        cursor=request.GET.get("after"),
        size=50,
    )
    # How each member signs in (password, work account, passkey), in two queries.
    methods = signin_methods_for([m.user for m in page.items])
    for m in page.items:
        m.signin_methods = [SIGNIN_LABELS[key] for key in methods[m.user_id]]
    return render(
        request,
        "learning/organisation_members.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "invitations": selectors.invitations_pending(organisation)[:50],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, slug: str, membership_id: int):
    """An organisation admin removes a member's role here ("are you sure?" first). The person
    keeps their account, journal and learning; nobody at the organisation can read them."""
    organisation = get_object_or_404(
        selectors.organisations_administered_by(request.user), slug=slug
    )
    membership = get_object_or_404(selectors.organisation_members(organisation), pk=membership_id)
    error = ""
    if request.method == "POST":
        try:
            services.membership_end(actor=request.user, membership=membership)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(name)s no longer has the role %(role)s at %(org)s.")
                % {
                    "name": membership.user.get_full_name(),
                    "role": membership.get_role_display(),
                    "org": organisation.name,
                },
            )
            return redirect("organisation_members", slug=organisation.slug)
    return render(
        request,
        "learning/membership_end.html",
        {"organisation": organisation, "membership": membership, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as exc:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(request, "learning/invitation_invalid.html", {"reason": str(exc)}, status=410)
    if not request.user.is_authenticated:
        # Remember the invitation through sign-up or sign-in; the address it was sent to
        # counts as verified, since the person holds the link.
        request.session[INVITATION_SESSION_KEY] = token
        request.session[INVITED_EMAIL_SESSION_KEY] = invitation.email
        get_adapter(request).stash_verified_email(request, invitation.email)
        return render(request, "learning/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            services.invitation_accept(user=request.user, token=token)
        except services.InvitationError as exc:
            return render(
                request,
                "learning/invitation.html",
                {"invitation": invitation, "error": str(exc)},
                status=400,
            )
        request.session.pop(INVITATION_SESSION_KEY, None)
        request.session.pop(INVITED_EMAIL_SESSION_KEY, None)
        messages.success(
            request,
            _("You have joined %(org)s as %(role)s.")
            % {"org": invitation.organisation.name, "role": invitation.get_role_display()},
        )
        return redirect("dashboard")
    return render(request, "learning/invitation.html", {"invitation": invitation})


def accessibility(request):
    return render(request, "learning/accessibility.html")


def support(request):
    return render(request, "learning/support.html")


def privacy(request):
    return render(request, "learning/privacy.html")


def server_error(request):
    """``handler500``. A database that cannot be reached (restarting, failing over) gets a
    generic 503 with ``Retry-After``, so load balancers and people both know to try again;
    anything else a generic 500. Neither page touches the database or shows any detail."""
    import sys

    from django.db import InterfaceError, OperationalError
    from django.http import HttpResponse
    from django.template import loader

    exc = sys.exc_info()[1]
    if isinstance(exc, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "10"
        return response
    return HttpResponse(loader.get_template("500.html").render(), status=500)
