"""Time each rule on text columns (the validator's text screens among them) per million values.

Three kinds of text, as a release holds them: plain ASCII, English with typographic quotes and
dashes, and Armenian. Each figure is the median of --repeat runs, in seconds.

    PYTHONPATH=src python scripts/bench_text_rules.py --rows 1000000
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import pyarrow as pa

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from peacetrack.rules import column_rules
from peacetrack.tables import TABLES

TEXTS = {
    "ascii": "President Ilham Aliyev said the peace treaty was not yet agreed",
    "typographic": "Aliyev stressed Azerbaijan’s efforts — “to normalise relations” with Armenia…",
    "armenian": "Հայաստանը արհեստականորեն ձգձգում է այս հարցը",
}
COLUMNS = (("statements", "summary"), ("statements", "quote"), ("evidence", "quote"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for kind, text in TEXTS.items():
        values = pa.array([f"{text} {i}" for i in range(args.rows)])
        for table, name in COLUMNS:
            for rule in column_rules(TABLES[table].column(name)):
                times = []
                for _ in range(args.repeat):
                    start = time.perf_counter()
                    rule.passes(values)
                    times.append(time.perf_counter() - start)
                print(f"{kind:12} {table + '.' + name:20} {rule.name:20} {statistics.median(times):.3f}")


if __name__ == "__main__":
    main()
