"""The Holding Hope seed curriculum.

Eight modules, one JSON file each, in this folder. The content is drawn from the learning review
"How to HOPE" (Mason et al. 2026) and its references; the JSON files are the single source of
truth and are read with the standard library only, so they can be loaded without Django (for
example by ``seed_demo`` or by tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CURRICULUM_DIR = Path(__file__).resolve().parent

# Each topic's and audience's Welsh name ("name_cy") is shown to people reading in Welsh; to be
# checked by a fluent Welsh speaker before a Welsh release (docs/welsh.md).
TOPICS: list[dict[str, str]] = [
    {
        "slug": "separation-at-birth",
        "name": "Separation at birth",
        "name_cy": "Gwahanu adeg geni",
        "description": "What the research tells us about babies separated from their mothers at "
        "birth, regional variation, the impact on women and why support matters.",
    },
    {
        "slug": "trauma-informed-care",
        "name": "Trauma-informed care",
        "name_cy": "Gofal wedi'i lywio gan drawma",
        "description": "Safety, trust, choice, collaboration and empowerment in everyday "
        "practice; relationship-based work, elastic engagement and outreach.",
    },
    {
        "slug": "family-justice-processes",
        "name": "Family justice processes",
        "name_cy": "Prosesau cyfiawnder teuluol",
        "description": "Pre-birth assessment, the Public Law Outline, care proceedings, section "
        "20 and urgent hearings at birth, and who does what.",
    },
    {
        "slug": "information-sharing",
        "name": "Information-sharing",
        "name_cy": "Rhannu gwybodaeth",
        "description": "Consent, the Caldicott principles, sharing formulations with permission, "
        "records in proceedings and writing respectful notes.",
    },
    {
        "slug": "hope-boxes",
        "name": "HOPE Boxes",
        "name_cy": "Blychau HOPE",
        "description": "The purpose, co-production, delivery and multi-agency implementation of "
        "HOPE Boxes.",
    },
    {
        "slug": "emotional-regulation",
        "name": "Emotional regulation and stabilisation",
        "name_cy": "Rheoleiddio emosiynol a sefydlogi",
        "description": "Antenatal psychoeducation, preparation where separation is planned, "
        "post-separation stabilisation, grief and loss.",
    },
    {
        "slug": "formulation-and-planning",
        "name": "Formulation and compassionate planning",
        "name_cy": "Fformiwleiddio a chynllunio tosturiol",
        "description": "Psychological formulation, trauma-informed birth plans, separation plans "
        "and post-separation support plans.",
    },
    {
        "slug": "looking-after-yourself",
        "name": "Looking after yourself and each other",
        "name_cy": "Gofalu amdanoch eich hun a'ch gilydd",
        "description": "Supervision, moral injury, vicarious trauma, reflective practice and "
        "peer support.",
    },
]

AUDIENCES: list[dict[str, str]] = [
    {
        "slug": "maternal-mental-health",
        "name": "Maternal mental health services",
        "name_cy": "Gwasanaethau iechyd meddwl mamau",
    },
    {
        "slug": "maternity-neonatal",
        "name": "Maternity and neonatal services",
        "name_cy": "Gwasanaethau mamolaeth a newyddenedigol",
    },
    {
        "slug": "childrens-social-care",
        "name": "Children's social care",
        "name_cy": "Gofal cymdeithasol plant",
    },
    {
        "slug": "vcse",
        "name": "Voluntary, community and social enterprise (VCSE)",
        "name_cy": "Y sector gwirfoddol, cymunedol a mentrau cymdeithasol (VCSE)",
    },
    {
        "slug": "perinatal-mental-health",
        "name": "Perinatal mental health services",
        "name_cy": "Gwasanaethau iechyd meddwl amenedigol",
    },
]

TOPIC_SLUGS: frozenset[str] = frozenset(topic["slug"] for topic in TOPICS)
AUDIENCE_SLUGS: frozenset[str] = frozenset(audience["slug"] for audience in AUDIENCES)


def curriculum_files(directory: Path = CURRICULUM_DIR) -> list[Path]:
    """Return the module JSON files in load order (sorted by filename)."""
    return sorted(directory.glob("*.json"), key=lambda path: path.name)


QUESTION_KINDS: frozenset[str] = frozenset({"single", "multiple"})
QUESTION_LEVELS: frozenset[str] = frozenset({"recall", "applied"})


def question_bank(module: dict[str, Any]) -> dict[str, Any]:
    """A module's end-of-module check: ``{"ask_per_outcome": n, "questions": [...]}``, each
    question tagged with the 1-based ``outcome`` it tests and its ``level``. Raises
    ``ValueError`` for a module still in the earlier format (a plain list of questions)."""
    check = module.get("end_of_module_check")
    if not isinstance(check, dict) or not isinstance(check.get("questions"), list):
        raise ValueError(
            f"{module.get('slug')}: end_of_module_check must be an object with "
            '"ask_per_outcome" and "questions" (the question-bank format)'
        )
    ask = check.get("ask_per_outcome", 2)
    if not isinstance(ask, int) or ask < 1:
        raise ValueError(f"{module.get('slug')}: ask_per_outcome must be a whole number, 1 or more")
    return {"ask_per_outcome": ask, "questions": check["questions"]}


def module_questions(module: dict[str, Any]) -> list[dict[str, Any]]:
    """Every question in a module: its lessons' knowledge checks, then its question bank."""
    questions = [
        block["value"]
        for lesson in module["lessons"]
        for block in lesson["body"]
        if block.get("type") == "knowledge_check"
    ]
    return questions + question_bank(module)["questions"]


def load_curriculum(directory: Path = CURRICULUM_DIR) -> list[dict[str, Any]]:
    """Read every ``*.json`` file in the curriculum folder and return the module dicts.

    Files are read in filename order (``01-…`` to ``08-…``), so the list is in teaching order.
    """
    modules: list[dict[str, Any]] = []
    for path in curriculum_files(directory):
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
        if not isinstance(data, dict):
            raise ValueError(f"{path.name}: expected one module object, got {type(data).__name__}")
        modules.append(data)
    return modules


__all__ = [
    "AUDIENCES",
    "AUDIENCE_SLUGS",
    "CURRICULUM_DIR",
    "QUESTION_KINDS",
    "QUESTION_LEVELS",
    "TOPICS",
    "TOPIC_SLUGS",
    "curriculum_files",
    "load_curriculum",
    "module_questions",
    "question_bank",
]
