"""A mechanical conversion of curriculum JSON written before the question-bank format, so that
tests of the loader, the seed and the simulation run against the real content until it has
been rewritten. Nothing here changes the meaning of a question:

* every question keeps its text, kind, options (in their stored order) and explanation;
* its ``level`` is guessed by the applied-question heuristic (``has_situation``);
* the end-of-module list becomes ``{"ask_per_outcome": 2, "questions": [...]}`` with the
  questions tagged with outcomes 1, 2, 3… in turn.

The shipped files are never touched: converted copies are written to a temporary folder.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from modules.curriculum import CURRICULUM_DIR, curriculum_files, load_curriculum
from modules.pages.check_rules import has_situation

ASK_PER_OUTCOME = 2


def is_bank_format(module: dict[str, Any]) -> bool:
    return isinstance(module.get("end_of_module_check"), dict)


def _question(old: dict[str, Any], outcome: int | None = None) -> dict[str, Any]:
    new = {
        "question": old["question"],
        "kind": old.get("kind", "single"),
        "level": old.get("level") or ("applied" if has_situation(old["question"]) else "recall"),
        "options": [dict(option) for option in old["options"]],
        "explanation": old.get("explanation", ""),
    }
    if outcome is not None:
        new["outcome"] = outcome
    return new


def convert_module(module: dict[str, Any]) -> dict[str, Any]:
    """The module in the question-bank format (returned as it is if it already is)."""
    if is_bank_format(module):
        return module
    new = copy.deepcopy(module)
    for lesson in new["lessons"]:
        for block in lesson["body"]:
            if block["type"] == "knowledge_check":
                block["value"] = _question(block["value"])
    outcomes = len(new["learning_outcomes"])
    new["end_of_module_check"] = {
        "ask_per_outcome": ASK_PER_OUTCOME,
        "questions": [
            _question(q, outcome=i % outcomes + 1)
            for i, q in enumerate(module["end_of_module_check"])
        ],
    }
    return new


def shipped_in_bank_format(directory: Path = CURRICULUM_DIR) -> bool:
    return all(is_bank_format(module) for module in load_curriculum(directory))


def bank_format_dir(target: Path, directory: Path = CURRICULUM_DIR) -> Path:
    """The shipped folder if its files are already in the bank format; otherwise ``target``,
    filled with converted copies under the same names."""
    if shipped_in_bank_format(directory):
        return directory
    target.mkdir(parents=True, exist_ok=True)
    for path, module in zip(curriculum_files(directory), load_curriculum(directory), strict=True):
        (target / path.name).write_text(
            json.dumps(convert_module(module), ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return target
