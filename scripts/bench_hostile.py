"""Time and peak memory of the small hostile inputs of issue 11 (item 10): each must end in a
clear fault within seconds and a few hundred MB. Run each case in a process of its own:

    PYTHONPATH=src python scripts/bench_hostile.py            # every case
    PYTHONPATH=src python scripts/bench_hostile.py yaml_flow  # one
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from peacetrack.coding import QuoteRef
from peacetrack.errors import FileFault
from peacetrack.quotes import resolve_quote
from peacetrack.tables import TABLES
from peacetrack.validator import validate
from peacetrack.yamlfile import read_yaml


def _yaml(text: str) -> str:
    Path("coding.yaml").write_text(text)
    try:
        read_yaml(Path("coding.yaml"), Path("."))
    except FileFault as error:
        return str(error.fault)
    return "parsed"


def _validate(name: str, text: str) -> str:
    Path(name).write_text(text)
    faults = validate([Path(name)]).faults
    return f"{len(faults)} fault(s); first: {faults[0] if faults else None}"


STATEMENTS = [c.name for c in TABLES["statements"].columns]
CASES: dict[str, Callable[[], str]] = {
    "yaml_flow": lambda: _yaml("a: " + "[" * 400_000 + "]" * 400_000 + "\n"),
    "yaml_block": lambda: _yaml("a:\n" + "".join(" " * i + "- \n" for i in range(1, 890))),
    "jsonl_keys": lambda: _validate("actors.jsonl", json.dumps({f"k{i}": i for i in range(120_000)}) + "\n"),
    "jsonl_deep": lambda: _validate("actors.jsonl", '{"a": ' + "[" * 400_000 + "\n"),
    "csv_columns": lambda: _validate("statements.csv", ",".join(STATEMENTS + [f"c{i}" for i in range(100_000)]) + "\n"),
    "csv_header_2mb": lambda: _validate("statements.csv", ",".join(STATEMENTS) + "," + "x" * (2 << 20) + "\n"),
    "quote_wrong_start": lambda: str(resolve_quote("ab" * 3_000_000, QuoteRef(quote="a", char_start=1))),
    "quote_ambiguous": lambda: str(resolve_quote("a" * 6_000_000, "a")),
    "quote_late_occurrence": lambda: str(resolve_quote("a" * 6_000_000, QuoteRef(quote="a", occurrence=5_999_999))),
}


def run(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        os.chdir(folder)
        start = time.perf_counter()
        outcome = CASES[name]()
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{name:24} {seconds:6.2f} s {peak:6} MB peak  {outcome[:120]}")


if __name__ == "__main__":
    names = sys.argv[1:] or list(CASES)
    if len(names) == 1:
        run(names[0])
    else:
        import subprocess

        for name in names:
            subprocess.run([sys.executable, __file__, name], check=True)
