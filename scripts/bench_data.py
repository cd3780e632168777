"""Time loading a large release: pandas `load`, DuckDB `connect`, and a download over 127.0.0.1.

The release is the seed's tables with the statements copied until there are `--rows` of them
(ids made unique, the seed's non-ASCII text kept). `connect()` and `load()` are timed against
what a user would write without peacetrack (DuckDB views over `read_parquet`, and
`pyarrow.parquet.read_table(...).to_pandas()`), interleaved, `--runs` times, medians printed.
Views read the files lazily, at each query, as `connect()` does by default; the locked
`connect(allow_files=False)` (`peacetrack sql`) copies the rows in once, right after their hashes
are checked, so the eager baseline (`CREATE TABLE AS`, types as stored) is shown too.
Prints figures; asserts nothing. `--release DIR` keeps the release there to time two checkouts
on the same files.

    PYTHONPATH=src python scripts/bench_data.py --rows 1000000
"""

from __future__ import annotations

import argparse
import inspect
import os
import resource
import statistics
import tempfile
import threading
import time
from datetime import date
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
from synthetic_release import write_synthetic_release  # beside this script

from peacetrack import data, database, mirror
from peacetrack.schema import sql_string
from peacetrack.seeds import build_tables

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def make_release(root: Path, rows: int) -> None:
    frames = dict(build_tables(SEEDS).frames)
    seed = frames["statements"]
    copies = -(-rows // len(seed))
    big = pd.concat([seed] * copies, ignore_index=True).iloc[:rows].copy()
    big["statement_id"] = big["statement_id"] + "-" + pd.Series(range(rows), dtype="string").astype("string")
    big["canonical_id"] = big["statement_id"]
    frames["statements"] = big
    write_synthetic_release(frames, root, "1.0.0", date(2026, 11, 27))


def timed(label: str, action) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label:<40} {time.perf_counter() - start:8.2f} s")
    return result


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


JOIN = "SELECT count(*) FROM statements s JOIN actors a ON a.actor_id = s.speaker_id"


def views(folder: Path) -> duckdb.DuckDBPyConnection:
    """What a DuckDB user writes without peacetrack: a view over each Parquet file."""
    connection = duckdb.connect()
    for path in sorted(folder.glob("*.parquet")):
        connection.execute(f"CREATE VIEW {path.stem} AS SELECT * FROM read_parquet({sql_string(str(path))})")
    return connection


def copied_tables(folder: Path) -> duckdb.DuckDBPyConnection:
    """The eager counterpart of `views`: each Parquet file copied into a table as it is."""
    connection = duckdb.connect()
    for path in sorted(folder.glob("*.parquet")):
        connection.execute(f"CREATE TABLE {path.stem} AS SELECT * FROM read_parquet(?)", [str(path)])
    return connection


def interleaved(runs: int, contenders: dict[str, object]) -> None:
    """Run each contender in turn, `runs` rounds, and print each one's median."""
    times: dict[str, list[float]] = {label: [] for label in contenders}
    for _ in range(runs):
        for label, action in contenders.items():
            start = time.perf_counter()
            action()  # type: ignore[operator]
            times[label].append(time.perf_counter() - start)
    for label, seconds in times.items():
        print(f"{label:<40} {statistics.median(seconds):8.2f} s  (median of {runs})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="statements in the release")
    parser.add_argument("--runs", type=int, default=5, help="interleaved runs of each comparison")
    parser.add_argument("--release", type=Path, help="make (or reuse) the release in this folder")
    args = parser.parse_args()
    rows = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        site = args.release or root / "site"
        os.environ[mirror.CACHE_DIR_ENV] = str(root / "cache")
        if not (site / "index.json").exists():
            timed(f"write a release of {rows:,} statements", lambda: make_release(site, rows))
        folder = site / "releases" / "1.0.0"
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"{'release size (Parquet + CSV)':<40} {size / 1e6:8.1f} MB")

        server = ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(QuietHandler, directory=str(site))
        )  # a mirror is laid out like datasets/
        threading.Thread(target=server.serve_forever, daemon=True).start()
        (root / "index").mkdir()
        (root / "index" / "index.json").write_bytes((site / "index.json").read_bytes())
        os.environ[data.DATA_DIR_ENV] = str(root / "index")
        timed(
            "download over 127.0.0.1 (verified)",
            lambda: data.download(base_url=f"http://127.0.0.1:{server.server_port}/"),
        )
        server.shutdown()

        os.environ[data.DATA_DIR_ENV] = str(site)
        assert len(data.load("statements")) == rows  # hashes the files once, as every later call finds them
        interleaved(
            args.runs,
            {
                "load('statements')": lambda: data.load("statements"),
                "read_table(...).to_pandas()": lambda: pq.read_table(folder / "statements.parquet").to_pandas(),
            },
        )
        contenders = {
            "connect() + join": lambda: database.connect().execute(JOIN).fetchone(),
            "read_parquet views + join": lambda: views(folder).execute(JOIN).fetchone(),
            "connect()": database.connect,
            "read_parquet views": lambda: views(folder),
            "CREATE TABLE AS read_parquet, as is": lambda: copied_tables(folder),
            "connect(allow_files=False)": lambda: database.connect(allow_files=False),
        }
        if "strict" in inspect.signature(database.connect).parameters:
            contenders["connect(strict=True)"] = lambda: database.connect(strict=True)  # type: ignore[call-arg]
        interleaved(args.runs, contenders)
        assert database.connect().execute(JOIN).fetchone() == (rows,)
        print(f"{'peak RSS':<40} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


if __name__ == "__main__":
    main()
