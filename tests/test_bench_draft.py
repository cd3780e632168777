"""The scoring of scripts/bench_draft.py on small hand-made codings: what matches and what does
not, so that the benchmark's figures mean what its docstring says."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from datetime import date
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from peacetrack.draft.model import Span

from .helpers import FIXTURES, ROOT


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_draft", ROOT / "scripts" / "bench_draft.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_draft"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


bench = load_bench()


def actor(actor_id: str, name: str, *aliases: str) -> dict[str, Any]:
    return {"actor_id": actor_id, "name": name, "aliases": list(aliases)}


def statement(row_id: str, speaker: str, kind: str = "direct_quote") -> dict[str, Any]:
    return {"statement_id": row_id, "speaker_id": speaker, "kind": kind}


def coding(
    actors: list[dict[str, Any]], statements: list[tuple[dict[str, Any], list[Span]]] | None = None, **rows: Any
) -> Any:
    """A coding of hand-made rows: the statements with their spans, transfers and rounds."""
    statements = statements or []
    tables: dict[str, list[dict[str, Any]]] = {
        "actors": actors,
        "statements": [s for s, _ in statements],
        "military_transfers": rows.get("transfers", []),
        "negotiation_rounds": rows.get("rounds", []),
    }
    spans = {("statements", s["statement_id"]): found for s, found in statements}
    return bench.Coding(rows=tables, spans=spans)


ACTORS = [
    actor("ararat-mirzoyan", "Ararat Mirzoyan", "Mirzoyan"),
    actor("ceyhun-bayramov", "Ceyhun Bayramov", "Jeyhun Bayramov"),
]


def direct(gold: Any, draft: Any) -> tuple[int, int, int]:
    s = bench.score(gold, draft)["direct quotes"]
    return s.gold, s.draft, s.matched


# --- statements -----------------------------------------------------------------------------------


def test_the_same_speaker_and_overlapping_spans_match() -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan"), [Span(10, 40)])])
    draft = coding(ACTORS, [(statement("d", "ararat-mirzoyan"), [Span(30, 80)])])
    assert direct(gold, draft) == (1, 1, 1)


def test_another_speaker_on_the_same_span_does_not_match() -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan"), [Span(10, 40)])])
    draft = coding(ACTORS, [(statement("d", "ceyhun-bayramov"), [Span(10, 40)])])
    assert direct(gold, draft) == (1, 1, 0)
    score = bench.score(gold, draft)["direct quotes"]
    assert (score.missed, score.extra) == (["g"], ["d"])


@pytest.mark.parametrize(
    ("draft_span", "matched"), [(Span(39, 60), 1), (Span(40, 60), 0), (Span(0, 11), 1), (Span(0, 10), 0)]
)
def test_an_overlap_of_one_character_matches_and_touching_spans_do_not(draft_span: Span, matched: int) -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan"), [Span(10, 40)])])
    draft = coding(ACTORS, [(statement("d", "ararat-mirzoyan"), [draft_span])])
    assert direct(gold, draft)[2] == matched


def test_any_evidence_span_of_a_row_may_overlap() -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan"), [Span(0, 5), Span(100, 140)])])
    draft = coding(ACTORS, [(statement("d", "ararat-mirzoyan"), [Span(50, 60), Span(120, 130)])])
    assert direct(gold, draft) == (1, 1, 1)


def test_a_new_actor_of_another_id_is_mapped_by_name_or_alias() -> None:
    gold = coding(ACTORS, [(statement("g", "ceyhun-bayramov"), [Span(10, 40)])])
    drafted = [actor("jeyhun-bayramov", "Jeyhun Bayramov", "Bayramov")]
    draft = coding(drafted, [(statement("d", "jeyhun-bayramov"), [Span(10, 40)])])
    assert bench.actor_map(draft, gold) == {"jeyhun-bayramov": "ceyhun-bayramov"}
    assert direct(gold, draft) == (1, 1, 1)
    stranger = coding([actor("someone-else", "Someone Else")], [(statement("d", "someone-else"), [Span(10, 40)])])
    assert direct(gold, stranger) == (1, 1, 0)


def test_names_are_compared_without_case_or_accents() -> None:
    gold = coding([actor("ilham-aliyev", "Ilham Aliyev", "President Aliyev")])
    draft = coding([actor("president-aliyev", "PRESIDENT ALİYEV")])
    assert bench.actor_map(draft, gold) == {"president-aliyev": "ilham-aliyev"}


def test_a_row_drafted_twice_is_matched_once() -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan"), [Span(10, 40)])])
    draft = coding(
        ACTORS,
        [(statement("d1", "ararat-mirzoyan"), [Span(10, 20)]), (statement("d2", "ararat-mirzoyan"), [Span(20, 40)])],
    )
    score = bench.score(gold, draft)["direct quotes"]
    assert (score.matched, score.recall, score.precision) == (1, 1.0, 0.5)
    assert (score.missed, len(score.extra)) == ([], 1)


def test_the_matching_is_maximal_not_greedy() -> None:
    """g1 could take d1 or d2, g2 only d1: both gold rows are matched."""
    gold = coding(
        ACTORS,
        [(statement("g1", "ararat-mirzoyan"), [Span(0, 30)]), (statement("g2", "ararat-mirzoyan"), [Span(0, 5)])],
    )
    draft = coding(
        ACTORS,
        [(statement("d1", "ararat-mirzoyan"), [Span(0, 10)]), (statement("d2", "ararat-mirzoyan"), [Span(20, 30)])],
    )
    assert direct(gold, draft) == (2, 2, 2)


def test_direct_quotes_and_paraphrases_are_scored_apart() -> None:
    gold = coding(ACTORS, [(statement("g", "ararat-mirzoyan", "direct_quote"), [Span(10, 40)])])
    draft = coding(ACTORS, [(statement("d", "ararat-mirzoyan", "paraphrase"), [Span(10, 40)])])
    scores = bench.score(gold, draft)
    assert (scores["direct quotes"].recall, scores["paraphrases"].precision) == (0.0, 0.0)
    assert (scores["direct quotes"].precision, scores["paraphrases"].recall) == (None, None)  # nothing to count


# --- transfers and rounds -------------------------------------------------------------------------


def transfer(supplier: str, recipient: str, item: str) -> dict[str, Any]:
    return {"transfer_id": f"{supplier}-{recipient}", "supplier_id": supplier, "recipient_id": recipient, "item": item}


@pytest.mark.parametrize(
    ("drafted", "matched"),
    [
        (transfer("fra", "arm", "bastion armoured vehicles"), 1),  # case and extra words
        (transfer("france", "arm", "Bastion"), 1),  # a new actor of another id, named as the gold's alias
        (transfer("fra", "arm", "Bastion armored vehicle"), 1),  # spelt otherwise
        (transfer("fra", "arm", "Mistral"), 0),  # another item
        (transfer("fra", "arm", "Bastion Mk2"), 1),  # more precise than the gold: its words hold the gold's
        (transfer("ind", "arm", "Bastion"), 0),  # another supplier
        (transfer("fra", "aze", "Bastion"), 0),  # another recipient
    ],
)
def test_transfers_match_by_supplier_recipient_and_item(drafted: dict[str, Any], matched: int) -> None:
    states = [actor("fra", "France", "Paris"), actor("arm", "Armenia"), actor("aze", "Azerbaijan")]
    gold = coding(states, transfers=[transfer("fra", "arm", "Bastion")])
    draft = coding([*states, actor("france", "France")], transfers=[drafted])
    assert bench.score(gold, draft)["transfers"].matched == matched


def round_(parties: list[str], start: date | None, end: date | None, edtf: str | None = "x") -> dict[str, Any]:
    return {"round_id": "r", "parties": parties, "date_edtf": edtf, "date_start": start, "date_end": end}


@pytest.mark.parametrize(
    ("drafted", "matched"),
    [
        (round_(["aze", "arm"], date(2025, 6, 11), date(2025, 6, 11)), 1),  # parties in any order
        (round_(["arm", "aze"], date(2025, 6, 1), date(2025, 6, 30)), 1),  # a month holding the day
        (round_(["arm", "aze"], None, date(2025, 6, 11)), 1),  # open before
        (round_(["arm", "aze"], date(2025, 6, 12), date(2025, 6, 12)), 0),  # the next day
        (round_(["arm", "aze"], None, None, None), 0),  # undated against dated
        (round_(["arm", "aze", "fra"], date(2025, 6, 11), date(2025, 6, 11)), 0),  # another party
    ],
)
def test_rounds_match_by_parties_and_overlapping_dates(drafted: dict[str, Any], matched: int) -> None:
    states = [actor("arm", "Armenia"), actor("aze", "Azerbaijan")]
    gold = coding(states, rounds=[round_(["arm", "aze"], date(2025, 6, 11), date(2025, 6, 11))])
    draft = coding(states, rounds=[drafted])
    assert bench.score(gold, draft)["rounds"].matched == matched


def test_two_undated_rounds_match() -> None:
    states = [actor("arm", "Armenia"), actor("aze", "Azerbaijan")]
    gold = coding(states, rounds=[round_(["arm", "aze"], None, None, None)])
    assert bench.score(gold, gold)["rounds"].matched == 1


# --- codings read from files ----------------------------------------------------------------------


def test_a_reviewed_coding_scored_against_itself_is_all_matched() -> None:
    folder = FIXTURES / "articles" / "caucasus-wire-2025-11-18"
    gold = bench.read_coding(folder)
    scores = bench.score(gold, gold)
    assert {name: (s.gold, s.matched) for name, s in scores.items()} == {
        "direct quotes": (8, 8),
        "paraphrases": (3, 3),
        "transfers": (1, 1),
        "rounds": (3, 3),
    }


def test_a_drafted_row_is_read_with_its_spans(tmp_path: Path) -> None:
    """A draft's rows carry a `draft:` mapping; the benchmark reads them all the same."""
    folder = tmp_path / "caucasus-wire-2025-11-18"
    shutil.copytree(FIXTURES / "articles" / folder.name, folder)
    (folder / "coding.draft.yaml").write_text(
        "statements:\n"
        "  - statement_id: mirzoyan-2025-11-weapons-for-defence\n"
        "    speaker_id: ararat-mirzoyan\n"
        "    kind: direct_quote\n"
        "    quote: for one purpose only – to defend its internationally recognised borders\n"
        "    summary: Mirzoyan said Armenia buys weapons only for defence.\n"
        "    topic: military_buildup\n"
        "    when: null\n"
        "    evidence:\n"
        "      - Armenia, he said, buys weapons\n"
        "    draft: {confidence: 0.9, reason: a quote after “he said”}\n",
        encoding="utf-8",
    )
    read = bench.read_coding(folder, "coding.draft.yaml")
    (row,) = read.rows["statements"]
    assert row["speaker_id"] == "ararat-mirzoyan"
    text = (folder / "article.txt").read_text(encoding="utf-8")
    (span,) = read.spans_of("statements", row)
    assert text[span.start : span.end] == "Armenia, he said, buys weapons"


@pytest.mark.parametrize(
    ("drafted", "gold", "alike"),
    [
        ("Akinci", "Bayraktar Akıncı strike drones", True),  # the dotless ı folded
        ("Bayraktar TB2", "Bayraktar Akıncı strike drones", False),  # the maker's name alone is not the item
        ("air-defence missiles", "Akash-NG air-defence missiles", True),
        ("", "Bastion", False),
    ],
)
def test_items_are_alike_when_the_shorter_ones_words_are_all_in_the_other(drafted: str, gold: str, alike: bool) -> None:
    assert bench.same_item(drafted, gold) is alike


def test_a_failed_draft_is_told_by_its_whole_exception() -> None:
    stderr = (
        "Traceback (most recent call last):\n"
        '  File "<string>", line 1, in <module>\n'
        "    draft_seed(Path(sys.argv[1]))\n"
        "peacetrack.draft.article.DraftError: a fault (military\n"
        "radios); nothing was written\n"
    )
    assert bench.exception_of(stderr) == (
        "peacetrack.draft.article.DraftError: a fault (military radios); nothing was written"
    )
    assert bench.exception_of("") == "no draft written"


def test_the_targets_and_the_json_report() -> None:
    perfect = {"direct quotes": bench.Score(20, 20, 20), "paraphrases": bench.Score(10, 4, 4)}
    perfect |= {"transfers": bench.Score(5, 5, 4), "rounds": bench.Score(4, 1, 1)}
    results = [bench.Result("a", 1.5, None, perfect, 1.2), bench.Result("b", 2.5, None, perfect, 1.9)]
    report = json.loads(json.dumps(bench.as_json(results)))
    met = {row["target"]: row["met"] for row in report["targets"]}
    assert met == {
        "direct quotes recall": True,  # 40/40
        "direct quotes precision": True,
        "paraphrases recall": False,  # 8/20
        "transfers recall": True,  # 8/10
        "rounds recall": False,  # 2/8
        "seconds per article (slowest)": False,  # b: 2.5 s
    }
    assert report["total"]["transfers"] == {
        "gold": 10, "draft": 10, "matched": 8, "recall": 0.8, "precision": 0.8, "missed": [], "extra": [],
    }  # fmt: skip
    failed = [bench.Result("a", 1.0, None, perfect, 1.0), bench.Result("c", None, "DraftError: …", perfect)]
    assert bench.targets(bench.total(failed), failed)[-1]["met"] is False  # a failed draft is not fast
