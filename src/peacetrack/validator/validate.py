"""Validate contributed rows against the contract and a release, reporting every fault.

Two passes. The first streams each file chunk by chunk and runs every rule that needs only
the row (cells, schema, dates, quotes, row rules, collisions with released rows), keeping
the key columns of each row. The second runs the rules across rows and tables on those keys
plus the release: unique keys, foreign keys, canonical ids and evidence. The key columns are
kept in a file of the run's private folder and read back a part at a time (`keys.py`), so memory
grows with neither the rows nor the files (the evidence rows, when given, are read whole). Faults go to sorted runs in
temporary files as they are found, merged in file order when the report is written: memory
does not grow with the faults either.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from peacetrack.errors import CallError, Refused, Unreadable
from peacetrack.faults import Fault, shorten
from peacetrack.links import check_inside, input_root
from peacetrack.tables import CLAIM_TABLES, CODING_FILES, TABLES, Kind, Table
from peacetrack.validator.against import (
    find_texts,
    load_release,
)
from peacetrack.validator.first_pass import Validator, parse_chunk
from peacetrack.validator.prefetch import prefetched
from peacetrack.validator.readers import READERS, Progress
from peacetrack.validator.readers.chunks import reading_fault
from peacetrack.validator.second_pass import check_across
from peacetrack.validator.spool import Spool

if TYPE_CHECKING:
    import pandas as pd

    from peacetrack.seeds import Coded

# Parents before children, and evidence before the claims whose quotes it must contain.
TABLE_ORDER = ("sources", "actors", "evidence", *CLAIM_TABLES)
PROGRESS_BYTES = 50_000_000


@dataclass
class Stopped:
    """What a run stopped by `max_faults` did not check."""

    max_faults: int
    file: str | None = None  # the file being read: its rows after `rows_read` were not
    rows_read: int = 0
    files_not_read: list[str] = field(default_factory=list)
    across_rows: bool = False  # whether the rules across rows and tables were run

    def record(self) -> dict[str, object]:
        return {
            "max_faults": self.max_faults, "file": self.file, "rows_read": self.rows_read,
            "files_not_read": self.files_not_read, "across_rows_checked": self.across_rows,
        }  # fmt: skip

    def __str__(self) -> str:
        parts = [f"stopped early after {self.max_faults:,} error(s) (--max-faults)"]
        if self.file is not None:
            parts.append(f"{self.file}: rows after the first {self.rows_read:,} not read")
        if self.files_not_read:
            parts.append(f"{len(self.files_not_read)} file(s) not read")
        if not self.across_rows:
            parts.append("rules across rows and tables not checked")
        return "; ".join(parts)


@dataclass
class Report:
    """Faults in file order (at most `max_faults` errors) and per-rule totals of every fault found.

    From `checking`, `faults` streams from temporary files, readable until it exits."""

    faults: Iterable[Fault] = ()
    rows: int = 0
    files: int = 0
    unreadable: bool = False  # some input could not be read at all
    totals: Counter[tuple[str, str]] = field(default_factory=Counter)  # (severity, rule): faults found
    stopped: Stopped | None = None

    def count(self, severity: str) -> int:
        return sum(n for (kind, _), n in self.totals.items() if kind == severity)

    @property
    def valid(self) -> bool:
        return not self.unreadable and not self.count("error")

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.count("error") else 0


def table_of(path: Path, table: str | None) -> Table:
    name = table or path.name.split(".")[0]
    if name not in TABLES:
        raise CallError(
            f"{path}: cannot tell the table: name the file <table>{path.suffix} or pass --table ({', '.join(TABLES)})"
        )
    return TABLES[name]


def _inputs(paths: Sequence[Path], table: str | None) -> tuple[list[tuple[Path, Table | None]], list[Fault]]:
    """Each readable path with its table (None for a coding file), parents first. A path that
    is or goes through a link, or leads out of the folder it is checked inside, is refused."""
    inputs: list[tuple[Path, Table | None]] = []
    faults: list[Fault] = []
    for path in paths:
        try:
            check_inside(path, input_root(path))
        except Refused as refused:
            faults.append(reading_fault(str(path), None, refused.rule, refused.message))
            continue
        except (FileNotFoundError, NotADirectoryError):
            faults.append(reading_fault(str(path), None, "missing_file", "no such file"))
            continue
        except OSError as error:
            faults.append(reading_fault(str(path), None, "unreadable", f"cannot read: {error.strerror}"))
            continue
        if path.name in CODING_FILES:
            inputs.append((path, None))
        elif path.suffix.lower() not in READERS:
            message = f"cannot read {shorten(path.suffix) or 'this'} files: use .csv, .parquet, .jsonl, {' or '.join(CODING_FILES)}"
            faults.append(reading_fault(str(path), None, "file_type", message))
        else:
            inputs.append((path, table_of(path, table)))
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    inputs.sort(key=lambda item: -1 if item[1] is None else rank[item[1].name])
    return inputs, faults


Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


def validate(
    paths: Paths,
    table: str | None = None,
    against: str | os.PathLike[str] | None = None,
    *,
    max_faults: int | None = None,
    progress: bool = False,
) -> Report:
    r"""Check contributed files against the contract and a release, as `peacetrack validate` does.

    Every fault is reported with its file, line (or row) and column; the faults and their
    counts are those of ``peacetrack validate --format json`` on the same inputs. The inputs
    are never written to.

    Parameters
    ----------
    paths : str, path-like, or an iterable of them
        Data files (``<table>.csv``, ``.parquet``, ``.jsonl``) or ``seeds/<source_id>/coding.yaml``
        files (or a draft of one, ``coding.draft.yaml``: its rows still marked ``draft:`` are
        ``draft`` faults). A path that is or goes through a link, or does not exist, is a fault.
    table : str, optional
        The table of every data file (``--table``); by default each file's name says it.
    against : str or path-like, optional
        The release to check ids and links against (``--against``): a version, ``"latest"``
        (the default), or a folder of ``<table>.parquet`` files. Without any release at hand,
        keys are checked within the input only (a ``no_release`` warning says so).
    max_faults : int, optional
        Stop once this many errors are found (``--max-faults``); warnings do not count.
    progress : bool, default False
        Show a progress bar on stderr for a large file, when stderr is a terminal.

    Returns
    -------
    Report
        ``faults`` (a list of `Fault`, in file order), ``totals`` per severity and rule,
        ``rows`` read, ``valid``, ``exit_code`` (0 valid, 1 faults, 2 unreadable input) and
        ``stopped`` (what `max_faults` left unchecked, or None).

    Raises
    ------
    CallError
        The call itself is wrong: an unknown `table`, a file whose table cannot be told from
        its name, `max_faults` below 1. Nothing was validated. Faults of the input (a missing
        or unreadable file included) are in the report, never raised.

    See Also
    --------
    checking : the same, its faults streamed from disk instead of held in a list.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from peacetrack.validator import validate
    >>> folder = tempfile.TemporaryDirectory()
    >>> actors = Path(folder.name) / "actors.csv"
    >>> _ = actors.write_text(
    ...     "actor_id,name,actor_type,country,parent_id,role,aliases\n"
    ...     "new-actor,New Actor,wizard,ARM,,,\n",
    ...     encoding="utf-8",
    ... )
    >>> report = validate([actors])
    >>> report.valid, report.exit_code, report.rows
    (False, 1, 1)
    >>> [(f.line, f.column, f.rule, f.value) for f in report.faults if f.severity == "error"]
    [(2, 'actor_type', 'enum', 'wizard')]
    >>> folder.cleanup()
    """
    with checking(paths, table, against, max_faults=max_faults, progress=progress) as report:
        report.faults = list(report.faults)
    return report


@contextmanager
def checking(
    paths: Paths,
    table: str | None = None,
    against: str | os.PathLike[str] | None = None,
    *,
    max_faults: int | None = None,
    progress: bool = False,
) -> Iterator[Report]:
    """`validate`, its report's faults streamed from a temporary folder deleted on leaving:
    memory does not grow with their number (the command line writes its report so)."""
    if table is not None and table not in TABLES:
        raise CallError(f"unknown table {table!r}: one of {', '.join(TABLES)}")
    if max_faults is not None and max_faults < 1:
        raise CallError(f"max_faults must be at least 1, not {max_faults}")
    files = [Path(p) for p in ([paths] if isinstance(paths, (str, os.PathLike)) else paths)]
    with tempfile.TemporaryDirectory(prefix="peacetrack-faults-") as folder:
        spool = Spool(Path(folder), max_faults)
        report = Report(spool, files=len(files), totals=spool.totals)
        _check(files, table, against, progress, report, spool)
        yield report


def _check(
    paths: list[Path],
    table: str | None,
    against: str | os.PathLike[str] | None,
    progress: bool,
    report: Report,
    spool: Spool,
) -> None:
    inputs, faults = _inputs(paths, table)
    spool.add_all(faults)
    report.unreadable = bool(faults)
    try:
        release, faults = load_release(against)
    except Unreadable as error:
        spool.add(error.fault)
        report.unreadable = True
        return
    spool.add_all(faults)
    texts, faults = find_texts([(p, input_root(p)) for p, _ in inputs], release.get("sources"))
    spool.add_all(faults)
    validator = Validator(release, texts, spool)
    codings = _Codings()
    for index, (path, table_) in enumerate(inputs):
        rows = validator.rows
        try:
            finished = (
                codings.read(path, validator) if table_ is None else _read_rows(path, table_, validator, progress)
            )
        except Unreadable as error:
            spool.add(error.fault)
            report.unreadable, finished = True, True
        validator.say_released(str(path), None if table_ is None else table_.name)
        if spool.enough:
            assert spool.max_errors is not None
            rest = [str(p) for p, _ in inputs[index + 1 :]]
            report.stopped = Stopped(spool.max_errors, None if finished else str(path), validator.rows - rows, rest)
            break
    else:
        check_across(validator)
        if spool.enough:
            assert spool.max_errors is not None
            report.stopped = Stopped(spool.max_errors)
    report.rows = validator.rows


def _read_rows(path: Path, table: Table, validator: Validator, progress: bool) -> bool:
    """Check a file chunk by chunk; False when enough errors stopped it before its end."""
    with ExitStack() as stack:
        advance = _progress_bar(path, stack) if progress else None
        rows, read_faults = validator.rows, 0
        reader = stack.enter_context(closing(READERS[path.suffix.lower()](path, table, advance)))
        items = stack.enter_context(closing(prefetched(parse_chunk(item) for item in reader)))
        for item in items:
            if isinstance(item, Fault):
                validator.spool.add(item)
                read_faults += 1
            else:
                validator.check_chunk(item)
            if validator.spool.enough:
                return next(items, None) is None  # the next chunk is read already
        if validator.rows == rows and not read_faults:
            line = 1 if path.suffix.lower() == ".csv" else None
            validator.spool.add(reading_fault(str(path), line, "no_rows", "the file has no rows", table=table.name))
    return True


def _progress_bar(path: Path, stack: ExitStack) -> Progress | None:
    """A progress bar on stderr, for a large file on a terminal."""
    size = path.stat().st_size
    if size < PROGRESS_BYTES or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, DownloadColumn, TimeRemainingColumn
    from rich.progress import Progress as Bar

    from peacetrack.terminal import printable

    bar = stack.enter_context(
        Bar(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
    )
    task = bar.add_task(escape(printable(path.name, keep="")), total=size)  # the description is markup: a name is text
    return lambda done: bar.update(task, completed=done)


class _Codings:
    """The coding files of one input, read into one `Coded` as the build reads every seed: an
    actor a second file defines again is merged with the first (aliases added) or refused
    there, never a second row of the same id."""

    def __init__(self) -> None:
        self.coded: Coded | None = None  # made when a coding file comes (seeds imports pandas)

    def read(self, path: Path, validator: Validator) -> bool:
        """A coding file: its seed folder read as the build reads it, its new rows checked like rows."""
        from peacetrack.seeds import Coded, SeedReader

        if self.coded is None:
            self.coded = Coded()
        coded = self.coded
        said, rows = len(coded.faults), {name: len(coded.rows[name]) for name in TABLES}
        SeedReader(path.parent, coded, input_root(path), coding_file=path.name).read()
        validator.spool.add_all(coded.faults[said:])
        validator.kept.said |= coded.at_fault
        validator.kept.recoded.add(path.parent.name)
        validator.texts = {**validator.texts, **coded.texts}
        _check_coded(coded, coded.frames(since=rows), validator)
        return True


def _check_coded(coded: Coded, frames: dict[str, pd.DataFrame], validator: Validator) -> None:
    """The rows of a coding file checked as a table file's, each fault at its YAML line."""

    def locate(fault: Fault, _position: int, /, **changes: object) -> Fault:  # by the YAML, not a position
        return coded.locate(fault.but(**changes))

    for name in TABLE_ORDER:
        frame = frames[name]
        if not len(frame):
            continue
        table = TABLES[name]
        frame = frame.astype({c.name: "string" for c in table.columns if c.kind is Kind.enum})
        validator.check_rows(table, frame, [], locate)
