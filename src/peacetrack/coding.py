"""The shape of a coding file (`seeds/<source_id>/coding.yaml`) and of `source.yaml`.

A coder writes the rows of each table as YAML entries: the row's fields, less what the build
fills in, plus evidence as verbatim quotes. A claim's date is one EDTF expression in `when:`;
the build fills in date_edtf, date_start, date_end and date_precision from it (`dates`). A
quantity without quantity_bound is exact; a negotiation row without round_count stands for one
round. A value at fault is reported in the words of its column's rule (`rules`), as a table
file's cell would be.

An entry a machine drafted (`coding.draft.yaml`) carries one more mapping, `draft:`, with how
sure the drafter was and why; a person deletes it once the row is checked (rule `draft`).
"""

from __future__ import annotations

import typing
from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

import pyarrow as pa
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    create_model,
)
from pydantic_core import PydanticCustomError

from peacetrack.dates import DateFault, read_edtf
from peacetrack.enums import QuantityBound
from peacetrack.faults import Fault, shorten
from peacetrack.rules import COMPUTED, DATE_ORDER, EDTF, REQUIRED, UNKNOWN_COLUMN, broken_type_rule, column_rules
from peacetrack.tables import BCP47_PATTERN, CLAIM_TABLES, TABLES, TEXT_PATTERN, arrow_type
from peacetrack.yamlfile import locate

CODED_TABLES: tuple[str, ...] = ("actors", *CLAIM_TABLES)
DRAFT_KEY = "draft"  # the mapping that marks an entry as drafted, not yet reviewed
# What the build computes from a claim's `when:` and never reads from a coding file.
DATE_COLUMNS = ("date_edtf", "date_start", "date_end", "date_precision")


def _as_text(value: Any) -> Any:
    """A YAML integer after `when:` (`2024`) is read as its text (a YAML date is text already:
    `yamlfile.read_yaml` reads dates as written)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _edtf(value: str | None) -> str | None:
    """The expression, if the contract takes it; else the fault in the words of its rule."""
    try:
        read_edtf(value)
    except DateFault as fault:
        raise PydanticCustomError(fault.rule.name, fault.rule.message) from fault
    return value


When = Annotated[str | None, BeforeValidator(_as_text)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class QuoteRef(Strict):
    """A quote with what it takes to make it unambiguous or to place it without the text."""

    quote: Annotated[str, StringConstraints(min_length=1)]
    occurrence: int | None = Field(default=None, ge=1, description="Which occurrence, counting from 1.")
    char_start: int | None = Field(default=None, ge=0, description="Offset, for a source whose text is not at hand.")


Quote = Annotated[str, StringConstraints(min_length=1)] | QuoteRef


class DraftMark(Strict):
    """`draft:` of a drafted entry: what the reviewer weighs before deleting it."""

    confidence: Annotated[float, Field(ge=0, le=1, strict=True, description="How sure the drafter is, 0 to 1.")]
    reason: Annotated[str, StringConstraints(min_length=1, pattern=TEXT_PATTERN)] = Field(
        description="Why, in one line: the words or the match the row rests on."
    )


def _entry_model(table: str) -> type[BaseModel]:
    """The coding entry of a table: its row fields, less what the build fills in, plus evidence."""
    model = TABLES[table].model
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name == "source_id" or name in DATE_COLUMNS:
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
    if table in CLAIM_TABLES:
        fields["when"] = (
            Annotated[When, AfterValidator(_edtf)],
            Field(None, description="The date as the source gives it, one EDTF expression; null when none."),
        )
    fields["evidence"] = (list[Quote], Field(min_length=1, description="Verbatim quotes proving the row."))
    fields[DRAFT_KEY] = (
        DraftMark | None,
        Field(None, description="A drafted row not yet reviewed: delete it once the row is checked."),
    )
    return create_model(f"{model.__name__}Entry", __config__=ConfigDict(extra="forbid"), **fields)


ENTRY_MODELS: dict[str, type[BaseModel]] = {name: _entry_model(name) for name in CODED_TABLES}


def row_values(table: str, entry: BaseModel) -> dict[str, Any]:
    """The row an entry stands for, less source_id and canonical_id: its dates computed from
    `when:`, and a quantity without its bound exact."""
    values = entry.model_dump(exclude={"evidence", "when", DRAFT_KEY})
    if table in CLAIM_TABLES:
        values.update(read_edtf(typing.cast(Any, entry).when).columns())
    if (
        table == "military_transfers"
        and values["quantity"] is not None
        and "quantity_bound" not in entry.model_fields_set
    ):
        values["quantity_bound"] = QuantityBound.exact.value
    return values


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


def pydantic_faults(
    error: ValidationError, node: Any, file: str, table: str | None, row_id: str | None, line: int | None
) -> Iterator[Fault]:
    """The faults pydantic found in a YAML mapping, in the contract's words where a contract
    column is at fault: the same rule name and message a table file's cell gets."""
    said: set[tuple[str | None, str]] = set()
    for item in error.errors(include_url=False):
        loc = tuple(item["loc"])
        if _other_branch(loc, item):
            continue
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


def _other_branch(loc: tuple[Any, ...], item: Any) -> bool:
    """Whether an evidence quote's error is pydantic's try of the form it was not written in:
    a mapping is a quote with `occurrence` or `char_start`, anything else a plain quote."""
    if len(loc) != 3 or loc[0] != "evidence" or not isinstance(loc[1], int):
        return False
    return (loc[2] == QuoteRef.__name__) != isinstance(item.get("input"), dict)


def contract_words(table: str | None, loc: tuple[Any, ...], item: Any) -> tuple[str, str]:
    """The rule and message of a pydantic error: the contract's rule on the column where there
    is one (type, required, pattern, enum, range, list items), else pydantic's own."""
    name = loc[0] if loc and isinstance(loc[0], str) else None
    columns = {c.name: c for c in TABLES[table].columns} if table in TABLES else {}
    if item["type"] == "extra_forbidden":
        if name in DATE_COLUMNS and table in CLAIM_TABLES:
            return COMPUTED.name, COMPUTED.says(column=name)
        if columns and len(loc) == 1:
            return UNKNOWN_COLUMN.name, UNKNOWN_COLUMN.says(column=shorten(name))
        return item["type"], f"unknown field {shorten(loc[-1])!r}"  # of a quote too: `occurence:`
    column = columns.get(name or "")
    if name == "when" and table in CLAIM_TABLES and item["type"] not in (EDTF.name, DATE_ORDER.name):
        return EDTF.words  # not text at all (a list, a mapping): not an EDTF date either
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
        rule = broken_type_rule(column, value)
        return rule.name, rule.message
    for check in column_rules(column):
        if not check.passes(values)[0]:
            return check.name, check.message
    return item["type"], item["msg"]
