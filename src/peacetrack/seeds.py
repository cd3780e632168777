"""Build from seeds: from `seeds/<source_id>/` (article, source.yaml, coding.yaml) to rows
of every table, checked.

Each quote is found in the article and turned into offsets (`quotes`); every fault keeps the
file and YAML line it came from (`yamlfile`), a table fault too once the rows are checked.
"""

from __future__ import annotations

import typing
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from peacetrack.checks import check_tables
from peacetrack.coding import CODED_TABLES, ENTRY_MODELS, CodingFile, QuoteRef, SourceFile, pydantic_faults, row_values
from peacetrack.errors import FileFault, Refused
from peacetrack.evidence import sha256_text
from peacetrack.faults import Fault, shorten
from peacetrack.links import names_inside
from peacetrack.quotes import evidence_id, resolve_quote
from peacetrack.rules import UNIQUE
from peacetrack.tables import ARTICLE, CODING_FILE, SOURCE_FILE, TABLES, Source, frame_from_rows
from peacetrack.yamlfile import decoded, key_line, locate, read_yaml, seed_bytes


@dataclass
class Coded:
    """Everything read from the seeds: rows per table, texts, faults and where rows came from."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in TABLES})
    texts: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    origins: dict[tuple[str, str], tuple[str, int | None, Any]] = field(default_factory=dict)

    def frames(self) -> dict[str, pd.DataFrame]:
        """One frame per table, rows sorted by primary key."""
        frames = {}
        for name, table in TABLES.items():
            rows = sorted(self.rows[name], key=lambda r: r[table.primary_key])
            frames[name] = frame_from_rows(table, rows)
        return frames

    def locate(self, fault: Fault) -> Fault:
        """Give a table fault the file and YAML line of the row (and column) it is about."""
        if fault.file is not None or fault.table is None or fault.row_id is None:
            return fault
        origin = self.origins.get((fault.table, fault.row_id))
        if origin is None:
            return fault
        file, line, node = origin
        return fault.located(file, key_line(node, fault.column, line) if fault.column else line)


def read_article(path: Path, root: Path) -> str | None:
    """The text of an article; None when there is none. Raises FileFault when it is there
    but cannot be used: a link, or not UTF-8 (said where, not reported as missing)."""
    raw = seed_bytes(path, root, missing_ok=True)
    return None if raw is None else decoded(raw, path)


class SeedReader:
    """Reads one seed folder into `Coded`."""

    def __init__(self, folder: Path, coded: Coded, root: Path | None = None) -> None:
        """`root`: the folder being checked, which no file read may lead out of (default:
        the seeds folder holding `folder`)."""
        self.folder, self.coded = folder, coded
        self.root = folder.parent if root is None else root
        self.source_id = folder.name
        self.text_unusable = False  # article.txt is there but cannot be used: not "missing"

    def fault(self, file: Path, line: int | None, rule: str, message: str, **kw: Any) -> None:
        self.coded.faults.append(
            Fault(
                table=kw.pop("table", None),
                row_id=kw.pop("row_id", None),
                column=kw.pop("column", None),
                rule=rule,
                message=message,
                file=str(file),
                line=line,
                **kw,
            )
        )

    def read(self) -> None:
        text = self.read_text()
        if not self.read_source(text):
            return
        path = self.folder / CODING_FILE
        try:
            document = read_yaml(path, self.root)
        except FileFault as error:
            self.coded.faults.append(error.fault)
            return
        try:
            coding = CodingFile.model_validate(document if document is not None else {})
        except ValidationError as error:
            self.coded.faults.extend(pydantic_faults(error, document, str(path), None, None, 1))
            return
        for table in CODED_TABLES:
            defaults = coding.defaults.get(table, {})
            for index, entry in enumerate(getattr(coding, table)):
                self.read_entry(
                    path, table, document[table], index, entry, defaults, document.get("defaults", {}).get(table)
                )
        for table in coding.defaults:
            if table not in CODED_TABLES:
                self.fault(
                    path,
                    locate(document, ("defaults", table), 1),
                    "unknown_table",
                    f"defaults for unknown table {shorten(table)!r}",
                )

    def read_text(self) -> str | None:
        try:
            text = read_article(self.folder / ARTICLE, self.root)
        except FileFault as error:
            self.coded.faults.append(error.fault)
            self.text_unusable = True
            return None
        if text is None:
            return None
        if unicodedata.normalize("NFC", text) != text:
            self.fault(
                self.folder / ARTICLE, None, "nfc", "the article is not in Unicode NFC form; offsets would be ambiguous"
            )
        self.coded.texts[self.source_id] = text
        return text

    def read_source(self, text: str | None) -> bool:
        path = self.folder / SOURCE_FILE
        try:
            document = read_yaml(path, self.root)
            meta = SourceFile.model_validate(document if document is not None else {})
        except FileFault as error:
            self.coded.faults.append(error.fault)
            return False
        except ValidationError as error:
            self.coded.faults.extend(pydantic_faults(error, document, str(path), "sources", self.source_id, 1))
            return False
        values = meta.model_dump(exclude={"source_id"})
        if meta.source_id not in (None, self.source_id):
            self.fault(
                path, key_line(document, "source_id", 1), "source_id",
                f"source_id {shorten(meta.source_id)!r} differs from the folder name {shorten(self.source_id)!r}",
            )  # fmt: skip
        if self.text_unusable:  # its own fault says why: not missing, nor to be described here
            return False
        if text is None and meta.text_in_repo:
            self.fault(
                path,
                key_line(document, "text_in_repo", 1),
                "missing_text",
                f"text_in_repo is true but {ARTICLE} is missing",
            )
        if text is None and (meta.text_sha256 is None or meta.char_count is None):
            self.fault(
                path,
                1,
                "missing_text",
                f"without {ARTICLE}, give text_sha256 and char_count of the text",
                table="sources",
                row_id=self.source_id,
            )
            return False
        if text is not None:
            for column, actual in (("text_sha256", sha256_text(text)), ("char_count", len(text))):
                if values[column] not in (None, actual):
                    self.fault(
                        path, key_line(document, column, 1), column, f"{column} differs from that of {ARTICLE}: leave it out, it is computed",
                        table="sources", row_id=self.source_id, column=column, value=shorten(values[column]),
                    )  # fmt: skip
                values[column] = actual
        try:
            row = Source.model_validate({"source_id": self.source_id, **values})
        except ValidationError as error:
            self.coded.faults.extend(pydantic_faults(error, document, str(path), "sources", self.source_id, 1))
            return False
        self.coded.rows["sources"].append(row.model_dump())
        self.coded.origins[("sources", self.source_id)] = (str(path), 1, document)
        return True

    def read_entry(
        self, path: Path, table: str, nodes: Any, index: int, entry: Any, defaults: dict[str, Any], defaults_node: Any
    ) -> None:
        node = nodes[index]
        line = key_line(nodes, index, None)
        pk = TABLES[table].primary_key
        row_id = entry.get(pk) if isinstance(entry, dict) else None
        row_id = row_id if isinstance(row_id, str) else None
        if not isinstance(entry, dict):
            self.fault(path, line, "entry", f"an entry of {table} must be a mapping", table=table)
            return
        merged = {**defaults, **entry}
        try:
            parsed = ENTRY_MODELS[table].model_validate(merged)
        except ValidationError as error:
            for fault in pydantic_faults(error, node, str(path), table, row_id, line):
                if fault.column in defaults and fault.column not in entry:
                    fault = fault.located(str(path), key_line(defaults_node, fault.column, line))
                self.coded.faults.append(fault)
            return
        values = row_values(table, parsed)
        row_id = values[pk]
        if table != "actors":
            values["source_id"] = self.source_id
            values["canonical_id"] = values["canonical_id"] or row_id
        self.coded.origins.setdefault((table, row_id), (str(path), line, node))
        self.add_evidence(path, table, row_id, typing.cast(Any, parsed).evidence, node)  # a field of every entry model
        if table == "actors":
            self.merge_actor(path, line, values)
        else:
            self.coded.rows[table].append(values)

    def add_evidence(self, path: Path, table: str, row_id: str, quotes: list[Any], node: Any) -> None:
        text = self.coded.texts.get(self.source_id)
        for index, ref in enumerate(quotes):
            line = locate(node, ("evidence", index), None)
            span = resolve_quote(text, ref)
            quote = ref.quote if isinstance(ref, QuoteRef) else ref
            if isinstance(span, str):
                self.fault(
                    path,
                    line,
                    "evidence_quote",
                    span,
                    table=table,
                    row_id=row_id,
                    column="evidence",
                    value=shorten(quote),
                )
                continue
            start, end = span
            ev_id = evidence_id(table, row_id, self.source_id, start, end)
            self.coded.rows["evidence"].append(
                {
                    "evidence_id": ev_id,
                    "table_name": table,
                    "row_id": row_id,
                    "source_id": self.source_id,
                    "char_start": start,
                    "char_end": end,
                    "quote": quote,
                }
            )
            self.coded.origins[("evidence", ev_id)] = (str(path), line, node)

    def merge_actor(self, path: Path, line: int | None, values: dict[str, Any]) -> None:
        """Actors are entities: the same id in several sources must mean the same actor."""
        for existing in self.coded.rows["actors"]:
            if existing["actor_id"] != values["actor_id"]:
                continue
            differs = [k for k in values if k != "aliases" and values[k] != existing[k]]
            if differs:
                first_file, first_line, _ = self.coded.origins[("actors", values["actor_id"])]
                if (first_file, first_line) != (str(path), line):
                    self.fault(
                        path, line, "actor_conflict",
                        f"actor is defined differently in {first_file}:{first_line} ({', '.join(differs)})",
                        table="actors", row_id=values["actor_id"], column=differs[0],
                    )  # fmt: skip
                else:
                    self.fault(
                        path,
                        line,
                        UNIQUE.name,
                        UNIQUE.message,
                        table="actors",
                        row_id=values["actor_id"],
                    )
                return
            existing["aliases"] += [a for a in values["aliases"] if a not in existing["aliases"]]
            return
        self.coded.rows["actors"].append(values)


def read_seeds(seeds: Path) -> Coded:
    """Read every `seeds/*/` folder, in name order; a seed folder that is a link is refused."""
    coded = Coded()
    try:
        names = names_inside(seeds, seeds)
    except (OSError, Refused):
        coded.faults.append(Fault(rule="missing", message="no such seeds folder", file=str(seeds)))
        return coded
    for name in names:
        folder = seeds / name
        if name.startswith("."):
            continue
        if folder.is_symlink():
            coded.faults.append(
                Fault(
                    rule="symlink",
                    message="is a symbolic link: not followed",
                    file=str(folder),
                )
            )
        elif folder.is_dir():
            SeedReader(folder, coded, seeds).read()
    return coded


@dataclass
class Build:
    """The tables built from the seeds and every fault found on the way."""

    frames: dict[str, pd.DataFrame]
    texts: dict[str, str]
    faults: list[Fault]

    @property
    def errors(self) -> list[Fault]:
        return [f for f in self.faults if f.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


def build_tables(seeds: Path) -> Build:
    """Read, code and check everything under `seeds`; faults carry file and line."""
    coded = read_seeds(seeds)
    frames = coded.frames()
    faults = coded.faults + [coded.locate(f) for f in check_tables(frames, coded.texts)]
    return Build(frames=frames, texts=coded.texts, faults=faults)
