"""The revalidation portfolio in chromium: professional details on "Your details" (a wrong
number explained on its field, then saved); CPD done elsewhere logged with an evidence file and
counted as participatory; the NMC task list, the feedback log (identifiers held until
confirmed) and the practice hours declared; a reflective discussion confirmed by another NMC
registrant with their PIN, and the revalidation pack downloaded. axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

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
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Registration number", exact=True).fill("12A3456E")
    page.get_by_label("Show my registration number on certificates and exports").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/account/details/")
    expect(page.get_by_text("Your details are saved.")).to_be_visible()
    assert_accessible(page)
    user = User.objects.get(pk=user.pk)
    assert user.registration_shown() == "NMC 12A3456E"


def test_external_cpd_is_logged_with_evidence_and_counted(page, live_server, tmp_path):
    from reflection.portfolio.models import ExternalCpd

    from ..portfolio_factories import PDF_BYTES

    user = UserFactory(display_name="Nia Newcomer")
    evidence = tmp_path / "study-day-certificate.pdf"
    evidence.write_bytes(PDF_BYTES)
    _sign_in(page, live_server.url, user.email)
    visit(page, f"{live_server.url}/learning/cpd/")
    page.get_by_role("link", name="Revalidation").click()
    page.wait_for_url("**/portfolio/")
    assert_accessible(page)
    page.get_by_role("link", name="CPD for revalidation").click()
    page.wait_for_url("**/portfolio/cpd/")
    assert_accessible(page)
    page.get_by_role("link", name="Add CPD you did elsewhere").click()
    page.wait_for_url("**/portfolio/cpd/new/")
    assert_accessible(page)
    page.get_by_role("button", name="Save").click()  # nothing filled in: each error explained
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Title").fill("Perinatal mental health study day")
    page.get_by_label("Course or training day").check()
    page.get_by_label("Number of hours").fill("6")
    page.get_by_role("group", name="Was this participatory learning?").get_by_role(
        "radio", name="Yes"
    ).check()
    page.get_by_label("What did you learn?").fill("Screening questions for anxiety.")
    page.get_by_label("How did it change or improve your practice?").fill(
        "I ask about anxiety at every contact."
    )
    page.get_by_label("NMC Code: Prioritise people").check()
    page.get_by_label("Evidence (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/portfolio/cpd/")
    expect(page.get_by_text("Your CPD is added to your record.")).to_be_visible()
    assert page.locator(".hope-cpd-participatory").inner_text() == "6 hours"
    row = page.locator("#portfolio-cpd tbody tr").first
    assert "NMC Code: Prioritise people" in row.inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        row.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == "study-day-certificate.pdf"
    assert ExternalCpd.objects.get(owner=user).evidence_name == "study-day-certificate.pdf"


def test_the_task_list_and_the_feedback_log(page, live_server):
    from datetime import date

    user = UserFactory(
        display_name="Nia Newcomer",
        professional_register="nmc",
        registration_number="12A3456E",
        registration_renewal_on=date(2027, 3, 31),
    )
    _sign_in(page, live_server.url, user.email)
    visit(page, f"{live_server.url}/portfolio/")
    due = page.get_by_text("Your revalidation or renewal is due on 31 March 2027.")
    expect(due).to_be_visible()
    feedback_task = page.locator('[data-task="feedback"]')
    assert "Not started" in feedback_task.inner_text()
    assert_accessible(page)
    feedback_task.get_by_role("link", name="5 pieces of practice-related feedback").click()
    page.wait_for_url("**/portfolio/feedback/")
    assert_accessible(page)
    page.get_by_role("link", name="Add feedback").click()
    page.wait_for_url("**/portfolio/feedback/new/")
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Colleagues or other professionals").check()
    page.get_by_label("What was the feedback?").fill("Mrs Jones said my handover was clear.")
    page.get_by_label("What did you learn from it, and how did you use it?").fill(
        "I keep using the structured handover."
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Check these details before you save")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("These are not identifying details").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/portfolio/feedback/")
    expect(page.get_by_text("The feedback is added to your log.")).to_be_visible()
    assert_accessible(page)
    visit(page, f"{live_server.url}/portfolio/")
    assert "In progress" in page.locator('[data-task="feedback"]').inner_text()
    page.get_by_role("link", name="Practice hours and declarations").click()
    page.wait_for_url("**/portfolio/declaration/")
    assert_accessible(page)
    page.get_by_label("Practice hours in the last 3 years").fill("460")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/portfolio/")
    assert "Completed" in page.locator('[data-task="practice"]').inner_text()
    assert_accessible(page)


def test_a_reflective_discussion_is_confirmed_and_the_pack_downloaded(page, live_server):
    from datetime import date

    from pypdf import PdfReader

    from reflection.portfolio.models import ReflectiveDiscussion

    owner = UserFactory(
        display_name="Nia Newcomer",
        professional_register="nmc",
        registration_number="12A3456E",
        registration_renewal_on=date(2027, 3, 31),
    )
    colleague = UserFactory(
        display_name="Alex Morgan", professional_register="nmc", registration_number="98B7654C"
    )
    _sign_in(page, live_server.url, owner.email)
    visit(page, f"{live_server.url}/portfolio/")
    task = page.locator('[data-task="discussion"]')
    assert "Not started" in task.inner_text()
    task.get_by_role("link", name="Reflective discussion").click()
    page.wait_for_url("**/portfolio/discussion/")
    assert_accessible(page)
    page.get_by_role("link", name="Record a reflective discussion").click()
    page.wait_for_url("**/portfolio/discussion/new/")
    assert_accessible(page)
    page.get_by_label("Day", exact=True).fill("14")
    page.get_by_label("Month", exact=True).fill("1")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Name of the NMC registrant you had the discussion with").fill("Alex Morgan")
    page.get_by_label("Summary of the discussion").fill(
        "We discussed my five accounts and how I use restorative supervision."
    )
    page.get_by_label("Their email address").fill(colleague.email)
    page.get_by_role("button", name="Ask them to confirm").click()
    page.wait_for_url("**/portfolio/discussion/")
    expect(page.get_by_text("Waiting for confirmation").first).to_be_visible()
    assert_accessible(page)
    item = ReflectiveDiscussion.objects.get(owner=owner)

    page.context.clear_cookies()
    _sign_in(page, live_server.url, colleague.email)
    visit(page, f"{live_server.url}/portfolio/discussion/{item.pk}/confirm/")
    assert_accessible(page)
    page.get_by_label("Your NMC PIN").fill("11A1111A")
    page.get_by_role("button", name="Confirm the discussion").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Your NMC PIN").fill("98B7654C")
    page.get_by_role("button", name="Confirm the discussion").click()
    page.wait_for_url(f"**/portfolio/discussion/{item.pk}/confirm/")
    assert "98B7654C" in page.locator("#discussion-confirmed").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    _sign_in(page, live_server.url, owner.email)
    visit(page, f"{live_server.url}/portfolio/")
    assert "Completed" in page.locator('[data-task="discussion"]').inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your revalidation pack (PDF)").click()
    text = "\n".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Revalidation pack" in text and "Nia Newcomer" in text
    assert "Confirmed by Alex Morgan" in text
