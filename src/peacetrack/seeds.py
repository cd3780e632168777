"""Build from seeds: from `seeds/<source_id>/` (article, source.yaml, coding.yaml) to rows
of every table, checked.

Each quote is found in the article and turned into offsets (`quotes`); every fault keeps the
file and YAML line it came from (`yamlfile`), a table fault too once the rows are checked; a
quote's fault, its quote's line. Every fault comes in one run: a row with a value at fault is
still checked for the rest (`entries`); a fault of a value under `defaults:` is said once, at
its line, not once per row. An actor coded by several sources is one row, its aliases merged
(`entries.merged_actor`).

A machine's draft (`coding.draft.yaml`, `SeedReader(..., coding_file=DRAFT_FILE)`) is read the
same way: a row still marked `draft:` is a `draft` fault at that key's line, and is read all
the same (its other rules run, its evidence is placed), so a fresh draft's only errors are
those; what the drafter said of each row is kept (`Coded.drafts`) for the review page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from peacetrack.checks import check_tables
from peacetrack.coding import (
    CODED_TABLES,
    DRAFT_KEY,
    ENTRY_MODELS,
    CodingFile,
    QuoteRef,
    SourceFile,
    pydantic_faults,
    row_values,
)
from peacetrack.entries import STANDS_FOR, meant_field, merged_actor, said_key, salvaged
from peacetrack.errors import FileFault, Refused
from peacetrack.evidence import sha256_text, whitespace_collapsed
from peacetrack.faults import Fault, shorten
from peacetrack.links import names_inside
from peacetrack.quotes import evidence_id, resolve_quote
from peacetrack.rules import ACTOR_CONFLICT, ACTOR_EXTENDED, DRAFT, REQUIRED, UNIQUE
from peacetrack.tables import ARTICLE, CODING_FILE, SOURCE_FILE, TABLES, Source, frame_from_rows
from peacetrack.yamlfile import decoded, key_line, locate, read_yaml, seed_bytes

if TYPE_CHECKING:  # frames are made only when asked for: the drafter reads a seed without pandas
    import pandas as pd


@dataclass
class Coded:
    """Everything read from the seeds: rows per table, texts, faults and where rows came from."""

    rows: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in TABLES})
    texts: dict[str, str] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    origins: dict[tuple[str, str], tuple[str, int | None, Any]] = field(default_factory=dict)
    # (table, row id, column) of the values at fault in a coding file, left null: their own
    # fault is said, the rules on the null are not (as a table file's cell fault stands for them).
    at_fault: set[tuple[str, str, str]] = field(default_factory=set)
    # (table, row id) of each row still marked `draft:`: its confidence and reason, as written.
    drafts: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    actors_by_id: dict[str, dict[str, Any]] = field(default_factory=dict)  # rows["actors"] by id, for merging

    def frames(self, since: Mapping[str, int] | None = None) -> dict[str, pd.DataFrame]:
        """One frame per table, rows sorted by primary key: every row, or those read after
        `since` (a count of rows per table), as the validator checks one coding file's."""
        frames = {}
        for name, table in TABLES.items():
            rows = sorted(self.rows[name][(since or {}).get(name, 0) :], key=lambda r: r[table.primary_key])
            frames[name] = frame_from_rows(table, rows)
        return frames

    def said(self, fault: Fault) -> bool:
        """Whether the fault of a rule is about a value whose own fault is said already."""
        return said_key(fault) in self.at_fault

    def locate(self, fault: Fault) -> Fault:
        """Give a table fault the file and YAML line of the row (and column) it is about."""
        if fault.file is not None or fault.table is None or fault.row_id is None:
            return fault
        origin = self.origins.get((fault.table, fault.row_id))
        if origin is None:
            return fault
        file, line, node = origin
        return fault.located(file, key_line(node, fault.column, line) if fault.column else line)


def item_node(node: Any, index: int) -> Any:
    """The YAML node of an entry's `index`-th evidence quote (a mapping has its own keys' lines)."""
    try:
        return node["evidence"][index]
    except (KeyError, IndexError, TypeError):
        return None


def read_article(path: Path, root: Path) -> str | None:
    """The text of an article; None when there is none. Raises FileFault when it is there
    but cannot be used: a link, or not UTF-8 (said where, not reported as missing)."""
    raw = seed_bytes(path, root, missing_ok=True)
    return None if raw is None else decoded(raw, path)


class SeedReader:
    """Reads one seed folder into `Coded`."""

    def __init__(self, folder: Path, coded: Coded, root: Path | None = None, coding_file: str = CODING_FILE) -> None:
        """`root`: the folder being checked, which no file read may lead out of (default:
        the seeds folder holding `folder`); `coding_file`: coding.yaml or a draft of it."""
        self.folder, self.coded, self.coding_file = folder, coded, coding_file
        self.root = folder.parent if root is None else root
        self.source_id = folder.name
        self.text_unusable = False  # article.txt is there but cannot be used: not "missing"
        self.said_shared: set[tuple[object, ...]] = set()  # faults of `defaults:`, said once

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
        path = self.folder / self.coding_file
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
        """One row: its faults said, and the rest of it checked all the same. A value at fault
        is left null (its fault stands for the rules on it), so that the row's evidence, ids and
        links are checked in the same run; only a row without a usable id is left out."""
        node = nodes[index]
        line = key_line(nodes, index, None)
        pk = TABLES[table].primary_key
        if not isinstance(entry, dict):
            self.fault(path, line, "entry", f"an entry of {table} must be a mapping", table=table)
            return
        model = ENTRY_MODELS[table]
        merged = {**defaults, **entry}
        if table == "statements" and isinstance(merged.get("quote"), str):  # stored on one line
            merged["quote"] = whitespace_collapsed(merged["quote"])
        at_fault: set[str] = set()
        try:
            parsed = model.model_validate(merged)
        except ValidationError as error:
            at_fault = self.entry_faults(error, path, table, (line, node, entry), (defaults, defaults_node))
            parsed = salvaged(model, merged, at_fault)
            at_fault |= {column for value in at_fault for column in STANDS_FOR.get(value, ())}
        row_id = None if pk in at_fault else getattr(parsed, pk, None)
        shared = "evidence" not in entry  # the quotes of `defaults:`, said once
        quotes = getattr(parsed, "evidence", None) or []  # a field of every entry model; unset when missing
        if not self.add_evidence(path, table, row_id, quotes, defaults_node if shared else node, shared):
            at_fault.add("evidence")
        if DRAFT_KEY in merged:
            self.draft_fault(path, table, row_id, (node, line, DRAFT_KEY in entry), defaults_node)
            mark = getattr(parsed, DRAFT_KEY, None)
            if row_id is not None and mark is not None:
                self.coded.drafts[(table, row_id)] = mark.model_dump()
        if row_id is None:
            return
        values = row_values(table, parsed)
        if table != "actors":
            values["source_id"] = self.source_id
            values["canonical_id"] = values.get("canonical_id") or row_id
        self.coded.at_fault.update((table, row_id, column) for column in at_fault)
        self.coded.origins.setdefault((table, row_id), (str(path), line, node))
        if table == "actors":
            self.merge_actor(path, line, node, values)
        else:
            self.coded.rows[table].append(values)

    def draft_fault(
        self, path: Path, table: str, row_id: str | None, where: tuple[Any, int | None, bool], defaults_node: Any
    ) -> None:
        """A row still marked `draft:`, at that key's line: the row's own, or (said once) the
        one under `defaults:` that marks every row of the table."""
        node, line, own = where
        if own:
            self.fault(
                path,
                key_line(node, DRAFT_KEY, line),
                DRAFT.name,
                DRAFT.message,
                table=table,
                row_id=row_id,
                column=DRAFT_KEY,
            )
        else:
            fault = Fault(
                table=table, column=DRAFT_KEY, rule=DRAFT.name, message=DRAFT.message,
                file=str(path), line=key_line(defaults_node, DRAFT_KEY, line),
            )  # fmt: skip
            self.shared_fault(fault)

    def entry_faults(
        self,
        error: ValidationError,
        path: Path,
        table: str,
        where: tuple[int | None, Any, dict[str, Any]],
        defaults_at: tuple[dict[str, Any], Any],
    ) -> set[str]:
        """Say the faults of an entry (`where`: its line, node and mapping); return its fields
        at fault. A fault of a value under `defaults:` is said once, at that value's line. A
        misspelt key (`speakr_id`, `wen`, or a date column the build computes from `when:`) is
        one fault: the field it meant is as good as at fault, its rules (a value required, a
        date for `date_basis`) not said, under `defaults:` not once a row."""
        line, node, entry = where
        defaults, defaults_node = defaults_at
        fields = ENTRY_MODELS[table].model_fields
        raw_id = entry.get(TABLES[table].primary_key)
        row_id = raw_id if isinstance(raw_id, str) else None
        given = {**defaults, **entry}
        misspelt = {
            meant for key in given if key not in fields for meant in meant_field(str(key), fields)
        } - given.keys()
        at_fault: set[str] = set()
        in_defaults = pydantic_faults(error, defaults_node, str(path), table, row_id, line)
        for fault, default_fault in zip(
            pydantic_faults(error, node, str(path), table, row_id, line), in_defaults, strict=True
        ):
            if fault.column == "evidence" and fault.rule in ("missing", "too_short") and row_id is not None:
                continue  # the row is kept: the checks say it has no evidence, in the contract's words
            if fault.column in fields:
                at_fault.add(fault.column)
            if fault.column in misspelt and fault.rule == REQUIRED.name:
                continue  # the misspelt key says it
            if fault.column in defaults and fault.column not in entry:
                self.shared_fault(default_fault)
            else:
                self.coded.faults.append(fault)
        return at_fault | misspelt

    def shared_fault(self, fault: Fault) -> None:
        """A fault of `defaults:`, found in each row it applies to: said once, of no one row."""
        key = (fault.file, fault.line, fault.table, fault.column, fault.rule, fault.message)
        if key not in self.said_shared:
            self.said_shared.add(key)
            self.coded.faults.append(fault.but(row_id=None))

    def add_evidence(
        self, path: Path, table: str, row_id: str | None, quotes: list[Any], node: Any, shared: bool
    ) -> bool:
        """Find each quote (None: one whose fault is said) and prove the row with it; a quote
        not found is a fault at its own YAML line (under `defaults:` when `shared`, said once).
        Without a row id the quotes are still looked for, so their faults come in one run.
        False when a quote is at fault."""
        text = self.coded.texts.get(self.source_id)
        found = True
        for index, ref in enumerate(quotes):
            if ref is None:
                found = False
                continue
            line = locate(node, ("evidence", index), None)
            span = resolve_quote(text, ref)
            quote = ref.quote if isinstance(ref, QuoteRef) else ref
            if isinstance(span, str):
                fault = Fault(
                    table=table, row_id=row_id, column="evidence", rule="evidence_quote", message=span,
                    value=shorten(quote), file=str(path), line=line,
                )  # fmt: skip
                self.shared_fault(fault) if shared else self.coded.faults.append(fault)
                found = False
                continue
            if row_id is None:
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
                    "quote": quote if text is None else text[start:end],  # as the text has it
                }
            )
            self.coded.origins[("evidence", ev_id)] = (str(path), line, item_node(node, index))
        return found

    def merge_actor(self, path: Path, line: int | None, node: Any, values: dict[str, Any]) -> None:
        """Actors are entities: the same id in several sources is the same actor, which a later
        source may give more aliases (`merged_actor`)."""
        actor_id = values["actor_id"]
        existing = self.coded.actors_by_id.get(actor_id)
        if existing is None:
            self.coded.rows["actors"].append(values)
            self.coded.actors_by_id[actor_id] = values
            return
        said = {c for t, row_id, c in self.coded.at_fault if (t, row_id) == ("actors", actor_id)}
        differs, added = merged_actor(
            {k: v for k, v in existing.items() if k not in said}, {k: v for k, v in values.items() if k not in said}
        )
        first_file, first_line, _ = self.coded.origins[("actors", actor_id)]
        where = f"as defined in {first_file}:{first_line}"
        if differs and (first_file, first_line) == (str(path), line):
            self.fault(path, line, UNIQUE.name, UNIQUE.message, table="actors", row_id=actor_id)
        elif differs:
            self.fault(
                path, key_line(node, differs[0], line), ACTOR_CONFLICT.name, ACTOR_CONFLICT.says(where=where, columns=", ".join(differs)),
                table="actors", row_id=actor_id, column=differs[0], value=shorten(values[differs[0]]),
            )  # fmt: skip
        elif added:
            self.fault(
                path, key_line(node, "aliases", line), ACTOR_EXTENDED.name, ACTOR_EXTENDED.says(aliases=", ".join(map(repr, added)), where=where),
                table="actors", row_id=actor_id, column="aliases", value=shorten("; ".join(added)), severity="warning",
            )  # fmt: skip
            existing["aliases"] = existing["aliases"] + added


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
    faults = coded.faults + [coded.locate(f) for f in check_tables(frames, coded.texts) if not coded.said(f)]
    return Build(frames=frames, texts=coded.texts, faults=faults)
