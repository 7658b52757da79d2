"""Every user-visible string has a Dutch translation, and the catalog matches the code."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "samen030" / "locale" / "nl" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext tools are installed by make test")


def entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr (for plural entries the first form), normalised by gettext's msgcat."""
    result = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", str(path)], capture_output=True, text=True, check=True
    )
    found: dict[str, str] = {}
    current: str | None = None
    for line in result.stdout.splitlines():
        if line.startswith("msgid "):
            current = line[len('msgid "') : -1]
        elif current is not None and line.startswith(("msgstr ", "msgstr[0] ")):
            found[current] = line.split(" ", 1)[1][1:-1]
            current = None
    found.pop("", None)
    return found


def test_every_string_is_translated_into_dutch():
    untranslated = subprocess.run(
        ["msgattrib", "--untranslated", "--no-obsolete", str(CATALOG)], capture_output=True, text=True, check=True
    ).stdout
    fuzzy = subprocess.run(
        ["msgattrib", "--only-fuzzy", "--no-obsolete", str(CATALOG)], capture_output=True, text=True, check=True
    ).stdout
    assert untranslated == "", f"untranslated entries:\n{untranslated[:2000]}"
    assert fuzzy == "", f"fuzzy entries:\n{fuzzy[:2000]}"


def test_the_catalog_covers_every_string_in_the_code(tmp_path):
    """Extract the strings again into a scratch copy: none may be missing from the committed catalog."""
    scratch = tmp_path / "samen030"
    shutil.copytree(ROOT / "samen030", scratch, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    # The scratch copy's own settings come first on the path, so makemessages writes only inside tmp_path.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "samen030.settings",
        "SAMEN030_TESTING": "1",
        "PYTHONPATH": str(tmp_path),
        "SAMEN030_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "-v0"],
        cwd=scratch,
        check=True,
        env=env,
    )
    fresh = entries(scratch / "locale" / "nl" / "LC_MESSAGES" / "django.po")
    missing = sorted(set(fresh) - set(entries(CATALOG)))
    assert not missing, f"run `make messages-update` and translate: {missing[:20]}"


def test_dutch_texts_keep_their_placeholders():
    for msgid, msgstr in entries(CATALOG).items():
        placeholders = sorted(re.findall(r"%\(\w+\)s", msgid))
        assert sorted(re.findall(r"%\(\w+\)s", msgstr)) == placeholders, msgid
