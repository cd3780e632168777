"""The repository's front matter: citation, licences for code and data, the note on source texts."""

from __future__ import annotations

import re
import tomllib
from datetime import date

from ruamel.yaml import YAML

from peacetrack.index import read_index

from .helpers import ROOT


def citation() -> dict[str, object]:
    return YAML(typ="safe").load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_has_the_keys_cff_1_2_0_requires_for_a_dataset() -> None:
    cff = citation()
    assert cff["cff-version"] == "1.2.0"
    assert isinstance(cff["message"], str) and cff["message"].strip()
    assert isinstance(cff["title"], str) and "peacetrack" in cff["title"]
    assert cff["type"] == "dataset"
    authors = cff["authors"]
    assert isinstance(authors, list) and authors
    assert all(isinstance(a, dict) and (a.get("name") or a.get("family-names")) for a in authors)
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(cff["version"]))
    date.fromisoformat(str(cff["date-released"]))
    assert cff["license"] == "CC-BY-4.0"
    assert set(cff) <= {
        "cff-version",
        "message",
        "title",
        "type",
        "authors",
        "version",
        "date-released",
        "license",
        "abstract",
        "keywords",
        "repository-code",
        "url",
        "doi",
        "identifiers",
        "references",
        "preferred-citation",
    }


def test_citation_names_the_newest_release() -> None:
    cff = citation()
    newest = read_index(ROOT / "datasets").latest()
    assert newest is not None
    assert str(cff["version"]) == newest.version
    assert str(cff["date-released"]) == newest.date.isoformat()


def test_code_and_data_licences_are_stated_separately() -> None:
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    data = (ROOT / "LICENSE-DATA").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "Permission is hereby granted, free of charge" in code
    assert "CC BY 4.0" in data and "CC-BY-4.0" in data and "creativecommons.org/licenses/by/4.0/" in data
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"


def test_source_text_copyright_is_noted() -> None:
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "belongs to its publisher" in notice and "evidence" in notice
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("LICENSE", "LICENSE-DATA", "NOTICE", "CITATION.cff"):
        assert f"]({name})" in readme
