"""Drafted rows and their review: a row still marked `draft:` is read like any other and is a
`draft` fault in the build and in `peacetrack validate` alike (coding.yaml or coding.draft.yaml);
`peacetrack review` makes one static page of a coding, which a real headless Chromium opens."""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser
from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.review import Span, script_json, segments
from peacetrack.rules import DRAFT
from peacetrack.seeds import Coded, SeedReader, build_tables
from peacetrack.tables import CODING_FILE, DRAFT_FILE

from .browser import OUTPUT, VIEWPORT, Opened, chromium, open_file
from .helpers import ROOT, SEED_ID, SEEDS

runner = CliRunner()
STATEMENT = "aliyev-2024-09-23-artificially-delaying"
ACTOR = "fra"
MARK = "    draft: {confidence: 0.9, reason: “Aliyev” is ilham-aliyev (score 95)}\n"


def drafted(folder: Path, name: str, marks: dict[str, str]) -> Path:
    """The seed's coding written as `name`, a `draft:` mapping after the id line of each row
    of `marks` (id key → id)."""
    text = (folder / CODING_FILE).read_text(encoding="utf-8")
    for key, row_id in marks.items():
        line = f"  - {key}: {row_id}\n"
        assert text.count(line) == 1, line
        text = text.replace(line, line + MARK)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def draft_lines(path: Path) -> list[int]:
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == MARK.rstrip("\n")]


def validated(path: Path, release: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["validate", str(path), "--against", str(release), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["faults"]


def test_a_draft_validates_as_a_coding_file_but_for_its_draft_marks(seeds_copy: Path, release: Path) -> None:
    folder = seeds_copy / SEED_ID
    path = drafted(folder, DRAFT_FILE, {"actor_id": ACTOR, "statement_id": STATEMENT})
    errors = [f for f in validated(path, release) if f["severity"] == "error"]
    assert [(f["rule"], f["message"], f["line"], f["column"]) for f in errors] == [
        (DRAFT.name, DRAFT.message, line, "draft") for line in draft_lines(path)
    ]
    assert (folder / CODING_FILE).read_text(encoding="utf-8") != path.read_text(encoding="utf-8")


def test_a_drafted_row_is_still_read_its_evidence_placed_and_its_mark_kept(seeds_copy: Path) -> None:
    folder = seeds_copy / SEED_ID
    drafted(folder, DRAFT_FILE, {"statement_id": STATEMENT})
    coded = Coded()
    SeedReader(folder, coded, seeds_copy, coding_file=DRAFT_FILE).read()
    assert [f.rule for f in coded.faults] == [DRAFT.name]
    assert [(f.table, f.row_id) for f in coded.faults] == [("statements", STATEMENT)]
    assert any(e["row_id"] == STATEMENT for e in coded.rows["evidence"])
    assert coded.drafts == {
        ("statements", STATEMENT): {"confidence": 0.9, "reason": "“Aliyev” is ilham-aliyev (score 95)"}
    }


def test_a_drafted_row_with_another_fault_says_both(seeds_copy: Path, release: Path) -> None:
    folder = seeds_copy / SEED_ID
    path = drafted(folder, DRAFT_FILE, {"statement_id": STATEMENT})
    path.write_text(
        path.read_text(encoding="utf-8").replace("topic: peace_process", "topic: peace", 1), encoding="utf-8"
    )
    rules = {(f["rule"], f["column"]) for f in validated(path, release) if f["severity"] == "error"}
    assert rules == {(DRAFT.name, "draft"), ("enum", "topic")}


def test_the_build_of_a_coding_with_a_draft_row_fails_with_the_same_fault(seeds_copy: Path) -> None:
    path = drafted(seeds_copy / SEED_ID, CODING_FILE, {"statement_id": STATEMENT})
    build = build_tables(seeds_copy)
    assert [(f.rule, f.message, f.file, f.line, f.row_id) for f in build.errors] == [
        (DRAFT.name, DRAFT.message, str(path), draft_lines(path)[0], STATEMENT)
    ]
    result = runner.invoke(app, ["build", "--seeds", str(seeds_copy), "--out", str(seeds_copy.parent / "out")])
    assert result.exit_code == 1
    assert f"{path}:{draft_lines(path)[0]}" in result.output and "[draft]" in result.output
    assert not (seeds_copy.parent / "out").exists()


def test_a_draft_mark_is_strict(seeds_copy: Path) -> None:
    folder = seeds_copy / SEED_ID
    path = drafted(folder, DRAFT_FILE, {"statement_id": STATEMENT})
    text = path.read_text(encoding="utf-8").replace(MARK, "    draft: {confidence: 2, reason: '', sure: yes}\n")
    path.write_text(text, encoding="utf-8")
    coded = Coded()
    SeedReader(folder, coded, seeds_copy, coding_file=DRAFT_FILE).read()
    line = next(n for n, text in enumerate(text.splitlines(), 1) if text.startswith("    draft:"))
    assert {(f.rule, f.line) for f in coded.faults} == {
        (DRAFT.name, line),
        ("less_than_equal", line),
        ("string_too_short", line),
        ("extra_forbidden", line),
    }


def test_validate_names_the_draft_file_among_the_files_it_reads(tmp_path: Path) -> None:
    path = tmp_path / "coding.draft.yml"
    path.write_text("actors: []\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert "coding.yaml or coding.draft.yaml" in json.loads(result.stdout)["faults"][0]["message"]


# --- the review page ---------------------------------------------------------------------------

HOSTILE = "</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


def reviewed(folder: Path, out: Path, *options: str) -> Path:
    result = runner.invoke(app, ["review", str(folder), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out)
    return out


def evidence_of(folder: Path, coding_file: str) -> tuple[str, list[dict[str, Any]]]:
    """The article and the evidence rows of a coding file, as the build reads them."""
    coded = Coded()
    SeedReader(folder, coded, folder.parent, coding_file=coding_file).read()
    return coded.texts[folder.name], coded.rows["evidence"]


def shown(opened: Opened) -> dict[str, Any]:
    """What the page shows: its row cards (table, id, index, classes) and highlighted pieces."""
    return opened.page.evaluate(
        """() => ({
            cards: [...document.querySelectorAll(".row")].map((card) => ({
                table: card.dataset.table, id: card.dataset.id, index: card.dataset.index,
                classes: [...card.classList], text: card.textContent,
            })),
            marks: [...document.querySelectorAll("#article mark")].map((mark) => ({
                start: Number(mark.dataset.start), text: mark.textContent,
                rows: mark.dataset.rows.split(" "), classes: [...mark.classList],
            })),
            article: document.getElementById("article").textContent,
            header: document.querySelector("header").textContent,
        })"""
    )


def assert_every_evidence_highlighted(opened: Opened, text: str, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    """Each evidence span is covered, exactly, by pieces carrying its row and its table's class."""
    page = shown(opened)
    assert page["article"] == text
    index = {(card["table"], card["id"]): card["index"] for card in page["cards"]}
    assert evidence
    for span in evidence:
        row = index[(span["table_name"], span["row_id"])]
        pieces = sorted(
            (m for m in page["marks"] if row in m["rows"] and span["char_start"] <= m["start"] < span["char_end"]),
            key=lambda m: m["start"],
        )
        assert "".join(m["text"] for m in pieces) == text[span["char_start"] : span["char_end"]], span
        assert all(f"t-{span['table_name']}" in m["classes"] for m in pieces), span
    return page


def active(opened: Opened, selector: str) -> list[str]:
    return opened.page.eval_on_selector_all(
        f"{selector}.active", "nodes => nodes.map(n => n.dataset.index ?? n.dataset.start)"
    )


def test_the_review_page_of_the_seed_highlights_every_evidence_span_and_links_rows_and_spans(
    browser: Browser, tmp_path: Path
) -> None:
    folder = SEEDS / SEED_ID
    opened = open_file(browser, reviewed(folder, tmp_path / "review.html"))
    text, evidence = evidence_of(folder, CODING_FILE)
    page = assert_every_evidence_highlighted(opened, text, evidence)
    assert len(page["cards"]) == len({(e["table_name"], e["row_id"]) for e in evidence})
    assert "No fault found" in page["header"] and not any("draft" in card["classes"] for card in page["cards"])

    row = next(card for card in page["cards"] if card["table"] == "statements")  # a row: its spans marked
    opened.page.click(f'.row[data-index="{row["index"]}"]')
    assert active(opened, ".row") == [row["index"]]
    assert sorted(map(int, active(opened, "mark"))) == [m["start"] for m in page["marks"] if row["index"] in m["rows"]]

    overlap = next(m for m in page["marks"] if len(m["rows"]) > 1)  # a span: its rows marked
    opened.page.click(f'mark[data-start="{overlap["start"]}"]')
    assert active(opened, "mark") == [str(overlap["start"])]
    assert sorted(active(opened, ".row"), key=int) == sorted(overlap["rows"], key=int)

    OUTPUT.mkdir(exist_ok=True)
    opened.page.screenshot(path=OUTPUT / f"review-{SEED_ID}.png")
    assert opened.errors == [] and opened.dialogs == []


def test_the_review_page_of_a_draft_marks_its_drafted_rows(browser: Browser, seeds_copy: Path, tmp_path: Path) -> None:
    folder = seeds_copy / SEED_ID
    drafted(folder, DRAFT_FILE, {"actor_id": ACTOR, "statement_id": STATEMENT})
    opened = open_file(browser, reviewed(folder, tmp_path / "draft.html", "--coding", DRAFT_FILE))
    page = assert_every_evidence_highlighted(opened, *evidence_of(folder, DRAFT_FILE))
    marked = {(card["table"], card["id"]): card["text"] for card in page["cards"] if "draft" in card["classes"]}
    assert marked.keys() == {("actors", ACTOR), ("statements", STATEMENT)}
    for card in marked.values():
        assert "confidence 0.90" in card and "“Aliyev” is ilham-aliyev (score 95)" in card
    assert "2 drafted, not yet reviewed" in page["header"] and "2 error(s)" in page["header"]
    assert f"2 row(s) marked draft [draft]: {DRAFT.message}" in page["header"]
    OUTPUT.mkdir(exist_ok=True)
    opened.page.screenshot(path=OUTPUT / f"review-{SEED_ID}-draft.png")
    assert opened.errors == [] and opened.dialogs == []


def test_a_hostile_article_and_cells_stay_text(browser: Browser, seeds_copy: Path, tmp_path: Path) -> None:
    folder = seeds_copy / SEED_ID
    with (folder / "article.txt").open("a", encoding="utf-8") as article:
        article.write(f"\nHe wrote {HOSTILE} on the board.\nBelow it, unquoted: {HOSTILE}\n")
    coding = folder / CODING_FILE
    quote = json.dumps(f"He wrote {HOSTILE}")  # a YAML double-quoted scalar
    text = coding.read_text(encoding="utf-8").replace(
        f"  - statement_id: {STATEMENT}\n",
        f"  - statement_id: {STATEMENT}\n    draft: {{confidence: 0.5, reason: {json.dumps(HOSTILE)}}}\n",
    )
    text = text.replace(
        "      - '\"Armenia is artificially delaying this issue,\" said President Aliyev.'\n", f"      - {quote}\n"
    )
    text = text.replace("    quote: Armenia is artificially delaying this issue\n", f"    quote: {quote}\n")
    summary = "    summary: Aliyev said Armenia is artificially delaying the issue (the peace process).\n"
    assert text.count(summary) == 1
    coding.write_text(
        text.replace(summary, f"    summary: {json.dumps('Aliyev wrote ' + HOSTILE)}\n"), encoding="utf-8"
    )
    path = reviewed(folder, tmp_path / "hostile.html")
    assert "<img" not in path.read_text(encoding="utf-8")
    opened = open_file(browser, path)
    page = assert_every_evidence_highlighted(opened, *evidence_of(folder, CODING_FILE))
    assert opened.page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert opened.page.evaluate("document.scripts.length") == 2  # the data and the page's own
    card = next(card["text"] for card in page["cards"] if card["id"] == STATEMENT)
    assert card.count(HOSTILE) == 3  # the quote, the summary, the draft's reason
    assert opened.errors == [] and opened.dialogs == []


def test_the_pieces_of_overlapping_spans_carry_all_their_rows() -> None:
    pieces = segments("abcdefgh", [Span(1, 5, 0), Span(3, 7, 1), Span(3, 5, 2)])
    assert [(p["start"], p["text"], p["rows"]) for p in pieces] == [
        (0, "a", []), (1, "bc", [0]), (3, "de", [0, 1, 2]), (5, "fg", [1]), (7, "h", []),
    ]  # fmt: skip


def test_the_page_data_cannot_end_its_script_element() -> None:
    data = {"text": HOSTILE + "<!-- & -->"}
    embedded = str(script_json(data))
    assert not {"<", ">", "&"} & set(embedded)
    assert json.loads(embedded) == data


def test_review_writes_under_the_build_folder_and_picks_the_draft_when_it_is_all_there_is(
    seeds_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = seeds_copy / SEED_ID
    drafted(folder, DRAFT_FILE, {"statement_id": STATEMENT})
    (folder / CODING_FILE).unlink()
    monkeypatch.chdir(seeds_copy.parent)
    result = runner.invoke(app, ["review", f"seeds/{SEED_ID}/"])
    assert result.exit_code == 0, result.output
    out = Path(f"datasets/build/review/{SEED_ID}.html")
    assert result.stdout == f"{out}\n"
    assert DRAFT.message in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["--coding", "../coding.yaml"], "give the name of a file in the seed folder"),
        (["--coding", "other.yaml"], "no such coding file"),
    ],
)
def test_review_refuses_a_coding_file_outside_the_folder_or_missing(
    options: list[str], says: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["review", str(SEEDS / SEED_ID), "-o", str(tmp_path / "x.html"), *options])
    assert result.exit_code == 1 and says in result.output
    assert not (tmp_path / "x.html").exists()


# --- the docs ------------------------------------------------------------------------------------

README_SECTION = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Draft, review, validate, release\n", 1)[1]
EXITS = {"draft": 0, "review": 0, "validate": 1}  # the draft's rows are still marked


def test_the_readme_s_draft_review_validate_commands_run(seeds_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = re.findall(r"```sh\n(.*?)```", README_SECTION.split("\n## ", 1)[0], flags=re.DOTALL)
    commands = [shlex.split(line, comments=True) for line in block.splitlines() if line.strip()]
    assert [command[:2] for command in commands] == [["peacetrack", verb] for verb in EXITS]
    (seeds_copy / SEED_ID / CODING_FILE).unlink()  # the seed as it was before it was coded
    monkeypatch.chdir(seeds_copy.parent)
    for command in commands:
        result = runner.invoke(app, command[1:])
        assert result.exit_code == EXITS[command[1]], result.output
    page = Path(f"datasets/build/review/{SEED_ID}.html").read_text(encoding="utf-8")
    assert '"draft":{"confidence"' in page


def test_the_docs_show_a_screenshot_of_the_review_page() -> None:
    for doc in ("README.md", "CONTRIBUTING.md"):
        assert "](docs/review.png)" in (ROOT / doc).read_text(encoding="utf-8"), doc
    with Image.open(ROOT / "docs" / "review.png") as image:
        assert (image.format, image.size) == ("PNG", (VIEWPORT["width"], VIEWPORT["height"]))
