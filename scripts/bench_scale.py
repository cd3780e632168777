"""Issue 15's table in one run: each command of peacetrack against a user's alternative, at scale.

Makes the inputs, then times each pair as whole processes, interleaved (A B A B ...), `--runs`
rounds, and prints the issue's table with medians, this run's ratio, the issue's (before) and
the goal's, and whether the goal is met. Wall and CPU (user + system) seconds are both printed:
other work on the machine slows wall time, and slows both sides of a pair alike only when they
run interleaved. Prints figures; asserts nothing.

The inputs:
- N copies of the seed (`seeds/`), each its own source with its claims' ids made unique
  (actors stay shared: one actor coded by many sources, as in the real dataset);
- a release of `--statements` statements and `--transfers` transfers (`bench_report.py`'s,
  written by `synthetic_release.py`), for `connect()`, `sql` and `report`;
- statements as contributors write them, as CSV and JSON Lines (`bench_validate.py`'s);
- ten rows of the bundled release's statements as CSV, Parquet and JSON Lines (`bench_startup.py`'s);
- for `memory`, the CSV at three sizes (`--memory-rows`), each validated `--runs` times for its
  peak RSS (a table of its own: memory is flat when 4× the rows needs at most 10% more).

The alternatives: for `build` and `release`, PyYAML's C loader reading every source.yaml and
coding.yaml and pyarrow writing the tables, with no checks (`--floor`); the others are those of
`bench_connect.py`, `bench_report.py`, `bench_validate.py` and `bench_startup.py`.

    python scripts/bench_scale.py                       # the issue's sizes: an hour or so
    python scripts/bench_scale.py --quick               # small sizes, one round: minutes
    python scripts/bench_scale.py --only build,release --sources 100,500 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve()
ROOT = HERE.parents[1]
PYTHON = sys.executable
SEED = ROOT / "seeds" / "aliyev-milli-majlis-2024-09-23"
CLAIM_IDS = {"statements": "statement_id", "military_transfers": "transfer_id", "negotiation_rounds": "round_id"}
VERSION = "9.0.0"  # the version of the synthetic release (bench_report.py's) and of each cut release
CHANGELOG = f"# Changelog\n\n## [{VERSION}] - 2026-11-30\n\nA benchmark's release.\n"
WHAT = (
    "build",
    "release",
    "connect",
    "sql",
    "report",
    "validate-jsonl",
    "validate-csv",
    "help",
    "validate-10",
    "memory",
)


# --- the inputs -------------------------------------------------------------------------------------


def make_seeds(out: Path, copies: int) -> Path:
    """`copies` copies of the seed under `out`, each folder its own source; the ids of its
    claims get the copy's number (everywhere they occur: a canonical_id names another row)."""
    import yaml

    coding = (SEED / "coding.yaml").read_text(encoding="utf-8")
    document = yaml.safe_load(coding)
    ids = {entry[key] for table, key in CLAIM_IDS.items() for entry in document.get(table) or []}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len, reverse=True))) + r")(?![\w-])")
    for number in range(copies):
        folder = out / f"{SEED.name}-{number:04d}"
        folder.mkdir(parents=True)
        for name in ("article.txt", "source.yaml"):
            shutil.copyfile(SEED / name, folder / name)
        unique = pattern.sub(lambda match, n=number: f"{match[1]}-{n:04d}", coding)
        (folder / "coding.yaml").write_text(unique, encoding="utf-8")
    return out


def floor(seeds: Path, out: Path) -> None:
    """The no-checks floor of `build`: every YAML file read by PyYAML's C loader, its entries
    (defaults applied) and quotes made rows, each table written by pyarrow."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    import yaml

    def load(path: Path) -> dict:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) or {}

    def plain(value: object) -> object:  # the C loader makes dates of dates: text, as a table has them
        return value if isinstance(value, str | int | float | list | type(None)) else str(value)

    rows: dict[str, list[dict]] = {"sources": [], "actors": [], **{t: [] for t in CLAIM_IDS}, "evidence": []}
    for folder in sorted(seeds.iterdir()):
        rows["sources"].append({**load(folder / "source.yaml"), "source_id": folder.name})
        coding = load(folder / "coding.yaml")
        for table in ("actors", *CLAIM_IDS):
            for entry in coding.get(table) or []:
                row = {
                    key: plain(value) for key, value in {**coding.get("defaults", {}).get(table, {}), **entry}.items()
                }
                row_id = row.get(CLAIM_IDS.get(table, "actor_id"))
                for quote in row.pop("evidence", None) or []:
                    text = quote if isinstance(quote, str) else quote["quote"]
                    rows["evidence"].append({"table_name": table, "row_id": row_id, "quote": text})
                rows[table].append({**row, "source_id": folder.name})
    out.mkdir(parents=True, exist_ok=True)
    for table, table_rows in rows.items():
        pq.write_table(pa.Table.from_pylist(table_rows), out / f"{table}.parquet")


def validate_inputs(work: Path, csv_rows: int, jsonl_rows: int, which: set[str]) -> Path:
    """bench_validate.py's statements (contributor text) as CSV and JSON Lines, those `which`
    times, and the release of the seed they are checked against."""
    from bench_validate import build_tables, write_statements, write_tables

    against = work / "against"
    against.mkdir()
    write_tables(build_tables(ROOT / "seeds").frames, against)
    if "validate-csv" in which:
        write_statements(work / "statements.csv", csv_rows, "contributor", "csv")
    if "validate-jsonl" in which:
        write_statements(work / "statements.jsonl", jsonl_rows, "contributor", "jsonl")
    return against


# --- timing ---------------------------------------------------------------------------------------------


@dataclass
class Command:
    """A whole process to time; `before` runs untimed before each run (a fresh folder)."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    before: Callable[[], None] = lambda: None


@dataclass
class Pair:
    what: str
    size: str
    ours: Command
    theirs: Command
    alternative: str
    before: str  # the ratio, measured before the work on it
    goal: str
    met: Callable[[float, float], bool]  # (peacetrack's median, the alternative's)
    times: dict[str, list[tuple[float, float]]] = field(default_factory=lambda: {"ours": [], "theirs": []})


def timed(command: Command) -> tuple[float, float]:
    """Wall and CPU seconds of one run; a run that fails stops the benchmark with its stderr
    (`validate` exits 1 on the faults the file is made with: that is a run)."""
    command.before()
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command.argv, env=command.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1) or (done.returncode == 1 and "validate" not in command.argv):
        sys.exit(f"{' '.join(command.argv)} failed:\n{done.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def within(times: float) -> Callable[[float, float], bool]:
    return lambda ours, theirs: ours <= times * theirs


def peacetrack_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg", **extra}


# --- the pairs ------------------------------------------------------------------------------------------


def build_pairs(work: Path, sizes: list[int], which: set[str]) -> list[Pair]:
    pairs = []
    me = [PYTHON, str(HERE)]
    before = {"build": {100: "9.9×", 500: "17.2×"}, "release": {100: "20×", 500: "38×"}}
    for copies in sizes:
        seeds = make_seeds(work / f"seeds-{copies}", copies)
        alternative = Command([*me, "--floor", str(seeds), str(work / f"floor-{copies}")])
        if "build" in which:
            ours = Command(
                [PYTHON, "-m", "peacetrack", "build", "--seeds", str(seeds), "--out", str(work / f"build-{copies}")],
                peacetrack_env(),
            )
            pairs.append(
                Pair("`build`", f"{copies} sources", ours, alternative, "PyYAML's C loader + pyarrow, no checks",
                     before["build"].get(copies, "—"), "≤ 3×", within(3))
            )  # fmt: skip
        if "release" in which:
            root = work / f"releases-{copies}"

            def fresh(root: Path = root) -> None:  # a version is cut once: a new root each run
                shutil.rmtree(root, ignore_errors=True)
                root.mkdir()
                (root / "CHANGELOG.md").write_text(CHANGELOG, encoding="utf-8")

            argv = [PYTHON, "-m", "peacetrack", "release", VERSION, "--seeds", str(seeds), "--root", str(root)]
            pairs.append(
                Pair("`release`", f"{copies} sources", Command([*argv, "--no-bundle"], peacetrack_env(), fresh),
                     alternative, "same", before["release"].get(copies, "—"), "≤ 5×", within(5))
            )  # fmt: skip
    return pairs


def release_pairs(work: Path, statements: int, transfers: int, which: set[str]) -> list[Pair]:
    """connect(), sql and report on bench_report.py's release (made once, by this code)."""
    root = work / "big-release"
    size = ["--transfers", str(transfers), "--statements", str(statements)]
    env = peacetrack_env(BENCH_SEEDS=str(ROOT / "seeds"))
    subprocess.run([PYTHON, str(HERE.parent / "bench_report.py"), "--make", str(root), *size], env=env, check=True)
    connect = [PYTHON, str(HERE.parent / "bench_connect.py"), "--release", str(root), "--time"]
    data_env = peacetrack_env(PEACETRACK_DATA_DIR=str(root))
    rows = f"{statements:,} statements"
    pairs = []
    if "connect" in which:
        pairs.append(
            Pair("`connect()`", rows, Command([*connect, "connect"], data_env), Command([*connect, "views"]),
                 "DuckDB views over the Parquet files", "35×", "≤ 2×", within(2))
        )  # fmt: skip
    if "sql" in which:
        pairs.append(
            Pair("`peacetrack sql` group-by", rows, Command([*connect, "sql"], data_env),
                 Command([*connect, "views-query"]), "the same query in DuckDB's Python client", "31×", "≤ 2×", within(2))
        )  # fmt: skip
    if "report" in which:
        report = [PYTHON, "-m", "peacetrack", "report", "--root", str(root), "--out", str(work / "report")]
        plain = [PYTHON, str(HERE.parent / "bench_report.py"), "--plain", str(root / "releases" / VERSION)]
        pairs.append(
            Pair("`report`", f"{transfers:,} transfers, {rows}", Command(report, env),
                 Command([*plain, str(work / "plain-report")], env), "plain matplotlib", "2× (85 s)", "under 10 s",
                 lambda ours, theirs: ours < 10)
        )  # fmt: skip
    return pairs


def validate_pairs(work: Path, csv_rows: int, jsonl_rows: int, which: set[str]) -> list[Pair]:
    against = validate_inputs(work, csv_rows, jsonl_rows, which)
    pairs = []
    for name, rows, reader, before, goal in (
        ("jsonl", jsonl_rows, "json", "4.4×", 2.5),
        ("csv", csv_rows, "csv", "3.9–4.3×", 3.0),
    ):
        if f"validate-{name}" not in which:
            continue
        data = str(work / f"statements.{name}")
        ours = [PYTHON, "-m", "peacetrack", "validate", data, "--against", str(against), "--format", "json"]
        theirs = [PYTHON, "-c", f"import sys, pyarrow.{reader} as r; r.read_{reader}(sys.argv[1])", data]
        pairs.append(
            Pair(f"`validate` {'JSON Lines' if name == 'jsonl' else 'CSV'}, contributors' text", f"{rows:,} rows",
                 Command(ours, peacetrack_env()), Command(theirs), f"`pyarrow.{reader}.read_{reader}`", before,
                 f"≤ {goal}×", within(goal))
        )  # fmt: skip
    return pairs


def startup_pairs(work: Path) -> list[Pair]:
    """`peacetrack validate` of a ten-row file (bench_startup.py's) against `import duckdb`."""
    from bench_startup import FORMATS, write_ten_rows

    folder = work / "ten-rows"
    folder.mkdir()
    write_ten_rows(folder)
    duckdb = Command([PYTHON, "-c", "import duckdb"])
    return [
        Pair("`peacetrack validate`, ten rows", suffix.lstrip("."),
             Command([PYTHON, "-m", "peacetrack", "validate", str(folder / f"statements{suffix}")], peacetrack_env()),
             duckdb, '`python -c "import duckdb"`', "+1.1–1.2 s", "within 0.2 s", lambda ours, theirs: ours <= theirs + 0.2)
        for suffix in FORMATS
    ]  # fmt: skip


def memory_table(work: Path, sizes: list[int], runs: int) -> None:
    """Peak RSS of `validate` of bench_validate.py's CSV (contributors' text) at each size, the
    median of `runs`, with what each further row adds; flat: the largest within 10% of the smallest."""
    from bench_validate import WRAPPER, write_statements

    against = work / "against"
    peaks, files = [], []
    for rows in sizes:
        data = work / f"memory-{rows}" / "statements.csv"
        data.parent.mkdir()
        write_statements(data, rows, "contributor", "csv")
        files.append(data.stat().st_size)
        argv = [PYTHON, "-c", WRAPPER, PYTHON, "-m", "peacetrack", "validate", str(data), "--against", str(against)]
        measured = []
        for _ in range(runs + 1):  # the first run untimed: byte code compiled, the file in the page cache
            done = subprocess.run(argv, env=peacetrack_env(), stderr=subprocess.PIPE, text=True, check=True)
            code, peak = done.stderr.split()[-2:]
            if code not in ("0", "1"):  # 1: the faults the file is made with
                sys.exit(f"validate of {data} exited {code}:\n{done.stderr[-2000:]}")
            measured.append(int(peak) * 1024)
        peaks.append(statistics.median(measured[1:]))
        data.unlink()
    print(f"\nPeak memory of `validate`, CSV of contributors' text, medians of {runs} run(s):\n")
    print("| rows | file | peak RSS | × file | bytes a further row adds |")
    print("|---|---|---|---|---|")
    for index, rows in enumerate(sizes):
        growth = "—" if index == 0 else f"{(peaks[index] - peaks[index - 1]) / (rows - sizes[index - 1]):,.0f}"
        print(
            f"| {rows:,} | {files[index] / 1e6:,.0f} MB | {peaks[index] / 1e6:,.0f} MB | {peaks[index] / files[index]:.2f} | {growth} |"
        )
    ratio = peaks[-1] / peaks[0]
    print(
        f"\n{sizes[-1] / sizes[0]:.0f}× the rows, {ratio:.2f}× the peak (before: 415 → 516 MB at 0.5 → 2 M rows, 1.24×); "
        f"goal: flat (≤ 1.10×): {'met' if ratio <= 1.10 else 'not met'}"
    )


def help_pair() -> Pair:
    return Pair(
        "`peacetrack --help`", "—", Command([PYTHON, "-m", "peacetrack", "--help"], peacetrack_env()),
        Command([PYTHON, "-c", "import duckdb"]), '`python -c "import duckdb"`', "40× (of `python -c pass`)",
        "within 0.2 s", lambda ours, theirs: ours <= theirs + 0.2,
    )  # fmt: skip


# --- the table ------------------------------------------------------------------------------------------


def print_table(pairs: list[Pair], runs: int) -> None:
    print(f"\nMedians of {runs} interleaved run(s), wall seconds (CPU seconds); the goal is judged on wall time.\n")
    print("| what | size | peacetrack | the alternative | ratio now (CPU) | ratio before | goal | met |")
    print("|---|---|---|---|---|---|---|---|")
    for pair in pairs:
        ours, theirs = (
            [statistics.median(t[k] for t in pair.times[side]) for k in (0, 1)] for side in ("ours", "theirs")
        )
        met = "yes" if pair.met(ours[0], theirs[0]) else "no"
        print(
            f"| {pair.what} | {pair.size} | {ours[0]:.2f} s ({ours[1]:.2f}) | {pair.alternative}: {theirs[0]:.2f} s "
            f"({theirs[1]:.2f}) | {ours[0] / theirs[0]:.1f}× ({ours[1] / theirs[1]:.1f}×) | {pair.before} | {pair.goal} | {met} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", help=f"a comma-separated subset of: {','.join(WHAT)}")
    parser.add_argument("--quick", action="store_true", help="small sizes and one round, to try the script")
    parser.add_argument("--sources", help="copies of the seed, comma-separated (default 100,500)")
    parser.add_argument("--statements", type=int, help="statements in the release (default 1,000,000)")
    parser.add_argument("--transfers", type=int, help="transfers in the release (default 10,000)")
    parser.add_argument("--jsonl-rows", type=int, help="rows of the JSON Lines file (default 1,000,000)")
    parser.add_argument("--csv-rows", type=int, help="rows of the CSV file (default 500,000)")
    parser.add_argument("--runs", type=int, help="interleaved rounds (default 3)")
    parser.add_argument(
        "--memory-rows", help="CSV sizes for `memory`, comma-separated (default 500000,1000000,2000000)"
    )
    parser.add_argument("--floor", nargs=2, type=Path, help=argparse.SUPPRESS)  # internal: SEEDS OUT
    args = parser.parse_args()
    if args.floor:
        floor(*args.floor)
        return
    quick = args.quick
    which = set(WHAT if not args.only else args.only.split(","))
    if which - set(WHAT):
        parser.error(f"--only: unknown {', '.join(sorted(which - set(WHAT)))}; choose from {', '.join(WHAT)}")
    sources = [int(n) for n in (args.sources or ("10,50" if quick else "100,500")).split(",")]
    statements = args.statements or (100_000 if quick else 1_000_000)
    transfers = args.transfers or (1_000 if quick else 10_000)
    jsonl_rows = args.jsonl_rows or (100_000 if quick else 1_000_000)
    csv_rows = args.csv_rows or (50_000 if quick else 500_000)
    runs = args.runs or (1 if quick else 3)
    memory_rows = [
        int(n) for n in (args.memory_rows or ("50000,100000,200000" if quick else "500000,1000000,2000000")).split(",")
    ]

    sys.path.insert(0, str(HERE.parent))  # the other bench scripts, whose inputs this one reuses
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        work = Path(scratch)
        started = time.perf_counter()
        pairs = build_pairs(work, sources, which)
        if which & {"connect", "sql", "report"}:
            pairs += release_pairs(work, statements, transfers, which)
        if which & {"validate-jsonl", "validate-csv", "memory"}:
            pairs += validate_pairs(work, csv_rows, jsonl_rows, which)
        if "help" in which:
            pairs.append(help_pair())
        if "validate-10" in which:
            pairs += startup_pairs(work)
        print(f"inputs made in {time.perf_counter() - started:.0f} s", flush=True)
        for pair in pairs:  # one untimed round: byte code compiled, files in the page cache
            timed(pair.ours), timed(pair.theirs)
        for round_ in range(runs):
            for pair in pairs:
                for side, command in (("ours", pair.ours), ("theirs", pair.theirs)):
                    pair.times[side].append(timed(command))
            print(f"round {round_ + 1} of {runs} done in {time.perf_counter() - started:.0f} s", flush=True)
        print_table(pairs, runs)
        if "memory" in which:
            memory_table(work, memory_rows, runs)


if __name__ == "__main__":
    main()
