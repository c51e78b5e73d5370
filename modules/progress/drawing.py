"""Which questions a learner is asked and in what order they see the options.

Every order and every draw comes from a seed made of the learner, the question (or module) and
the attempt's round (how many attempts came before it), keyed with the site's secret: the same
round always shows the same order, so a page reload, a resubmission after an error and the
marking agree, while the next attempt is shuffled afresh and nobody can work an order out from
what the page shows. The order is stored on the attempt row for feedback and the review.

An order is a list of stored option indexes in the order shown: ``order[position]`` is the
stored index of the option shown at ``position``. Forms post positions, never stored indexes.
"""

from __future__ import annotations

import hashlib
import hmac
import random
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _rng(*parts: object) -> random.Random:
    key = settings.SECRET_KEY.encode()
    message = "\x1f".join(str(part) for part in parts).encode()
    return random.Random(hmac.new(key, message, hashlib.sha256).digest())


def option_order(*, seed: tuple, count: int) -> list[int]:
    """A permutation of ``range(count)`` fixed by ``seed``."""
    order = list(range(count))
    _rng("options", *seed).shuffle(order)
    return order


def lesson_check_seed(*, user_id: int | None, block_id: str, round_: int) -> tuple:
    return ("lesson", user_id or "anonymous", block_id, round_)


def module_check_seed(*, user_id: int, module_id: int, round_: int) -> tuple:
    return ("module", user_id, module_id, round_)


def bank_draw(*, seed: tuple, bank: Sequence[tuple[str, int]], ask_per_outcome: int) -> list[str]:
    """Draw ``ask_per_outcome`` questions for every outcome in ``bank`` (pairs of block id and
    outcome number), or all of an outcome's questions if it has fewer, in a shuffled order."""
    rng = _rng("draw", *seed)
    by_outcome: dict[int, list[str]] = defaultdict(list)
    for block_id, outcome in bank:
        by_outcome[outcome].append(block_id)
    drawn: list[str] = []
    for outcome in sorted(by_outcome):
        ids = sorted(by_outcome[outcome])
        drawn += rng.sample(ids, min(ask_per_outcome, len(ids)))
    rng.shuffle(drawn)
    return drawn


def positions_to_stored(order: Sequence[int], positions: Sequence[int]) -> list[int]:
    """The stored option indexes for the shown ``positions``; a position outside the order is
    an answer that was never on the page."""
    if any(not 0 <= p < len(order) for p in positions):
        raise ValidationError(_("Choose an answer from the list, then check your answer."))
    return sorted({order[p] for p in positions})


def answer_mark(value: Mapping[str, Any], chosen: Sequence[int]) -> bool:
    """Whether stored indexes ``chosen`` are exactly the right answers to question ``value``."""
    options = list(value["options"])
    if not chosen or any(not 0 <= i < len(options) for i in chosen):
        raise ValidationError(_("Choose an answer from the list, then check your answer."))
    if value["kind"] == "single" and len(set(chosen)) != 1:
        raise ValidationError(_("Choose one answer, then check your answer."))
    right = {i for i, option in enumerate(options) if option["correct"]}
    return set(chosen) == right
