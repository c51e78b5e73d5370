"""The revalidation portfolio in chromium: professional details on "Your details" (a wrong
number explained on its field, then saved). axe on every page."""

from __future__ import annotations

import pytest

from learning.models import User

from ..factories import PASSWORD, UserFactory
from .conftest import assert_accessible, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_in(page, base: str, email: str) -> None:
    visit(page, f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url("**/dashboard/")


def test_professional_details_are_checked_and_saved(page, live_server):
    user = UserFactory(display_name="Nia Newcomer")
    _sign_in(page, live_server.url, user.email)
    visit(page, f"{live_server.url}/account/details/")
    assert_accessible(page)
    page.get_by_label("Professional role").select_option("midwife")
    page.get_by_label("Nursing and Midwifery Council (NMC)").check()
    page.get_by_label("Registration number", exact=True).fill("12345")
    page.get_by_label("Day").fill("31")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Registration number", exact=True).fill("12A3456E")
    page.get_by_label("Show my registration number on certificates and exports").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/account/details/")
    assert page.get_by_text("Your details are saved.").is_visible()
    assert_accessible(page)
    user = User.objects.get(pk=user.pk)
    assert user.registration_shown() == "NMC 12A3456E"
