"""Checks on the seed curriculum in ``modules/curriculum/*.json``.

Plain data tests: no database and no Django settings are needed, only ``modules.curriculum``.
They hold the teaching content to the curriculum's rules: eight modules
in order, 3-6 lessons each, a knowledge check in every lesson, reflection prompts, case scenarios
and key points, well-formed questions, safe HTML, person-first language and no personal
identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest

from modules.curriculum import (
    AUDIENCE_SLUGS,
    AUDIENCES,
    TOPIC_SLUGS,
    TOPICS,
    curriculum_files,
    load_curriculum,
)

CURRICULUM = load_curriculum()
MODULE_IDS = [module.get("slug", str(index)) for index, module in enumerate(CURRICULUM)]
each_module = pytest.mark.parametrize("module", CURRICULUM, ids=MODULE_IDS)

EXPECTED_TITLES = [
    "Separation at birth: what we know",
    "Trauma-informed care in practice",
    "Family justice processes",
    "Information-sharing and professional responsibilities",
    "HOPE Boxes",
    "Emotional regulation and stabilisation",
    "Psychological formulation and compassionate planning",
    "Looking after yourself and each other",
]
EXPECTED_AUDIENCES = {
    "maternal-mental-health",
    "maternity-neonatal",
    "childrens-social-care",
    "vcse",
    "perinatal-mental-health",
}
MODULE_KEYS = {
    "slug",
    "title",
    "topic",
    "summary",
    "audiences",
    "estimated_minutes",
    "cpd_minutes",
    "learning_outcomes",
    "content_note",
    "pass_mark",
    "references",
    "end_of_module_check",
    "lessons",
    "governance",
}
LESSON_KEYS = {"slug", "title", "summary", "estimated_minutes", "content_note", "body"}
BLOCK_VALUE_KEYS: dict[str, set[str] | None] = {
    "rich_text": None,  # an HTML string
    "key_points": {"heading", "points"},
    "quote": {"text", "attribution"},
    "case_scenario": {"title", "scenario", "questions", "model_answer"},
    "knowledge_check": {"question", "kind", "level", "options", "explanation"},
    "reflection_prompt": {"prompt"},
    "pause": {"heading", "text"},
    "further_reading": {"references"},
}
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "a"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TAG_IN_PLAIN_TEXT = re.compile(r"</?[a-zA-Z][^>]*>")

# What each module must teach, as phrases that must appear.
REQUIRED_PHRASES = {
    "Separation at birth: what we know": [
        "Born into Care",
        "47.7 per 10,000",
        "68.3 per 10,000",
        "London",
        "North-West",
        "vulnerable time",
    ],
    "Trauma-informed care in practice": [
        "safety",
        "trust",
        "choice",
        "collaboration",
        "empowerment",
        "relationship-based",
        "elastic engagement",
        "DNA",
        "outreach",
    ],
    "Family justice processes": [
        "pre-birth assessment",
        "Public Law Outline",
        "letter before proceedings",
        "26 weeks",
        "Children and Families Act 2014",
        "section 20",
        "interim care order",
        "children's guardian",
        "solicitor",
        "midwife",
        "MMHS",
    ],
    "Information-sharing and professional responsibilities": [
        "consent",
        "formulation",
        "with her permission",
        "court order",
        "Caldicott",
        "Justify the purpose",
        "Use confidential information only when it is necessary",
        "Use the minimum necessary confidential information",
        "strict need-to-know basis",
        "aware of their responsibilities",
        "Comply with the law",
        "The duty to share information for individual care is as important",
        "Inform patients and service users",
    ],
    "HOPE Boxes": ["co-produc", "programme theory", "trained to deliver", "multi-agency"],
    "Emotional regulation and stabilisation": [
        "psychoeducation",
        "separation is planned",
        "stabilisation",
        "grief",
        "loss",
    ],
    "Psychological formulation and compassionate planning": [
        "formulation",
        "birth plan",
        "separation plan",
        "post-separation support plan",
    ],
    "Looking after yourself and each other": [
        "normative",
        "formative",
        "restorative",
        "Proctor",
        "moral injury",
        "vicarious trauma",
        "reflective practice",
        "peer support",
    ],
}

BANNED_PLACEHOLDERS = re.compile(
    r"\blorem\b|\bipsum\b|\btodo\b|\bfixme\b|\btbc\b|\btbd\b|content goes here|xxx",
    re.IGNORECASE,
)
REMOVAL = re.compile(r"\bremovals?\b", re.IGNORECASE)

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
IDENTIFIER_PATTERNS = {
    "date": re.compile(
        r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b"
        rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}\s+\d{{4}}\b"
        r"|\b(?:DOB|d\.o\.b\.?|date of birth)\s*[:\-]?\s*\d",
        re.IGNORECASE,
    ),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"),
    "phone number": re.compile(r"(?:\+44\s?\(?0?\)?\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b"),
    "email address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "court or case number": re.compile(
        r"\b[A-Z]{2}\d{2}[A-Z]\d{5}\b|\b(?:case|claim|court|ref)\s*(?:no\.?|number)\s*[:#]?\s*\S*\d",
        re.IGNORECASE,
    ),
    "titled name": re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z]+"),
    "baby's name": re.compile(r"\b[Bb]aby\s+[A-Z][a-z]+"),
}
NHS_NUMBER = re.compile(r"\b(\d{3})[ -]?(\d{3})[ -]?(\d{4})\b")


# --- helpers -------------------------------------------------------------------------------


def lesson_blocks(module: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for lesson in module["lessons"]:
        for block in lesson["body"]:
            yield lesson, block


def all_checks(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every question with its keys as a lesson check has them (a bank question's ``outcome`` is
    checked on its own)."""
    for _, block in lesson_blocks(module):
        if block["type"] == "knowledge_check":
            yield block["value"]
    for question in bank_questions(module):
        yield {key: value for key, value in question.items() if key != "outcome"}


def bank_questions(module: dict[str, Any]) -> list[dict[str, Any]]:
    check = module["end_of_module_check"]
    return check.get("questions", []) if isinstance(check, dict) else list(check)


def walk_strings(value: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], str]]:
    """Yield (path, text) for every string in a nested structure. A quote block's path contains
    ``"quote"`` so that direct quotation can be told apart from our own words."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, list):
        for item in value:
            yield from walk_strings(item, path)
    elif isinstance(value, dict):
        marker = (value["type"],) if isinstance(value.get("type"), str) else ()
        for key, item in value.items():
            yield from walk_strings(item, (*path, *marker, key))


def html_fields(module: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for lesson, block in lesson_blocks(module):
        where = f"{module['slug']}/{lesson['slug']}/{block['type']}"
        if block["type"] == "rich_text":
            yield where, block["value"]
        elif block["type"] == "case_scenario":
            yield where, block["value"]["scenario"]
        elif block["type"] == "pause":
            yield where, block["value"]["text"]


def plain_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def word_count(value: Any) -> int:
    return sum(len(plain_text(text).split()) for path, text in walk_strings(value))


def valid_nhs_number(digits: str) -> bool:
    total = sum(
        int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True)
    )
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


class TagAudit(HTMLParser):
    """Collects problems with tags and attributes, and checks that tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        if tag == "a":
            names = [name for name, _ in attrs]
            href = dict(attrs).get("href") or ""
            if names != ["href"] or not href.startswith("https://"):
                self.problems.append(f"<a> must have only an https:// href, got {attrs}")
        elif attrs:
            self.problems.append(f"<{tag}> must not have attributes, got {attrs}")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.stack.pop()

    def handle_comment(self, data: str) -> None:
        self.problems.append("HTML comments are not allowed")


def audit_html(html: str) -> list[str]:
    audit = TagAudit()
    audit.feed(html)
    audit.close()
    problems = audit.problems + [f"<{tag}> is never closed" for tag in audit.stack]
    if not plain_text(html).strip():
        problems.append("no text")
    return problems


def check_problems(check: dict[str, Any]) -> list[str]:
    problems = []
    if set(check) != BLOCK_VALUE_KEYS["knowledge_check"]:
        problems.append(f"keys {sorted(check)}")
        return problems
    if check["level"] not in {"recall", "applied"}:
        problems.append(f"unknown level {check['level']!r}")
    if not isinstance(check["question"], str) or not check["question"].strip():
        problems.append("empty question")
    if not isinstance(check["explanation"], str) or not check["explanation"].strip():
        problems.append("empty explanation")
    options = check["options"]
    if not 3 <= len(options) <= 5:
        problems.append(f"{len(options)} options (need 3-5)")
    for option in options:
        if set(option) != {"text", "correct", "feedback"}:
            problems.append(f"option keys {sorted(option)}")
            continue
        if not isinstance(option["correct"], bool):
            problems.append(f"option 'correct' is not a bool: {option['text']!r}")
        if not option["text"].strip() or not option["feedback"].strip():
            problems.append(f"option without text or feedback: {option['text']!r}")
    if len({option.get("text") for option in options}) != len(options):
        problems.append("duplicate option texts")
    correct = sum(1 for option in options if option.get("correct") is True)
    if check["kind"] == "single":
        if correct != 1:
            problems.append(f"single-answer question has {correct} correct options")
    elif check["kind"] == "multiple":
        if correct < 1:
            problems.append("multiple-answer question has no correct option")
        if correct == len(options):
            problems.append("multiple-answer question has no incorrect option")
    else:
        problems.append(f"unknown kind {check['kind']!r}")
    return problems


# --- the curriculum as a whole -------------------------------------------------------------


def test_eight_modules_in_curriculum_order() -> None:
    assert [module["title"] for module in CURRICULUM] == EXPECTED_TITLES


def test_files_are_numbered_and_named_after_their_module() -> None:
    files = curriculum_files()
    assert len(files) == 8
    for number, (path, module) in enumerate(zip(files, CURRICULUM, strict=True), start=1):
        assert path.name == f"{number:02d}-{module['slug']}.json"


def test_module_slugs_are_unique_and_url_safe() -> None:
    slugs = [module["slug"] for module in CURRICULUM]
    assert len(set(slugs)) == len(slugs)
    assert all(SLUG.match(slug) for slug in slugs), slugs


def test_topics_constant() -> None:
    assert len(TOPICS) == 8
    for topic in TOPICS:
        assert set(topic) == {"slug", "name", "name_cy", "description"}
        assert SLUG.match(topic["slug"])
        assert topic["name"].strip()
        assert topic["name_cy"].strip() and topic["name_cy"] != topic["name"]
        assert topic["description"].strip()
    assert len(TOPIC_SLUGS) == 8


def test_each_module_has_its_own_topic() -> None:
    topics = [module["topic"] for module in CURRICULUM]
    assert sorted(topics) == sorted(TOPIC_SLUGS)


def test_audiences_constant() -> None:
    assert {audience["slug"] for audience in AUDIENCES} == EXPECTED_AUDIENCES
    assert AUDIENCE_SLUGS == EXPECTED_AUDIENCES
    for audience in AUDIENCES:
        assert set(audience) == {"slug", "name", "name_cy"}
        assert audience["name"].strip()
        assert audience["name_cy"].strip() and audience["name_cy"] != audience["name"]


def test_every_audience_is_served() -> None:
    served = {slug for module in CURRICULUM for slug in module["audiences"]}
    assert served == EXPECTED_AUDIENCES


def test_most_modules_carry_a_content_note() -> None:
    with_note = [module["slug"] for module in CURRICULUM if module["content_note"].strip()]
    assert len(with_note) >= 6, with_note


# --- each module ---------------------------------------------------------------------------


@each_module
def test_module_shape(module: dict[str, Any]) -> None:
    assert set(module) == MODULE_KEYS
    for key in ("slug", "title", "topic", "summary", "content_note"):
        assert isinstance(module[key], str), key
    assert module["summary"].strip()
    assert module["topic"] in TOPIC_SLUGS
    assert module["audiences"], "at least one audience"
    assert len(set(module["audiences"])) == len(module["audiences"])
    assert set(module["audiences"]) <= AUDIENCE_SLUGS
    assert isinstance(module["pass_mark"], int)
    assert 1 <= module["pass_mark"] <= 100


@each_module
def test_module_minutes(module: dict[str, Any]) -> None:
    estimated, cpd = module["estimated_minutes"], module["cpd_minutes"]
    assert isinstance(estimated, int)
    assert isinstance(cpd, int)
    assert 0 < cpd <= estimated
    lesson_minutes = sum(lesson["estimated_minutes"] for lesson in module["lessons"])
    assert estimated >= lesson_minutes


@each_module
def test_learning_outcomes(module: dict[str, Any]) -> None:
    outcomes = module["learning_outcomes"]
    assert 3 <= len(outcomes) <= 5
    for outcome in outcomes:
        assert outcome.startswith("By the end you will be able to "), outcome


@each_module
def test_references(module: dict[str, Any]) -> None:
    assert module["references"]
    references = list(module["references"])
    for _, block in lesson_blocks(module):
        if block["type"] == "further_reading":
            assert block["value"]["references"]
            references += block["value"]["references"]
    for reference in references:
        assert set(reference) == {"citation", "url"}
        assert reference["citation"].strip()
        assert reference["url"] == "" or reference["url"].startswith("https://")
    citations = " ".join(reference["citation"] for reference in module["references"])
    assert "How to HOPE" in citations, "every module cites the learning review"


@each_module
def test_three_to_six_lessons(module: dict[str, Any]) -> None:
    assert 3 <= len(module["lessons"]) <= 6


@each_module
def test_lesson_shape(module: dict[str, Any]) -> None:
    slugs = [lesson["slug"] for lesson in module["lessons"]]
    assert len(set(slugs)) == len(slugs)
    for lesson in module["lessons"]:
        assert set(lesson) == LESSON_KEYS, lesson["slug"]
        assert SLUG.match(lesson["slug"]), lesson["slug"]
        assert lesson["title"].strip()
        assert lesson["summary"].strip()
        assert isinstance(lesson["content_note"], str)
        assert isinstance(lesson["estimated_minutes"], int)
        assert lesson["estimated_minutes"] > 0
        assert lesson["body"]


@each_module
def test_lessons_are_substantial(module: dict[str, Any]) -> None:
    for lesson in module["lessons"]:
        words = word_count(lesson["body"])
        assert 450 <= words <= 1400, f"{lesson['slug']}: {words} words"


@each_module
def test_every_lesson_has_a_knowledge_check(module: dict[str, Any]) -> None:
    for lesson in module["lessons"]:
        types = [block["type"] for block in lesson["body"]]
        assert "knowledge_check" in types, lesson["slug"]


@each_module
def test_module_has_reflection_case_scenario_and_key_points(module: dict[str, Any]) -> None:
    types = {block["type"] for _, block in lesson_blocks(module)}
    assert {"reflection_prompt", "case_scenario", "key_points"} <= types


@each_module
def test_block_shapes(module: dict[str, Any]) -> None:
    for lesson, block in lesson_blocks(module):
        where = f"{lesson['slug']}/{block.get('type')}"
        assert set(block) == {"type", "value"}, where
        assert block["type"] in BLOCK_VALUE_KEYS, where
        expected = BLOCK_VALUE_KEYS[block["type"]]
        value = block["value"]
        if expected is None:
            assert isinstance(value, str), where
            continue
        assert set(value) == expected, where
        if block["type"] == "key_points":
            assert value["heading"].strip()
            assert len(value["points"]) >= 2, where
            assert all(point.strip() for point in value["points"]), where
        elif block["type"] == "quote":
            assert value["text"].strip(), where
            assert value["attribution"].strip(), where
        elif block["type"] == "case_scenario":
            assert value["title"].strip(), where
            assert value["questions"], where
            assert all(question.strip() for question in value["questions"]), where
        elif block["type"] == "reflection_prompt":
            assert value["prompt"].strip(), where
        elif block["type"] == "pause":
            assert value["heading"].strip(), where


@each_module
def test_knowledge_checks_are_well_formed(module: dict[str, Any]) -> None:
    problems = {
        check["question"]: found for check in all_checks(module) if (found := check_problems(check))
    }
    assert not problems


@each_module
def test_end_of_module_check_is_a_bank_tagged_by_outcome(module: dict[str, Any]) -> None:
    """Two questions asked per outcome (8 to 10 in all), from a bank of at least twice that."""
    check = module["end_of_module_check"]
    assert isinstance(check, dict), "end_of_module_check is {ask_per_outcome, questions}"
    assert set(check) == {"ask_per_outcome", "questions"}
    assert check["ask_per_outcome"] == 2
    outcomes = len(module["learning_outcomes"])
    assert 8 <= check["ask_per_outcome"] * outcomes <= 10
    tags = [question.get("outcome") for question in check["questions"]]
    assert all(isinstance(tag, int) and 1 <= tag <= outcomes for tag in tags), tags
    for number in range(1, outcomes + 1):
        assert tags.count(number) >= 2 * check["ask_per_outcome"], f"outcome {number}"


@each_module
def test_html_uses_only_allowed_tags(module: dict[str, Any]) -> None:
    problems = {where: found for where, html in html_fields(module) if (found := audit_html(html))}
    assert not problems


@each_module
def test_plain_text_fields_hold_no_html(module: dict[str, Any]) -> None:
    html_paths = {("rich_text", "value"), ("case_scenario", "value", "scenario")}
    html_paths |= {("pause", "value", "text")}
    offenders = [
        text
        for path, text in walk_strings(module)
        if path[-3:] not in html_paths and path[-2:] not in html_paths
        if TAG_IN_PLAIN_TEXT.search(text)
    ]
    assert not offenders


@each_module
def test_no_placeholder_text(module: dict[str, Any]) -> None:
    offenders = [text for _, text in walk_strings(module) if BANNED_PLACEHOLDERS.search(text)]
    assert not offenders


@each_module
def test_person_first_language_outside_quotes(module: dict[str, Any]) -> None:
    """'separation', not 'removal', except in direct quotation (quotes and cited titles)."""
    offenders = [
        text
        for path, text in walk_strings(module)
        if "quote" not in path and "citation" not in path and REMOVAL.search(text)
    ]
    assert not offenders


@each_module
def test_no_personal_identifiers(module: dict[str, Any]) -> None:
    found = []
    for _, text in walk_strings(module):
        for kind, pattern in IDENTIFIER_PATTERNS.items():
            found += [(kind, match.group()) for match in pattern.finditer(text)]
        for match in NHS_NUMBER.finditer(text):
            digits = "".join(match.groups())
            if valid_nhs_number(digits):
                found.append(("NHS number", match.group()))
    assert not found


@each_module
def test_module_teaches_what_the_curriculum_requires(module: dict[str, Any]) -> None:
    text = " ".join(plain_text(text) for _, text in walk_strings(module)).lower()
    missing = [phrase for phrase in REQUIRED_PHRASES[module["title"]] if phrase.lower() not in text]
    assert not missing


# --- the checks above really catch problems --------------------------------------------------


def test_identifier_patterns_catch_examples() -> None:
    samples = {
        "date": "born 03/04/2024",
        "postcode": "lives at SW1A 1AA",
        "phone number": "call 07700 900123",
        "email address": "write to someone@example.org",
        "court or case number": "case LV19C03159",
        "titled name": "spoke to Ms Smith",
        "baby's name": "cuddled baby Oliver",
    }
    for kind, sample in samples.items():
        assert IDENTIFIER_PATTERNS[kind].search(sample), kind
    assert valid_nhs_number("9434765919")
    assert not valid_nhs_number("9434765918")


def test_html_audit_catches_bad_markup() -> None:
    good = '<p>Fine <strong>text</strong> <a href="https://example.org">x</a></p>'
    assert audit_html(good) == []
    assert audit_html("<script>alert(1)</script>")
    assert audit_html('<p onclick="x()">text</p>')
    assert audit_html('<a href="javascript:alert(1)">x</a>')
    assert audit_html("<p>unclosed")
    assert audit_html("<br/>")


def test_knowledge_check_audit_catches_bad_questions() -> None:
    option = {"text": "a", "correct": True, "feedback": "f"}
    wrong = [{"text": t, "correct": False, "feedback": "f"} for t in ("b", "c")]
    good = {
        "question": "q",
        "kind": "single",
        "level": "recall",
        "options": [option, *wrong],
        "explanation": "e",
    }
    assert check_problems(good) == []
    assert check_problems({**good, "kind": "multiple"}) == []  # one right of several is fine
    every_right = [option, {**option, "text": "z"}, {**option, "text": "y"}]
    assert check_problems({**good, "kind": "multiple", "options": every_right})
    assert check_problems({**good, "level": "hard"})
    assert check_problems({key: value for key, value in good.items() if key != "level"})
    assert check_problems({**good, "options": [option, {**option, "text": "z"}, *wrong]})
    assert check_problems({**good, "options": [option, {**wrong[0], "feedback": " "}, wrong[1]]})


@each_module
def test_every_module_says_who_owns_it_and_when_it_is_reviewed(module):
    import datetime

    gov = module["governance"]
    assert set(gov) == {"content_owner", "last_reviewed", "next_review", "version", "version_note"}
    last = datetime.date.fromisoformat(gov["last_reviewed"])
    due = datetime.date.fromisoformat(gov["next_review"])
    assert last < due <= last + datetime.timedelta(days=366)
    assert gov["content_owner"].strip() and gov["version"].strip()
    assert 20 <= len(gov["version_note"]) <= 1000


@each_module
def test_every_case_scenario_is_labelled_fictional_and_has_points_to_consider(module):
    for lesson in module["lessons"]:
        for block in lesson["body"]:
            if block["type"] == "case_scenario":
                value = block["value"]
                assert "fictional composite" in value["scenario"].lower(), value["title"]
                assert len(value.get("model_answer", "")) >= 100, value["title"]
