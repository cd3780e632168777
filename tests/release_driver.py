"""One `peacetrack` CLI run in a process of its own, for the tests of concurrent and killed releases.

`python -m tests.release_driver ARGS...` runs `peacetrack ARGS...` with a data card that has
no figures (drawing them takes seconds; the card is not what these tests are about). With
PEACETRACK_TEST_GO=path it writes `path.<pid>.ready` once loaded and starts only when `path`
exists, so that two runs start together, or a kill is timed from the start of the work. With
PEACETRACK_TEST_KILL=step it SIGKILLs itself at that step of a release (see KILL_STEPS).
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from peacetrack import cli, files, release, report
from peacetrack.index import INDEX_FILE

from .helpers import card_without_figures


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def die_after(function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        function(*args, **kwargs)
        die()

    return run


def die_on_rename(is_step: Callable[[Path, Path], bool]) -> None:
    rename = os.replace

    def replace(source: Any, target: Any) -> None:
        if is_step(Path(source), Path(target)):
            die()
        rename(source, target)

    os.replace = replace  # type: ignore[assignment]


KILL_STEPS: dict[str, Callable[[], None]] = {
    # tables written into the staging folder, nothing else yet
    "staging": lambda: setattr(release, "write_tables", die_after(release.write_tables)),
    # the release folder moved into place, the index not yet written
    "moved": lambda: setattr(release, "write_index", lambda root, index: die()),
    # the new index written beside the old one, not yet renamed over it
    "index": lambda: die_on_rename(lambda source, target: target.name == INDEX_FILE),
    # the release registered, the old bundle moved aside, the new one not yet in place
    "bundle": lambda: die_on_rename(lambda source, target: target.parent.name.endswith(files.OLD_SUFFIX)),
}


def main() -> None:
    report.write_report = card_without_figures
    if step := os.environ.get("PEACETRACK_TEST_KILL"):
        KILL_STEPS[step]()
    if go := os.environ.get("PEACETRACK_TEST_GO"):
        Path(f"{go}.{os.getpid()}.ready").touch()
        waited = time.monotonic()
        while not Path(go).exists():
            if time.monotonic() - waited > 120:  # the test that started it is gone
                sys.exit(3)
            time.sleep(0.01)
    cli.app(args=sys.argv[1:], prog_name="peacetrack")


if __name__ == "__main__":
    main()
