"""Time `peacetrack report` on a large release against plain matplotlib drawing the same aggregate.

The release is the seed's tables grown to `--transfers` military transfers and `--statements`
statements, each copied row with its evidence (so the release is valid under the contract), ids
made unique, suppliers with non-ASCII names, one transfer in five reported by a second source
(same `canonical_id`), dates spread over five years, some intervals left open. It is written by
the project's own writers (`synthetic_release.py`: tables, data package, an index that publishes
every hash), by the code being timed, so each code path reads a release of its own schema.

Each code path (`--code`, a checkout: its `src/` and `seeds/` are used; default this one) runs
`python -m peacetrack report --root RELEASE --out OUT` as a whole process; the user's alternative
reads the same Parquet files with pyarrow, aggregates transfers by canonical id, supplier and
month with pandas and draws a heat map and a bar chart with plain matplotlib. Runs are
interleaved (A B C A B C ...), `--runs` times; medians of wall and CPU (user + system) seconds are
printed with each code's ratio to the alternative (CPU time says more on a busy machine).
Prints figures; asserts nothing.

    python scripts/bench_report.py --code /path/to/main --code . --runs 3
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve()
PYTHON = sys.executable
# Fictional suppliers, in the scripts contributors write: Azerbaijani, French, Russian, Turkish, Greek.
SUPPLIER_NAMES = [
    "Qarabağ Müdafiə Sənayesi",
    "Société d'Équipements Avancés",
    "Оборонные Системы Юг",
    "Güneydoğu Savunma Şirketi",
    "Ελληνική Αμυντική Βιομηχανία",
    "Nordisk Försvarsteknik",
    "Český Zbrojní Závod",
    "Łódzkie Zakłady Obronne",
]


# --- the release (runs under the code path being timed) ------------------------------------------


def make_release(root: Path, seeds: Path, transfers: int, statements: int) -> None:
    from synthetic_release import write_synthetic_release  # beside this script; imports the code timed

    from peacetrack.seeds import build_tables

    frames = dict(build_tables(seeds).frames)
    evidence = frames["evidence"]

    # Suppliers: copies of a state of the seed, 40 of them, with non-ASCII names.
    actors = frames["actors"]
    template = actors[actors["actor_id"] == "fra"]
    count = 40
    new_actors = pd.concat([template] * count, ignore_index=True)
    new_actors["actor_id"] = [f"supplier-{i}" for i in range(count)]
    new_actors["name"] = [f"{SUPPLIER_NAMES[i % len(SUPPLIER_NAMES)]} {i}" for i in range(count)]
    new_actors["aliases"] = [[name] for name in new_actors["name"]]
    frames["actors"] = pd.concat([actors, new_actors], ignore_index=True)
    added = [copied_evidence(evidence, "actors", "fra", list(new_actors["actor_id"]))]

    # Transfers: the seed's, copied; suppliers skewed (a few supply most), dates over five years.
    seed = frames["military_transfers"]
    big = pd.concat([seed] * -(-transfers // len(seed)), ignore_index=True).iloc[:transfers].copy()
    origin = big["transfer_id"].copy()
    index = pd.Series(range(transfers))
    big["transfer_id"] = "t-" + index.astype(str).str.zfill(6) + "-" + origin.str.slice(0, 20).str.rstrip("-")
    # one transfer in five is reported again by a second row (same canonical id)
    big["canonical_id"] = big["transfer_id"].where(index % 5 != 1, big["transfer_id"].shift(1))
    big["supplier_id"] = [f"supplier-{int(count * (i * 7919 % 1000) ** 2 / 1e6)}" for i in range(transfers)]
    big["item"] = [f"{item} Ş-{i % 97}" for i, item in enumerate(big["item"])]
    start = pd.Timestamp("2020-01-01") + pd.to_timedelta((index * 37) % 1800, unit="D")
    big["date_start"] = start.dt.date.where(index % 11 != 0, None)
    big["date_end"] = (start + pd.to_timedelta(index % 90, unit="D")).dt.date.where(index % 13 != 0, None)
    undated = big["date_start"].isna() & big["date_end"].isna()
    big["date_precision"] = ["unknown" if u else "day" for u in undated]
    big["date_basis"] = [None if u else "stated" for u in undated]
    big["certainty"] = [("stated", "reported", "alleged")[i % 3] for i in range(transfers)]
    big = big.astype(seed.dtypes.to_dict())
    frames["military_transfers"] = big
    added.append(copied_rows(evidence, "military_transfers", origin, big["transfer_id"]))

    # Statements: the seed's, copied.
    seed = frames["statements"]
    big = pd.concat([seed] * -(-statements // len(seed)), ignore_index=True).iloc[:statements].copy()
    origin = big["statement_id"].copy()
    big["statement_id"] = big["statement_id"] + "-" + pd.Series(range(statements)).astype(str)
    big["canonical_id"] = big["statement_id"]
    frames["statements"] = big
    added.append(copied_rows(evidence, "statements", origin, big["statement_id"]))
    kept = evidence[~evidence["table_name"].astype(str).isin(["statements", "military_transfers"])]
    frames["evidence"] = pd.concat([kept, *added], ignore_index=True).astype(evidence.dtypes.to_dict())

    write_synthetic_release(frames, root, "9.0.0", date(2026, 11, 30))


def copied_evidence(evidence: pd.DataFrame, table: str, row_id: str, new_ids: list[str]) -> pd.DataFrame:
    return copied_rows(evidence, table, pd.Series([row_id] * len(new_ids)), pd.Series(new_ids))


def copied_rows(evidence: pd.DataFrame, table: str, origin: pd.Series, new_ids: pd.Series) -> pd.DataFrame:
    """The evidence of each row `origin[i]` of `table`, copied for the row `new_ids[i]`."""
    own = evidence[evidence["table_name"].astype(str) == table]
    pairs = pd.DataFrame({"row_id": origin.astype(str).to_numpy(), "new_id": new_ids.astype(str).to_numpy()})
    copies = pairs.merge(own, on="row_id", how="inner", sort=False)
    copies["row_id"] = copies["new_id"]
    copies["evidence_id"] = "ev-" + table.replace("_", "-") + "-" + pd.Series(range(len(copies))).astype(str)
    return copies.drop(columns="new_id")[list(evidence.columns)]


# --- the user's alternative: plain matplotlib on the same aggregate ----------------------------


def plain_report(release: Path, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyarrow.parquet as pq

    transfers = pq.read_table(release / "military_transfers.parquet").to_pandas()
    statements = pq.read_table(release / "statements.parquet", columns=["date_start", "date_end"]).to_pandas()
    actors = pq.read_table(release / "actors.parquet", columns=["actor_id", "name"]).to_pandas()
    names = dict(zip(actors["actor_id"], actors["name"], strict=True))
    one = transfers.drop_duplicates("canonical_id")
    one = one.assign(
        supplier=one["supplier_id"].map(names),
        month=pd.to_datetime(one["date_start"].fillna(one["date_end"])).dt.to_period("M"),
    )
    heat = one.groupby(["supplier", "month"]).size().unstack(fill_value=0)
    by_category = one.groupby(["supplier", "item_category"]).size().unstack(fill_value=0)
    per_month = pd.to_datetime(statements["date_start"].fillna(statements["date_end"])).dt.to_period("M")
    out.mkdir(parents=True, exist_ok=True)
    figure, (top, middle) = plt.subplots(2, 1, figsize=(10, 8), height_ratios=(1, 3))
    per_month.value_counts().sort_index().plot.bar(ax=top)
    middle.imshow(heat.to_numpy(), aspect="auto")
    middle.set_yticks(range(len(heat)), heat.index)
    figure.savefig(out / "timeline.png", dpi=150)
    figure, ax = plt.subplots(figsize=(10, 8))
    by_category.plot.barh(stacked=True, ax=ax)
    figure.savefig(out / "transfers-by-supplier.png", dpi=150)


# --- timing ----------------------------------------------------------------------------------------


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of the command."""
    before, started = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall, after = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--code", action="append", type=Path, help="a checkout to time (repeat); default: this one")
    parser.add_argument("--transfers", type=int, default=10_000)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--release", type=Path, help="a folder made by an earlier run (its index.json), for every code")
    parser.add_argument("--make", type=Path, help=argparse.SUPPRESS)  # internal: write the release here
    parser.add_argument("--plain", nargs=2, type=Path, help=argparse.SUPPRESS)  # internal: RELEASE OUT
    args = parser.parse_args()
    if args.make:
        make_release(args.make, Path(os.environ["BENCH_SEEDS"]), args.transfers, args.statements)
        return
    if args.plain:
        plain_report(*args.plain)
        return

    codes = [c.resolve() for c in (args.code or [HERE.parents[1]])]
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        commands: dict[str, tuple[list[str], dict[str, str]]] = {}
        for i, code in enumerate(codes):
            env = {
                **os.environ,
                "PYTHONPATH": str(code / "src"),
                "BENCH_SEEDS": str(code / "seeds"),
                "MPLBACKEND": "Agg",
            }
            root = args.release or work / f"release-{i}"
            if not args.release:
                started = time.perf_counter()
                size = ["--transfers", str(args.transfers), "--statements", str(args.statements)]
                subprocess.run([PYTHON, str(HERE), "--make", str(root), *size], env=env, check=True)
                print(f"release for {code}: made in {time.perf_counter() - started:.1f} s", flush=True)
            report = [PYTHON, "-m", "peacetrack", "report", "--root", str(root), "--out", str(work / f"out-{i}")]
            commands[f"report ({code})"] = (report, env)
        folder = (args.release or work / "release-0") / "releases" / "9.0.0"
        commands["plain matplotlib"] = (
            [PYTHON, str(HERE), "--plain", str(folder), str(work / "plain")],
            dict(os.environ),
        )
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, (command, env) in commands.items():
                times[name].append(run(command, env))
                print(f"{name}: {times[name][-1][0]:.1f} s wall, {times[name][-1][1]:.1f} s CPU", flush=True)
        rows = f"{args.transfers:,} transfers, {args.statements:,} statements"
        plain = [statistics.median(t[k] for t in times["plain matplotlib"]) for k in (0, 1)]
        print(
            "\n| what | size | wall s, median (runs) | CPU s, median | plain matplotlib wall / CPU s | ratio wall / CPU |"
        )
        print("|---|---|---|---|---|---|")
        for name, values in times.items():
            wall, cpu = (statistics.median(t[k] for t in values) for k in (0, 1))
            runs = ", ".join(f"{t[0]:.1f}" for t in values)
            print(
                f"| {name} | {rows} | {wall:.2f} ({runs}) | {cpu:.2f} | {plain[0]:.2f} / {plain[1]:.2f} "
                f"| {wall / plain[0]:.1f}× / {cpu / plain[1]:.1f}× |"
            )


if __name__ == "__main__":
    main()
