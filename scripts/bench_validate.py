"""Benchmark `peacetrack validate` against its floor (pyarrow's CSV or JSON reader) and frictionless.

Generates a deterministic synthetic statements file of N rows with a share of faulty rows
(--format csv or jsonl; --text ascii, or contributor: text as contributors write it, with
Azerbaijani and Armenian names, typographic quotes, dashes, ellipses and long quotes), then
measures, in this run and on this file, rows per second and peak memory of:
  1. `peacetrack validate` (every check, against a release built from seeds/),
  2. `pyarrow.csv.read_csv` (or `pyarrow.json.read_json`) alone: the floor, parsing without checking,
  3. `frictionless validate` with the equivalent table schema (on a slice; CSV only).
Each is a fresh child process; its peak RSS comes from `getrusage(RUSAGE_CHILDREN)` in a
wrapper process of its own. This machine's speed drifts: peacetrack and the floor run in turn,
--repeat times each, and each figure is the median.
Finally it checks that peacetrack and frictionless find faults on the same rows of a slice
both can do.

With --baseline-src (another checkout's src/, say the code before a change), that code's
`peacetrack validate` runs in turn with the others on the same file, its figures and the
ratio to it printed, and its JSON faults on the slice must be the same as this code's.

With --memory, it measures instead how peak memory grows with the file: `peacetrack validate`
(and the baseline's) on files of --memory-rows rows (500,000, 1 and 2 million), in turn, the
peak RSS of each and what each further row adds to it (issue 15's goal: flat in the size).

    PYTHONPATH=src python scripts/bench_validate.py --rows 1000000 [--text ascii] [--format jsonl]
        [--baseline-src ../base/src] [--memory]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from peacetrack.schema import frictionless_schema  # noqa: E402
from peacetrack.seeds import build_tables  # noqa: E402
from peacetrack.tablefiles import write_tables  # noqa: E402
from peacetrack.tables import TABLES  # noqa: E402

SOURCE_ID = "aliyev-milli-majlis-2024-09-23"
TOPICS = ("peace_process", "military_buildup", "foreign_military_support", "sovereignty")
# Faults of the kinds both validators check, one in every FAULT_EVERY rows, in turn.
FAULTS = ("bad_topic", "bad_slug", "bad_date", "missing_summary", "bad_event_type")
FAULT_EVERY = 50

# Measures a child's peak RSS: runs argv[1:] and prints "<exit code> <peak kB>" on stderr.
WRAPPER = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode;"
    "print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)"
)


def statement_row(i: int) -> dict[str, str]:
    """Row i: valid, unless i falls on a fault."""
    direct = i % 3 == 0
    row = {
        "statement_id": f"synthetic-{i}",
        "speaker_id": "ilham-aliyev",
        "target_id": "arm" if i % 2 else "",
        "kind": "direct_quote" if direct else "paraphrase",
        "quote": f"Armenia is delaying the agreement, number {i}" if direct else "",
        "summary": f'Synthetic statement {i}: a speaker says something about the "peace" process, with a comma.',
        "topic": TOPICS[i % len(TOPICS)],
        "event_type": "ACCUSE" if i % 5 == 0 else "",
        "occasion": "First session of the seventh term of the Milli Majlis",
        "source_id": SOURCE_ID,
        "canonical_id": f"synthetic-{i}",
        "date_edtf": "2024-09-23",
        "date_start": "2024-09-23",
        "date_end": "2024-09-23",
        "date_precision": "day",
        "date_basis": "inferred",
    }
    if i % FAULT_EVERY == FAULT_EVERY - 1:
        fault = FAULTS[(i // FAULT_EVERY) % len(FAULTS)]
        if fault == "bad_topic":
            row["topic"] = "peace process"
        elif fault == "bad_slug":
            row["speaker_id"] = "Ilham Aliyev"
        elif fault == "bad_date":
            row["date_start"] = "2024-09-31"
        elif fault == "missing_summary":
            row["summary"] = ""
        elif fault == "bad_event_type":
            row["event_type"] = "accuse"
    return row


# Text as contributors write it: Azerbaijani and Armenian names and places, typographic
# quotes, dashes and ellipses, quotes of hundreds of characters. All NFC, no invisible
# characters: the rows stay valid, the faults are the ASCII file's.
NAMES = ("İlham Əliyev", "Ceyhun Bayramov", "Ararat Mirzoyan", "Նիկոլ Փաշինյան", "Hikmət Hacıyev", "Արարատ Միրզոյան")
PLACES = ("Qəbələ", "Şuşa", "Ağdam", "Gəncə", "Երևան", "Ստեփանակերտ", "Xankəndi", "Laçın")
SENTENCES = (
    "Ermənistan sülh müqaviləsinin imzalanmasını süni şəkildə uzadır — bu, “yeni reallıq” deyil…",
    "Հայաստանը պատրաստ է ստորագրել համաձայնագիրը՝ «խաղաղության օրակարգի» շրջանակում – ասել է նա։",
    "We will not accept any ‘pre-conditions’ on the border – delimitation must follow the 1991 maps…",
    "Azərbaycan öz ərazi bütövlüyünü bərpa edib; indi söhbət sərhədin delimitasiyasından gedir — “artıq”.",
)


def contributor_row(i: int) -> dict[str, str]:
    """Row i of `statement_row`, its text as contributors write it (same faults, same rows)."""
    row = statement_row(i)
    name, place = NAMES[i % len(NAMES)], PLACES[i % len(PLACES)]
    if row["quote"]:
        start = i % len(SENTENCES)
        sentences = [SENTENCES[(start + k) % len(SENTENCES)] for k in range(1 + i % 4)]
        row["quote"] = f"{' '.join(sentences)} ({place}, № {i})"
    if row["summary"]:
        row["summary"] = f"{name} on the “peace” agenda – border delimitation, {place} — is ‘stalled’… ({i})"
    row["occasion"] = f"Milli Məclisin yeddinci çağırışının ilk iclası — {place}"
    return row


TEXTS = {"ascii": statement_row, "contributor": contributor_row}


def contract_row(row: dict[str, str], names: list[str]) -> dict[str, str]:
    """The row in the contract's columns: those it does not give are empty, bar a date's
    expression where the contract has one (its bounds are one day)."""
    if "date_edtf" in names and "date_edtf" not in row:
        row = row | {"date_edtf": row["date_start"]}
    return {name: row.get(name, "") for name in names}


def write_statements(path: Path, rows: int, text: str = "ascii", file_format: str = "csv") -> int:
    """Write the synthetic file (CSV, or JSON Lines with nulls for empty cells); return the
    number of faulty rows."""
    names = [c.name for c in TABLES["statements"].columns]
    make = TEXTS[text]
    with path.open("w", newline="", encoding="utf-8") as out:
        if file_format == "csv":
            writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
            writer.writeheader()
            for i in range(rows):
                writer.writerow(contract_row(make(i), names))
        else:
            for i in range(rows):
                row = contract_row(make(i), names)
                out.write(json.dumps({k: v or None for k, v in row.items()}, ensure_ascii=False) + "\n")
    return sum(1 for i in range(rows) if i % FAULT_EVERY == FAULT_EVERY - 1)


@dataclass
class Run:
    """A command to measure, its folder and environment."""

    argv: list[str]
    cwd: Path
    env: dict[str, str] | None = None
    warm: bool = True  # one run first, not measured: page cache, and peacetrack's bytecode cache


def measure(runs: dict[str, Run], repeat: int) -> dict[str, tuple[float, int, int]]:
    """Median wall seconds, median peak RSS (bytes) and exit code of each command, run in
    turn `repeat` times: this machine's speed drifts, and turns share the drift fairly."""
    import time

    for run in runs.values():
        if run.warm:
            subprocess.run(run.argv, cwd=run.cwd, env=run.env, capture_output=True)
    times: dict[str, list[float]] = {name: [] for name in runs}
    peaks: dict[str, list[int]] = {name: [] for name in runs}
    codes: dict[str, int] = {}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", WRAPPER, *run.argv], cwd=run.cwd, stderr=subprocess.PIPE, text=True, env=run.env
            )
            times[name].append(time.perf_counter() - start)
            code_text, peak = done.stderr.strip().splitlines()[-1].split()
            codes[name] = int(code_text)
            peaks[name].append(int(peak) * 1024)
    return {name: (statistics.median(times[name]), int(statistics.median(peaks[name])), codes[name]) for name in runs}


def frictionless_faulty_rows(work: Path, csv_name: str) -> tuple[set[int], int]:
    report = subprocess.run(
        [sys.executable, "-m", "frictionless", "validate", "--json", "--limit-errors", "10000000", "--schema", "statements.schema.json", csv_name],
        cwd=work, capture_output=True, text=True,
    )  # fmt: skip
    data = json.loads(report.stdout)
    errors = [e for task in data["tasks"] for e in task["errors"]]
    return {e["rowNumber"] for e in errors if e.get("rowNumber")}, len(errors)


def peacetrack_report(work: Path, csv_name: str, release: Path, env: dict[str, str]) -> dict[str, Any]:
    """The JSON report of `peacetrack validate` (the code on `env`'s PYTHONPATH)."""
    report = subprocess.run(
        [sys.executable, "-m", "peacetrack", "validate", csv_name, "--against", str(release), "--format", "json"],
        cwd=work, capture_output=True, text=True, env=env,
    )  # fmt: skip
    return dict(json.loads(report.stdout))


def peacetrack_faulty_rows(report: dict[str, Any]) -> tuple[set[int], int]:
    faults = [f for f in report["faults"] if f["severity"] == "error"]
    return {f["line"] for f in faults if f["line"]}, len(faults)


def code_env(src: Path, work: Path, name: str) -> dict[str, str]:
    """The environment that runs the peacetrack of `src`: its modules compiled once
    (PYTHONDONTWRITEBYTECODE would have every run compile them again), the bytecode kept
    out of the source tree."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return env | {
        "PYTHONPATH": str(src) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        "PYTHONPYCACHEPREFIX": str(work / f"pycache-{name}"),
    }


def memory_growth(
    work: Path, release: Path, envs: dict[str, dict[str, str]], sizes: list[int], args: argparse.Namespace
) -> None:
    """Peak RSS of `peacetrack validate` of each code on files of `sizes` rows, and the bytes a
    row adds to it between sizes: what memory grows with, beside what it needs anyway."""
    peaks: dict[str, list[int]] = {name: [] for name in envs}
    files: list[int] = []
    for rows in sizes:
        data = work / f"memory-{rows}" / f"statements.{args.format}"
        data.parent.mkdir()
        write_statements(data, rows, args.text, args.format)
        files.append(data.stat().st_size)
        argv = validate_command(data, release)
        measured = measure({name: Run(argv, work, env) for name, env in envs.items()}, args.repeat)
        for name, (_, peak, _) in measured.items():
            peaks[name].append(peak)
        data.unlink()
    print(f"\npeak RSS of `peacetrack validate` ({args.format}, {args.text} text), medians of {args.repeat}:")
    print(f"{'rows':>12}{'file MB':>10}" + "".join(f"{name + ' MB':>18}{'× file':>8}" for name in envs))
    for index, rows in enumerate(sizes):
        cells = "".join(f"{peaks[n][index] / 1e6:>18,.0f}{peaks[n][index] / files[index]:>8.2f}" for n in envs)
        print(f"{rows:>12,}{files[index] / 1e6:>10,.0f}{cells}")
    for name in envs:
        growth = [(peaks[name][i + 1] - peaks[name][i]) / (sizes[i + 1] - sizes[i]) for i in range(len(sizes) - 1)]
        print(f"{name}: bytes of peak a row adds: " + ", ".join(f"{g:,.0f}" for g in growth))


def validate_command(data: Path, release: Path) -> list[str]:
    """`peacetrack validate` of one file against a release folder, its report as JSON."""
    return [sys.executable, "-m", "peacetrack", "validate", str(data), "--against", str(release), "--format", "json"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--frictionless-rows", type=int, default=100_000, help="rows of the slice frictionless runs on (0: all)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the median is printed")
    parser.add_argument(
        "--text", choices=sorted(TEXTS), default="contributor", help="ASCII, or text as contributors write it"
    )
    parser.add_argument("--format", choices=("csv", "jsonl"), default="csv", help="the file validated")
    parser.add_argument(
        "--baseline-src", type=Path, help="another checkout's src/: measured in turn, its faults compared"
    )
    parser.add_argument("--memory", action="store_true", help="measure peak memory against the file's size instead")
    parser.add_argument(
        "--memory-rows", type=int, nargs="+", default=[500_000, 1_000_000, 2_000_000], help="sizes for --memory"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as tmp:
        work = Path(tmp)
        env = code_env(ROOT / "src", work, "this")
        baseline_env = None if args.baseline_src is None else code_env(args.baseline_src.resolve(), work, "baseline")
        build = build_tables(ROOT / "seeds")
        release = work / "release"
        release.mkdir()
        write_tables(build.frames, release)
        if args.memory:
            envs = {"peacetrack": env} | ({} if baseline_env is None else {"baseline": baseline_env})
            memory_growth(work, release, envs, sorted(args.memory_rows), args)
            return
        data = work / f"statements.{args.format}"
        faulty = write_statements(data, args.rows, args.text, args.format)
        size = data.stat().st_size
        print(f"{data.name} ({args.text} text): {args.rows:,} rows, {size / 1e6:.0f} MB, {faulty:,} faulty rows")

        friction_rows = args.rows if not args.frictionless_rows else min(args.rows, args.frictionless_rows)
        sliced = work / "slice" / "statements.csv"
        sliced.parent.mkdir()
        write_statements(sliced, friction_rows, args.text)
        if args.format == "jsonl":  # the slice in the format validated, for the faults before and after
            write_statements(sliced.with_suffix(".jsonl"), friction_rows, args.text, "jsonl")
        # Without foreign keys: frictionless resolves them only inside a data package.
        schema = {k: v for k, v in frictionless_schema(TABLES["statements"]).items() if k != "foreignKeys"}
        (sliced.parent / "statements.schema.json").write_text(json.dumps(schema))

        floor = f"import sys, pyarrow.{'csv' if args.format == 'csv' else 'json'} as r; r.read_{args.format[:4]}(sys.argv[1])"
        validate = validate_command(data, release)
        in_turn = {"peacetrack validate": Run(validate, work, env)}
        if baseline_env is not None:
            in_turn["baseline validate"] = Run(validate, work, baseline_env)
        floor_name = f"pyarrow read_{args.format[:4]} (floor)"
        in_turn[floor_name] = Run([sys.executable, "-c", floor, str(data)], work)
        paired = measure(in_turn, args.repeat)
        friction_argv = [
            sys.executable,
            "-m",
            "frictionless",
            "validate",
            "--limit-errors",
            "10000000",
            "--schema",
            "statements.schema.json",
            "statements.csv",
        ]
        friction = (
            measure({"frictionless validate": Run(friction_argv, sliced.parent, warm=False)}, 1)
            if args.format == "csv"
            else {}
        )
        runs = {name: (figures, args.rows) for name, figures in paired.items()} | {
            name: (figures, friction_rows) for name, figures in friction.items()
        }
        base = runs[floor_name][0][0] / args.rows
        mine = runs["peacetrack validate"][0][0] / args.rows
        print(f"\n{'':28}{'rows/s':>12}{'peak MB':>10}{'s / 1M rows':>13}{'× floor':>9}{'× peacetrack':>14}  exit")
        for name, ((seconds, peak, code), rows) in runs.items():
            per_row = seconds / rows
            label = name + (f" [{rows:,}-row slice, scaled]" if rows != args.rows else "")
            print(
                f"{label:28}{rows / seconds:>12,.0f}{peak / 1e6:>10,.0f}{per_row * 1e6:>13.2f}{per_row / base:>9.2f}{per_row / mine:>14.2f}  {code}"
            )
        aim = 3 if args.format == "csv" else 2.5
        print(f"\naim: within {aim}× of the floor ({mine / base:.2f}×)", end="")
        if friction:
            print(
                f", at least 20× faster than frictionless ({runs['frictionless validate'][0][0] / friction_rows / mine:.1f}×)"
            )
        print()
        slice_name = f"statements.{args.format}"
        report = peacetrack_report(sliced.parent, slice_name, release, env)
        if baseline_env is not None:
            before = runs["baseline validate"][0][0] / args.rows
            print(f"this code / baseline: {mine / before:.2f}× the time (baseline {before / base:.2f}× the floor)")
            baseline = peacetrack_report(sliced.parent, slice_name, release, baseline_env)
            same = report["faults"] == baseline["faults"] and report["totals"] == baseline["totals"]
            print(
                f"same JSON faults as the baseline on the {friction_rows:,}-row slice: {same} "
                f"({len(report['faults']):,} faults, baseline {len(baseline['faults']):,})"
            )
            if not same:
                differ = [(a, b) for a, b in zip(report["faults"], baseline["faults"], strict=False) if a != b]
                print(f"  first difference: {differ[:1]}")
                sys.exit(1)

        if not friction:
            return
        ours, our_count = peacetrack_faulty_rows(report)
        theirs, their_count = frictionless_faulty_rows(sliced.parent, "statements.csv")
        print(
            f"\nsame faults on the {friction_rows:,}-row slice: peacetrack {our_count} errors on {len(ours)} rows, "
            f"frictionless {their_count} errors on {len(theirs)} rows; same rows: {ours == theirs}"
        )
        if ours != theirs:
            print(f"  only peacetrack: {sorted(ours - theirs)[:10]}  only frictionless: {sorted(theirs - ours)[:10]}")
            sys.exit(1)


if __name__ == "__main__":
    main()
