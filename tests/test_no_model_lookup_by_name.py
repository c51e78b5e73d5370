"""Apps import the models they use: none looks another app's model up by name
(``apps.get_model``) to get round the import contracts in pyproject.toml. Migrations must (their
historical models come that way), and so may the privacy registry, which resolves the labels each
app registers for its own models."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("learning", "modules", "reflection", "community")
# The privacy registry's handlers are registered by label by the app that owns the model; the
# registry resolves those labels to models (and walks every model for personal-data fields).
ALLOWED = {"learning/privacy/__init__.py"}


def test_no_app_code_looks_a_model_up_by_name():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "apps.get_model(" in line:
                    found.append(f"{relative}:{number}: {line.strip()}")
    assert found == []
    # The scan reads real files: the registry it allows does use the pattern.
    assert "apps.get_model(" in (ROOT / "learning/privacy/__init__.py").read_text(encoding="utf-8")
