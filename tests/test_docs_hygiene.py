"""Code, templates and docs say what the code does in the repository's own words: no file cites
a document that is not in the repository, a specification of the product, or an issue or milestone
number as the history of a piece of code.

The patterns are assembled from parts so that this file does not match itself.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".py", ".html", ".md"}
# Folders never read: installed packages, build output and the benchmark's raw results.
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", "static_collected", "media", "var"}
SKIP_PATHS = {Path("docs") / "bench"}

SHARED = "../" + "shared"
PRODUCT = "PRODUCT" + ".md"
FORBIDDEN = {
    "a folder outside the repository": re.compile(re.escape(SHARED)),
    "the product document": re.compile(re.escape(PRODUCT), re.IGNORECASE),
    "a specification of the product": re.compile(r"\bproduct\s+" + "specification", re.IGNORECASE),
    "an issue number": re.compile(r"\bissue\s*#\s*\d*|\bissues?\s+\d{1,4}\b", re.IGNORECASE),
    "a milestone number": re.compile(
        r"\bstop[\s-]?(?:[1-9]\d?)\b(?![\s-]*(?:seconds?|minutes?))", re.I
    ),
}


def checked_files() -> list[Path]:
    found = []
    for folder, dirs, files in os.walk(ROOT):
        here = Path(folder).relative_to(ROOT)
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and (here / d) not in SKIP_PATHS)
        found.extend(Path(folder) / name for name in sorted(files) if Path(name).suffix in SUFFIXES)
    return found


def findings(text: str) -> list[str]:
    """What ``text`` cites that it should not, one line each."""
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        for what, pattern in FORBIDDEN.items():
            if match := pattern.search(line):
                out.append(f"{number}: {what} ({match.group(0)!r})")
    return out


@pytest.mark.parametrize(
    "line",
    [
        "See " + SHARED + "/security/xss for the corpus.",
        "The rules in " + PRODUCT + ", Numbers.",
        "The product " + "specification says so.",
        "Added for issue " + "#12.",
        "the benchmark (issue " + "9)",
        "as it landed in stop " + "13",
        "Stop" + "-12 runs",
    ],
)
def test_each_kind_of_citation_is_caught(line):
    assert findings(line)


@pytest.mark.parametrize(
    "line",
    [
        "Issue the certificate, then build its PDF.",
        "the national MMHS service specification",
        "Stop the worker, then start it again.",
        "requests stop 5 seconds after the deadline",
        "A non-stop run of 100 rounds",
    ],
)
def test_ordinary_words_pass(line):
    assert not findings(line)


def test_the_walk_reads_code_templates_and_docs():
    files = {path.relative_to(ROOT).as_posix() for path in checked_files()}
    assert {"README.md", "docs/architecture.md", "learning/urls.py"} <= files
    assert any(name.startswith("templates/") and name.endswith(".html") for name in files)
    assert not any(name.startswith(("docs/bench/", "node_modules/", ".venv/")) for name in files)


def test_no_file_cites_outside_documents_or_issue_history():
    problems = []
    for path in checked_files():
        for finding in findings(path.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{path.relative_to(ROOT)}:{finding}")
    assert not problems, "Say what the code does instead:\n" + "\n".join(problems)
