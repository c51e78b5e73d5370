"""Revealing who wrote an anonymous thread takes two people. A facilitator of the space asks,
with a reason; another facilitator of that space, or the national coordinator, confirms or
declines. Both steps write the moderation log and an audit row. The people who may decide are
told, and their notices clear once the request is decided or lapses."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from community.models import ModerationAction, RevealRequest, RevealStatus, Thread
from community.shared.services import REASON_MAX, log_action
from learning import permissions
from learning.models import User
from learning.notify import action_key, notify, notify_resolve
from learning.sanitise import sanitise_text
from learning.services import audit_record

Kind = ModerationAction.Kind


def reveal_action_key(request: RevealRequest) -> str:
    """What the deciders' notices are about, so deciding (or lapsing) clears them."""
    return action_key("community.reveal", request.pk)


def _deciders(request: RevealRequest) -> list[User]:
    """Everyone who may decide: the space's other facilitators and the national coordinators."""
    space = request.thread.space
    people = User.objects.filter(is_active=True).filter(
        pk__in=space.facilitator_ids()
    ) | User.objects.filter(is_active=True, groups__name=permissions.NATIONAL_COORDINATORS)
    return [p for p in people.distinct().order_by("pk") if p.pk != request.requested_by_id]


def _lapse(requests: QuerySet[RevealRequest]) -> int:
    """Mark waiting requests past their time as lapsed and clear their notices."""
    lapsed = 0
    for request in requests.filter(status=RevealStatus.WAITING, expires_at__lte=timezone.now()):
        request.status = RevealStatus.EXPIRED
        request.save(update_fields=["status"])
        notify_resolve(action_on=reveal_action_key(request))
        audit_record(
            action="community.reveal_lapsed",
            actor=None,
            target=request.thread,
            data={"reveal_request_id": request.pk, "thread_id": request.thread_id},
        )
        lapsed += 1
    return lapsed


@transaction.atomic
def reveal_request(
    *, actor: User, thread: Thread, reason: str, ip_address: str | None = None
) -> RevealRequest:
    """A facilitator of the thread's space asks for its anonymous author to be revealed. Nobody
    sees the author yet; the people who may confirm are told."""
    thread = Thread.objects.select_for_update().select_related("space").get(pk=thread.pk)
    if not permissions.can_request_reveal(actor, thread.space):
        raise PermissionDenied
    if not thread.anonymous:
        raise ValidationError(_("This thread was not posted anonymously."))
    reason = sanitise_text(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason. The person who confirms will see it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason to %(n)s characters or fewer.") % {"n": REASON_MAX}}
        )
    _lapse(RevealRequest.objects.filter(thread=thread))
    if RevealRequest.objects.filter(thread=thread, status=RevealStatus.WAITING).exists():
        raise ValidationError(_("A request to reveal this author is already waiting."))
    request = RevealRequest.objects.create(thread=thread, requested_by=actor, reason=reason)
    log_action(
        actor=actor,
        space=thread.space,
        kind=Kind.REVEAL_REQUESTED,
        thread=thread,
        reason=reason,
        ip_address=ip_address,
        data={"reveal_request_id": request.pk},
    )
    url = reverse("community_reveal_request", args=[request.pk])
    for person in _deciders(request):
        notify(
            recipient=person,
            kind="community.reveal_request",
            message=lambda: (
                _(
                    "A facilitator of %(space)s asks to reveal who wrote an anonymous thread. "
                    "Confirm or decline."
                )
                % {"space": thread.space.name}
            ),
            url=url,
            key=f"community-reveal-{request.pk}",
            action_on=reveal_action_key(request),
        )
    return request


def reveal_decide(
    *, actor: User, request: RevealRequest, confirm: bool, ip_address: str | None = None
) -> RevealRequest:
    """A second person confirms (the author is then shown to the two of them) or declines. A
    request past its time is marked lapsed, and deciding it is refused."""
    with transaction.atomic():
        request = (
            RevealRequest.objects.select_for_update()
            .select_related("thread__space")
            .get(pk=request.pk)
        )
        if not request.has_lapsed:
            return _decide(actor=actor, request=request, confirm=confirm, ip_address=ip_address)
        _lapse(RevealRequest.objects.filter(pk=request.pk))
    raise ValidationError(_("This request has lapsed. Ask again if you still need to."))


def _decide(
    *, actor: User, request: RevealRequest, confirm: bool, ip_address: str | None
) -> RevealRequest:
    space = request.thread.space
    if not permissions.can_decide_reveal(actor, space, request):
        raise PermissionDenied
    request.status = RevealStatus.CONFIRMED if confirm else RevealStatus.DECLINED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    log_action(
        actor=actor,
        space=space,
        kind=Kind.REVEALED if confirm else Kind.REVEAL_DECLINED,
        thread=request.thread,
        reason=request.reason,
        ip_address=ip_address,
        data={"reveal_request_id": request.pk, "requested_by_id": request.requested_by_id},
    )
    notify_resolve(action_on=reveal_action_key(request))
    if request.requested_by is not None:
        if confirm:
            message = gettext_lazy(
                "Your request to reveal an anonymous author in %(space)s was confirmed."
            )
        else:
            message = gettext_lazy(
                "Your request to reveal an anonymous author in %(space)s was declined."
            )
        notify(
            recipient=request.requested_by,
            kind="community.reveal_decided",
            message=lambda: message % {"space": space.name},
            url=reverse("community_reveal_request", args=[request.pk]),
            key=f"community-reveal-decided-{request.pk}",
        )
    return request


def reveal_requests_lapse() -> int:
    """Lapse every waiting request past its time (run daily; safe to run again)."""
    with transaction.atomic():
        return _lapse(RevealRequest.objects.select_for_update())
