"""The GitHub Action's step (action.yml): validate the data files a pull request changes.

`python -m peacetrack.action` reads its inputs from the environment (INPUT_PATHS, one path a
line; INPUT_AGAINST; INPUT_FORMAT) and the pull request's base from GITHUB_BASE_REF. File names
come from the pull request, so they are hostile: git lists them NUL-separated (-z), and they
reach `peacetrack validate` as arguments after `--`, never through a shell.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

from peacetrack.errors import ActionError
from peacetrack.tables import ARTICLE, CODING_FILE, CODING_FILES, SOURCE_FILE, TABLES
from peacetrack.validator.readers import READERS
from peacetrack.validator.report import FORMATS, call_error_annotation

# The files `peacetrack validate` reads by their name; .pre-commit-hooks.yaml's `files:` is this.
# A committed draft is checked too: its rows still marked draft are errors, so it cannot land.
DATA_FILE = re.compile(
    rf"(^|/)(({'|'.join(TABLES)})\.({'|'.join(s.lstrip('.') for s in READERS)})|{'|'.join(map(re.escape, CODING_FILES))})$"
)


def checked_as(name: str) -> str:
    """The file that checks `name`: a seed's article or source.yaml is checked through the
    seed's coding.yaml, which holds the offsets into it."""
    folder, _, file = name.rpartition("/")
    return f"{folder}/{CODING_FILE}" if folder and file in (ARTICLE, SOURCE_FILE) else name


def changed_data_files(base_ref: str) -> list[str]:
    """The data files added, copied, modified or retyped (a file made a link) between
    `origin/<base_ref>` and HEAD, each once, in order."""
    try:
        listed = subprocess.run(
            [
                "git",
                "diff",
                "-z",
                "--no-renames",
                "--name-only",
                "--diff-filter=ACMT",
                f"origin/{base_ref}...HEAD",
                "--",
            ],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        raise ActionError(
            f"cannot list the files changed against origin/{base_ref} (check out with fetch-depth: 0): "
            + os.fsdecode(detail).strip()[:500]
        ) from None
    names = [checked_as(os.fsdecode(name)) for name in listed.split(b"\0") if name]
    return sorted({name for name in names if DATA_FILE.search(name)})


def paths_to_validate(environ: dict[str, str]) -> list[str]:
    """The `paths` input, one a line; else the pull request's changed data files."""
    given = [line.strip() for line in environ.get("INPUT_PATHS", "").splitlines() if line.strip()]
    if given:
        return given
    base_ref = environ.get("GITHUB_BASE_REF", "")
    if not base_ref:
        raise ActionError("not a pull request (GITHUB_BASE_REF is empty): give the files to check in `paths`")
    return changed_data_files(base_ref)


def validate_argv(paths: list[str], environ: dict[str, str]) -> list[str]:
    against = environ.get("INPUT_AGAINST", "").strip()
    output = environ.get("INPUT_FORMAT", "").strip() or "github"
    if output not in FORMATS:
        raise ActionError(f"unknown format {output[:100]!r}: one of {', '.join(FORMATS)}")
    return ["validate", "--format", output, *(["--against", against] if against else []), "--", *paths]


def main() -> int:
    """Exit as `peacetrack validate` does: 0 valid, 1 faults, 2 a wrong call."""
    environ = dict(os.environ)
    try:
        paths = paths_to_validate(environ)
        argv = validate_argv(paths, environ)
    except ActionError as error:
        print(call_error_annotation(str(error)), flush=True)
        return 2
    if not paths:
        print("no changed data files", flush=True)
        return 0
    return subprocess.run([sys.executable, "-m", "peacetrack", *argv]).returncode


if __name__ == "__main__":
    sys.exit(main())
