"""Time loading a large release: pandas `load`, DuckDB `connect`, and a download over 127.0.0.1.

The release is the seed's tables with the statements copied until there are `--rows` of them
(ids made unique). Prints figures; asserts nothing.

    PYTHONPATH=src python scripts/bench_data.py --rows 200000
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd

from peacetrack import data
from peacetrack.coding import build_tables
from peacetrack.release import write_tables
from peacetrack.tables import SCHEMA_VERSION

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def make_release(root: Path, rows: int) -> None:
    frames = dict(build_tables(SEEDS).frames)
    seed = frames["statements"]
    copies = -(-rows // len(seed))
    big = pd.concat([seed] * copies, ignore_index=True).iloc[:rows].copy()
    big["statement_id"] = big["statement_id"] + "-" + pd.Series(range(rows), dtype="string").astype("string")
    big["canonical_id"] = big["statement_id"]
    frames["statements"] = big
    folder = root / "releases" / "1.0.0"
    folder.mkdir(parents=True)
    write_tables(frames, folder)
    files = [
        {"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
        for p in sorted(folder.iterdir())
    ]
    release = {
        "version": "1.0.0",
        "date": "2026-11-27",
        "schema_version": SCHEMA_VERSION,
        "inputs_sha256": "0" * 64,
        "rows": {name: len(frame) for name, frame in frames.items()},
        "files": files,
    }
    (root / "index.json").write_text(json.dumps({"releases": [release]}))


def timed(label: str, action) -> object:
    start = time.perf_counter()
    result = action()
    print(f"{label:<40} {time.perf_counter() - start:8.2f} s")
    return result


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="statements in the release")
    rows = parser.parse_args().rows
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ[data.CACHE_DIR_ENV] = str(root / "cache")
        timed(f"write a release of {rows:,} statements", lambda: make_release(root / "site", rows))
        size = sum(p.stat().st_size for p in (root / "site" / "releases" / "1.0.0").iterdir())
        print(f"{'release size (Parquet + CSV)':<40} {size / 1e6:8.1f} MB")

        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root / "site" / "releases")))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        (root / "index").mkdir()
        (root / "index" / "index.json").write_bytes((root / "site" / "index.json").read_bytes())
        os.environ[data.DATA_DIR_ENV] = str(root / "index")
        timed("download over 127.0.0.1 (verified)", lambda: data.download(base_url=f"http://127.0.0.1:{server.server_port}/"))
        server.shutdown()

        for where, folder in (("cached", root / "index"), ("local", root / "site")):
            os.environ[data.DATA_DIR_ENV] = str(folder)
            frame = timed(f"load('statements'), {where}", lambda: data.load("statements"))
            assert len(frame) == rows
        connection = timed("connect(), local", data.connect)
        count = timed("join statements x actors, count", lambda: connection.execute(
            "SELECT count(*) FROM statements s JOIN actors a ON a.actor_id = s.speaker_id"
        ).fetchone())
        assert count == (rows,)
        print(f"{'peak RSS':<40} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:8.0f} MB")


if __name__ == "__main__":
    main()
