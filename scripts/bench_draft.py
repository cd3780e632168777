"""Compare the machine's draft of each article with its reviewed coding (issue 16's benchmark).

For the seed and every article of tests/fixtures/articles/ (and any seed folder given on the
command line), the article and its source.yaml are copied, without any coding, into a fresh
`seeds/<source_id>/` of a temporary folder (so the draft cannot read the gold), and
`peacetrack.draft.draft_seed` drafts it, in a fresh process run from that folder, `--runs`
times: the seconds per article are the median wall time of those processes, the import of
peacetrack included (their median CPU seconds, user + system, are printed beside them: on a
busy machine they say more). A draft that fails is shown with its exception and scores as an
empty draft. The draft and the reviewed coding are then read as a contributor's
coding is (`SeedReader`), into rows and evidence spans, and compared table by table:

- statements, direct quotes and paraphrases apart: a drafted statement matches a reviewed one
  of the same kind when their speakers are the same actor and an evidence span of each overlaps
  (by one character or more);
- transfers: supplier and recipient the same actors, and the items alike: every word of the
  shorter item is one of the other's, compared without case or accents and fuzzily (rapidfuzz's
  ratio at least WORD_SIMILARITY): "Bastion" is "Bastion armoured vehicles";
- rounds: the same set of parties, and dates that overlap (open ends are open; two undated
  rounds match, an undated and a dated one do not).

A draft may give a new actor another id than the reviewed coding: a drafted actor is the
reviewed actor of the same id, or else the one sharing a name or alias with it (compared
case- and accent-insensitively). Each reviewed row is matched by at most one drafted row and
the reverse (a maximum matching): a row drafted twice counts once, the other against
precision. Recall = matched / reviewed rows, precision = matched / drafted rows; totals add the
counts of every article. The issue's targets are printed with whether each is met (seconds:
the slowest article's median).

    python scripts/bench_draft.py [FOLDER ...] [--runs 3] [--json] [--misses]

Prints figures; asserts nothing (tests/test_bench_draft.py tests the matching).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from peacetrack.draft.model import Span
from peacetrack.seeds import Coded, SeedReader
from peacetrack.tables import ARTICLE, CODING_FILE, SOURCE_FILE, TABLES

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "aliyev-milli-majlis-2024-09-23"
FIXTURES = ROOT / "tests" / "fixtures" / "articles"
WORD_SIMILARITY = 80  # rapidfuzz ratio, 0-100, of two words of items ("armored", "armoured": 93)
WORD = re.compile(r"\w+")
# Letters without a decomposition, folded as CONTRIBUTING spells names in ids (Əliyeva → aliyeva).
LETTERS = str.maketrans({"ı": "i", "ə": "a"})
CLASSES = ("direct quotes", "paraphrases", "transfers", "rounds")
# The aims: (class, measure, at least).
TARGETS = (
    ("direct quotes", "recall", 0.95),
    ("direct quotes", "precision", 0.90),
    ("paraphrases", "recall", 0.60),
    ("transfers", "recall", 0.80),
    ("rounds", "recall", 0.70),
)
MAX_SECONDS = 2.0
DRAFT_CALL = "import sys; from pathlib import Path; from peacetrack.draft import draft_seed; print(draft_seed(Path(sys.argv[1])))"


# --- a coding as rows and spans -----------------------------------------------------------------


@dataclass
class Coding:
    """One coding of an article: its rows per table and the evidence spans of each row."""

    rows: dict[str, list[dict[str, Any]]]
    spans: dict[tuple[str, str], list[Span]] = field(default_factory=dict)

    def spans_of(self, table: str, row: dict[str, Any]) -> list[Span]:
        return self.spans.get((table, row[TABLES[table].primary_key]), [])


def read_coding(folder: Path, coding_file: str = CODING_FILE) -> Coding:
    """The rows and spans of a coding file of the seed `folder` (coding.yaml or a draft), read
    as the build reads a seed: a drafted row is read like any other, its `draft:` mark a fault
    of its own (rule `draft`), not a reason to drop it."""
    coded = Coded()
    SeedReader(folder, coded, folder.parent, coding_file=coding_file).read()
    spans: dict[tuple[str, str], list[Span]] = {}
    for ev in coded.rows["evidence"]:
        spans.setdefault((ev["table_name"], ev["row_id"]), []).append(Span(ev["char_start"], ev["char_end"]))
    return Coding(rows=coded.rows, spans=spans)


# --- actors -------------------------------------------------------------------------------------


def folded(name: str) -> str:
    """A name compared without case, accents or extra spaces ("Əliyev" and "əliyev" alike)."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().translate(LETTERS)
    return " ".join(bare.split())


def names(actor: dict[str, Any]) -> set[str]:
    return {folded(n) for n in [actor["name"], *(actor.get("aliases") or [])]}


def actor_map(draft: Coding, gold: Coding) -> dict[str, str]:
    """Each drafted actor's id → the reviewed actor it stands for: the same id, or else the
    reviewed actor sharing most names or aliases with it; an actor with neither keeps its id."""
    gold_actors = gold.rows["actors"]
    gold_ids = {a["actor_id"] for a in gold_actors}
    mapping = {}
    for actor in draft.rows["actors"]:
        own = actor["actor_id"]
        if own in gold_ids:
            mapping[own] = own
            continue
        shared = [(len(names(actor) & names(g)), g["actor_id"]) for g in gold_actors]
        best = max(shared, default=(0, own))
        mapping[own] = best[1] if best[0] else own
    return mapping


# --- matching -----------------------------------------------------------------------------------


def max_matching(gold: list[Any], draft: list[Any], same: Callable[[Any, Any], bool]) -> dict[int, int]:
    """A one-to-one matching of `gold` to `draft` rows with as many pairs as can be, as draft
    index → gold index (Kuhn's augmenting paths: rows per article are a few dozen, no library
    needed for that)."""
    partner: dict[int, int] = {}  # draft index → gold index
    edges = [[j for j, d in enumerate(draft) if same(g, d)] for g in gold]

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j not in seen:
                seen.add(j)
                if j not in partner or augment(partner[j], seen):
                    partner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    return partner


def overlapping(a: Iterable[Span], b: Iterable[Span]) -> bool:
    return any(x.overlaps(y) for x in a for y in b)


def same_statement(gold: Coding, draft: Coding, to_gold: dict[str, str]) -> Callable[[Any, Any], bool]:
    def same(g: dict[str, Any], d: dict[str, Any]) -> bool:
        speaker = to_gold.get(d["speaker_id"], d["speaker_id"])
        return speaker == g["speaker_id"] and overlapping(
            gold.spans_of("statements", g), draft.spans_of("statements", d)
        )

    return same


def same_item(a: str, b: str) -> bool:
    """The words of the shorter item are all among the other's, each alike at WORD_SIMILARITY:
    "Bastion" is "Bastion armoured vehicles" and "Akinci" is "Bayraktar Akıncı strike drones",
    but "Bayraktar TB2" is not (a token-set ratio would take it, for the shared maker's name)."""
    shorter, longer = sorted((WORD.findall(folded(a)), WORD.findall(folded(b))), key=len)
    return bool(shorter) and all(any(fuzz.ratio(w, v) >= WORD_SIMILARITY for v in longer) for w in shorter)


def same_transfer(to_gold: dict[str, str]) -> Callable[[Any, Any], bool]:
    def same(g: dict[str, Any], d: dict[str, Any]) -> bool:
        return (
            to_gold.get(d["supplier_id"], d["supplier_id"]) == g["supplier_id"]
            and to_gold.get(d["recipient_id"], d["recipient_id"]) == g["recipient_id"]
            and same_item(g["item"], d["item"])
        )

    return same


def dates_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two rows' dates share a day; an open end is open; undated matches only undated."""
    if (a["date_edtf"] is None) or (b["date_edtf"] is None):
        return a["date_edtf"] is None and b["date_edtf"] is None
    return (a["date_start"] or date.min) <= (b["date_end"] or date.max) and (b["date_start"] or date.min) <= (
        a["date_end"] or date.max
    )


def same_round(to_gold: dict[str, str]) -> Callable[[Any, Any], bool]:
    def same(g: dict[str, Any], d: dict[str, Any]) -> bool:
        parties = {to_gold.get(p, p) for p in d["parties"]}
        return parties == set(g["parties"]) and dates_overlap(g, d)

    return same


@dataclass
class Score:
    """Reviewed rows, drafted rows and how many of them match; the ids of the reviewed rows
    no drafted one matches (`missed`) and of the drafted rows matching none (`extra`)."""

    gold: int = 0
    draft: int = 0
    matched: int = 0
    missed: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.matched / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.matched / self.draft if self.draft else None

    def __add__(self, other: Score) -> Score:
        return Score(
            self.gold + other.gold,
            self.draft + other.draft,
            self.matched + other.matched,
            self.missed + other.missed,
            self.extra + other.extra,
        )


def scored(table: str, gold_rows: list[Any], draft_rows: list[Any], same: Callable[[Any, Any], bool]) -> Score:
    pairs = max_matching(gold_rows, draft_rows, same)
    key = TABLES[table].primary_key
    return Score(
        len(gold_rows),
        len(draft_rows),
        len(pairs),
        missed=[r[key] for i, r in enumerate(gold_rows) if i not in pairs.values()],
        extra=[r[key] for j, r in enumerate(draft_rows) if j not in pairs],
    )


def score(gold: Coding, draft: Coding) -> dict[str, Score]:
    """Per class (direct quotes, paraphrases, transfers, rounds), the draft against the gold."""
    to_gold = actor_map(draft, gold)
    by_kind = same_statement(gold, draft, to_gold)

    def kind(coding: Coding, wanted: str) -> list[dict[str, Any]]:
        return [r for r in coding.rows["statements"] if r["kind"] == wanted]

    return {
        "direct quotes": scored("statements", kind(gold, "direct_quote"), kind(draft, "direct_quote"), by_kind),
        "paraphrases": scored("statements", kind(gold, "paraphrase"), kind(draft, "paraphrase"), by_kind),
        "transfers": scored(
            "military_transfers",
            gold.rows["military_transfers"],
            draft.rows["military_transfers"],
            same_transfer(to_gold),
        ),
        "rounds": scored(
            "negotiation_rounds", gold.rows["negotiation_rounds"], draft.rows["negotiation_rounds"], same_round(to_gold)
        ),
    }


# --- drafting, timed ----------------------------------------------------------------------------


@dataclass
class Result:
    """One article: median wall and CPU seconds of its drafts (None when drafting failed), the
    failure, and the draft's scores."""

    source_id: str
    seconds: float | None
    error: str | None
    scores: dict[str, Score]
    cpu_seconds: float | None = None


@dataclass
class Run:
    wall: float
    cpu: float
    draft: Path | None
    error: str | None


def exception_of(stderr: str) -> str:
    """The exception a process ended with: the lines after its traceback's last frame."""
    lines = stderr.strip().splitlines()
    frames = [i for i, line in enumerate(lines) if line.startswith("  ")]
    return " ".join(lines[frames[-1] + 1 if frames else 0 :]) or "no draft written"


def draft_once(folder: Path, work: Path) -> Run:
    """Draft a copy of `folder` (article and source only) in `work/seeds/`, in a fresh process
    run from `work`; wall and CPU (user + system) seconds, the file draft_seed wrote."""
    seeds = work / "seeds"
    seed = seeds / folder.name
    shutil.rmtree(seeds, ignore_errors=True)
    seed.mkdir(parents=True)
    for name in (ARTICLE, SOURCE_FILE):
        shutil.copyfile(folder / name, seed / name)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", DRAFT_CALL, str(seed)], cwd=work, env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    written = done.stdout.strip().splitlines()
    if done.returncode != 0 or not written:
        return Run(wall, cpu, None, exception_of(done.stderr))
    return Run(wall, cpu, seed / Path(written[-1]).name, None)


def bench(folder: Path, runs: int) -> Result:
    """Draft `folder` `runs` times (the first draft scored), or until a draft fails."""
    gold = read_coding(folder)
    draft = Coding(rows={name: [] for name in TABLES})
    done: list[Run] = []
    with tempfile.TemporaryDirectory(prefix="bench-draft-") as tmp:
        for _ in range(runs):
            run = draft_once(folder, Path(tmp))
            if run.error is not None:
                return Result(folder.name, None, run.error, score(gold, draft))
            if not done and run.draft is not None:
                draft = read_coding(run.draft.parent, run.draft.name)
            done.append(run)
    wall, cpu = statistics.median(r.wall for r in done), statistics.median(r.cpu for r in done)
    return Result(folder.name, wall, None, score(gold, draft), cpu)


# --- output -------------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


def ratio(part: int, whole: int, value: float | None) -> str:
    return f"{part}/{whole} {percent(value)}"


CELL = 11  # "12/17  71%"


def total(results: list[Result]) -> dict[str, Score]:
    sums = {name: Score() for name in CLASSES}
    for result in results:
        for name in CLASSES:
            sums[name] = sums[name] + result.scores[name]
    return sums


def targets(sums: dict[str, Score], results: list[Result]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name, measure, goal in TARGETS:
        value = getattr(sums[name], measure)
        rows.append(
            {
                "target": f"{name} {measure}",
                "value": value,
                "goal": f">= {goal:.0%}",
                "met": value is not None and value >= goal,
            }
        )
    slowest = max((r.seconds for r in results if r.seconds is not None), default=None)
    ok = slowest is not None and slowest < MAX_SECONDS and all(r.error is None for r in results)
    rows.append(
        {"target": "seconds per article (slowest)", "value": slowest, "goal": f"< {MAX_SECONDS:g} s", "met": ok}
    )
    return rows


def print_misses(results: list[Result]) -> None:
    """Per article and class, the reviewed rows the draft missed and the drafted rows it added."""
    for result in results:
        for name in CLASSES:
            s = result.scores[name]
            for label, ids in (("missed", s.missed), ("extra", s.extra)):
                if ids:
                    print(f"{result.source_id}  {name} {label}: {', '.join(ids)}")


def print_table(results: list[Result]) -> None:
    rows = [*results, Result("total", None, None, total(results))]
    width = max(len(r.source_id) for r in rows)
    print(f"{'':<{width}}" + "".join(f"  {name:^{2 * CELL + 1}}" for name in CLASSES))
    print(f"{'article':<{width}}" + f"  {'recall':>{CELL}} {'precision':>{CELL}}" * len(CLASSES) + "  s/article  cpu s")
    for result in rows:
        cells = "".join(
            f"  {ratio(s.matched, s.gold, s.recall):>{CELL}} {ratio(s.matched, s.draft, s.precision):>{CELL}}"
            for s in (result.scores[name] for name in CLASSES)
        )
        seconds = "–" if result.seconds is None else f"{result.seconds:.2f}"
        cpu = "–" if result.cpu_seconds is None else f"{result.cpu_seconds:.2f}"
        print(f"{result.source_id:<{width}}{cells}  {seconds:>9}  {cpu:>5}")
        if result.error:
            print(f"{'':<{width}}  draft failed: {result.error[:400]}")
    print()
    for row in targets(total(results), results):
        value = row["value"]
        shown = "–" if value is None else (f"{value:.2f} s" if "seconds" in row["target"] else percent(value))
        print(f"{row['target']:<30} {shown:>7}  {row['goal']:<7} {'met' if row['met'] else 'NOT met'}")


def as_json(results: list[Result]) -> dict[str, Any]:
    def scores(s: dict[str, Score]) -> dict[str, Any]:
        return {name: {**asdict(v), "recall": v.recall, "precision": v.precision} for name, v in s.items()}

    sums = total(results)
    return {
        "articles": [
            {
                "source_id": r.source_id,
                "seconds": r.seconds,
                "cpu_seconds": r.cpu_seconds,
                "error": r.error,
                "scores": scores(r.scores),
            }
            for r in results
        ],
        "total": scores(sums),
        "targets": targets(sums, results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more seed folders (article, source, coding.yaml)")
    parser.add_argument("--runs", type=int, default=3, help="drafts per article, for the median time")
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    parser.add_argument("--misses", action="store_true", help="after the table, the ids of the rows not matched")
    args = parser.parse_args()
    folders = [SEED, *sorted(p for p in FIXTURES.iterdir() if p.is_dir()), *args.folders]
    results = [bench(folder.resolve(), max(1, args.runs)) for folder in folders]
    if args.json:
        print(json.dumps(as_json(results), indent=2))
    else:
        print_table(results)
        if args.misses:
            print()
            print_misses(results)


if __name__ == "__main__":
    main()
