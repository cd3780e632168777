"""Quotes across line breaks: whitespace in a quote matches any whitespace in the text, offsets
stay exact, a statement's quote is kept on one line (issue 13, item 5)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from peacetrack.cli import app
from peacetrack.coding import QuoteRef
from peacetrack.evidence import check_quotes
from peacetrack.quotes import collapse, resolve_quote
from peacetrack.seeds import build_tables
from peacetrack.validator import validate

from .helpers import runner

# Made up for these tests, in the style of a wire report, hard-wrapped as a copied page is.
ARTICLE = (
    "Made-up report for peacetrack's tests. Tavush Herald, 3 March 2025.\n"
    "\n"
    "The foreign minister told reporters that the border commissions  would\n"
    "meet again in spring, and that \u201cno   deadline\u201d had been set.\n"
    "Asked about the corridor, she said the border commissions would\r\n"
    "meet again.\n"
)
SOURCE_ID = "tavush-herald-2025-03-03"


def seed(seeds: Path, coding: str, article: str = ARTICLE) -> Path:
    """A seed folder of `article` coded by `coding`; returns its coding.yaml."""
    folder = seeds / SOURCE_ID
    folder.mkdir(parents=True)
    (folder / "article.txt").write_bytes(article.encode())
    (folder / "source.yaml").write_text("language: en\nurl: null\n", encoding="utf-8")
    (folder / "coding.yaml").write_text(coding, encoding="utf-8")
    return folder / "coding.yaml"


def found(text: str, quote: str | QuoteRef) -> str:
    """The text at the offsets a quote resolves to."""
    span = resolve_quote(text, quote)
    assert isinstance(span, tuple), span
    return text[span[0] : span[1]]


def test_a_quote_crossing_a_line_break_resolves_to_exact_offsets() -> None:
    assert found(ARTICLE, "commissions would meet again in spring") == "commissions  would\nmeet again in spring"


def test_doubled_spaces_in_a_quote_match_single_ones_in_the_text() -> None:
    assert resolve_quote(ARTICLE, "in  spring,   and") == resolve_quote(ARTICLE, "in spring, and")
    assert found(ARTICLE, "\u201cno deadline\u201d") == "\u201cno   deadline\u201d"


def test_occurrence_and_char_start_count_in_the_original_text() -> None:
    message = resolve_quote(ARTICLE, "border commissions would meet again")
    assert isinstance(message, str) and "occurs 2 times" in message
    second = resolve_quote(ARTICLE, QuoteRef(quote="border commissions would meet again", occurrence=2))
    assert isinstance(second, tuple)
    assert ARTICLE[second[0] : second[1]] == "border commissions would\r\nmeet again"
    assert (
        resolve_quote(ARTICLE, QuoteRef(quote="border  commissions would meet again", char_start=second[0])) == second
    )
    assert str(resolve_quote(ARTICLE, QuoteRef(quote="meet again", char_start=second[0]))).endswith(
        f"the nearest occurrence is at {ARTICLE.index('meet again', second[0])}"
    )


def test_a_quote_of_only_whitespace_is_refused() -> None:
    assert resolve_quote(ARTICLE, " \n\t ") == "the quote is only whitespace"


def test_a_long_quote_of_many_spaces_against_a_long_text() -> None:
    """A hostile quote: found linearly (str.find on collapsed text), not by backtracking."""
    text = ("a" + " " * 1000) * 2000 + "b"
    assert resolve_quote(text, "a" + " " * 100_000 + "b") == (len(text) - 1002, len(text))
    words = "a " * 50_000
    assert str(resolve_quote(words * 4, words + "b")).startswith("quote not found in the article")


def test_the_collapsed_text_maps_back_to_every_original_offset() -> None:
    text = "  one\n\ntwo \t three four\r\n"
    collapsed = collapse(text)
    assert collapsed.text == " one two three four "
    for offset, char in enumerate(collapsed.text):
        if char != " ":
            assert text[collapsed.original(offset)] == char
            assert collapsed.collapsed(collapsed.original(offset)) == offset


STATEMENT = """\
actors:
  - actor_id: foreign-minister
    name: Foreign minister
    actor_type: person
    evidence: [The foreign minister]
statements:
  - statement_id: minister-commissions-in-spring
    speaker_id: foreign-minister
    kind: direct_quote
    quote: |-
      no
      deadline
    summary: The minister said no deadline had been set for the border commissions.
    topic: border_security
    evidence:
      - that the border commissions would meet again in spring, and that “no deadline” had been set
"""


def test_a_statement_quote_is_stored_collapsed_and_its_evidence_exact(tmp_path: Path) -> None:
    seed(tmp_path / "seeds", STATEMENT)
    build = build_tables(tmp_path / "seeds")
    assert build.ok, "\n".join(map(str, build.errors))
    [quote] = build.frames["statements"]["quote"]
    assert quote == "no deadline"
    evidence = build.frames["evidence"].set_index("row_id")
    span = evidence.at["minister-commissions-in-spring", "quote"]
    assert "would\nmeet" in span and "“no   deadline”" in span
    start, end = evidence.loc["minister-commissions-in-spring", ["char_start", "char_end"]]
    assert ARTICLE[start:end] == span


def test_validating_the_coding_file_finds_the_quote_across_lines(tmp_path: Path, release: Path) -> None:
    coding = seed(tmp_path / "seeds", STATEMENT)
    report = validate([coding], against=release)
    assert [f for f in report.faults if f.severity == "error"] == []


def test_a_statement_quote_is_compared_with_its_evidence_whitespace_collapsed() -> None:
    statements = pd.DataFrame({"statement_id": ["s"], "kind": ["direct_quote"], "quote": ["deadline” had been set"]})
    evidence = pd.DataFrame(
        {"table_name": ["statements"], "row_id": ["s"], "quote": ["“no   deadline”\nhad been set."]}
    )
    assert list(check_quotes(statements, evidence)) == []
    elsewhere = evidence.assign(quote=["no deadline was set"])
    assert [f.rule for f in check_quotes(statements, elsewhere)] == ["quote_in_evidence"]


@pytest.mark.parametrize("quote", ["no deadline", "“no deadline” had been set"])
def test_the_quote_on_one_line_equals_its_evidence_once_collapsed(tmp_path: Path, quote: str) -> None:
    coding = seed(tmp_path / "seeds", STATEMENT.replace("|-\n      no\n      deadline", quote))
    build = build_tables(coding.parent.parent)
    assert build.ok, "\n".join(map(str, build.errors))


# --- `peacetrack quote SOURCE TEXT` (issue 13, item 7) -------------------------------------------


def quote_command(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["quote", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A seed folder holding ARTICLE (no coding needed to look a quote up)."""
    return seed(tmp_path / "seeds", "").parent


def test_quote_finds_a_quote_across_a_line_break(article: Path) -> None:
    code, out, _ = quote_command(article, "commissions would meet again in spring")
    start = ARTICLE.index("commissions  would")
    assert code == 0
    assert f"found once: char_start {start}, char_end {start + 39}, line 3" in out
    assert repr("commissions  would\nmeet again in spring") in out


def test_quote_lists_every_occurrence_of_an_ambiguous_quote(article: Path) -> None:
    code, out, _ = quote_command(article / "article.txt", "the border commissions would meet again")
    assert code == 0 and "found 2 times: add `occurrence: N`" in out
    starts = [m.start() for m in re.finditer("the border commissions", ARTICLE)]
    assert f"occurrence: 1 char_start {starts[0]}," in out and f"occurrence: 2 char_start {starts[1]}," in out
    assert "line 3" in out and "line 5" in out


def test_quote_names_a_straight_quote_where_the_text_has_a_curly_one(article: Path) -> None:
    code, out, _ = quote_command(article, 'and that "no deadline" had been set')
    assert code == 1 and "not found; the nearest passages:" in out
    assert repr("and that “no   deadline” had been set") in out
    assert "'\"' (QUOTATION MARK) for '“' (LEFT DOUBLE QUOTATION MARK)" in out
    assert "'\"' (QUOTATION MARK) for '”' (RIGHT DOUBLE QUOTATION MARK)" in out


def test_quote_names_the_word_that_differs(article: Path) -> None:
    code, out, _ = quote_command(article, "the border commissions would gather again in spring")
    assert code == 1
    nearest = out.split("similarity ")[1]  # the nearest passage, then the next
    assert nearest.endswith(
        "\n    'the border commissions  would\\nmeet again in spring'\n    your 'gather', the text's 'meet'\n"
    )


def test_quote_says_when_nothing_is_near(article: Path) -> None:
    assert quote_command(article, "Zzyzx") == (1, "not found, nor anything like it\n", "")


def test_quote_as_json(article: Path) -> None:
    code, out, _ = quote_command(article, "said the border", "--format", "json")
    found = json.loads(out)
    start = ARTICLE.index("said the border")
    assert code == 0 and found["found"] is True and found["nearest"] == []
    assert found["occurrences"] == [{"char_start": start, "char_end": start + 15, "line": 5, "text": "said the border"}]


def test_quote_of_a_missing_source_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = quote_command(tmp_path / "nowhere.txt", "a quote")
    assert (code, out) == (2, "")
    assert err.startswith(f"error: {tmp_path / 'nowhere.txt'}: cannot read") and "Traceback" not in err
    code, out, err = quote_command(tmp_path, "a quote")  # a folder without article.txt
    assert (code, out) == (2, "") and err.startswith(f"error: {tmp_path / 'article.txt'}: cannot read")
