"""CONTRIBUTING.md is run, not just read: every fenced block and the date and number tables
carry a marker (`<!-- test: KIND ... -->`) saying what the test does with them, and a block
without one fails the test, so a new example cannot go unrun.

Markers: `copied` (the page as copied) and `file PATH` (the cleaned article, source.yaml) and
`coding PATH` (parts of one coding file, joined in order) make the walkthrough's seed, which is
built with the real seed; `dates` and `numbers` (tables) are coded row by row and built, the
examples of `ids` are ids of the walkthrough, the seed or the fixture articles;
`run` (shell) runs each command with the CLI in a copy of the checkout (`exit=N`: the status it
exits with, else 0; `in=table-files`: in a folder of the walkthrough's rows as CSV files;
`in=drafted`: with the walkthrough's seed drafted first, `coding.draft.yaml` beside its coding);
`output` is what the run block above it prints, exactly.
"""

from __future__ import annotations

import re
import shlex
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import typer.main
from ruamel.yaml import YAML

from peacetrack.cli import app
from peacetrack.draft import draft_seed
from peacetrack.enums import ActorType, Certainty, QuantityBound, Topic, TransferStatus, Vocabulary
from peacetrack.seeds import Build, build_tables
from peacetrack.tablefiles import write_csv
from peacetrack.tables import TABLES

from .built_rows import rows
from .helpers import ROOT, SEEDS, runner

DOC = ROOT / "CONTRIBUTING.md"
TEXT = DOC.read_text(encoding="utf-8")
SOURCE_ID = "example-news-2025-06-13"
KINDS = {"copied", "file", "coding", "run", "output", "dates", "numbers", "ids"}
MARKER = re.compile(r"^<!-- test: (?P<kind>\w+)(?P<rest>[^>]*?) -->\n", re.MULTILINE)
FENCE = re.compile(r"```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
TABLE = re.compile(r"(?:^\|.*\|\n)+", re.MULTILINE)


@dataclass(frozen=True)
class Block:
    kind: str
    argument: str  # a path, or options such as `exit=1` or `in=table-files`
    body: str
    line: int

    def option(self, name: str) -> str | None:
        return dict(item.split("=", 1) for item in self.argument.split() if "=" in item).get(name)


def marked_blocks() -> list[Block]:
    """Each marker and the fenced block (or, for a table marker, the table) right under it."""
    blocks = []
    for marker in MARKER.finditer(TEXT):
        body = FENCE.match(TEXT, marker.end()) or TABLE.match(TEXT, marker.end())
        assert body is not None, f"CONTRIBUTING.md:{TEXT.count(chr(10), 0, marker.start()) + 1}: marker on nothing"
        content = body.group("body") if body.re is FENCE else body.group(0)
        line = TEXT.count("\n", 0, marker.start()) + 1
        blocks.append(Block(marker["kind"], marker["rest"].strip(), content, line))
    return blocks


BLOCKS = marked_blocks()
RUNS = [block for block in BLOCKS if block.kind == "run"]


def of_kind(kind: str) -> list[Block]:
    return [block for block in BLOCKS if block.kind == kind]


def table_rows(block: Block) -> list[dict[str, str]]:
    """A markdown table's rows, by its header's words (backquotes dropped)."""
    lines = [
        [cell.replace("`", "").strip() for cell in line.strip().strip("|").split("|")]
        for line in block.body.splitlines()
    ]
    header, _, *rows = lines
    return [dict(zip(header, row, strict=True)) for row in rows]


# --- every block is run --------------------------------------------------------------------------


def test_every_fenced_block_is_marked_and_every_marker_known() -> None:
    openings = [m.start() for m in re.finditer(r"^```\w", TEXT, re.MULTILINE)]
    fenced = [m.end() for m in MARKER.finditer(TEXT) if TEXT.startswith("```", m.end())]
    unmarked = [TEXT.count("\n", 0, at) + 1 for at in sorted(set(openings) - set(fenced))]
    assert not unmarked, f"fenced blocks no test runs, at CONTRIBUTING.md lines {unmarked}"
    assert {block.kind for block in BLOCKS} == KINDS  # each kind used, none unknown


def test_the_blocks_are_the_walkthrough_s() -> None:
    assert [(b.kind, b.argument) for b in BLOCKS if b.kind in {"copied", "file"}] == [
        ("copied", ""),
        ("file", f"seeds/{SOURCE_ID}/article.txt"),
        ("file", f"seeds/{SOURCE_ID}/source.yaml"),
    ]
    assert {b.argument for b in of_kind("coding")} == {f"seeds/{SOURCE_ID}/coding.yaml"}
    # find, sql, quote found and not found, validate and build, draft and review, the draft validated,
    # the coding reviewed, the table files
    assert len(RUNS) == 9
    follows = [BLOCKS[BLOCKS.index(block) - 1].kind for block in of_kind("output")]
    assert follows == ["run", "run"]  # an output block shows what the run block above it prints


# --- the walkthrough: cleaning, coding, building --------------------------------------------------


def seed_files() -> dict[str, str]:
    """The walkthrough's seed files, as the guide shows them."""
    files = {block.argument: block.body for block in of_kind("file")}
    files[f"seeds/{SOURCE_ID}/coding.yaml"] = "".join(block.body for block in of_kind("coding"))
    return files


def make_checkout(folder: Path) -> Path:
    """A copy of the checkout's seeds with the walkthrough's seed added."""
    shutil.copytree(SEEDS, folder / "seeds")
    for name, body in seed_files().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def walkthrough(tmp_path_factory: pytest.TempPathFactory) -> Build:
    build = build_tables(make_checkout(tmp_path_factory.mktemp("checkout")) / "seeds")
    assert build.ok, "\n".join(map(str, build.faults))
    return build


def test_cleaning_removes_the_page_s_furniture_and_nothing_else() -> None:
    [copied] = of_kind("copied")
    article = seed_files()[f"seeds/{SOURCE_ID}/article.txt"]
    kept = article.splitlines()
    removed = [line for line in copied.body.splitlines() if line not in kept]
    assert [line for line in copied.body.splitlines() if line in kept] == kept  # same lines, same order
    assert removed == [
        "Home | Politics | Economy | Region | Opinion",  # navigation
        "By Anna Sargsyan, staff reporter",  # byline
        "13 June 2025, 09:41",  # its time stamp
        "Photo: The road into Ijevan. (Example News)",  # caption
        "Read more: Ministers meet in Qəbələ",  # link to another article
        "Share this article",  # share button
    ]


def test_the_walkthrough_builds_with_the_seed_and_says_what_its_article_says(walkthrough: Build) -> None:
    transfers = rows(walkthrough, "military_transfers", SOURCE_ID)
    delivered, offered = transfers["fra-arm-bastion-2025-03"], transfers["fra-arm-bastion-offer-2025-06"]
    # "has reportedly delivered more than 20 Bastion armoured vehicles"
    assert (delivered["quantity"], delivered["quantity_bound"], delivered["certainty"]) == (
        20,
        "lower_bound",
        "reported",
    )
    # "Paris is ready to send up to 50 more"
    assert (offered["quantity"], offered["quantity_bound"], offered["status"]) == (50, "upper_bound", "offered")
    [meeting] = rows(walkthrough, "negotiation_rounds", SOURCE_ID).values()
    assert (meeting["place"], str(meeting["date_start"]), meeting["date_basis"]) == ("Ijevan", "2025-06-12", "inferred")
    statements = rows(walkthrough, "statements")
    aliyev = [
        r["source_id"] for r in statements.values() if r["canonical_id"] == "aliyev-2024-09-23-artificially-delaying"
    ]
    assert sorted(aliyev) == ["aliyev-milli-majlis-2024-09-23", SOURCE_ID]
    grigoryan = statements["grigoryan-2025-06-moving-slowly"]
    assert grigoryan["quote"] == "We are moving slowly, but we are moving"
    assert (grigoryan["date_start"], grigoryan["date_end"]) == (None, date(2025, 6, 13))  # on or before publication
    actors = rows(walkthrough, "actors")
    assert {"France", "Paris"} <= set(actors["fra"]["aliases"])  # an alias added to a released actor
    assert actors["example-news-2025-06-13-diplomatic-source"]["actor_type"] == "anonymous"


def test_a_quote_of_the_walkthrough_crosses_a_line_break(walkthrough: Build) -> None:
    evidence = walkthrough.frames["evidence"]
    mine = evidence[evidence["source_id"] == SOURCE_ID]
    text = walkthrough.texts[SOURCE_ID]
    crossing = [q for q in mine["quote"] if "\n" in q]
    assert crossing and all(q in text for q in crossing)


# --- the tables: dates and numbers ---------------------------------------------------------------

TABLE_ARTICLE = "Made-up text for the tests of CONTRIBUTING.md's tables.\n"


def build_rows(folder: Path, table: str, rows: list[dict[str, Any]]) -> Build:
    """Rows of one table, each proven by the same made-up sentence, built on their own."""
    seed = folder / "seeds" / "guide-tables"
    seed.mkdir(parents=True)
    (seed / "article.txt").write_text(TABLE_ARTICLE, encoding="utf-8")
    (seed / "source.yaml").write_text("language: en\n", encoding="utf-8")
    actors = [
        {
            "actor_id": actor_id,
            "name": actor_id.upper(),
            "actor_type": "state",
            "country": actor_id.upper(),
            "evidence": ["Made-up text"],
        }
        for actor_id in ("arm", "fra")
    ]
    coding = {"actors": actors, table: [{**row, "evidence": ["Made-up text"]} for row in rows]}
    YAML().dump(coding, seed / "coding.yaml")
    build = build_tables(folder / "seeds")
    assert build.ok, "\n".join(map(str, build.faults))
    return build


def cell(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def test_the_date_cheat_sheet_is_what_the_build_computes(tmp_path: Path) -> None:
    [block] = of_kind("dates")
    shown = table_rows(block)
    rows = [
        {
            "statement_id": f"date-{index}",
            "speaker_id": "arm",
            "kind": "paraphrase",
            "summary": row["the source says"],
            "topic": "peace_process",
            "when": None if row["when"] == "null" else row["when"],
            "date_basis": None if row["date_basis"] == "null" else row["date_basis"],
        }
        for index, row in enumerate(shown)
    ]
    built = build_rows(tmp_path, "statements", rows).frames["statements"].set_index("statement_id")
    for index, row in enumerate(shown):
        got = built.loc[f"date-{index}"]
        computed = {column: cell(got[column]) for column in ("date_start", "date_end", "date_precision")}
        assert computed == {column: row[column] for column in computed}, row["the source says"]


def test_the_numbers_table_is_what_the_build_keeps(tmp_path: Path) -> None:
    [block] = of_kind("numbers")
    shown = table_rows(block)
    rows = []
    for index, row in enumerate(shown):
        entry: dict[str, Any] = {
            "transfer_id": f"number-{index}",
            "supplier_id": "fra",
            "recipient_id": "arm",
            "item": row["the source says"],
            "item_category": "other",
            "status": "unknown",
            "certainty": "stated",
            "quantity": None if row["quantity"] == "null" else int(row["quantity"]),
        }
        if row["quantity_bound"] in {"lower_bound", "upper_bound", "approximate"}:
            entry["quantity_bound"] = row["quantity_bound"]
        rows.append(entry)
    built = build_rows(tmp_path, "military_transfers", rows).frames["military_transfers"].set_index("transfer_id")
    for index, row in enumerate(shown):
        number = re.search(r"\d+", row["the source says"])
        assert cell(built.at[f"number-{index}", "quantity"]) == (number[0] if number else "")  # the number as printed
        bound = row["quantity_bound"].split()[0]  # "exact (or leave it out)" is exact
        assert cell(built.at[f"number-{index}", "quantity_bound"]) == (bound if number else "")


# --- the commands ---------------------------------------------------------------------------------


def commands(block: Block) -> list[list[str]]:
    lines = [shlex.split(line, comments=True) for line in block.body.splitlines()]
    return [args for args in lines if args]


def cli_verbs() -> set[str]:
    group = typer.main.get_command(app)
    return set(getattr(group, "commands", {}))


def table_files(folder: Path, build: Build) -> None:
    """The walkthrough's rows, one CSV file a table, as a contributor would send them."""
    frames = build.frames
    proven = frames["evidence"][frames["evidence"]["source_id"] == SOURCE_ID]
    actor_ids = set(proven.loc[proven["table_name"] == "actors", "row_id"])
    for name, table in TABLES.items():
        frame = frames[name]
        mine = frame[frame["actor_id"].isin(actor_ids)] if name == "actors" else frame[frame["source_id"] == SOURCE_ID]
        write_csv(table, mine.reset_index(drop=True), folder / f"{name}.csv")


def test_every_command_block_is_a_peacetrack_command() -> None:
    verbs = cli_verbs()
    for block in RUNS:
        for args in commands(block):
            assert args[0] == "peacetrack", f"CONTRIBUTING.md:{block.line}: {args}"
            assert args[1] in verbs, f"CONTRIBUTING.md:{block.line}: {args[1]}"


@pytest.mark.parametrize("block", RUNS, ids=[f"line-{block.line}" for block in RUNS])
def test_the_commands_run(block: Block, tmp_path: Path, walkthrough: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    checkout = make_checkout(tmp_path)
    if block.option("in") == "table-files":
        table_files(checkout, walkthrough)
    if block.option("in") == "drafted":
        draft_seed(checkout / "seeds" / SOURCE_ID)
    monkeypatch.chdir(checkout)
    expected_exit = int(block.option("exit") or 0)
    output = ""
    for args in commands(block):
        expanded = [
            a for arg in args[1:] for a in (sorted(p.name for p in checkout.glob(arg)) if "*" in arg else [arg])
        ]
        result = runner.invoke(app, expanded)
        assert result.exit_code == expected_exit, f"CONTRIBUTING.md:{block.line}: {shlex.join(args)}\n{result.output}"
        output = result.output
    shown = BLOCKS[BLOCKS.index(block) + 1] if BLOCKS.index(block) + 1 < len(BLOCKS) else None
    if shown is not None and shown.kind == "output":
        assert output.strip() == shown.body.strip()  # what the guide shows is what the command prints


@pytest.mark.parametrize("vocabulary", [ActorType, Topic, TransferStatus, QuantityBound, Certainty])
def test_the_guide_names_every_value_of_the_vocabularies_it_lists(vocabulary: type[Vocabulary]) -> None:
    assert [value for value in vocabulary.definitions() if f"`{value}`" not in TEXT] == []


def test_every_example_id_is_one_the_walkthrough_the_seed_or_a_fixture_uses(walkthrough: Build) -> None:
    [block] = of_kind("ids")
    examples = [i for row in table_rows(block) for i in row["example"].split(", ")]
    known = {str(v) for name, frame in walkthrough.frames.items() for v in frame[TABLES[name].primary_key]}
    for coding in (ROOT / "tests" / "fixtures" / "articles").glob("*/coding.yaml"):
        known.add(coding.parent.name)
        tables = YAML(typ="safe").load(coding.read_text(encoding="utf-8"))
        known |= {str(row[TABLES[name].primary_key]) for name in TABLES if name in tables for row in tables[name]}
    assert [i for i in examples if i not in known] == []
