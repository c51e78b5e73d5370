"""The detection rules behind ``learning.identifiers``: each finder takes text that
``learning.identifiers.normalise`` has already tidied (hidden characters gone, every run of
spaces and line breaks one plain space, dashes and quotes plain) and yields ``(start, end)``
spans in it. Only ``learning.identifiers`` uses them (an import-linter contract keeps apps out).

The rules tolerate what people do to numbers and codes, on purpose or not: dots, slashes,
underscores and spaces between the digits or letters, "at" and "dot" for "@" and ".", titles in
any case, dates written in words.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import phonenumbers

Span = tuple[int, int]

# --- NHS numbers ----------------------------------------------------------------------------

# A run of digits that may be broken up by short separators ("943.476.5919", "9 4 3 4 ...").
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ .\-/_]{1,3}\d+)*(?!\d)")
_DIGITS = re.compile(r"\d+")


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number mod-11 check: weights 10 to 2 on the first nine digits."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_numbers(text: str) -> Iterator[Span]:
    """Ten digits with a valid check digit, made of whole groups of a run of digits."""
    for run in _DIGIT_RUN.finditer(text):
        groups = [
            (m.start() + run.start(), m.end() + run.start()) for m in _DIGITS.finditer(run.group())
        ]
        first = 0
        while first < len(groups):
            size, last = 0, first
            while last < len(groups) and size < 10:
                size += groups[last][1] - groups[last][0]
                last += 1
            if size == 10:
                digits = "".join(text[s:e] for s, e in groups[first:last])
                if nhs_number_is_valid(digits):
                    yield groups[first][0], groups[last - 1][1]
                    first = last
                    continue
            first += 1


# --- email addresses ------------------------------------------------------------------------

_TLD = r"(?:com|org|net|uk|gov|nhs|ac|edu|io|info|me|wales|cymru|scot|ie|eu|co|biz)"
_AT_WORD = r"(?:\s*[\[({<]\s*at\s*[\])}>]\s*|\s+at\s+)"
_DOT_WORD = r"(?:\s*[\[({<]\s*dot\s*[\])}>]\s*|\s+dot\s+|\s?\.\s?)"
_EMAIL = re.compile(
    r"(?<![\w.+\-])[\w.+\-]+\s?@\s?[\w\-]+(?:\s?\.\s?[\w\-]+)*\s?\.\s?[A-Za-z]{2,}\b"
)
_EMAIL_WORDS = re.compile(
    rf"(?<![\w.+\-])[\w+\-]+(?:{_DOT_WORD}[\w+\-]+)*{_AT_WORD}[a-z0-9\-]+"
    rf"(?:{_DOT_WORD}[a-z0-9\-]+)*?{_DOT_WORD}{_TLD}\b",
    re.IGNORECASE,
)


def emails(text: str) -> Iterator[Span]:
    for pattern in (_EMAIL, _EMAIL_WORDS):
        for m in pattern.finditer(text):
            yield m.span()


# --- court and case numbers -----------------------------------------------------------------

_S = r"[ .\-/_]?"
# Family court case numbers such as ZW24C50123, however spaced.
_CASE_CODE = re.compile(
    rf"(?<![A-Za-z0-9])[A-Z]{_S}[A-Z]{_S}\d{_S}\d{_S}[A-Z]{_S}\d(?:{_S}\d){{4}}(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# "case no. 12345", "court ref: AB/123/24", "case number 5 0 1 2 3"
_CASE_WORDS = re.compile(
    r"(?i:\b(?:case|court|claim|proceedings)\s*(?:no\.?|number|num\.?|ref(?:erence)?\.?|#))"
    r"\s*[:.]?\s*(?:[A-Z]{1,3}[ /\-.]?)?\d+(?:[ /\-.]?(?:\d+|[A-Z]{1,2}(?=[ /\-.]?\d)))*"
)


def case_numbers(text: str) -> Iterator[Span]:
    for pattern in (_CASE_CODE, _CASE_WORDS):
        for m in pattern.finditer(text):
            yield m.span()


# --- dates ----------------------------------------------------------------------------------

_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|"
    r"december|(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?)"
)
_UNITS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    "thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth"
)
_ORDINAL_WORD = (
    rf"(?:(?:twenty|thirty)[ \-]?(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    rf"|twentieth|thirtieth|{_UNITS})"
)
_DAY = rf"(?:(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?|{_ORDINAL_WORD})"
_YEAR = r"(?:(?:19|20)\d{2}|'\d{2}|\d{2}(?!\d))"
# Welsh months, with the mutated forms a date often takes: "o Fawrth", "ym Mehefin" stays,
# "fis Fehefin", "o Orffennaf", "i Dachwedd" ("Mai" alone is also the word "that", so Welsh
# months count only after a day: "3 Mai", "3ydd o Fai").
_MONTH_CY = (
    r"(?:ionawr|chwefror|[mf]awrth|ebrill|[mf]ai|[mf]ehefin|g?orffennaf|awst|[mf]edi|hydref|"
    r"[td]achwedd|r?h?agfyr)"
)
# A Welsh day: 1af, 2il, 3ydd, 4ydd, 5ed, 6ed, 7fed, 11eg, 12fed, 20fed, 21ain, or the number.
_DAY_CY = r"(?:0?[1-9]|[12]\d|3[01])(?:af|il|ydd|ed|fed|eg|ain)?"
_DSEP = r"\s?[/.\-_]\s?"
_NUM_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_NUM_MONTH = r"(?:0?[1-9]|1[0-2])"
# (pattern, whether it carries a year)
_DATES = [
    # 12/03/2024, 12.03.24, 12_03_2024, 12 / 03 / 2024
    (
        re.compile(
            rf"(?<![\d/.\-_]){_NUM_DAY}{_DSEP}{_NUM_MONTH}{_DSEP}(?:\d{{4}}|\d{{2}})(?![\d/.\-_]?\d)"
        ),
        True,
    ),
    # 2024-03-12
    (re.compile(rf"(?<!\d)(?:19|20)\d{{2}}{_DSEP}{_NUM_MONTH}{_DSEP}{_NUM_DAY}(?!\d)"), True),
    # the twelfth of March 2024, 12th Mar, 3 May '24
    (
        re.compile(
            rf"(?<![\w])(?:the )?{_DAY}(?: of)? {_MONTH}(?:,? (?:in )?{_YEAR})?(?![\w])",
            re.IGNORECASE,
        ),
        None,
    ),
    # March the twelfth, March 12, 2024
    (
        re.compile(rf"(?<![\w]){_MONTH} (?:the )?{_DAY}(?:,? {_YEAR})?(?![\w])", re.IGNORECASE),
        None,
    ),
    # Welsh: 12 Mawrth 2024, y 12fed o Fawrth, 3ydd o Fehefin '24
    (
        re.compile(
            rf"(?<![\w])(?:y )?{_DAY_CY}(?: o)? {_MONTH_CY}(?:,? {_YEAR})?(?![\w])",
            re.IGNORECASE,
        ),
        None,
    ),
    # 12/03 (no year): counted only next to a sign of a birth
    (re.compile(rf"(?<![\d/.\-_]){_NUM_DAY}[/.]{_NUM_MONTH}(?![\w/]|\.\d)"), False),
]
_HAS_YEAR = re.compile(rf"(?:19|20)\d{{2}}|'\d{{2}}|{_MONTH},? \d{{2}}$|\d{{2}}$", re.IGNORECASE)
# A sign that a nearby date is a birth date.
_BIRTH_BEFORE = re.compile(
    r"\b(?:born|birth|birthday|dob|d\.\s?o\.\s?b|b\.|due|edd|delivered"
    r"|(?:baby|twins|son|daughter|one|boy|girl)\s(?:\w+\s)?arrived"
    # Welsh: ganwyd / ganed (was born), geni (birth), genedigaeth, dyddiad geni, disgwyl (due)
    r"|ganwyd|ganed|g?eni|[gn]?enedigaeth|disgwyl)\b\W*(?:\w+\W+){0,4}$",
    re.IGNORECASE,
)
_BIRTH_AFTER = re.compile(
    r"^\W{0,3}\(?(?:dob|d\.o\.b|date of birth|born|birthday|dyddiad geni|pen-blwydd)\b",
    re.IGNORECASE,
)
# An event named just before a date: a meeting date, not a birth date.
_EVENT_BEFORE = re.compile(
    r"\b(?:meeting|meet|met|supervision|session|training|course|webinar|day|days|panel|review|"
    r"mdt|huddle|appraisal|conference|workshop|group|audit|booked|due back|deadline|shift|rota|"
    r"hearing|visit|appointment|since|until|from|leave|holiday|started|starts|module|"
    r"away day|seminar|event|clinic|forum|call|"
    # Welsh: meeting, supervision, session, training, course, hearing, visit, appointment, since
    r"cyfarfod|gyfarfod|goruchwyliaeth|oruchwyliaeth|sesiwn|hyfforddiant|cwrs|gwrandawiad|"
    r"wrandawiad|ymweliad|apwyntiad|ers|tan|gweithdy|cynhadledd|gynhadledd|clinig)\b\W*"
    r"(?:\w+\W+){0,4}$",
    re.IGNORECASE,
)


def dates(text: str) -> Iterator[Span]:
    """Dates that may be dates of birth: any date next to a sign of a birth, and any full date
    (with a year) that does not follow the name of an event such as a meeting or a session."""
    for pattern, with_year in _DATES:
        for m in pattern.finditer(text):
            start, end = m.span()
            before = text[max(0, start - 60) : start]
            if _BIRTH_BEFORE.search(before) or _BIRTH_AFTER.search(text[end : end + 20]):
                yield start, end
                continue
            has_year = with_year if with_year is not None else bool(_HAS_YEAR.search(m.group()))
            if has_year and not _EVENT_BEFORE.search(before):
                yield start, end


# --- phone numbers --------------------------------------------------------------------------

_MANY_DIGITS = re.compile(r"(?:\d\D{0,3}){9}")
_DIALLED = re.compile(r"^(?:\+|00|\(?0)")


def phones(text: str) -> Iterator[Span]:
    """UK numbers as the ``phonenumbers`` library reads them, written from the UK (0...) or
    from abroad (+44, 0044), however spaced or dotted. Freephone numbers (0800, 0808: national
    helplines) and ten digits that pass the NHS number check are left to the other rules."""
    if not _MANY_DIGITS.search(text):
        return
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    for m in matcher:
        number = m.number
        national = str(number.national_number)
        digits = re.sub(r"\D", "", m.raw_string)
        if len(digits) == 10 and nhs_number_is_valid(digits):
            continue  # ten digits with a valid check digit: an NHS number
        if (
            number.country_code == 44
            and len(national) in (9, 10)
            and national[0] in "1235789"
            and not national.startswith(("800", "808"))  # freephone helplines identify nobody
            and _DIALLED.match(m.raw_string)
        ):
            yield m.start, m.end


# --- postcodes ------------------------------------------------------------------------------

_P = r"[ .\-_/]?"
_OUTWARD = (
    rf"(?:[A-PR-UWYZ]{_P}[A-HK-Y]{_P}\d{_P}[ABEHMNPRVWXY\d]?|[A-PR-UWYZ]{_P}\d{_P}[A-HJKPSTUW\d]?)"
)
_POSTCODE = re.compile(
    rf"(?<![A-Za-z0-9])(?:GIR ?0AA|{_OUTWARD}[ .\-_/]{{0,2}}\d{_P}[ABD-HJLNP-UW-Z]{_P}"
    rf"[ABD-HJLNP-UW-Z])(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_ALNUM = re.compile(r"[A-Za-z0-9]")


def _evenly_spaced(gaps: list[bool]) -> bool:
    return all(gaps) or not any(gaps)


def postcodes(text: str) -> Iterator[Span]:
    """Postcodes written whole ("SW1A 1AA") or with a space or mark between every character
    ("S W 1 A 1 A A"); a mix within one half ("A470 up") is ordinary text."""
    for m in _POSTCODE.finditer(text):
        places = [c.start() for c in _ALNUM.finditer(m.group())]
        gaps = [b - a > 1 for a, b in itertools.pairwise(places)]
        if _evenly_spaced(gaps[:-3]) and _evenly_spaced(gaps[-2:]):
            yield m.span()


# --- names after a title --------------------------------------------------------------------

# Titles that may be followed by a name in lower case ("mrs smith", "dr jones").
_SHORT_TITLES = {"mr", "mrs", "ms", "mx", "dr", "revd", "rev", "prof"}
# Titles that are also ordinary words: a name after them must have a capital.
_WORD_TITLES = {
    "miss",
    "doctor",
    "professor",
    "reverend",
    "sir",
    "dame",
    "lady",
    "baby",
    # Welsh titles: Parchedig (Reverend), Athro (Professor), Bonwr (Mr), Boneddiges,
    # Bonesig and Meistres (Mrs), Meistr (Mr), and the short forms.
    "parch",
    "parchedig",
    "athro",
    "bonwr",
    "bns",
    "boneddiges",
    "bonesig",
    "meistres",
    "meistr",
}
_TITLE = re.compile(
    r"(?<![\w'’])("
    + "|".join(sorted(_SHORT_TITLES | _WORD_TITLES, key=len, reverse=True))
    + r")\b\.?",
    re.IGNORECASE,
)
_NEXT_WORD = re.compile(r" ([A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z])(\.?)")
# Words that follow a title without being a name.
_STOP_TEXT = """
    a about above across after again against all also am an and another any anyone are as
    asked at away back be because been before being below between both but by came can cannot
    care clinic come comes could daily day did do does doing done down during each early either
    else even ever every everyone few first for from gave get gets getting girl boy give go goes
    going gone good got great group had has have having he her here hers him his home how i if in
    into is it its just kept know knows last later less let like little made make makes many may
    me might more most much must my need needs never new next no nor not now of off often on once
    one only or other our out over own please put quite rather really right said same saw say
    says see seemed seems she should since so some soon still such take takes talked team than
    thank that the their them then there these they thing things think this those though through
    to today told too took two under unit until up upon us used very visit want wanted wants was
    we well went were what when where whether which while who whom whose why will with without
    would yes yet you your bank box boxes massage loss room ward clinic care group unit feeding
    feed cot milk food clothes blues brain steps weeks months days born birth due arrived name
    names also both each every nurse midwife team visitor worker about because before
    """
STOP_WORDS = frozenset(_STOP_TEXT.split())


def _name_words(text: str, at: int, *, lower_ok: bool, max_words: int = 3) -> int:
    """Where the name that starts at ``at`` (after a title) ends, or ``at`` if there is none.
    An initial ("J.") counts only before a surname."""
    end, words, pending_initial = at, 0, None
    pos = at
    while words < max_words:
        m = _NEXT_WORD.match(text, pos)
        if not m:
            break
        word = m.group(1)
        if word.lower() in STOP_WORDS and not (len(word) == 1 and word.isupper()):
            break
        capital = word[0].isupper()
        if len(word) == 1:
            if not capital or pending_initial is not None:
                break
            pending_initial = m.end()
            pos = m.end()
            continue
        if not capital and (not lower_ok or words):
            break  # one name in lower case ("mrs smith"), then the sentence goes on
        words += 1
        pending_initial = None
        end = m.end(1)
        pos = m.end(1)
    return end


_BABY_SEX = re.compile(r" (?:girl|boy|of)\b", re.IGNORECASE)


def names(text: str) -> Iterator[Span]:
    """A name after a title, in any case: "Mrs J. Smith", "MRS SMITH", "mrs smith", "Dr Okafor",
    "Baby girl Smith", "Parch Jones"."""
    for m in _TITLE.finditer(text):
        title = m.group(1).lower()
        at = m.end()
        lower_ok = title in _SHORT_TITLES
        if title in _WORD_TITLES and title != "baby" and not m.group(1)[0].isupper():
            continue  # "I miss Tom", "the lady Sam helped": ordinary words
        if title == "baby" and (sex := _BABY_SEX.match(text, at)):
            at, lower_ok = sex.end(), True
        elif m.group(1).isupper() and len(m.group(1)) > 1:
            lower_ok = False  # "MRS SMITH": the name is in capitals too
        end = _name_words(text, at, lower_ok=lower_ok)
        if end > at:
            yield m.start(), end
