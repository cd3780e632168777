"""A package people can cite and ship: CITATION.cff, the data card's "cite as" and metadata
header, and the package metadata name the same work and the same repository."""

from __future__ import annotations

import re
import tomllib

import pandas as pd
import pytest
from ruamel.yaml import YAML

from peacetrack.card import AUTHORS, REPOSITORY, TITLE, datacard_text, size_category
from peacetrack.tables import TABLES

from .helpers import ROOT

CITATION = YAML(typ="safe").load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def front_matter(card: str) -> dict:
    match = re.match(r"---\n(.*?)\n---\n\n# peacetrack ", card, re.DOTALL)
    assert match, card[:300]
    return YAML(typ="safe").load(match.group(1))


def test_citation_cff_names_the_work_and_its_repository() -> None:
    assert CITATION["title"] == TITLE
    assert CITATION["authors"] == [{"name": AUTHORS}]
    assert CITATION["repository-code"] == REPOSITORY
    assert CITATION["license"] == "CC-BY-4.0"


def test_the_package_metadata_names_the_repository() -> None:
    urls = PROJECT["urls"]
    assert {"Homepage", "Source", "Issues", "Documentation"} <= set(urls)
    assert urls["Source"] == REPOSITORY and urls["Issues"] == f"{REPOSITORY}/issues"
    assert PROJECT["authors"] == [{"name": AUTHORS}]
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in PROJECT["classifiers"])


def test_a_new_release_card_cites_as_citation_cff_does(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.1.0", "2027-01-01")
    cite = " ".join(line.strip() for line in card.split("- **Cite as:** ", 1)[1].split("\n\n", 1)[0].splitlines())
    assert cite == f"{AUTHORS}, *{TITLE}*, version 1.1.0, 2027-01-01, {REPOSITORY} (see `CITATION.cff`)."


def test_a_new_release_card_opens_with_the_dataset_hub_header(frames: dict[str, pd.DataFrame]) -> None:
    header = front_matter(datacard_text(frames, "1.1.0", "2027-01-01"))
    assert header["license"] == "cc-by-4.0"
    assert header["language"] == ["en"]
    assert header["pretty_name"] == TITLE
    assert header["size_categories"] == ["n<1K"]
    assert header["tags"]
    assert header["configs"] == [{"config_name": name, "data_files": f"{name}.parquet"} for name in TABLES]


def test_released_cards_keep_the_edition_they_were_published_with(frames: dict[str, pd.DataFrame]) -> None:
    """2.0.0 is immutable and checksummed: its card is rebuilt from the seeds byte for byte.
    (1.0.0's card was drawn under schema 1.0.0 and stays as published, checked by its hash.)"""
    card = datacard_text(frames, "2.0.0", "2026-11-30")
    assert card.startswith("---\n") or card.startswith("# peacetrack 2.0.0: data card\n")
    assert card == (ROOT / "datasets" / "releases" / "2.0.0" / "DATACARD.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("rows", "category"), [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (2_500_000, "1M<n<10M")]
)
def test_size_category(rows: int, category: str) -> None:
    assert size_category(rows) == category
