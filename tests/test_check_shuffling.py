"""Knowledge checks you cannot pass blind: options in an order shuffled per learner and per
attempt, pages that never say which option is right, end-of-module questions drawn from a bank
covering every outcome, the review after submitting, and the editor's validation."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from zeal import zeal_context

from modules.models import CheckAttempt, ModuleCheckAttempt
from modules.pages.blocks import BankQuestionBlock, KnowledgeCheckBlock
from modules.progress import drawing, selectors, selectors_checks, services

from .factories import UserFactory
from .module_factories import (
    answer_module_check,
    check_block,
    make_banked_module,
    make_module,
    module_check_answers,
)

pytestmark = pytest.mark.django_db

INPUT = re.compile(r"<input[^>]*>")


def _inputs(html: str, name_prefix: str) -> list[str]:
    return [tag for tag in INPUT.findall(html) if f'name="{name_prefix}' in tag]


# --- orders -------------------------------------------------------------------------------


def test_an_order_is_fixed_by_its_seed_and_differs_between_learners_and_rounds():
    orders = {
        (user, r): tuple(
            drawing.option_order(
                seed=drawing.lesson_check_seed(user_id=user, block_id="b", round_=r), count=4
            )
        )
        for user in range(1, 41)
        for r in range(3)
    }
    again = drawing.option_order(
        seed=drawing.lesson_check_seed(user_id=1, block_id="b", round_=0), count=4
    )
    assert tuple(again) == orders[(1, 0)]
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders.values())
    # The stored first option is shown in every position, for some learner.
    assert {order.index(0) for order in orders.values()} == {0, 1, 2, 3}
    assert len(set(orders.values())) > 10  # of the 24 possible
    assert any(len({orders[(user, r)] for r in range(3)}) > 1 for user in range(1, 41))


def test_lesson_check_page_posts_positions_and_never_reveals_the_right_answer(client):
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    block_id = lesson.knowledge_checks[0].id
    shown_right = Counter()
    for _ in range(12):
        user = UserFactory()
        client.force_login(user)
        html = client.get(lesson.url).content.decode()
        tags = _inputs(html, "answer")
        assert [re.search(r'value="(\d+)"', t).group(1) for t in tags] == ["0", "1", "2"]
        assert not any("correct" in t or "right" in t.lower() for t in tags)
        assert "Yes, because it is." not in html  # no feedback before answering
        labels = re.findall(r'radios__label" for="[^"]+">([^<]+)<', html)
        shown_right[labels.index("The right answer")] += 1
        order = selectors_checks.lesson_checks_shown(user, lesson)[block_id].order
        assert [["The right answer", "A wrong answer", "Another answer"][i] for i in order] == (
            labels
        )
    assert len(shown_right) > 1, "the right answer is not always shown in the same place"


def test_the_feedback_and_the_next_attempt(client):
    user = UserFactory()
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    block_id = lesson.knowledge_checks[0].id
    client.force_login(user)
    url = reverse("lesson_check_answer", kwargs={"lesson_id": lesson.pk, "block_id": block_id})
    first = selectors_checks.lesson_checks_shown(user, lesson)[block_id]
    client.post(url, {"round": "0", "answer": str(first.order.index(1))})
    attempt = CheckAttempt.objects.get(user=user)
    assert (attempt.order, attempt.selected, attempt.round) == (first.order, [1], 0)
    html = client.get(lesson.url).content.decode()
    assert "<strong>A wrong answer</strong><br>No, look again." in html
    assert 'name="round" value="1"' in html
    # A post from the earlier page (round 0) is still marked against the order it showed.
    client.post(url, {"round": "0", "answer": str(first.order.index(0))})
    latest = CheckAttempt.objects.filter(user=user).latest("pk")
    assert (latest.selected, latest.correct, latest.order) == ([0], True, first.order)
    # A round never shown is refused.
    refused = client.post(url, {"round": "9", "answer": "0"}, headers={"X-Hope-Fragment": "1"})
    assert refused.status_code == 400
    assert CheckAttempt.objects.filter(user=user).count() == 2


def test_signed_out_visitors_see_the_options_shuffled(client):
    module = make_module(lessons=1)
    lesson = selectors.lessons_of(module)[0]
    block_id = lesson.knowledge_checks[0].id
    order = drawing.option_order(
        seed=drawing.lesson_check_seed(user_id=None, block_id=block_id, round_=0), count=3
    )
    html = client.get(lesson.url).content.decode()
    texts = ["The right answer", "A wrong answer", "Another answer"]
    shown = re.findall(r"<li>(The right answer|A wrong answer|Another answer)</li>", html)
    assert shown == [texts[i] for i in order]


# --- the end-of-module bank --------------------------------------------------------------------


def test_each_attempt_draws_a_fresh_sample_covering_every_outcome():
    user = UserFactory()
    module = make_banked_module(outcomes=3, per_outcome=4, ask=2)
    outcome_of = {b.id: b.value["outcome"] for b in module.final_check}
    drawn = []
    for _ in range(6):
        with zeal_context():  # each attempt is a request of its own
            paper = selectors_checks.module_check_paper(user, module)
            assert selectors_checks.module_check_paper(user, module).questions[0].block_id == (
                paper.questions[0].block_id
            ), "the same round shows the same questions"
            ids = [q.block_id for q in paper.questions]
            assert len(ids) == len(set(ids)) == 6
            assert Counter(outcome_of[i] for i in ids) == {1: 2, 2: 2, 3: 2}
            drawn.append(frozenset(ids))
            answer_module_check(user, module, right=False)
    assert len(set(drawn)) > 1
    rows = list(ModuleCheckAttempt.objects.filter(user=user).order_by("round"))
    assert [r.round for r in rows] == list(range(6))
    asked = [frozenset(q["id"] for q in row.questions) for row in rows]
    assert asked == drawn


def test_the_check_page_reveals_nothing_and_a_stale_round_is_refused(client):
    user = UserFactory()
    module = make_banked_module(outcomes=2, per_outcome=2, ask=1)
    client.force_login(user)
    url = reverse("module_check", args=[module.pk])
    html = client.get(url).content.decode()
    paper = selectors_checks.module_check_paper(user, module)
    assert len(paper.questions) == 2
    for q in paper.questions:
        tags = _inputs(html, f"q-{q.block_id}")
        assert [re.search(r'value="(\d+)"', t).group(1) for t in tags] == ["0", "1", "2"]
        assert not any("correct" in t for t in tags)
    assert "Yes, because it is." not in html and "Because." not in html
    answers = {f"q-{k}": v for k, v in module_check_answers(paper).items()}
    assert client.post(url, {"round": "0", **answers}).status_code == 302
    with pytest.raises(services.CheckReplaced):
        services.module_check_submit(
            user=user, module=module, round_number=0, answers=module_check_answers(paper)
        )
    assert ModuleCheckAttempt.objects.filter(user=user).count() == 1


def test_the_review_shows_answers_right_answers_and_why(client):
    user = UserFactory()
    module = make_banked_module(outcomes=2, per_outcome=2, ask=1)
    attempt = answer_module_check(user, module, right=False)
    client.force_login(user)
    html = client.get(reverse("module_check_review", args=[module.pk, attempt.pk])).content.decode()
    assert "You scored 0%" in html
    assert html.count("Your answer. Not a right answer.") == 2
    assert html.count("A right answer. You did not choose it.") == 2
    for feedback in ("Yes, because it is.", "No, look again.", "It depends."):
        assert html.count(feedback) == 2
    assert html.count("Because.") == 2
    assert "Try the check again" in html
    # The options are listed in the order that attempt showed them.
    first = attempt.questions[0]
    texts = ["The right answer", "A wrong answer", "Another answer"]
    shown = re.findall(
        r'<h3 class="nhsuk-heading-xs[^"]*">(The right answer|A wrong answer|Another answer)</h3>',
        html,
    )
    assert shown[:3] == [texts[i] for i in first["order"]]
    # Somebody else's attempt is a 404, like one that does not exist.
    client.force_login(UserFactory())
    other = client.get(reverse("module_check_review", args=[module.pk, attempt.pk]))
    assert other.status_code == 404


# --- the editor's validation ----------------------------------------------------------------


def _value(block, **changes):
    raw = {**check_block("Which is right?")["value"], **changes}
    return block.to_python(raw)


def test_the_block_refuses_bare_feedback_and_applied_questions_without_a_situation():
    block = KnowledgeCheckBlock()
    block.clean(_value(block))
    options = check_block()["value"]["options"]
    options[1]["feedback"] = "No."
    with pytest.raises(ValidationError) as bare:
        block.clean(_value(block, options=options))
    assert "options" in bare.value.block_errors
    with pytest.raises(ValidationError) as applied:
        block.clean(_value(block, level="applied"))
    assert "question" in applied.value.block_errors
    situation = (
        "A midwife tells you a mother has asked to hold her baby before the hearing this "
        "afternoon. Which is right?"
    )
    block.clean(_value(block, level="applied", question=situation))


def test_several_answers_may_have_one_right_but_not_all():
    block = KnowledgeCheckBlock()
    options = check_block()["value"]["options"]
    block.clean(_value(block, kind="multiple", options=options))
    every = [{**o, "correct": True} for o in options]
    with pytest.raises(ValidationError):
        block.clean(_value(block, kind="multiple", options=every))


def test_a_bank_question_has_an_outcome_number():
    block = BankQuestionBlock()
    value = block.to_python({**check_block()["value"], "outcome": 2})
    assert block.clean(value)["outcome"] == 2
    with pytest.raises(ValidationError):
        block.clean(block.to_python({**check_block()["value"], "outcome": 0}))
