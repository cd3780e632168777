"""The changelog, `CHANGELOG.md`: where a release's date comes from (`## [VERSION] - YYYY-MM-DD`)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from peacetrack.errors import ReleaseError
from peacetrack.files import reported_as_release_error

CHANGELOG_HEADING = re.compile(r"^##\s+\[(?P<version>[^\]]+)\](?:\s+-\s+(?P<date>\S+))?\s*$")


def changelog_text(changelog: Path, version: str) -> str:
    """The changelog's text; a missing, unreadable or non-UTF-8 one is a clear error."""
    if not changelog.is_file():
        raise ReleaseError(f"{changelog}: no changelog; add an entry `## [{version}] - YYYY-MM-DD` first")
    with reported_as_release_error(f"read the changelog {changelog}"):
        data = changelog.read_bytes()
    try:
        return data.decode("utf-8-sig")  # the byte order mark some editors put first is no text
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ReleaseError(
            f"{changelog}:{line}: not UTF-8 (byte offset {error.start}); save the changelog as UTF-8"
        ) from None


def changelog_date(changelog: Path, version: str) -> date:
    """The release date of `version`, from its `## [VERSION] - YYYY-MM-DD` changelog entry.

    The date is the only one a release carries, so nothing depends on when it was cut. A
    level-2 heading that names the version in another form is reported where it is.
    """
    named = re.compile(rf"^##(?!#).*(?<![\w.+-])[vV]?{re.escape(version)}(?![\w.+-])")
    entries, malformed = [], []
    for number, line in enumerate(changelog_text(changelog, version).split("\n"), start=1):
        match = CHANGELOG_HEADING.match(line)
        if match and match["version"] == version:
            entries.append((number, match["date"]))
        elif named.match(line):
            malformed.append(number)
    expected = f"`## [{version}] - YYYY-MM-DD`"
    if len(entries) > 1:
        lines = ", ".join(str(number) for number, _ in entries)
        raise ReleaseError(f"{changelog}: {len(entries)} entries for {version} (lines {lines}); keep one")
    if not entries and malformed:
        raise ReleaseError(f"{changelog}:{malformed[0]}: malformed heading for {version}; write it as {expected}")
    if not entries:
        raise ReleaseError(f"{changelog}: no entry for {version}; add {expected} describing the changes first")
    ((number, day),) = entries
    try:
        return date.fromisoformat(day or "")
    except ValueError:
        found = f", not {day[:40]!r}" if day else ""
        raise ReleaseError(f"{changelog}:{number}: entry for {version} needs a date{found}: {expected}") from None
