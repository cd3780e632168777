"""Drafted rows and their review: a row still marked `draft:` is read like any other and is a
`draft` fault in the build and in `peacetrack validate` alike (coding.yaml or coding.draft.yaml);
`peacetrack review` makes one static page of a coding, which a real headless Chromium opens."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from peacetrack.cli import app
from peacetrack.rules import DRAFT
from peacetrack.seeds import Coded, SeedReader, build_tables
from peacetrack.tables import CODING_FILE, DRAFT_FILE

from .helpers import SEED_ID

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
