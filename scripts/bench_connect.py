"""Time `peacetrack.connect()` and `peacetrack sql` on a release of 1M statements against plain DuckDB.

The release is the one `scripts/bench_report.py` makes (the seed's rows copied, ids made unique,
suppliers with non-ASCII names, written by `synthetic_release.py` with its `datapackage.json` and
an index publishing every file's hash), so each code path reads it with the release's own schema. `--release DIR` reuses a folder made by an earlier run.

Four pairs, each a whole process (`python ...`), interleaved, `--runs` rounds:

- `connect()`: `peacetrack.connect()` of each `--code` (a checkout: its `src/`), against plain
  `duckdb.connect()` and one `CREATE VIEW ... AS SELECT * FROM read_parquet(...)` per table;
- the group-by `SELECT speaker_id, count(*) FROM statements GROUP BY 1`: `peacetrack sql` of
  each code, against the same views and query in DuckDB's Python client.

Each row prints the median wall seconds of the whole process and of the call alone (imports
left out: the process reports it), with the ratio of each to the plain DuckDB one, and the wall
seconds of the first round: each code runs with a cache of its own, empty at first, so that its
first connect works out the views' plan (`viewplan.py`) that the later ones read.
Prints figures; asserts nothing.

    python scripts/bench_connect.py --code /path/to/main --code . --runs 5 [--release DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PYTHON = sys.executable
VERSION = "9.0.0"  # the version bench_report.py gives its release
QUERY = "SELECT speaker_id, count(*) FROM statements GROUP BY 1"


# --- the release (runs under this checkout's code) ------------------------------------------------


def make_release(root: Path, statements: int) -> None:
    """bench_report.py's release (tables, data package, an index with every file's hash)."""
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[1] / "src"), "BENCH_SEEDS": str(HERE.parents[1] / "seeds")}
    size = ["--transfers", "10000", "--statements", str(statements)]
    subprocess.run([PYTHON, str(HERE.parent / "bench_report.py"), "--make", str(root), *size], env=env, check=True)


# --- the timed processes: each prints the seconds of its call, imports left out ------------------


def plain(folder: Path, query: bool) -> None:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    for path in sorted(folder.glob("*.parquet")):
        literal = "'" + str(path).replace("'", "''") + "'"  # a view takes no `?` parameter
        connection.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet({literal})")
    if query:
        connection.execute(QUERY).fetchall()
    connection.close()
    print(time.perf_counter() - started)


def peacetrack_connect() -> None:
    import peacetrack.database

    started = time.perf_counter()
    peacetrack.database.connect(VERSION).close()
    print(time.perf_counter() - started)


def peacetrack_sql() -> None:
    """`peacetrack sql QUERY --release VERSION` as the CLI runs it, its output to /dev/null; its
    time on stderr (the command prints to stdout)."""
    import contextlib
    import importlib

    from peacetrack.cli import app

    importlib.import_module("peacetrack.database")  # what the command imports: left out, as for connect()

    started = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        try:
            app(["sql", QUERY, "--release", VERSION, "--format", "csv"])
        except SystemExit as exit:
            if exit.code:
                raise
    print(time.perf_counter() - started, file=sys.stderr)


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds of the whole process and of the call it reports."""
    started = time.perf_counter()
    done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    reported = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1]
    return wall, float(reported)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", action="append", type=Path, help="a checkout to time (repeat); default: this one")
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--release", type=Path, help="a folder made by an earlier run (its index.json)")
    parser.add_argument("--time", choices=["views", "views-query", "connect", "sql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.time in ("views", "views-query"):
        plain(args.release / "releases" / VERSION, args.time == "views-query")
        return
    if args.time:
        peacetrack_connect() if args.time == "connect" else peacetrack_sql()
        return

    codes = [c.resolve() for c in (args.code or [HERE.parents[1]])]
    with tempfile.TemporaryDirectory() as scratch:
        root = args.release or Path(scratch) / "release"
        if not args.release:
            started = time.perf_counter()
            make_release(root, args.statements)
            print(f"release made in {time.perf_counter() - started:.1f} s", flush=True)
        me = [PYTHON, str(HERE), "--release", str(root), "--time"]
        plain_env = dict(os.environ)
        pairs: dict[str, dict[str, tuple[list[str], dict[str, str]]]] = {
            "connect()": {"plain DuckDB views": ([*me, "views"], plain_env)},
            "sql group-by": {"DuckDB Python client": ([*me, "views-query"], plain_env)},
        }
        for number, code in enumerate(codes):
            cache = Path(scratch) / f"cache-{number}"  # empty: the first round is a first connect
            env = {**os.environ, "PYTHONPATH": str(code / "src"), "PEACETRACK_DATA_DIR": str(root)}
            env["PEACETRACK_CACHE_DIR"] = str(cache)
            pairs["connect()"][f"peacetrack.connect() ({code})"] = ([*me, "connect"], env)
            pairs["sql group-by"][f"peacetrack sql ({code})"] = ([*me, "sql"], env)
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for round_ in range(args.runs):
            for what, commands in pairs.items():
                for name, (command, env) in commands.items():
                    times.setdefault((what, name), []).append(run(command, env))
            print(f"round {round_ + 1} of {args.runs} done", flush=True)
        print(f"\n{args.statements:,} statements, {args.runs} rounds, medians in seconds")
        print("| what | code | process wall | call alone | ratio process / call | first round wall |")
        print("|---|---|---|---|---|---|")
        for what, commands in pairs.items():
            base = [statistics.median(t[k] for t in times[(what, next(iter(commands)))]) for k in (0, 1)]
            for name in commands:
                wall, call = (statistics.median(t[k] for t in times[(what, name)]) for k in (0, 1))
                ratios = f"{wall / base[0]:.2f}× / {call / base[1]:.2f}×"
                print(f"| {what} | {name} | {wall:.3f} | {call:.3f} | {ratios} | {times[(what, name)][0][0]:.3f} |")


if __name__ == "__main__":
    main()
