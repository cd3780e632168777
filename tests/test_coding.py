"""Coding files to rows: quotes resolve to offsets, and every mistake is named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from peacetrack.checks import Fault, sha256_text
from peacetrack.coding import QuoteRef, build_tables, occurrences, resolve_quote

from .conftest import SEED_ID, SEEDS


def edit(seeds: Path, old: str, new: str, file: str = "coding.yaml") -> Path:
    """Replace one exact, unique piece of a seed file; return the file."""
    path = seeds / SEED_ID / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {file}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


def errors(seeds: Path) -> list[Fault]:
    return build_tables(seeds).errors


TEXT = "Armenia is delaying. Armenia is delaying, he said. Peace."


def test_a_quote_resolves_to_its_offsets() -> None:
    assert resolve_quote(TEXT, "Peace.") == (51, 57)
    assert TEXT[51:57] == "Peace."


def test_an_ambiguous_quote_must_say_which_occurrence() -> None:
    assert list(occurrences(TEXT, "Armenia is delaying")) == [0, 21]
    message = resolve_quote(TEXT, "Armenia is delaying")
    assert isinstance(message, str) and "occurs 2 times" in message and "occurrence" in message
    assert resolve_quote(TEXT, QuoteRef(quote="Armenia is delaying", occurrence=2)) == (21, 40)
    assert "occurs 2 time" in str(resolve_quote(TEXT, QuoteRef(quote="Armenia is delaying", occurrence=3)))


def test_a_quote_with_straight_quotes_gets_a_hint() -> None:
    message = resolve_quote("He said “no” twice.", 'said "no"')
    assert isinstance(message, str) and "quotation marks" in message


def test_without_the_text_a_quote_needs_its_offset() -> None:
    assert "char_start" in str(resolve_quote(None, "Peace."))
    assert resolve_quote(None, QuoteRef(quote="Peace.", char_start=51)) == (51, 57)
    assert "not at char_start" in str(resolve_quote(TEXT, QuoteRef(quote="Peace.", char_start=50)))


def test_a_quote_not_in_the_article_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(
        seeds_copy,
        "- He reiterated that Azerbaijan has no need for mediators in the peace process\n",
        "- He insisted that Azerbaijan has no need for mediators in the peace process\n",
    )
    fault, consequence = errors(seeds_copy)
    assert (consequence.row_id, consequence.rule) == ("aliyev-2024-09-23-no-need-for-mediators", "evidence_required")
    assert (fault.file, fault.line) == (str(path), line_of(path, "He insisted that"))
    assert (fault.table, fault.row_id, fault.column, fault.rule) == (
        "statements",
        "aliyev-2024-09-23-no-need-for-mediators",
        "evidence",
        "evidence_quote",
    )
    assert "not found in the article" in fault.message
    assert str(path) in str(fault) and f":{fault.line}:" in str(fault)


def test_an_unknown_actor_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(
        seeds_copy,
        "no-need-for-mediators\n    target_id: null\n",
        "no-need-for-mediators\n    target_id: osce-minsk-group\n",
    )
    [fault] = errors(seeds_copy)
    assert (fault.file, fault.line) == (str(path), line_of(path, "target_id: osce-minsk-group"))
    assert (fault.column, fault.rule, fault.value) == ("target_id", "foreign_key", "osce-minsk-group")


def test_a_bad_enum_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    item_category: uav\n", "    item_category: drone\n")
    [fault] = errors(seeds_copy)
    assert (fault.file, fault.line) == (str(path), line_of(path, "item_category: drone"))
    assert (fault.table, fault.row_id, fault.column) == (
        "military_transfers",
        "usa-arm-strike-mini-drones-2024-08",
        "item_category",
    )
    assert "'armoured_vehicle'" in fault.message and fault.value == "drone"


def test_an_unknown_field_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    item_category: uav\n", "    item_category: uav\n    colour: grey\n")
    [fault] = errors(seeds_copy)
    assert (fault.line, fault.column, fault.rule) == (line_of(path, "colour: grey"), "colour", "extra_forbidden")
    assert "unknown field 'colour'" in fault.message


def test_a_missing_required_field_is_named(seeds_copy: Path) -> None:
    edit(seeds_copy, "    item_category: uav\n", "")
    [fault] = errors(seeds_copy)
    assert (fault.row_id, fault.column, fault.rule) == ("usa-arm-strike-mini-drones-2024-08", "item_category", "missing")


def test_a_fault_in_defaults_points_at_the_defaults(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    date_basis: inferred   # ", "    date_basis: guessed   # ")
    found = errors(seeds_copy)
    assert len(found) == 23  # every statement inherits the bad default
    assert {(f.line, f.column) for f in found} == {(line_of(path, "date_basis: guessed"), "date_basis")}


def test_a_quantity_of_zero_is_refused(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    quantity: 3\n", "    quantity: 0\n")
    [fault] = errors(seeds_copy)
    assert (fault.line, fault.column) == (line_of(path, "quantity: 0"), "quantity")


def test_a_duplicate_key_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    item_category: uav\n", "    item_category: uav\n    item_category: mines\n")
    [fault] = errors(seeds_copy)
    assert fault.rule == "yaml" and fault.file == str(path)
    assert fault.line == line_of(path, "item_category: mines")
    assert "duplicate key" in fault.message


def test_anchors_and_aliases_are_refused(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    recipient_id: arm\n", "    recipient_id: &r arm\n    end_user_id: *r\n")
    [fault] = errors(seeds_copy)
    assert (fault.rule, fault.line) == ("yaml_alias", line_of(path, "&r arm"))


def test_a_duplicate_row_id_is_refused(seeds_copy: Path) -> None:
    edit(seeds_copy, "- transfer_id: usa-arm-small-scale-mines-2024-08", "- transfer_id: usa-arm-strike-mini-drones-2024-08")
    found = errors(seeds_copy)
    assert {(f.row_id, f.rule) for f in found} >= {("usa-arm-strike-mini-drones-2024-08", "unique")}


def test_an_ambiguous_quote_in_a_coding_file(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "      - the US Air Force\n", "      - Bastion\n")
    fault, _no_evidence_left = errors(seeds_copy)
    assert fault.line == line_of(path, "      - Bastion")
    assert "occurs 2 times" in fault.message
    edit(seeds_copy, "      - Bastion\n", "      - quote: Bastion\n        occurrence: 2\n")
    assert errors(seeds_copy) == []


def test_source_yaml_must_name_its_own_folder(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "language: en\n", "language: en\nsource_id: another-article\n", file="source.yaml")
    [fault] = errors(seeds_copy)
    assert (fault.file, fault.line, fault.rule) == (str(path), line_of(path, "source_id:"), "source_id")


def test_a_changed_article_is_caught_by_its_hash(seeds_copy: Path) -> None:
    edit(seeds_copy, "language: en\n", "language: en\nchar_count: 12\n", file="source.yaml")
    [fault] = errors(seeds_copy)
    assert (fault.column, fault.rule) == ("char_count", "char_count")


def test_a_source_without_its_text_builds_with_a_warning(tmp_path: Path) -> None:
    """Copyright: a maintainer may keep the article out of git; offsets then come from the coding."""
    text = "Minister Ada Lovelace met the envoy."
    folder = tmp_path / "seeds" / "no-text-source"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text(
        f"language: en\ntext_in_repo: false\ntext_sha256: {sha256_text(text)}\nchar_count: {len(text)}\n"
    )
    (folder / "coding.yaml").write_text(
        "actors:\n  - actor_id: ada-lovelace\n    name: Ada Lovelace\n    actor_type: person\n"
        "    evidence:\n      - quote: Ada Lovelace\n        char_start: 9\n"
    )
    build = build_tables(tmp_path / "seeds")
    assert build.ok
    assert [(f.severity, f.rule) for f in build.faults] == [("warning", "unverified")]
    assert build.frames["evidence"][["char_start", "char_end"]].values.tolist() == [[9, 21]]
    assert not build.frames["sources"]["text_in_repo"].iloc[0]
    (folder / "source.yaml").write_text("language: en\ntext_in_repo: false\n")
    [fault] = build_tables(tmp_path / "seeds").errors
    assert fault.rule == "missing_text" and "text_sha256" in fault.message


def test_the_seed_builds_every_table(seed_build: object) -> None:
    build = build_tables(SEEDS)
    assert build.ok
    assert {name: len(frame) > 0 for name, frame in build.frames.items()} == dict.fromkeys(build.frames, True)


@pytest.mark.parametrize("document", ["", "[]\n", "actors: {}\n", "statements:\n  - just a string\n"])
def test_malformed_coding_files_are_faults_not_crashes(seeds_copy: Path, document: str) -> None:
    (seeds_copy / SEED_ID / "coding.yaml").write_text(document, encoding="utf-8")
    build = build_tables(seeds_copy)
    assert all(f.file for f in build.faults)
