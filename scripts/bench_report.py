"""Time the data card and its figures on the seed plus N synthetic transfers; print the figures.

PYTHONPATH=src python scripts/bench_report.py 100 1000
"""

from __future__ import annotations

import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

from peacetrack.card import datacard_text
from peacetrack.figures import FIGURES, drawn_transfer_ids, png_bytes
from peacetrack.seeds import build_tables
from peacetrack.tables import TABLES, frame_from_rows

ROOT = Path(__file__).resolve().parents[1]


def with_synthetic_transfers(frames: dict[str, pd.DataFrame], count: int) -> dict[str, pd.DataFrame]:
    """The seed's tables plus `count` transfers: copies of the seed's, with spread dates and certainties."""
    seed = frames["military_transfers"]
    rows = []
    for i in range(count):
        base = {k: None if pd.isna(v) else v for k, v in seed.iloc[i % len(seed)].to_dict().items()}
        start = date(2020, 1, 1) + timedelta(days=(i * 37) % 1800)
        end = None if i % 7 == 0 else start + timedelta(days=i % 90)
        rows.append(
            {
                **base,
                "transfer_id": f"synthetic-{i}",
                "canonical_id": f"synthetic-{i}",
                "date_start": None if i % 11 == 0 else start,
                "date_end": end,
                "certainty": ("stated", "reported", "alleged")[i % 3],
            }
        )
    added = frame_from_rows(TABLES["military_transfers"], rows)
    return {**frames, "military_transfers": pd.concat([seed, added], ignore_index=True)}


def main(counts: list[int]) -> None:
    build = build_tables(ROOT / "seeds")
    for count in counts:
        frames = with_synthetic_transfers(build.frames, count)
        started = time.perf_counter()
        datacard_text(frames, "0.0.0", "2026-01-01")
        print(f"{count:>6} extra transfers  card text      {time.perf_counter() - started:6.2f} s")
        for name, draw in FIGURES.items():
            started = time.perf_counter()
            figure = draw(frames)
            data = png_bytes(figure)
            shown = len(drawn_transfer_ids(figure)) if name == "timeline.png" else "-"
            print(
                f"{count:>6} extra transfers  {name:<26} {time.perf_counter() - started:6.2f} s  {len(data) / 1e3:8.0f} kB  transfers drawn: {shown}"
            )


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 1000])
