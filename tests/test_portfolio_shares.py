"""Sharing a revalidation portfolio: the services (check, change, audit), the scoped selectors,
the owner's pages and the public page (no account; expired, revoked and unknown tokens all the
same 404; evidence only when ticked; the journal never; rate limited by address; headers)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning.models import AuditEvent
from learning.tokens import secret_token_hash
from reflection.shares import selectors, services
from reflection.shares.models import PortfolioShare, PortfolioShareOpening

from .factories import UserFactory
from .journal_factories import SENTINEL as NARRATIVE_SENTINEL
from .journal_factories import make_entry
from .portfolio_factories import PDF_BYTES, make_external_cpd, make_feedback
from .share_factories import make_share
from .supervision_factories import make_relationship

pytestmark = pytest.mark.django_db

SUMMARY_MARK = "LEARNING-SUMMARY-MARK-4471"
SUPERVISION_SECRET = "SUPERVISION-SUMMARY-SECRET-9902"


def _signed_account(people, *, summary: str = f"<p>{SUMMARY_MARK}</p>"):
    from reflection.signoff import services as signoff

    practitioner, supervisor = people["practitioner"], people["supervisor"]
    request = signoff.signoff_request_create(
        author=practitioner,
        entry=make_entry(practitioner, summary=summary),
        supervisor=supervisor,
        note="",
    )
    return signoff.signoff_sign(supervisor=supervisor, request=request, comment="")


def _public(token: str) -> str:
    return reverse("shared_portfolio", args=[token])


# --- services ---------------------------------------------------------------------------------


def test_a_share_stores_only_the_hash_and_is_audited(people):
    owner = people["practitioner"]
    share, token = make_share(owner, recipient_name="Appraiser A", recipient_role="Appraiser")
    assert len(token) >= 43  # 32 random bytes, URL-safe
    assert share.token_hash == secret_token_hash(token)
    assert token not in json.dumps(list(PortfolioShare.objects.values("token_hash", "bundle")))
    assert share.expires_at - share.created_at == timedelta(days=14)
    event = AuditEvent.objects.get(action="shares.share_created")
    assert event.actor == owner and event.target_id == str(share.pk)
    assert token not in json.dumps(event.data)


@pytest.mark.parametrize("days", [0, 31])
def test_the_expiry_is_one_to_thirty_days(people, days):
    with pytest.raises(ValidationError) as exc:
        make_share(people["practitioner"], days=days)
    assert "days" in exc.value.message_dict
    assert not PortfolioShare.objects.exists()


def test_a_share_must_hold_something(people):
    with pytest.raises(ValidationError) as exc:
        make_share(people["practitioner"], cpd=False)
    assert "parts" in exc.value.message_dict


def test_evidence_needs_the_cpd_record(people):
    item = make_external_cpd(people["practitioner"], evidence=True)
    with pytest.raises(ValidationError) as exc:
        make_share(people["practitioner"], cpd=False, feedback=True, evidence=[item])
    assert "evidence" in exc.value.message_dict


def test_another_persons_account_or_evidence_is_refused(people):
    other_item = make_external_cpd(people["supervisor"], evidence=True)
    with pytest.raises(PermissionDenied):
        make_share(people["practitioner"], evidence=[other_item])
    account = _signed_account(people)
    with pytest.raises(PermissionDenied):
        make_share(people["supervisor"], accounts=[account])


def test_the_database_refuses_an_expiry_before_creation(people):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        PortfolioShare.objects.create(
            owner=people["practitioner"],
            token_hash="x" * 64,
            include_cpd=True,
            created_at=now,
            expires_at=now - timedelta(seconds=1),
        )


def test_revoking_forgets_the_bundle_and_is_audited_once(people):
    owner = people["practitioner"]
    item = make_external_cpd(owner, evidence=True)
    share, _token = make_share(owner, evidence=[item])
    services.share_revoke(owner=owner, share=share)
    services.share_revoke(owner=owner, share=share)
    share.refresh_from_db()
    assert share.revoked_at is not None and share.bundle == ""
    assert not share.evidence.exists()
    assert AuditEvent.objects.filter(action="shares.share_revoked").count() == 1
    with pytest.raises(PermissionDenied):
        services.share_revoke(owner=people["supervisor"], share=share)


# --- selectors --------------------------------------------------------------------------------


def test_another_persons_share_is_not_found(people):
    from django.http import Http404

    share, _token = make_share(people["practitioner"])
    assert selectors.share_get(people["practitioner"], share.pk) == share
    with pytest.raises(Http404):
        selectors.share_get(people["supervisor"], share.pk)
    assert selectors.shares_of(people["supervisor"]) == []


def test_the_token_finds_only_an_active_share(people):
    share, token = make_share(people["practitioner"])
    assert selectors.share_for_token(token) == share
    assert selectors.share_for_token(token + "x") is None
    assert selectors.share_for_token("x" * 500) is None
    PortfolioShare.objects.filter(pk=share.pk).update(expires_at=timezone.now())
    assert selectors.share_for_token(token) is None


def test_the_list_says_each_shares_status_and_openings(people, client):
    owner = people["practitioner"]
    active, token = make_share(owner)
    revoked, _t = make_share(owner)
    expired, _t = make_share(owner)
    services.share_revoke(owner=owner, share=revoked)
    PortfolioShare.objects.filter(pk=expired.pk).update(
        created_at=timezone.now() - timedelta(days=20), expires_at=timezone.now()
    )
    Client().get(_public(token))
    Client().get(_public(token))
    statuses = {s.pk: (s.status, s.opened) for s in selectors.shares_of(owner)}
    assert statuses == {
        active.pk: ("active", 2),
        revoked.pk: ("revoked", 0),
        expired.pk: ("expired", 0),
    }


# --- the public page --------------------------------------------------------------------------


def test_the_public_page_shows_only_the_chosen_parts(people):
    owner = people["practitioner"]
    owner.display_name = "Nia Jones"
    owner.save()
    make_external_cpd(owner, title="Study day on perinatal anxiety")
    make_feedback(owner)
    share, token = make_share(owner, cpd=True, feedback=False)
    response = Client().get(_public(token))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nia Jones" in body
    assert "Study day on perinatal anxiety" in body
    assert "A colleague said my handover was clear." not in body
    assert 'id="shared-feedback"' not in body and 'id="shared-supervision"' not in body
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert PortfolioShareOpening.objects.filter(share=share).count() == 1
    assert AuditEvent.objects.filter(action="shares.share_opened", target_id=str(share.pk)).exists()


def test_the_registration_number_shows_only_when_the_person_chose(people):
    owner = people["practitioner"]
    type(owner).objects.filter(pk=owner.pk).update(
        professional_register="nmc", registration_number="12A3456E"
    )
    _share, token = make_share(owner)
    assert "12A3456E" not in Client().get(_public(token)).content.decode()
    type(owner).objects.filter(pk=owner.pk).update(registration_number_shown=True)
    assert "NMC 12A3456E" in Client().get(_public(token)).content.decode()


def test_expired_revoked_and_unknown_tokens_get_the_same_404(people):
    owner = people["practitioner"]
    revoked, revoked_token = make_share(owner)
    services.share_revoke(owner=owner, share=revoked)
    expired, expired_token = make_share(owner)
    PortfolioShare.objects.filter(pk=expired.pk).update(expires_at=timezone.now())
    bodies = set()
    for token in (revoked_token, expired_token, "not-a-real-token-at-all-0123456789abcdef"):
        response = Client().get(_public(token))
        assert response.status_code == 404
        assert response["Cache-Control"] == "private, no-store"
        # The same page, but for the address itself (the language links carry the path).
        bodies.add(response.content.decode().replace(token, "TOKEN"))
    assert len(bodies) == 1
    assert not PortfolioShareOpening.objects.exists()


def test_a_deactivated_owners_share_is_not_found(people):
    owner = people["practitioner"]
    _share, token = make_share(owner)
    type(owner).objects.filter(pk=owner.pk).update(is_active=False)
    assert Client().get(_public(token)).status_code == 404


def test_evidence_is_downloadable_only_when_ticked(people):
    owner = people["practitioner"]
    ticked = make_external_cpd(owner, title="Ticked", evidence=True)
    unticked = make_external_cpd(owner, title="Not ticked", evidence=True)
    share, token = make_share(owner, evidence=[ticked])
    body = Client().get(_public(token)).content.decode()
    assert reverse("shared_evidence", args=[token, ticked.pk]) in body
    assert reverse("shared_evidence", args=[token, unticked.pk]) not in body
    response = Client().get(reverse("shared_evidence", args=[token, ticked.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert Client().get(reverse("shared_evidence", args=[token, unticked.pk])).status_code == 404
    assert PortfolioShareOpening.objects.filter(share=share, kind="evidence").count() == 1
    # Revoked: the file is gone from the share too.
    services.share_revoke(owner=owner, share=share)
    assert Client().get(reverse("shared_evidence", args=[token, ticked.pk])).status_code == 404


def test_the_journal_never_appears_through_a_share(people):
    owner = people["practitioner"]
    chosen = _signed_account(people)
    _signed_account(people, summary="<p>NOT-CHOSEN-SUMMARY-3310</p>")
    make_entry(owner, title="Private entry", summary="<p>Unshared summary</p>")
    rel = make_relationship(supervisee=owner, supervisor=people["supervisor"])
    from reflection.supervision.models import SupervisionSession

    SupervisionSession.objects.create(
        relationship=rel,
        held_on=timezone.localdate() - timedelta(days=3),
        duration_minutes=60,
        format="one_to_one",
        restorative=True,
        summary=SUPERVISION_SECRET,
        author=people["supervisor"],
    )
    _share, token = make_share(owner, cpd=True, feedback=True, supervision=True, accounts=[chosen])
    body = Client().get(_public(token)).content.decode()
    assert SUMMARY_MARK in body  # the chosen, signed-off learning summary
    assert NARRATIVE_SENTINEL not in body
    assert "NOT-CHOSEN-SUMMARY-3310" not in body
    assert "Unshared summary" not in body
    assert SUPERVISION_SECRET not in body
    assert 'id="shared-supervision"' in body
    stored = PortfolioShare.objects.get().bundle
    assert NARRATIVE_SENTINEL not in stored and SUPERVISION_SECRET not in stored


def test_the_public_page_is_rate_limited_by_address(people, settings):
    settings.HOPE_RATE_LIMITS = {**settings.HOPE_RATE_LIMITS, "share_view": "2/10m"}
    _share, token = make_share(people["practitioner"])
    here = Client(REMOTE_ADDR="203.0.113.7")
    assert here.get(_public(token)).status_code == 200
    assert here.get(_public("unknown-token-unknown-token-unknown")).status_code == 404
    limited = here.get(_public(token))
    assert limited.status_code == 429
    assert limited["Cache-Control"] == "private, no-store"
    assert Client(REMOTE_ADDR="203.0.113.8").get(_public(token)).status_code == 200


def test_the_public_page_is_never_stored_by_the_page_cache(people, settings):
    from learning import pagecache

    _share, token = make_share(people["practitioner"])
    response = Client().get(_public(token))
    request = response.wsgi_request
    assert not pagecache._storable(request, response)


def test_the_public_page_answers_get_only(people):
    _share, token = make_share(people["practitioner"])
    assert Client().post(_public(token)).status_code == 405


# --- the owner's pages ------------------------------------------------------------------------


def test_the_link_is_shown_once_and_never_again(people, client):
    owner = people["practitioner"]
    item = make_external_cpd(owner, evidence=True)
    client.force_login(owner)
    assert client.get(reverse("share_list")).status_code == 200
    assert client.get(reverse("share_new")).status_code == 200
    response = client.post(
        reverse("share_new"),
        {
            "parts": ["cpd", "feedback"],
            "evidence": [item.pk],
            "recipient_name": "Sam Appraiser",
            "recipient_role": "Appraiser",
            "days": "7",
        },
    )
    assert response.status_code == 200
    share = PortfolioShare.objects.get()
    link = response.context["link"]
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert share.token_hash == secret_token_hash(token)
    assert share.expires_at - share.created_at == timedelta(days=7)
    assert list(share.evidence.all()) == [item]
    for page in (reverse("share_detail", args=[share.pk]), reverse("share_list")):
        body = client.get(page).content.decode()
        assert token not in body
        assert "Sam Appraiser" in body


def test_the_new_share_form_explains_what_to_fix(people, client):
    client.force_login(people["practitioner"])
    response = client.post(reverse("share_new"), {"days": "45"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Choose at least one part" in body or "Enter a number of days" in body
    assert not PortfolioShare.objects.exists()


def test_the_owner_sees_openings_and_revokes_with_a_confirmation(people, client):
    owner = people["practitioner"]
    share, token = make_share(owner)
    Client().get(_public(token))
    client.force_login(owner)
    body = client.get(reverse("share_detail", args=[share.pk])).content.decode()
    assert "Opened 1 time." in body and "Opened on" in body
    assert "203.0.113" not in body
    assert client.get(reverse("share_revoke", args=[share.pk])).status_code == 200
    response = client.post(reverse("share_revoke", args=[share.pk]))
    assert response.status_code == 302
    assert Client().get(_public(token)).status_code == 404
    body = client.get(reverse("share_detail", args=[share.pk])).content.decode()
    assert "Revoked" in body


def test_another_persons_share_pages_are_404(people, client):
    share, _token = make_share(people["practitioner"])
    client.force_login(people["supervisor"])
    for name in ("share_detail", "share_revoke"):
        assert client.get(reverse(name, args=[share.pk])).status_code == 404
    assert client.post(reverse("share_revoke", args=[share.pk])).status_code == 404
    share.refresh_from_db()
    assert share.revoked_at is None


def test_the_portfolio_home_links_to_sharing(people, client):
    client.force_login(people["practitioner"])
    assert reverse("share_list") in client.get(reverse("portfolio_home")).content.decode()


# --- privacy ----------------------------------------------------------------------------------


def test_shares_and_openings_are_exported_and_erased(people):
    from learning.privacy import handlers

    owner = people["practitioner"]
    share, token = make_share(owner)
    Client().get(_public(token))
    handler = next(h for h in handlers() if h.label == "reflection.portfolioshare")
    exported = handler.export(owner)
    assert exported[0]["id"] == share.pk
    assert len(exported[0]["openings"]) == 1
    assert "token_hash" not in exported[0]
    other, _t = make_share(UserFactory())
    handler.erase(owner)
    assert list(PortfolioShare.objects.all()) == [other]
    assert not PortfolioShareOpening.objects.filter(share_id=share.pk).exists()


def test_an_opening_is_logged_only_for_an_active_share(people):
    owner = people["practitioner"]
    share, _token = make_share(owner)
    services.share_opening_record(share=share, kind="page", ip_address="203.0.113.9")
    event = AuditEvent.objects.get(action="shares.share_opened")
    assert event.actor is None and event.ip_address == "203.0.113.9"
    revoked = services.share_revoke(owner=owner, share=share)
    with pytest.raises(PermissionDenied):
        services.share_opening_record(share=revoked, kind="page")
    assert PortfolioShareOpening.objects.filter(share=share).count() == 1
