"""Peak memory and time of `peacetrack validate --format json` on files where every row is faulty.

Writes N statements rows (default one million), each breaking several rules (an enum, a slug
pattern and so a foreign key, the date order, a paraphrase with a quote, a canonical id), with
Azerbaijani and Armenian names and curly quotes, as Parquet and as CSV. Validates each in a
child process against a release built from seeds/, with the JSON report written to a file;
prints the child's peak RSS (getrusage RUSAGE_CHILDREN, in a wrapper process of its own) and
wall time, then checks the report parses (streamed: the report may be gigabytes) and that it
holds every fault its totals count. Goal: peak under 1 GB, flat in the number of faults.

    PYTHONPATH=src python scripts/bench_validate_faults.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from peacetrack.seeds import build_tables  # noqa: E402
from peacetrack.tablefiles import write_tables  # noqa: E402

GOAL_BYTES = 1_000_000_000
# Runs argv[1:] and prints "<exit code> <peak kB>" on stderr.
WRAPPER = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], 'wb')).returncode;"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


def faulty_rows(rows: int) -> pa.Table:
    """Statements rows, every one faulty in the same ways; only the ids differ."""
    ids = pa.array([f"bench-{i}" for i in range(rows)])
    same = {
        "speaker_id": "İlham Əliyev",  # not a slug, and so no such actor
        "target_id": "Նիկոլ Փաշինյան",  # not a slug either
        "kind": "paraphrase",
        "quote": "“Sülh gündəliyi” — «Խաղաղության օրակարգ»",  # a paraphrase has no quote
        "summary": "Əliyev says the “peace agenda” is stalled; Փաշինյան disagrees.",
        "topic": "peace process",  # not in the enum
        "event_type": "",
        "occasion": "Milli Məclis, Bakı",
        "source_id": "aliyev-milli-majlis-2024-09-23",
        "date_edtf": "2024-09-30/2024-09-23",  # ends before it starts
        "date_start": "2024-09-30",
        "date_end": "2024-09-23",
        "date_precision": "day",
        "date_basis": "inferred",
    }
    columns = {"statement_id": ids} | {name: pa.repeat(pa.scalar(value), rows) for name, value in same.items()}
    columns["canonical_id"] = pa.array([f"other-{i}" for i in range(rows)])  # shared by no row
    order = ["statement_id", "speaker_id", "target_id", "kind", "quote", "summary", "topic", "event_type", "occasion",
             "source_id", "canonical_id", "date_edtf", "date_start", "date_end", "date_precision", "date_basis"]  # fmt: skip
    return pa.table({name: columns[name] for name in order})


def json_values(stream: IO[str], size: int = 1 << 20) -> Iterator[tuple[str, Any]]:
    """The top-level (key, value) pairs of one JSON object, an array value as ("key[]", item)
    per item: parsed piece by piece, so a report of gigabytes needs little memory."""
    decoder, text, at = json.JSONDecoder(), "", 0

    def need(char: str | None = None) -> str:
        nonlocal text, at
        while True:
            while at < len(text) and text[at].isspace():
                at += 1
            if at < len(text):
                break
            more = stream.read(size)
            if not more:
                raise ValueError("the report ends too soon")
            text, at = text[at:] + more, 0
        if char is not None and text[at] != char:
            raise ValueError(f"expected {char!r}, found {text[at]!r}")
        return text[at]

    def value() -> Any:
        nonlocal text, at
        while True:
            need()
            try:
                found, at = decoder.raw_decode(text, at)
                if at < len(text) or not text[at - 1].isdigit():  # a number may go on in the next piece
                    return found
            except json.JSONDecodeError:
                pass
            more = stream.read(size)
            if not more:
                found, at = decoder.raw_decode(text, at)
                return found
            text, at = text[at:] + more, 0

    need("{")
    at += 1
    while need() != "}":
        key = value()
        need(":")
        at += 1
        if need() == "[":
            at += 1
            while need() != "]":
                yield f"{key}[]", value()
                if need() == ",":
                    at += 1
            at += 1
        else:
            yield key, value()
        if need() == ",":
            at += 1
    rest = text[at + 1 :]
    while rest:
        if rest.strip():
            raise ValueError("text after the report")
        rest = stream.read(size)


def check_report(path: Path) -> str:
    """Whether the report parses, and whether it lists as many faults as its totals count."""
    try:
        listed, totals = 0, None
        with path.open(encoding="utf-8") as stream:
            for key, item in json_values(stream):
                listed += key == "faults[]"
                totals = item if key == "totals" else totals
    except ValueError as error:
        return f"INVALID JSON ({error})"
    if not isinstance(totals, dict):
        return f"valid JSON, {listed:,} faults, no totals"
    counted = sum(sum(rules.values()) for rules in totals.values())
    return f"valid JSON, {listed:,} faults, totals {counted:,}" + ("" if counted == listed else " (DIFFER)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", default=["parquet", "csv"], choices=["parquet", "csv"])
    parser.add_argument("--max-faults", type=int, help="pass --max-faults to the validator")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as scratch:
        work = Path(scratch)
        release = work / "release"
        release.mkdir()
        write_tables(build_tables(ROOT / "seeds").frames, release)
        rows = faulty_rows(args.rows)
        print(f"{args.rows:,} faulty rows; goal: peak under {GOAL_BYTES / 1e9:.2f} GB")
        for kind in args.formats:
            data = work / f"statements.{kind}"
            if kind == "parquet":
                pq.write_table(rows, data)
            else:
                pacsv.write_csv(rows, data)
            report = work / "report.json"
            command = [
                sys.executable,
                "-m",
                "peacetrack",
                "validate",
                str(data),
                "--against",
                str(release),
                "--format",
                "json",
            ]
            command += ["--max-faults", str(args.max_faults)] if args.max_faults else []
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", WRAPPER, str(report), *command], capture_output=True, text=True
            )
            seconds = time.perf_counter() - started
            code, peak_kb = done.stderr.split()[-2:]
            peak = int(peak_kb) * 1024
            verdict = "under" if peak < GOAL_BYTES else "OVER"
            print(f"{kind:8} {data.stat().st_size / 1e6:7.2f} MB in: exit {code}, {seconds:6.1f} s, peak {peak / 1e9:.2f} GB"
                  f" ({verdict} the goal), report {report.stat().st_size / 1e9:.2f} GB: {check_report(report)}")  # fmt: skip
            report.unlink()


if __name__ == "__main__":
    main()
