"""Nobody passes an end-of-module check blind.

1,000 simulated learners for each of four blind strategies take every seeded end-of-module
check: each gets the questions drawn for them and the options in the order shown to them (the
page's own ``selectors_checks.module_check_paper_for``), picks positions by its strategy, and is
marked by ``services.module_check_mark``, the marking ``module_check_submit`` uses. A new round for
each attempt gives a new draw and new orders. At most 5% of any strategy may pass. A smaller
run goes through ``module_check_submit`` itself, attempt rows and all.

The strategies, on the options as shown:

* first: always the first option shown (on several-answer questions too);
* longest: always the longest option shown;
* every box: every option of a several-answer question, the first of a one-answer question
  (a radio button takes only one);
* random: one option at random, or for a several-answer question each box with a chance of a
  half (at least one).

It runs against the shipped curriculum, or against a mechanical conversion of it while the
files are in the earlier format (``tests/curriculum_convert.py``), seeded as pages.
"""

from __future__ import annotations

import os
import random
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from zeal import zeal_context

from learning.models import User
from modules.models import ModulePage
from modules.progress import selectors_checks, services
from modules.seed_curriculum import seed_curriculum

from .curriculum_convert import bank_format_dir
from .factories import make_home_page
from .module_factories import make_banked_module

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

LEARNERS = int(os.environ.get("HOPE_SIMULATED_LEARNERS", "1000"))  # fewer only to try it out
MAX_PASS_RATE = 0.05


def first(question, rng) -> list[int]:
    return [0]


def longest(question, rng) -> list[int]:
    lengths = [len(option.text) for option in question.options]
    return [lengths.index(max(lengths))]


def every_box(question, rng) -> list[int]:
    return [o.position for o in question.options] if question.multiple else [0]


def at_random(question, rng) -> list[int]:
    positions = [o.position for o in question.options]
    if not question.multiple:
        return [rng.choice(positions)]
    while True:
        ticked = [p for p in positions if rng.random() < 0.5]
        if ticked:
            return ticked


STRATEGIES = {"first": first, "longest": longest, "every box": every_box, "random": at_random}


def simulate(modules: list[ModulePage], learners: int, seed: int = 2026) -> dict[str, Counter]:
    """Pass counts per strategy and module: each learner makes one attempt per strategy, each
    in a round of its own (so a new draw and new orders), marked as the service marks."""
    rng = random.Random(seed)
    passes = {name: Counter() for name in STRATEGIES}
    for module in modules:
        for learner in range(learners):
            for round_, (name, strategy) in enumerate(STRATEGIES.items()):
                paper = selectors_checks.module_check_paper_for(10_000 + learner, module, round_)
                answers = {q.block_id: strategy(q, rng) for q in paper.questions}
                _chosen, score = services.module_check_mark(paper, answers)
                passes[name][module.slug] += score >= module.pass_mark
    return passes


def simulate_through_the_service(
    modules: list[ModulePage], learners: int, seed: int = 2026
) -> dict[str, Counter]:
    """The same through ``module_check_submit``: the person's next round, attempt rows, audit."""
    rng = random.Random(seed)
    users = User.objects.bulk_create(
        [
            User(email=f"sim-{seed}-{n}@example.nhs.uk", display_name=f"Sim {n}")
            for n in range(learners)
        ]
    )
    passes = {name: Counter() for name in STRATEGIES}
    for module in modules:
        for user in users:
            for name, strategy in STRATEGIES.items():
                with zeal_context():  # each attempt is a request of its own
                    paper = selectors_checks.module_check_paper(user, module)
                    answers = {q.block_id: strategy(q, rng) for q in paper.questions}
                    attempt = services.module_check_submit(
                        user=user, module=module, round_number=paper.round, answers=answers
                    )
                passes[name][module.slug] += attempt.passed
    return passes


@pytest.fixture
def seeded_modules():
    make_home_page()
    directory = bank_format_dir(Path(tempfile.mkdtemp(prefix="hh-simulation-")))
    seed_curriculum(directory=directory)
    return list(ModulePage.objects.live().order_by("path"))


def test_blind_strategies_rarely_pass_any_end_of_module_check(seeded_modules):
    passes = simulate(seeded_modules, LEARNERS)
    report = {
        name: {slug: count / LEARNERS for slug, count in sorted(by_module.items())}
        for name, by_module in passes.items()
    }
    print("\nPass rates of blind strategies, per module:")
    for name, rates in report.items():
        print(f"  {name}: " + ", ".join(f"{slug} {rate:.1%}" for slug, rate in rates.items()))
    too_high = {
        (name, slug): rate
        for name, rates in report.items()
        for slug, rate in rates.items()
        if rate > MAX_PASS_RATE
    }
    assert not too_high, f"blind strategies pass more than {MAX_PASS_RATE:.0%}: {too_high}"


def test_the_strategies_read_the_shown_order():
    """A small run that proves the harness: knowing the answers passes every time, the
    first-shown strategy does not always pick the same stored option, and on a bank whose right
    answer is always stored first and is the longest, "longest" passes every time."""
    module = make_banked_module(outcomes=2, per_outcome=3, ask=2)
    user = User.objects.create(email="knows@example.nhs.uk", display_name="Knows")
    stored_first = set()
    for _ in range(5):
        with zeal_context():  # each attempt is a request of its own
            paper = selectors_checks.module_check_paper(user, module)
            stored_first |= {q.order[0] for q in paper.questions}
            answers = {
                q.block_id: [p for p, i in enumerate(q.order) if q.value["options"][i]["correct"]]
                for q in paper.questions
            }
            attempt = services.module_check_submit(
                user=user, module=module, round_number=paper.round, answers=answers
            )
        assert attempt.passed and attempt.score == 100
    assert len(stored_first) > 1
    passes = simulate_through_the_service([module], 50)
    assert passes["longest"][module.slug] == 50  # "The right answer" is the longest option
    assert passes["first"][module.slug] < 50
    # The pure marking agrees with the service on the same module.
    assert simulate([module], 50)["longest"][module.slug] == 50
