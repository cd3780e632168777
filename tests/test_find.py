"""Finding the id to link to (issue 13, item 8): an unknown id gets a "did you mean" with the
nearest known ids, in build and validate alike; `peacetrack find` searches the release and
the local seeds."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from peacetrack.cli import app
from peacetrack.index import ReleaseEntry
from peacetrack.seeds import build_tables

from .helpers import SEED_ID, SEEDS, runner


def edit(seeds: Path, old: str, new: str) -> Path:
    """Replace the first occurrence of `old` in the seed's coding file; return the file."""
    path = seeds / SEED_ID / "coding.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


# --- did you mean -------------------------------------------------------------------------------


def test_an_unknown_actor_in_a_coding_file_gets_the_nearest_ids(seeds_copy: Path) -> None:
    edit(seeds_copy, "    target_id: arm\n", "    target_id: armm\n")
    [fault] = build_tables(seeds_copy).errors
    assert (fault.column, fault.rule, fault.value) == ("target_id", "foreign_key", "armm")
    assert fault.message == "no row in actors has this id: did you mean arm?"


def test_an_unknown_party_of_a_list_gets_the_ids_nearest_to_it(seeds_copy: Path) -> None:
    edit(seeds_copy, "    parties: [arm, aze]\n", "    parties: [arm, azerbajan-state, aez]\n")
    faults = build_tables(seeds_copy).errors
    assert {f.rule for f in faults} == {"foreign_key"} and faults
    assert all(f.message.endswith("did you mean aze?") for f in faults)


def test_an_id_near_nothing_gets_no_suggestion(seeds_copy: Path) -> None:
    edit(seeds_copy, "    target_id: arm\n", "    target_id: osce-minsk-group\n")
    [fault] = build_tables(seeds_copy).errors
    assert fault.message == "no row in actors has this id"


def test_a_lone_canonical_id_gets_the_nearest_ids_it_may_name(seeds_copy: Path) -> None:
    edit(
        seeds_copy,
        "  - transfer_id: fra-arm-mistral\n",
        "  - transfer_id: fra-arm-mistral\n    canonical_id: fra-arm-mistrel\n",
    )
    [fault] = build_tables(seeds_copy).errors
    assert (fault.row_id, fault.rule, fault.value) == ("fra-arm-mistral", "canonical_id", "fra-arm-mistrel")
    assert fault.message.startswith("no other row shares this canonical_id: it must equal the row's own id: ")
    assert ": did you mean fra-arm-mistral, " in fault.message  # the nearest first


def test_validate_suggests_the_released_ids_nearest_to_an_unknown_one(release: Path, tmp_path: Path) -> None:
    statements = tmp_path / "statements.csv"
    frame = pd.read_csv(release / "statements.csv", dtype=str, keep_default_na=False).iloc[[0]]
    frame = frame.assign(statement_id="new-statement", canonical_id="new-statement", speaker_id="ilham-aliev")
    frame.to_csv(statements, index=False, lineterminator="\n")
    result = runner.invoke(app, ["validate", str(statements), "--against", str(release), "--format", "json"])
    [fault] = [f for f in json.loads(result.stdout)["faults"] if f["severity"] == "error"]
    assert (fault["column"], fault["rule"]) == ("speaker_id", "foreign_key")
    assert fault["message"] == "no row in actors has this id: did you mean ilham-aliyev?"


def test_validating_a_coding_file_suggests_as_the_build_does(seeds_copy: Path, release: Path) -> None:
    coding = edit(seeds_copy, "    target_id: arm\n", "    target_id: armm\n")
    [built] = build_tables(seeds_copy).errors
    result = runner.invoke(app, ["validate", str(coding), "--against", str(release), "--format", "json"])
    validated = [f for f in json.loads(result.stdout)["faults"] if f["rule"] == "foreign_key"]
    assert [(f["line"], f["message"]) for f in validated] == [(built.line, built.message)]


# --- peacetrack find ----------------------------------------------------------------------------

# Made up for these tests.
ARTICLE = (
    "Made-up report for peacetrack's tests. Lake Sevan Courier, 4 April 2025.\n"
    "Deputy minister Ləman Qasımova, known in the capital as the Iron Envoy, said the\n"
    "demining teams would reach the northern villages before the harvest.\n"
    "Talks on the survey maps resumed in Gavar, the courier learned. Of the 40 mine detectors\n"
    "Armenia bought from Finland, a first batch of 12 arrived in March.\n"
)
CODING = """\
actors:
  - actor_id: laman-qasimova
    name: Ləman Qasımova
    actor_type: person
    aliases: [the Iron Envoy]
    evidence:
      - Deputy minister Ləman Qasımova, known in the capital as the Iron Envoy
  - actor_id: arm
    name: Armenia
    actor_type: state
    evidence: [Armenia bought]
  - actor_id: fin
    name: Finland
    actor_type: state
    evidence: [from Finland]
military_transfers:
  - transfer_id: fin-arm-mine-detectors
    supplier_id: fin
    recipient_id: arm
    item: mine detectors
    item_category: other
    quantity: 40
    status: ordered
    certainty: stated
    evidence: [the 40 mine detectors Armenia bought from Finland]
  - transfer_id: march-batch-of-detectors
    part_of: fin-arm-mine-detectors
    supplier_id: fin
    recipient_id: arm
    item: mine detectors
    item_category: other
    quantity: 12
    status: delivered
    certainty: stated
    when: 2025-03
    date_basis: stated
    evidence: [a first batch of 12 arrived in March]
negotiation_rounds:
  - round_id: survey-map-talks-gavar
    process: demining-survey-maps
    parties: [arm, fin]
    format: unknown
    place: Gavar
    evidence: [Talks on the survey maps resumed in Gavar]
"""


def find_command(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["find", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds" / "sevan-courier-2025-04-04"
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "source.yaml").write_text("language: en\nurl: null\n", encoding="utf-8")
    (folder / "coding.yaml").write_text(CODING, encoding="utf-8")
    return tmp_path / "seeds"


def test_find_an_actor_by_an_alias_in_the_seeds(seeds: Path) -> None:
    code, out, _ = find_command("iron envoy", "--seeds", seeds)
    assert code == 0
    assert out == "actors laman-qasimova  (seeds)\n    aliases: the Iron Envoy\n"


@pytest.mark.parametrize("words", ["laman qasimova", "LƏMAN  QASIMOVA", "Qasımova"])
def test_find_ignores_case_accents_and_letters_english_spells_otherwise(seeds: Path, words: str) -> None:
    code, out, _ = find_command(words, "--seeds", seeds, "--table", "actors")
    assert code == 0 and out.startswith("actors laman-qasimova  (seeds)\n    name: Ləman Qasımova\n")


def test_find_an_actor_of_the_release_by_an_accented_spelling(seeds: Path, local_release: ReleaseEntry) -> None:
    code, out, _ = find_command("Əliyev", "--seeds", seeds, "--table", "actors", "--format", "json")
    [hit] = json.loads(out)
    assert code == 0 and (hit["table"], hit["id"], hit["field"]) == ("actors", "ilham-aliyev", "name")
    assert hit["where"] == [f"release {local_release.version}"]


def test_find_a_round_by_its_place(seeds: Path) -> None:
    code, out, _ = find_command("gavar", "--seeds", seeds, "--table", "negotiation_rounds")
    assert (code, out) == (0, "negotiation_rounds survey-map-talks-gavar  (seeds)\n    place: Gavar\n")


def test_find_a_transfer_and_its_batches_by_its_id(seeds: Path) -> None:
    assert build_tables(seeds).ok
    code, out, _ = find_command("fin-arm-mine-detectors", "--seeds", seeds, "--format", "json")
    assert code == 0
    assert [(h["id"], h["field"]) for h in json.loads(out)] == [
        ("fin-arm-mine-detectors", "transfer_id"),
        ("march-batch-of-detectors", "part_of"),
    ]


def test_find_names_each_row_once_with_the_evidence_that_holds_the_words(seeds: Path) -> None:
    code, out, _ = find_command("capital", "--seeds", seeds, "--format", "json")
    assert code == 0
    assert json.loads(out) == [
        {
            "table": "actors",
            "id": "laman-qasimova",
            "canonical_id": None,
            "field": "evidence",
            "excerpt": "Deputy minister Ləman Qasımova, known in the capital as the Iron Envoy",
            "where": ["seeds"],
        }
    ]


def test_find_a_row_in_the_release_and_the_seeds(local_release: ReleaseEntry) -> None:
    code, out, _ = find_command("Western countries", "--seeds", SEEDS, "--table", "actors")
    assert code == 0
    assert out == f"actors western-powers  (release {local_release.version}, seeds)\n    aliases: Western countries\n"


def test_find_without_a_match_or_with_a_wrong_call(seeds: Path) -> None:
    assert find_command("no such words anywhere", "--seeds", seeds)[:2] == (1, "")
    code, out, err = find_command("envoy", "--table", "nowhere")
    assert (code, out) == (2, "") and err.startswith("error: unknown table 'nowhere'")
    assert find_command(" \n", "--seeds", seeds)[0] == 2


def test_find_without_a_release_still_searches_the_seeds(
    seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PEACETRACK_DATA_DIR", str(tmp_path / "empty"))
    code, out, err = find_command("iron envoy", "--seeds", seeds)
    assert code == 0 and out.startswith("actors laman-qasimova  (seeds)")
    assert err.startswith("note: release not searched: no release index at ")


def test_an_unknown_part_of_gets_the_nearest_transfer_ids(seeds: Path) -> None:
    coding = seeds / "sevan-courier-2025-04-04" / "coding.yaml"
    coding.write_text(
        coding.read_text(encoding="utf-8").replace("part_of: fin-arm-mine-detectors", "part_of: fin-arm-mine-detector")
    )
    [fault] = build_tables(seeds).errors
    assert (fault.row_id, fault.column, fault.rule) == ("march-batch-of-detectors", "part_of", "foreign_key")
    assert fault.message == "no row in military_transfers has this id: did you mean fin-arm-mine-detectors?"
