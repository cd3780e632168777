"""From `seeds/<source_id>/` (article, source.yaml, coding.yaml) to rows of every table.

A coder writes evidence as verbatim quotes; here each quote is found in the article and
turned into exact code-point offsets. Every fault keeps the file and YAML line it came from,
and a value at fault is reported in the words of its column's rule (`rules`).

Over 400 lines: reading YAML safely (links, anchors, depth, size) and finding quotes in the
article are both part of reading a seed; they may move to a module of their own.
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
import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, create_model
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

from peacetrack.checks import check_tables, sha256_text
from peacetrack.errors import FileFault, Refused
from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.links import names_inside, read_inside
from peacetrack.rules import LIST_TYPE, REQUIRED, UNIQUE, UNKNOWN_COLUMN, column_rules, type_rule
from peacetrack.tables import (
    ARTICLE,
    BCP47_PATTERN,
    CLAIM_TABLES,
    CODING_FILE,
    SOURCE_FILE,
    TABLES,
    TEXT_PATTERN,
    Source,
    arrow_type,
    frame_from_rows,
)

CODED_TABLES: tuple[str, ...] = ("actors", *CLAIM_TABLES)
MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 20  # a coding file nests six levels: file, table, entry, evidence, quote, list
# Keys, values and punctuation: the seed's coding file of 200 rows holds some 2,000. The parser
# takes about 0.1 ms a token, more as a mapping grows: 5 MB of `k: v` lines would take minutes.
MAX_YAML_TOKENS = 50_000


# --- the shape of a coding file ------------------------------------------------------------


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteRef(Strict):
    """A quote with what it takes to make it unambiguous or to place it without the text."""

    quote: Annotated[str, StringConstraints(min_length=1)]
    occurrence: int | None = Field(default=None, ge=1, description="Which occurrence, counting from 1.")
    char_start: int | None = Field(default=None, ge=0, description="Offset, for a source whose text is not at hand.")


Quote = Annotated[str, StringConstraints(min_length=1)] | QuoteRef


def _entry_model(table: str) -> type[BaseModel]:
    """The coding entry of a table: its row fields, less what the build fills in, plus evidence."""
    model = TABLES[table].model
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "source_id":
            continue
        annotation: Any = info.annotation
        if name == "canonical_id":
            annotation = annotation | None
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


_OPENING = (FlowMappingStartToken, FlowSequenceStartToken, BlockMappingStartToken, BlockSequenceStartToken)
_CLOSING = (FlowMappingEndToken, FlowSequenceEndToken, BlockEndToken)


def read_yaml(path: Path, root: Path) -> Any:
    """Parse YAML keeping line numbers; refuse links out of `root`, duplicate keys, anchors,
    aliases and nesting deeper than a coding file needs (the pure-Python parser recurses,
    and slows down with depth: a deep file would take minutes or crash)."""
    try:
        raw = read_inside(path, root, MAX_YAML_BYTES + 1)
    except Refused as refused:
        raise FileFault(Fault(rule=refused.rule, message=refused.message, file=str(path))) from None
    except OSError as error:
        raise FileFault(
            Fault(
                rule="unreadable",
                message=f"cannot read: {error.strerror}",
                file=str(path),
            )
        ) from None
    if len(raw) > MAX_YAML_BYTES:
        raise FileFault(
            Fault(
                rule="too_large",
                message=f"over {MAX_YAML_BYTES} bytes",
                file=str(path),
            )
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileFault(
            Fault(
                rule="encoding",
                message=not_utf8(raw, error),
                file=str(path),
                line=line_of(raw, error.start),
            )
        ) from None
    yaml = YAML(typ="rt", pure=True)

    def refuse(rule: str, message: str, token: Any) -> FileFault:
        return FileFault(
            Fault(
                rule=rule,
                message=message,
                file=str(path),
                line=token.start_mark.line + 1,
            )
        )

    try:
        depth = 0
        for count, token in enumerate(yaml.scan(text)):
            if count == MAX_YAML_TOKENS:
                raise refuse(
                    "too_large",
                    f"over {MAX_YAML_TOKENS:,} keys, values and brackets: split the coding over seeds, or write less",
                    token,
                )
            if isinstance(token, AliasToken | AnchorToken):
                raise refuse(
                    "yaml_alias", "anchors and aliases are not allowed in coding files: write values out", token
                )
            depth += isinstance(token, _OPENING) - isinstance(token, _CLOSING)
            if depth > MAX_YAML_DEPTH:
                raise refuse(
                    "yaml_depth", f"nested more than {MAX_YAML_DEPTH} levels deep: a coding file needs far fewer", token
                )
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p)
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(message.replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except YAMLError as error:
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(str(error).replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
            )
        ) from None


def line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    """Where bytes stop being UTF-8: byte of the file and of its line, counting from 1."""
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    return f"not UTF-8 at byte {error.start + 1} (byte {error.start - line_start + 1} of its line): save it as UTF-8"


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


def pydantic_faults(
    error: ValidationError, node: Any, file: str, table: str | None, row_id: str | None, line: int | None
) -> Iterator[Fault]:
    """The faults pydantic found in a YAML mapping, in the contract's words where a contract
    column is at fault: the same rule name and message a table file's cell gets."""
    said: set[tuple[str | None, str]] = set()
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        column = next((shorten(p) for p in loc if isinstance(p, str)), None)  # a key may be long: capped
        rule, message = contract_words(table, loc, item)
        if (column, rule) in said:  # pydantic may find one value wrong against each type of a union
            continue
        said.add((column, rule))
        yield Fault(
            table=table,
            row_id=row_id,
            column=column,
            rule=rule,
            message=message,
            value=None if item["type"] == "missing" else shorten(item.get("input")),
            file=file,
            line=locate(node, loc, line),
        )


def contract_words(table: str | None, loc: tuple[Any, ...], item: Any) -> tuple[str, str]:
    """The rule and message of a pydantic error: the contract's rule on the column where there
    is one (type, required, pattern, enum, range, list items), else pydantic's own."""
    name = loc[0] if loc and isinstance(loc[0], str) else None
    columns = {c.name: c for c in TABLES[table].columns} if table in TABLES else {}
    if item["type"] == "extra_forbidden":
        if columns:
            return UNKNOWN_COLUMN.name, UNKNOWN_COLUMN.says(column=shorten(name))
        return item["type"], f"unknown field {shorten(name)!r}"
    column = columns.get(name or "")
    if column is None:
        return item["type"], item["msg"]
    if item["type"] == "missing" or (len(loc) == 1 and item.get("input") is None):
        return REQUIRED.name, REQUIRED.message
    value = item.get("input")
    if column.is_list and len(loc) == 2 and isinstance(loc[1], int):
        value = [value]  # one item of the list is at fault
    try:
        values = pa.array([value], arrow_type(column))
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        rule = LIST_TYPE if column.is_list and not isinstance(value, list) else type_rule(column)
        return rule.name, rule.message
    for check in column_rules(column):
        if not check.passes(values)[0]:
            return check.name, check.message
    return item["type"], item["msg"]


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


MAX_COUNTED = 1000  # occurrences of a quote counted for a message: more is "over 1000"


def occurrences(text: str, quote: str, limit: int | None = None) -> Iterator[int]:
    """Offsets of the occurrences of `quote` in `text` (overlapping ones included), in
    order, the first `limit` of them: a generator, as a letter may occur millions of times."""
    start, found = text.find(quote), 0
    while start >= 0 and (limit is None or found < limit):
        yield start
        found += 1
        start = text.find(quote, start + 1)


def _how_often(text: str, quote: str) -> str:
    found = sum(1 for _ in occurrences(text, quote, MAX_COUNTED + 1))
    return f"over {MAX_COUNTED} times" if found > MAX_COUNTED else f"{found} time{'s' * (found != 1)}"


def nth_occurrence(text: str, quote: str, n: int) -> int:
    """The offset of the n-th occurrence (from 1) of `quote`, -1 if there are fewer. A quote
    that cannot overlap itself (most) is counted by `str.count` and found by bisection:
    quick even when it occurs millions of times."""
    if any(quote[:k] == quote[-k:] for k in range(1, len(quote))):  # may overlap: one by one
        return next((start for found, start in enumerate(occurrences(text, quote, n), start=1) if found == n), -1)
    if text.count(quote) < n:
        return -1
    low, high = len(quote), len(text)  # the least end holding n occurrences
    while low < high:
        middle = (low + high) // 2
        low, high = (low, middle) if text.count(quote, 0, middle) >= n else (middle + 1, high)
    return low - len(quote)


def _nearest(text: str, quote: str, offset: int) -> int:
    """The offset of the occurrence nearest to `offset`, before or after (there is one)."""
    before = text.rfind(quote, 0, min(offset + len(quote) - 1, len(text)))
    after = text.find(quote, offset)
    return before if after < 0 or (before >= 0 and offset - before <= after - offset) else after


def _not_found_hint(text: str, quote: str) -> str:
    folded: dict[str, str | int | None] = {"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-", "–": "-", "…": "..."}
    plain = quote.translate(str.maketrans(folded))
    if plain in text.translate(str.maketrans(folded)):
        return ": the article has it with other quotation marks, apostrophes or dashes; copy them exactly"
    if unicodedata.normalize("NFC", quote) != quote:
        return ": the quote is not NFC-normalised"
    return ""


def resolve_quote(text: str | None, ref: str | QuoteRef) -> tuple[int, int] | str:
    """Offsets of a quote in the text, or a message saying why they cannot be found.

    A message says no more of the text than the quote does: how often it occurs, and where
    the occurrence nearest a wrong char_start is, not a list of every place."""
    ref = ref if isinstance(ref, QuoteRef) else QuoteRef(quote=ref)
    quote = ref.quote
    if text is None:
        if ref.char_start is None:
            return "the source text is not at hand: give char_start for this quote"
        return ref.char_start, ref.char_start + len(quote)
    if ref.char_start is not None:
        if not text.startswith(quote, ref.char_start):
            if quote not in text:
                return (
                    f"the quote is not at char_start {ref.char_start}, nor anywhere in the article"
                    + _not_found_hint(text, quote)
                )
            nearest = _nearest(text, quote, ref.char_start)
            return f"the quote is not at char_start {ref.char_start}: the nearest occurrence is at {nearest}"
        return ref.char_start, ref.char_start + len(quote)
    first = text.find(quote)
    if first < 0:
        return "quote not found in the article" + _not_found_hint(text, quote)
    if ref.occurrence is None and text.find(quote, first + 1) >= 0:
        return f"the quote occurs {_how_often(text, quote)}: add `occurrence: N` or quote more"
    start = first if ref.occurrence is None else nth_occurrence(text, quote, ref.occurrence)
    if start < 0:
        return f"occurrence {ref.occurrence} asked for, but the quote occurs {_how_often(text, quote)}"
    return start, start + len(quote)


def read_article(path: Path, root: Path) -> str | None:
    """The text of an article; None when there is none. Raises FileFault when it is there
    but cannot be used: a link, or not UTF-8 (said where, not reported as missing)."""
    try:
        raw = read_inside(path, root)
    except Refused as refused:
        raise FileFault(Fault(rule=refused.rule, message=refused.message, file=str(path))) from None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise FileFault(
            Fault(
                rule="unreadable",
                message=f"cannot read: {error.strerror}",
                file=str(path),
            )
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FileFault(
            Fault(
                rule="encoding",
                message=not_utf8(raw, error),
                file=str(path),
                line=line_of(raw, error.start),
            )
        ) from None


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
        values = parsed.model_dump(exclude={"evidence"})
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
