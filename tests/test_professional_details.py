"""Professional details on "Your details": role, register, a number checked against its
register's format, the revalidation date and an employee number, with the choice to show the
number on exports (off until the person chooses)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from learning.details import services
from learning.details.registers import registration_number_error, registration_number_normalise
from learning.models import AuditEvent, ProfessionalRegister, User
from learning.privacy.core import _profile

from .factories import UserFactory

pytestmark = pytest.mark.django_db


def _post(**overrides) -> dict:
    data = {
        "display_name": "Nia Newcomer",
        "professional_role": "midwife",
        "professional_register": "nmc",
        "registration_number": "12a 3456e",
        "registration_renewal_on_day": "31",
        "registration_renewal_on_month": "3",
        "registration_renewal_on_year": "2027",
        "employee_number": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("register", "number", "ok"),
    [
        ("nmc", "12A3456E", True),
        ("nmc", "1A23456E", False),
        ("nmc", "12A34567", False),
        ("swe", "SW123456", True),
        ("swe", "123456", False),
        ("hcpc", "PA12345", True),
        ("hcpc", "P12345", False),
        ("gmc", "1234567", True),
        ("gmc", "123456", False),
        ("scw", "ABC12345", True),
        ("scw", "A-1", False),
    ],
)
def test_each_register_checks_its_own_format(register, number, ok):
    normalised = registration_number_normalise(number)
    assert (registration_number_error(register, normalised) == "") is ok


def test_details_page_saves_professional_details_normalised_and_audited(client):
    user = UserFactory(display_name="Nia Newcomer")
    client.force_login(user)
    page = client.get(reverse("account_details")).content.decode()
    assert "Your work and registration" in page
    assert 'name="registration_number"' in page
    response = client.post(reverse("account_details"), _post())
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.professional_register == ProfessionalRegister.NMC
    assert user.registration_number == "12A3456E"
    assert user.registration_renewal_on == date(2027, 3, 31)
    assert user.registration_number_shown is False
    assert user.registration_shown() == ""
    event = AuditEvent.objects.get(action="account.professional_details_changed", actor=user)
    assert "registration_number" in event.data["fields"]
    assert "12A3456E" not in str(event.data)


def test_a_wrong_number_is_explained_on_its_field_and_nothing_is_saved(client):
    user = UserFactory(display_name="Nia Newcomer")
    client.force_login(user)
    response = client.post(
        reverse("account_details"),
        _post(display_name="Changed Name", registration_number="123456"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter your NMC PIN in the correct format" in page
    assert 'id="id_registration_number-error"' in page
    user.refresh_from_db()
    assert user.display_name == "Nia Newcomer"
    assert user.registration_number == ""


def test_a_register_needs_a_number_and_none_clears_it():
    user = UserFactory()
    kwargs = {
        "professional_role": "",
        "registration_renewal_on": None,
        "employee_number": "",
        "registration_number_shown": True,
    }
    with pytest.raises(ValidationError) as caught:
        services.details_professional_set(
            user=user, professional_register="swe", registration_number="", **kwargs
        )
    assert "registration_number" in caught.value.message_dict
    services.details_professional_set(
        user=user, professional_register="none", registration_number="SW1", **kwargs
    )
    user.refresh_from_db()
    assert user.registration_number == ""
    assert user.registration_number_shown is False


def test_the_database_refuses_a_number_without_a_register():
    user = UserFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(registration_number="12A3456E")


def test_the_number_is_on_the_cpd_pdf_only_when_chosen(client):
    user = UserFactory(display_name="Nia Newcomer")
    client.force_login(user)
    client.post(reverse("account_details"), _post())

    def pdf_text() -> str:
        body = client.get(reverse("cpd_record") + "?format=pdf").content
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)

    assert "12A3456E" not in pdf_text()
    client.post(reverse("account_details"), _post(registration_number_shown="on"))
    user.refresh_from_db()
    assert user.registration_shown() == "NMC 12A3456E"
    assert "NMC 12A3456E" in pdf_text()


def test_download_my_data_has_the_professional_details():
    user = UserFactory(
        professional_register="gmc", registration_number="1234567", employee_number="E42"
    )
    (row,) = _profile(user)
    assert row["registration_number"] == "1234567"
    assert row["employee_number"] == "E42"
    assert row["registration_number_shown"] is False
