"""From `seeds/<source_id>/` (article, source.yaml, coding.yaml) to rows of every table.

A coder writes evidence as verbatim quotes; here each quote is found in the article and
turned into exact code-point offsets. Every fault keeps the file and YAML line it came from.
"""

from __future__ import annotations

import hashlib
import typing
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import AliasToken, AnchorToken

from peacetrack.checks import Fault, check_tables, sha256_text, shorten
from peacetrack.tables import (
    ARTICLE,
    BCP47_PATTERN,
    CLAIM_TABLES,
    CODING_FILE,
    SOURCE_FILE,
    TABLES,
    TEXT_PATTERN,
    Source,
    frame_from_rows,
)

CODED_TABLES: tuple[str, ...] = ("actors",) + CLAIM_TABLES
MAX_YAML_BYTES = 5_000_000


# --- the shape of a coding file ------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteRef(Strict):
    """A quote with what it takes to make it unambiguous or to place it without the text."""

    quote: Annotated[str, StringConstraints(min_length=1)]
    occurrence: int | None = Field(None, ge=1, description="Which occurrence, counting from 1.")
    char_start: int | None = Field(None, ge=0, description="Offset, for a source whose text is not at hand.")


Quote = Annotated[str, StringConstraints(min_length=1)] | QuoteRef


def _entry_model(table: str) -> type[BaseModel]:
    """The coding entry of a table: its row fields, less what the build fills in, plus evidence."""
    model = TABLES[table].model
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "source_id":
            continue
        annotation = info.annotation | None if name == "canonical_id" else info.annotation
        # A nullable field a coder leaves out is null; a required one must be written.
        default = None if type(None) in typing.get_args(annotation) else info.default
        if info.metadata:
            annotation = Annotated[annotation, *info.metadata]
        fields[name] = (
            annotation,
            Field(default, description=info.description)
            if info.default_factory is None
            else Field(default_factory=info.default_factory, description=info.description),
        )
    fields["evidence"] = (list[Quote], Field(min_length=1, description="Verbatim quotes proving the row."))
    return create_model(f"{model.__name__}Entry", __config__=ConfigDict(extra="forbid"), **fields)


ENTRY_MODELS: dict[str, type[BaseModel]] = {name: _entry_model(name) for name in CODED_TABLES}


class SourceFile(Strict):
    """source.yaml: what is known of the source; hash and length come from the text when at hand."""

    source_id: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published_on: date | None = None
    language: Annotated[str, StringConstraints(pattern=BCP47_PATTERN)]
    text_in_repo: bool = True
    text_sha256: str | None = None
    char_count: int | None = None
    notes: Annotated[str, StringConstraints(pattern=TEXT_PATTERN)] | None = None


class CodingFile(Strict):
    defaults: dict[str, dict[str, Any]] = Field(default_factory=dict)
    actors: list[Any] = Field(default_factory=list)
    statements: list[Any] = Field(default_factory=list)
    military_transfers: list[Any] = Field(default_factory=list)
    negotiation_rounds: list[Any] = Field(default_factory=list)


# --- reading YAML with line numbers --------------------------------------------------------


class YamlFault(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(str(fault))
        self.fault = fault


def read_yaml(path: Path) -> Any:
    """Parse YAML keeping line numbers; refuse duplicate keys, anchors and aliases."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise YamlFault(Fault(None, None, None, "unreadable", f"cannot read: {error.strerror}", file=str(path))) from None
    if len(raw) > MAX_YAML_BYTES:
        raise YamlFault(Fault(None, None, None, "too_large", f"over {MAX_YAML_BYTES} bytes", file=str(path)))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise YamlFault(Fault(None, None, None, "encoding", f"not UTF-8 (byte {error.start})", file=str(path), line=line)) from None
    yaml = YAML(typ="rt", pure=True)
    try:
        for token in yaml.scan(text):
            if isinstance(token, AliasToken | AnchorToken):
                raise YamlFault(
                    Fault(
                        None, None, None, "yaml_alias", "anchors and aliases are not allowed in coding files: write values out",
                        file=str(path), line=token.start_mark.line + 1,
                    )  # fmt: skip
                )
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p)
        raise YamlFault(
            Fault(None, None, None, "yaml", message.replace("\n", " "), file=str(path), line=mark.line + 1 if mark else None)
        ) from None
    except YAMLError as error:
        raise YamlFault(Fault(None, None, None, "yaml", str(error).replace("\n", " "), file=str(path))) from None


def key_line(node: Any, key: Any, default: int | None) -> int | None:
    """1-based line of a mapping key or sequence item in a round-trip node."""
    try:
        if isinstance(node, CommentedMap) and key in node:
            return node.lc.key(key)[0] + 1
        if isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            return node.lc.item(key)[0] + 1
    except (KeyError, TypeError, AttributeError):
        pass
    return default


def node_line(node: Any, default: int | None = None) -> int | None:
    return node.lc.line + 1 if isinstance(node, CommentedMap | CommentedSeq) else default


def locate(node: Any, loc: tuple[Any, ...], default: int | None) -> int | None:
    """The line of the deepest part of `loc` found in `node`."""
    line = default
    for part in loc:
        line = key_line(node, part, line)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line


def pydantic_faults(error: ValidationError, node: Any, file: str, table: str | None, row_id: str | None, line: int | None) -> Iterator[Fault]:
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        column = next((str(p) for p in loc if isinstance(p, str)), None)
        if item["type"] == "extra_forbidden":
            message = f"unknown field {column!r}"
        elif item["type"] == "missing":
            message = f"required field {column!r} is missing"
        else:
            message = item["msg"]
        yield Fault(
            table=table,
            row_id=row_id,
            column=column,
            rule=item["type"],
            message=message,
            value=None if item["type"] == "missing" else shorten(item.get("input")),
            file=file,
            line=locate(node, loc, line),
        )


# --- from a seed folder to rows ----------------------------------------------------------------


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


def evidence_id(table: str, row_id: str, source_id: str, start: int, end: int) -> str:
    """Stable id of a span: the same span proving the same row always gets the same id."""
    digest = hashlib.sha256(f"{table}\n{row_id}\n{source_id}\n{start}\n{end}".encode()).hexdigest()
    return f"ev-{digest[:12]}"


def occurrences(text: str, quote: str) -> list[int]:
    """Offsets of every occurrence of `quote` in `text`, overlapping ones included."""
    found, start = [], text.find(quote)
    while start >= 0:
        found.append(start)
        start = text.find(quote, start + 1)
    return found


def _not_found_hint(text: str, quote: str) -> str:
    folded = {"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-", "–": "-", "…": "..."}
    plain = quote.translate(str.maketrans(folded))
    if occurrences(text.translate(str.maketrans(folded)), plain):
        return ": the article has it with other quotation marks, apostrophes or dashes; copy them exactly"
    if unicodedata.normalize("NFC", quote) != quote:
        return ": the quote is not NFC-normalised"
    return ""


def resolve_quote(text: str | None, ref: str | QuoteRef) -> tuple[int, int] | str:
    """Offsets of a quote in the text, or a message saying why they cannot be found."""
    ref = ref if isinstance(ref, QuoteRef) else QuoteRef(quote=ref)
    if text is None:
        if ref.char_start is None:
            return "the source text is not at hand: give char_start for this quote"
        return ref.char_start, ref.char_start + len(ref.quote)
    found = occurrences(text, ref.quote)
    if ref.char_start is not None:
        if ref.char_start not in found:
            return f"the quote is not at char_start {ref.char_start}" + (f" (found at {found})" if found else "")
        return ref.char_start, ref.char_start + len(ref.quote)
    if not found:
        return "quote not found in the article" + _not_found_hint(text, ref.quote)
    if ref.occurrence is not None:
        if ref.occurrence > len(found):
            return f"occurrence {ref.occurrence} asked for, but the quote occurs {len(found)} time(s)"
        start = found[ref.occurrence - 1]
    elif len(found) > 1:
        return f"the quote occurs {len(found)} times (at {found}): add `occurrence: N` or quote more"
    else:
        start = found[0]
    return start, start + len(ref.quote)


class SeedReader:
    """Reads one seed folder into `Coded`."""

    def __init__(self, folder: Path, coded: Coded) -> None:
        self.folder, self.coded = folder, coded
        self.source_id = folder.name

    def fault(self, file: Path, line: int | None, rule: str, message: str, **kw: Any) -> None:
        self.coded.faults.append(Fault(kw.pop("table", None), kw.pop("row_id", None), kw.pop("column", None), rule, message, file=str(file), line=line, **kw))

    def read(self) -> None:
        text = self.read_text()
        if not self.read_source(text):
            return
        path = self.folder / CODING_FILE
        try:
            document = read_yaml(path)
        except YamlFault as error:
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
                self.read_entry(path, table, document[table], index, entry, defaults, document.get("defaults", {}).get(table))
        for table in coding.defaults:
            if table not in CODED_TABLES:
                self.fault(path, locate(document, ("defaults", table), 1), "unknown_table", f"defaults for unknown table {table!r}")

    def read_text(self) -> str | None:
        path = self.folder / ARTICLE
        if not path.exists():
            return None
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as error:
            self.fault(path, None, "encoding", f"not UTF-8 at byte {error.start}")
            return None
        if unicodedata.normalize("NFC", text) != text:
            self.fault(path, None, "nfc", "the article is not in Unicode NFC form; offsets would be ambiguous")
        self.coded.texts[self.source_id] = text
        return text

    def read_source(self, text: str | None) -> bool:
        path = self.folder / SOURCE_FILE
        try:
            document = read_yaml(path)
            meta = SourceFile.model_validate(document if document is not None else {})
        except YamlFault as error:
            self.coded.faults.append(error.fault)
            return False
        except ValidationError as error:
            self.coded.faults.extend(pydantic_faults(error, document, str(path), "sources", self.source_id, 1))
            return False
        values = meta.model_dump(exclude={"source_id"})
        if meta.source_id not in (None, self.source_id):
            self.fault(path, key_line(document, "source_id", 1), "source_id", f"source_id {meta.source_id!r} differs from the folder name {self.source_id!r}")
        if text is None and meta.text_in_repo:
            self.fault(path, key_line(document, "text_in_repo", 1), "missing_text", f"text_in_repo is true but {ARTICLE} is missing")
        if text is None and (meta.text_sha256 is None or meta.char_count is None):
            self.fault(path, 1, "missing_text", f"without {ARTICLE}, give text_sha256 and char_count of the text", table="sources", row_id=self.source_id)
            return False
        if text is not None:
            for column, actual in (("text_sha256", sha256_text(text)), ("char_count", len(text))):
                if values[column] not in (None, actual):
                    self.fault(path, key_line(document, column, 1), column, f"{column} does not match {ARTICLE} ({actual})", table="sources", row_id=self.source_id, column=column)
                values[column] = actual
        try:
            row = Source.model_validate({"source_id": self.source_id, **values})
        except ValidationError as error:
            self.coded.faults.extend(pydantic_faults(error, document, str(path), "sources", self.source_id, 1))
            return False
        self.coded.rows["sources"].append(row.model_dump())
        self.coded.origins[("sources", self.source_id)] = (str(path), 1, document)
        return True

    def read_entry(self, path: Path, table: str, nodes: Any, index: int, entry: Any, defaults: dict[str, Any], defaults_node: Any) -> None:
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
        values = parsed.model_dump(exclude={"evidence"})
        row_id = values[pk]
        if table != "actors":
            values["source_id"] = self.source_id
            values["canonical_id"] = values["canonical_id"] or row_id
        self.coded.origins.setdefault((table, row_id), (str(path), line, node))
        self.add_evidence(path, table, row_id, parsed.evidence, node)
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
                self.fault(path, line, "evidence_quote", span, table=table, row_id=row_id, column="evidence", value=shorten(quote))
                continue
            start, end = span
            ev_id = evidence_id(table, row_id, self.source_id, start, end)
            self.coded.rows["evidence"].append(
                {"evidence_id": ev_id, "table_name": table, "row_id": row_id, "source_id": self.source_id, "char_start": start, "char_end": end, "quote": quote}
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
                    self.fault(path, line, "unique", "this id is used by more than one row", table="actors", row_id=values["actor_id"])
                return
            existing["aliases"] += [a for a in values["aliases"] if a not in existing["aliases"]]
            return
        self.coded.rows["actors"].append(values)


def read_seeds(seeds: Path) -> Coded:
    """Read every `seeds/*/` folder, in name order."""
    coded = Coded()
    if not seeds.is_dir():
        coded.faults.append(Fault(None, None, None, "missing", "no such seeds folder", file=str(seeds)))
        return coded
    for folder in sorted(p for p in seeds.iterdir() if p.is_dir() and not p.name.startswith(".")):
        SeedReader(folder, coded).read()
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
