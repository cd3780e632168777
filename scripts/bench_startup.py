"""Time `peacetrack --help` and `peacetrack validate` of a ten-row file against `import duckdb`.

Issue 15's goal: each within 0.2 s of `python -c "import duckdb"`. The ten-row files are the first
ten rows of the bundled release's statements, as CSV (`statements.csv` copied as it is), Parquet
(`statements.parquet`'s first ten rows) and JSON Lines (the CSV's rows, empty cells null), so each
file is valid and `validate` reads the bundled release as its `--against`. Each code path (`--code`, a checkout:
its `src/` goes on PYTHONPATH; default this one) runs both commands as whole processes, and
`python -c "import duckdb"` runs beside them, interleaved (A B C A B C ...), `--runs` times.
Medians of wall and CPU (user + system) seconds are printed with the difference and ratio to
the duckdb import (CPU time says more on a busy machine); the goal is met when both differences
are within 0.2 s. The last column names the heavy libraries each command loaded (read from one
more, untimed run under `-X importtime`): what to look at when a figure grows. Prints figures;
asserts nothing.

Byte code: every process runs with PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX set
to one temporary folder (so no checkout is written to), after one untimed warm-up round that
compiles it: the timings are of compiled byte code, as an installed package has.

    python scripts/bench_startup.py --code /work/main --code . --runs 9
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
PYTHON = sys.executable
BUNDLED = HERE.parents[1] / "src/peacetrack/bundled/releases/2.0.0"
FORMATS = (".csv", ".parquet", ".jsonl")
# Libraries a start-up may pay for without needing them (pandas: 0.3 s or more; pydantic 0.15 s).
HEAVY = ("pandas", "pydantic", "rich", "duckdb", "matplotlib", "pandera", "requests")
GOAL = 0.2


def write_ten_rows(folder: Path) -> None:
    """The first ten rows of the bundled release's statements as statements.csv, .parquet and .jsonl."""
    import pyarrow.parquet as pq

    with (BUNDLED / "statements.csv").open(newline="", encoding="utf-8") as released:
        rows = list(csv.reader(released))[:11]
    with (folder / "statements.csv").open("w", newline="", encoding="utf-8") as ten:
        csv.writer(ten, lineterminator="\n").writerows(rows)
    with (folder / "statements.jsonl").open("w", encoding="utf-8") as ten:
        ten.writelines(json.dumps({k: v or None for k, v in zip(rows[0], row, strict=True)}) + "\n" for row in rows[1:])
    pq.write_table(pq.read_table(BUNDLED / "statements.parquet").slice(0, 10), folder / "statements.parquet")


def timed(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one process; it must exit 0."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def heavy_loaded(command: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    """The `HEAVY` libraries a command imports, read from `-X importtime` on its stderr."""
    done = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]], env=env, cwd=cwd, capture_output=True, text=True, check=True
    )
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    return [name for name in HEAVY if name in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--code", action="append", type=Path, help="a checkout to time (repeatable)")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    codes = [path.resolve() for path in (args.code or [HERE.parents[1]])]

    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        work = Path(tmp)
        write_ten_rows(work)
        base_env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        base_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
        cases: list[tuple[str, list[str], dict[str, str]]] = [
            ("python -c 'import duckdb'", [PYTHON, "-c", "import duckdb"], base_env)
        ]
        for code in codes:
            env = {**base_env, "PYTHONPATH": str(code / "src")}
            cases.append((f"{code.name}: --help", [PYTHON, "-m", "peacetrack", "--help"], env))
            for suffix in FORMATS:
                argv = [PYTHON, "-m", "peacetrack", "validate", f"statements{suffix}"]
                cases.append((f"{code.name}: validate 10 rows {suffix}", argv, env))

        for _, command, env in cases:  # warm-up: compiles the byte code into the prefix
            timed(command, env, work)
        heavy = {name: heavy_loaded(command, env, work) for name, command, env in cases}
        walls: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        cpus: dict[str, list[float]] = {name: [] for name, _, _ in cases}
        for _ in range(args.runs):
            for name, command, env in cases:
                wall, cpu = timed(command, env, work)
                walls[name].append(wall)
                cpus[name].append(cpu)

    base_name = cases[0][0]
    base_wall, base_cpu = statistics.median(walls[base_name]), statistics.median(cpus[base_name])
    print(f"medians of {args.runs} interleaved runs; byte code compiled; codes: {', '.join(map(str, codes))}")
    print(f"| what | wall s | CPU s | wall − duckdb | CPU − duckdb | wall ratio | goal (≤ +{GOAL} s both) | loads |")
    print("|---|---|---|---|---|---|---|---|")
    for name, _, _ in cases:
        wall, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        met = wall - base_wall <= GOAL and cpu - base_cpu <= GOAL
        goal = "" if name == base_name else ("met" if met else "not met")
        print(
            f"| {name} | {wall:.3f} | {cpu:.3f} | {wall - base_wall:+.3f} | {cpu - base_cpu:+.3f} "
            f"| {wall / base_wall:.2f}× | {goal} | {', '.join(heavy[name]) or '—'} |"
        )


if __name__ == "__main__":
    main()
