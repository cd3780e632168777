"""Coding files to rows: quotes resolve to offsets, and every mistake is named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peacetrack.coding import QuoteRef
from peacetrack.evidence import sha256_text
from peacetrack.faults import Fault
from peacetrack.quotes import nth_occurrence, occurrences, resolve_quote
from peacetrack.rules import REQUIRED, UNKNOWN_COLUMN, column_rules
from peacetrack.seeds import build_tables
from peacetrack.tables import TABLES

from .helpers import SEED_ID, SEEDS, seed_without_text


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
    [fault] = errors(seeds_copy)  # the quote's fault stands for the row left without evidence: said once
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
    assert (fault.rule, fault.value) == ("enum", "drone")  # in the contract's words, as a table file's cell
    assert fault.message == next(r.message for r in column_rules(TABLES["military_transfers"].column("item_category")))


def test_an_unknown_field_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    item_category: uav\n", "    item_category: uav\n    colour: grey\n")
    [fault] = errors(seeds_copy)
    assert (fault.line, fault.column, fault.rule) == (line_of(path, "colour: grey"), "colour", UNKNOWN_COLUMN.name)
    assert fault.message == UNKNOWN_COLUMN.says(column="colour")


def test_a_missing_required_field_is_named(seeds_copy: Path) -> None:
    edit(seeds_copy, "    item_category: uav\n", "")
    [fault] = errors(seeds_copy)
    assert (fault.row_id, fault.column, fault.rule) == (
        "usa-arm-strike-mini-drones-2024-08",
        "item_category",
        REQUIRED.name,
    )


def test_a_fault_in_defaults_points_at_the_defaults(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    date_basis: inferred   # ", "    date_basis: guessed   # ")
    [fault] = errors(seeds_copy)  # every statement inherits the bad default: one fault, of no one row
    assert (fault.line, fault.column, fault.row_id) == (line_of(path, "date_basis: guessed"), "date_basis", None)


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


def test_a_tag_is_refused_at_its_line(seeds_copy: Path) -> None:
    """A coding file is plain data: a tag asking a loader to build an object is no value."""
    path = edit(seeds_copy, "    recipient_id: arm\n", "    recipient_id: !!python/object:os.system arm\n")
    [fault] = errors(seeds_copy)
    assert (fault.rule, fault.line) == ("yaml_tag", line_of(path, "!!python/object"))


def test_a_key_that_is_a_list_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    recipient_id: arm\n", "    recipient_id: arm\n    ? [arm, aze]\n    : both\n")
    [fault] = errors(seeds_copy)
    assert (fault.rule, fault.line) == ("yaml", line_of(path, "? [arm, aze]"))
    assert "plain value" in fault.message


def test_a_control_character_is_refused_at_its_line(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "    recipient_id: arm\n", "    recipient_id: arm\x07\n")
    [fault] = errors(seeds_copy)
    assert (fault.rule, fault.line) == ("yaml", line_of(path, "arm\x07"))


def test_values_are_read_by_yaml_1_2_as_written(seeds_copy: Path) -> None:
    """libyaml parses YAML 1.1, where `no` is false and `010` is eight: read as YAML 1.2,
    `no` is a place's name and `010` is ten, as a contributor (and ruamel before) reads them."""
    edit(seeds_copy, "    place: null\n", "    place: no\n")
    edit(seeds_copy, "    round_count: 10\n", "    round_count: 010\n")
    build = build_tables(seeds_copy)
    assert build.ok, build.errors
    [row] = build.frames["negotiation_rounds"].to_dict("records")
    assert (row["place"], row["round_count"]) == ("no", 10)


def test_a_duplicate_row_id_is_refused(seeds_copy: Path) -> None:
    edit(
        seeds_copy,
        "- transfer_id: usa-arm-small-scale-mines-2024-08",
        "- transfer_id: usa-arm-strike-mini-drones-2024-08",
    )
    found = errors(seeds_copy)
    assert {(f.row_id, f.rule) for f in found} >= {("usa-arm-strike-mini-drones-2024-08", "unique")}


def test_an_ambiguous_quote_in_a_coding_file(seeds_copy: Path) -> None:
    path = edit(seeds_copy, "      - the US Air Force\n", "      - Bastion\n")
    [fault] = errors(seeds_copy)  # and none for the row it leaves without evidence
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
    assert len(build.faults) == (0 if document == "" else 1)  # an empty file codes nothing
    assert all(f.file for f in build.faults)


# --- no link followed, nothing of a text echoed beyond the quote (issue 11, item 2) ---------------

OUTSIDE = "the machine's own file, outside the seeds: never read\n"


@pytest.mark.parametrize("name", ["article.txt", "source.yaml", "coding.yaml"])
def test_the_build_refuses_a_linked_seed_file(seeds_copy: Path, tmp_path: Path, name: str) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(OUTSIDE)
    path = seeds_copy / SEED_ID / name
    path.unlink()
    path.symlink_to(secret)
    build = build_tables(seeds_copy)
    [fault] = build.errors
    assert (fault.file, fault.rule, fault.message) == (str(path), "symlink", "is a symbolic link: not followed")
    assert OUTSIDE not in build.texts.values()


def test_the_build_refuses_a_linked_seed_folder(seeds_copy: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (seeds_copy / SEED_ID).rename(elsewhere)
    (seeds_copy / SEED_ID).symlink_to(elsewhere)
    build = build_tables(seeds_copy)
    [fault] = build.errors
    assert (fault.file, fault.rule) == (str(seeds_copy / SEED_ID), "symlink")
    assert not build.texts


def test_a_wrong_offset_says_where_the_nearest_occurrence_is_not_every_one() -> None:
    text = "ab" * 500_000
    message = str(resolve_quote(text, QuoteRef(quote="a", char_start=7)))
    assert message == "the quote is not at char_start 7: the nearest occurrence is at 6"
    assert "not at char_start 3000000, nor anywhere" in str(
        resolve_quote(text, QuoteRef(quote="c", char_start=3_000_000))
    )
    assert str(resolve_quote(text, QuoteRef(quote="b", char_start=10**9))).endswith("is at 999999")


def test_a_quote_found_a_million_times_gets_a_short_message() -> None:
    text = "a" * 1_000_000
    message = str(resolve_quote(text, "a"))
    assert message == "the quote occurs over 1000 times: add `occurrence: N` or quote more"
    assert resolve_quote(text, QuoteRef(quote="aa", occurrence=999_999)) == (999_998, 1_000_000)
    assert "occurs over 1000 times" in str(resolve_quote(text, QuoteRef(quote="a", occurrence=2_000_000)))


@pytest.mark.parametrize("column", ["text_sha256", "char_count"])
def test_a_wrong_hash_or_length_is_named_without_the_texts(seeds_copy: Path, column: str) -> None:
    text = (seeds_copy / SEED_ID / "article.txt").read_text(encoding="utf-8")
    wrong = "ab" * 32 if column == "text_sha256" else "12"
    edit(seeds_copy, "language: en\n", f"language: en\n{column}: {wrong}\n", file="source.yaml")
    [fault] = errors(seeds_copy)
    assert (fault.column, fault.value) == (column, wrong)
    assert sha256_text(text) not in str(fault) and str(len(text)) not in str(fault)


# --- deep YAML is refused before it is parsed (issue 11, item 10) ----------------------------------


@pytest.mark.parametrize(
    "document",
    [
        "actors: " + "[" * 5000 + "]" * 5000 + "\n",
        "actors:\n" + "".join(" " * i + "- \n" for i in range(1, 400)) + " " * 400 + "- x\n",
    ],
    ids=["flow", "block"],
)
def test_deeply_nested_yaml_is_refused(seeds_copy: Path, document: str) -> None:
    path = seeds_copy / SEED_ID / "coding.yaml"
    path.write_text(document, encoding="utf-8")
    [fault] = errors(seeds_copy)
    assert (fault.file, fault.rule) == (str(path), "yaml_depth")


# --- an article that is not UTF-8 is said to be so, not missing (issue 11, item 12) ---------------


def test_an_article_not_in_utf8_is_named_at_its_line_not_missing(seeds_copy: Path) -> None:
    path = seeds_copy / SEED_ID / "article.txt"
    raw = path.read_bytes()
    at = raw.index(b"\n", raw.index(b"\n") + 1) + 4  # the fourth byte of the third line
    path.write_bytes(raw[:at] + b"\xff" + raw[at:])
    [fault] = errors(seeds_copy)
    assert (fault.file, fault.rule, fault.line) == (str(path), "encoding", 3)
    assert f"byte {at + 1} " in fault.message and "byte 4 of its line" in fault.message


# --- spans within their source, with or without its text (issue 11, item 8) ------------------------


def test_a_span_beyond_the_char_count_of_a_text_not_in_the_repository(tmp_path: Path) -> None:
    coding = seed_without_text(tmp_path / "seeds", char_start=30)
    [fault] = build_tables(tmp_path / "seeds").errors
    assert (fault.table, fault.column, fault.rule, fault.value) == ("evidence", "char_end", "span_bounds", "42")
    assert (fault.file, fault.line) == (str(coding), 6)


@pytest.mark.parametrize(("start", "column"), [(None, "char_end"), (5000, "char_start")])
def test_evidence_rows_beyond_their_source_are_refused(frames: dict, start: int | None, column: str) -> None:
    from peacetrack.checks import check_tables

    count = int(frames["sources"]["char_count"].iloc[0])
    evidence = frames["evidence"]
    evidence.loc[0, "char_end"] = count + 1 if start is None else start + 10
    if start is not None:
        evidence.loc[0, "char_start"] = start
    faults = [f for f in check_tables(frames, {}) if f.rule == "span_bounds"]
    assert [(f.row_id, f.column) for f in faults] == [(evidence.loc[0, "evidence_id"], column)]


def test_a_long_unknown_key_is_echoed_shortened(seeds_copy: Path) -> None:
    key = "k" * 1000  # a plain YAML key is at most 1024 characters
    edit(seeds_copy, "    item_category: uav\n", f"    item_category: uav\n    {key}: grey\n")
    [fault] = errors(seeds_copy)
    assert fault.rule == UNKNOWN_COLUMN.name and len(fault.message) < 120 and len(fault.column or "") <= 80


@settings(max_examples=300, deadline=None)
@given(text=st.text("ab", max_size=30), quote=st.text("ab", min_size=1, max_size=4), n=st.integers(1, 20))
def test_the_nth_occurrence_is_found_as_counting_one_by_one(text: str, quote: str, n: int) -> None:
    every = list(occurrences(text, quote))
    assert nth_occurrence(text, quote, n) == (every[n - 1] if n <= len(every) else -1)


def test_a_late_occurrence_of_a_letter_found_millions_of_times() -> None:
    text = "ab" * 3_000_000
    assert resolve_quote(text, QuoteRef(quote="b", occurrence=2_999_999)) == (5_999_997, 5_999_998)
    assert "occurs over 1000 times" in str(resolve_quote(text, QuoteRef(quote="b", occurrence=3_000_001)))


def test_a_coding_file_s_defaults_for_what_it_leaves_out(seeds_copy: Path) -> None:
    """A round without round_count stands for one round; a quantity without quantity_bound is
    exact; a row without `when:` has no date (precision unknown)."""
    edit(seeds_copy, "    round_count: 10\n", "")
    edit(seeds_copy, '    quantity_bound: exact   # "three radar systems"\n', "")
    edit(
        seeds_copy,
        '    when: "../2024-09-23"   # by the day of the speech: see source.yaml notes\n    date_basis: inferred\n',
        "",
    )
    build = build_tables(seeds_copy)
    assert build.ok, build.faults
    [rounds] = build.frames["negotiation_rounds"].to_dict("records")
    assert rounds["round_count"] == 1
    assert (rounds["date_edtf"], rounds["date_start"], rounds["date_end"], rounds["date_precision"]) == (
        None, None, None, "unknown",
    )  # fmt: skip
    transfers = build.frames["military_transfers"].set_index("transfer_id")
    assert (transfers.at["fra-arm-radar-systems", "quantity"], transfers.at["fra-arm-radar-systems", "quantity_bound"]) == (
        3, "exact",
    )  # fmt: skip


def test_a_yaml_date_or_number_after_when_is_read_as_its_text(seeds_copy: Path) -> None:
    edit(seeds_copy, "    when: 2024-08        # \"In August 2024\"\n    date_basis: stated\n    evidence:\n      - In August 2024, two Boeing C-17 military transport planes of the US Air Force reportedly delivered both military equipment and personnel to Armenia.\n      - The supplies included sniper rifles\n",
         "    when: 2024\n    date_basis: stated\n    evidence:\n      - In August 2024, two Boeing C-17 military transport planes of the US Air Force reportedly delivered both military equipment and personnel to Armenia.\n      - The supplies included sniper rifles\n")  # fmt: skip
    transfers = build_tables(seeds_copy).frames["military_transfers"].set_index("transfer_id")
    assert transfers.at["usa-arm-sniper-rifles-2024-08", "date_edtf"] == "2024"  # an integer in YAML
    assert transfers.at["usa-arm-sniper-rifles-2024-08", "date_precision"] == "year"
    statements = build_tables(seeds_copy).frames["statements"]
    assert set(statements["date_edtf"]) == {"2024-09-23"}  # a date in YAML, as written
