"""The data contract: every table defined once.

Each table is one pydantic model. Its fields carry what the rest of the toolkit needs
(logical kind, foreign key, description) as ``Annotated`` markers, and `columns()` reads
them back, so the pandera schema (in `rules`), the Arrow schema, the Frictionless and DuckDB
schemas and the JSON Schema are all derived from these classes and never listed again by hand.
The vocabularies are in `enums`; the rules on values, with their names and messages, in
`rules`. This module imports nothing else of peacetrack's but `enums` and `csvcell` (the list delimiter).

Over 400 lines: the six row models are the contract and read best side by side; the rest
(columns read back, Arrow and pandas types) is what every other module derives from them.
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import pyarrow as pa
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from peacetrack.csvcell import LIST_DELIMITER as LIST_DELIMITER  # the contract's, defined beside the CSV cell
from peacetrack.enums import (
    ActorType,
    Certainty,
    ClaimTable,
    CountryCode,
    DateBasis,
    DatePrecision,
    EventType,
    ItemCategory,
    NegotiationFormat,
    QuantityBound,
    StatementKind,
    Topic,
    TransferStatus,
    Vocabulary,
)

if TYPE_CHECKING:
    import pandas as pd

SCHEMA_VERSION = "2.0.0"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# C0 and C1 control characters and DEL (tabs and newlines included), as ranges of code points
# (first, last): text a coder writes is on one line. `rules` holds the other text rules.
CONTROLS = ((0x00, 0x1F), (0x7F, 0x9F))


def text_without(ranges: tuple[tuple[int, int], ...]) -> str:
    """A pattern of text holding no code point in `ranges`. A code point up to U+00FF is
    written `\\xHH`, which Python, RE2 (Arrow, DuckDB) and JSON Schema read alike; a larger
    one as itself (Python and RE2 have no common escape for it)."""

    def char(code: int) -> str:
        return f"\\x{code:02x}" if code <= 0xFF else chr(code)

    return "^[^" + "".join(char(a) if a == b else f"{char(a)}-{char(b)}" for a, b in ranges) + "]*$"


# Printable text: no control characters.
TEXT_PATTERN = text_without(CONTROLS)
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# A practical subset of BCP 47: language, optional script and region (`en`, `hy`, `az-Latn-AZ`).
BCP47_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
# A source's folder, seeds/<source_id>/: its text, what is known of it, and its coded rows.
ARTICLE, SOURCE_FILE, CODING_FILE = "article.txt", "source.yaml", "coding.yaml"
# A machine's draft of a coding file, beside it: never the build's input, until a person has
# reviewed its rows (each still marked `draft:`) and made it coding.yaml.
DRAFT_FILE = "coding.draft.yaml"
CODING_FILES = (CODING_FILE, DRAFT_FILE)


# --- column kinds and markers --------------------------------------------------------------


class Kind(StrEnum):
    """The logical type of a column, beyond its Python type."""

    slug = "slug"
    text = "text"
    sha256 = "sha256"
    bcp47 = "bcp47"
    date = "date"
    integer = "integer"
    boolean = "boolean"
    enum = "enum"


@dataclass(frozen=True)
class References:
    """Marks a column as a foreign key to the primary key of `table`."""

    table: str


@dataclass(frozen=True)
class PrimaryKey:
    """Marks the table's primary key column."""


@dataclass(frozen=True)
class Verbatim:
    """Marks a text column holding a source's own words: it may hold the invisible characters
    its source holds (joiners, soft hyphens, direction marks), never `DISPLAY_CONTROLS`."""


Slug = Annotated[str, Kind.slug, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, Kind.text, StringConstraints(min_length=1, pattern=TEXT_PATTERN)]
VerbatimText = Annotated[Text, Verbatim()]
Sha256 = Annotated[str, Kind.sha256, StringConstraints(pattern=SHA256_PATTERN)]
Bcp47 = Annotated[str, Kind.bcp47, StringConstraints(pattern=BCP47_PATTERN)]
Id = Annotated[Slug, PrimaryKey()]
ActorRef = Annotated[Slug, References("actors")]
SourceRef = Annotated[Slug, References("sources")]
TransferRef = Annotated[Slug, References("military_transfers")]


class Row(BaseModel):
    """Base of every row model: strict about unknown fields, frozen once made."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=True)


def _field(description: str, **kwargs: Any) -> Any:
    return Field(description=description, **kwargs)


# --- the tables ----------------------------------------------------------------------------


class Source(Row):
    """A source text (article, transcript) that rows are coded from."""

    source_id: Id = _field("Slug of the source, e.g. `aliyev-milli-majlis-2024-09-23`.")
    title: Text | None = _field("Headline as published; null when the source has none.")
    publisher: Text | None = _field("Publisher as named; null when unknown.")
    url: Text | None = _field("Address of the source as published; null when unknown.")
    published_on: date | None = _field("Date of publication; null when unknown.")
    language: Bcp47 = _field("Language of the text, BCP 47 (`en`).")
    text_sha256: Sha256 = _field("SHA-256 of the source text's UTF-8 bytes, lowercase hex.")
    text_in_repo: bool = _field("Whether `seeds/<source_id>/article.txt` is committed.")
    char_count: int = _field("Length of the source text in Unicode code points.", ge=1)
    notes: Text | None = _field("How dates were resolved and what is unknown.")


class Actor(Row):
    """A real-world actor, one row whichever sources name it."""

    actor_id: Id = _field("Slug of the actor: ISO alpha-3 in lower case for states (`aze`).")
    name: Text = _field("Canonical English name.")
    actor_type: ActorType = _field("What kind of actor this is.")
    country: CountryCode | None = _field("ISO 3166-1 alpha-3 code of the actor's country; null when none or unknown.")
    parent_id: ActorRef | None = _field("The actor this one is part of (`us-air-force` → `usa`); null when none.")
    role: Text | None = _field("Office or function, e.g. `President of Azerbaijan`.")
    aliases: list[Text] = _field("Names used for the actor in sources.", default_factory=list)


class Dated(Row):
    """The date as the source gives it (EDTF), and its bounds and precision for querying."""

    date_edtf: Text | None = _field(
        "The date as the source gives it, one EDTF expression (ISO 8601-2): `2024-09-23`, `2024-09`, "
        "`2024-22` (summer), `../2024-09-23` (by that day), `2023-11/..` (since), `2024-03/2024-05`, "
        "`2024-06?` (uncertain), `2024-06~` (approximate); null when the source gives none."
    )
    date_start: date | None = _field("First day of date_edtf (inclusive); null where open or no date.")
    date_end: date | None = _field("Last day of date_edtf (inclusive); null where open or no date.")
    date_precision: DatePrecision = _field(
        "How precisely date_edtf dates the row (of an interval, the coarsest of its known ends); "
        "`unknown` when there is no date."
    )
    date_basis: DateBasis | None = _field(
        "Whether the source states the date or it was inferred; null when there is no date."
    )


class Claim(Dated):
    """Something one source reports; rows of several sources share a canonical_id."""

    source_id: SourceRef = _field("The source that reports this row.")
    canonical_id: Slug = _field(
        "Shared by rows of different sources that report the same real-world thing; "
        "equals the row's own id where no other source reports it."
    )


class Statement(Claim):
    """Who said what, about whom, when."""

    statement_id: Id = _field("Slug of the statement.")
    speaker_id: ActorRef = _field("The actor who spoke.")
    target_id: ActorRef | None = _field("The actor the statement is about or aimed at.")
    kind: StatementKind = _field("A direct quote or the source's paraphrase.")
    quote: VerbatimText | None = _field("The speaker's words verbatim, without quotation marks; null for a paraphrase.")
    summary: Text = _field("The coder's one-line English summary.")
    topic: Topic = _field("What the statement is about.")
    event_type: EventType | None = _field("PLOVER event type; null where none fits.")
    occasion: Text | None = _field("Where or at what event it was said.")


class MilitaryTransfer(Claim):
    """A transfer of military equipment, after SIPRI's trade register."""

    transfer_id: Id = _field("Slug of the transfer.")
    supplier_id: ActorRef = _field("The supplying actor.")
    recipient_id: ActorRef = _field("The receiving actor.")
    end_user_id: ActorRef | None = _field("The end user, where the source names one.")
    item: Text = _field("Designation as the source gives it (`Bastion`, `sniper rifles`).")
    item_category: ItemCategory = _field("Category of the item.")
    manufacturer_id: ActorRef | None = _field("The manufacturer, where the source names one.")
    quantity: int | None = _field("Number of items as printed, only where the source gives one.", ge=1)
    quantity_bound: QuantityBound | None = _field(
        "How the source gives the quantity: exact, lower_bound (`more than 20`), upper_bound (`up to 50`), "
        "approximate (`about 30`); set exactly when quantity is."
    )
    status: TransferStatus = _field("Status as the source reports it.")
    certainty: Certainty = _field(
        "stated: the source asserts it; reported: the source hedges; alleged: a party claims it."
    )
    carrier: Text | None = _field("How it was carried, e.g. `2 × Boeing C-17 (US Air Force)`.")
    part_of: TransferRef | None = _field("The transfer this row is a batch or part of; null when none.")
    notes: Text | None = _field("Anything else the source says about the transfer.")


class NegotiationRound(Claim):
    """A round of negotiation in a peace process."""

    round_id: Id = _field("Slug of the round.")
    process: Slug = _field("The negotiation process, e.g. `armenia-azerbaijan-peace-treaty`.")
    round_number: int | None = _field("Ordinal of the round in its process; null when round_count > 1.", ge=1)
    round_count: int = _field(
        "How many rounds the row stands for: more than 1 when the source gives only a count "
        "(`10 rounds of exchange`); 1 by default in a coding file.",
        ge=1,
        default=1,
    )
    parties: list[ActorRef] = _field("The negotiating parties (at least two).", min_length=2)
    sender_id: ActorRef | None = _field("The party that sent the draft, where the source gives a direction.")
    receiver_id: ActorRef | None = _field("The party the draft was sent to, where the source gives a direction.")
    mediator_id: ActorRef | None = _field("The mediator; null when none is reported.")
    format: NegotiationFormat = _field("How the round was held.")
    place: Text | None = _field("Where the round was held, as the source names it.")
    outcome: Text | None = _field("What the round produced, as the source reports it.")
    notes: Text | None = _field("Anything else the source says about the round.")


class Evidence(Row):
    """Span-level provenance: a verbatim quote at exact offsets that proves a row."""

    evidence_id: Id = _field("Slug of the evidence span, derived from what it proves.")
    table_name: ClaimTable = _field("The table of the row this span proves.")
    row_id: Slug = _field("Primary key of the row this span proves.")
    source_id: SourceRef = _field("The source the span is taken from.")
    char_start: int = _field("Offset of the first code point of the quote.", ge=0)
    char_end: int = _field("Offset just past the last code point of the quote.", ge=1)
    quote: Annotated[str, Kind.text, Verbatim(), StringConstraints(min_length=1)] = _field(
        "The quote, equal to `text[char_start:char_end]`."
    )


# --- reading the definitions back ----------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column, as every generated schema needs to see it."""

    name: str
    kind: Kind
    nullable: bool
    is_list: bool
    description: str
    enum: tuple[str, ...] | None = None
    enum_name: str | None = None  # snake_case name of the enum type, e.g. `actor_type`
    definitions: tuple[str, ...] | None = None  # what each value of `enum` means, in its order
    references: str | None = None
    primary_key: bool = False
    verbatim: bool = False
    minimum: int | None = None
    min_items: int | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Table:
    """A table as every schema, reader and loader sees it: its name, description and columns.

    The contract's tables are `ModelTable`s, their columns read from a row model; a release
    made under another schema has its tables read from its own datapackage.json (`descriptor`)."""

    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def primary_key(self) -> str:
        return next(c.name for c in self.columns if c.primary_key)

    @property
    def foreign_keys(self) -> dict[str, str]:
        return {c.name: c.references for c in self.columns if c.references}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


@dataclass(frozen=True)
class ModelTable(Table):
    """A table of the contract: its columns are read back from its row model."""

    model: type[Row]


def _flatten(annotation: Any) -> tuple[Any, list[Any]]:
    """Unwrap Annotated layers: the bare type and all metadata, outermost last."""
    metadata: list[Any] = []
    while typing.get_origin(annotation) is Annotated:
        base, *extra = typing.get_args(annotation)
        metadata = extra + metadata
        annotation = base
    return annotation, metadata


_PYTHON_KINDS: dict[type, Kind] = {date: Kind.date, int: Kind.integer, bool: Kind.boolean}


def _field_order(model: type[Row]) -> list[str]:
    """Primary key first, then the model's own fields, then inherited ones (claim, dates)."""
    depth = {
        name: next(i for i, cls in enumerate(model.__mro__) if name in inspect.get_annotations(cls))
        for name in model.model_fields
    }
    return sorted(model.model_fields, key=lambda name: depth[name])


@cache
def columns(model: type[Row]) -> tuple[Column, ...]:
    """The columns of a row model: primary key, own fields, then inherited ones."""
    result = []
    for name in _field_order(model):
        field = model.model_fields[name]
        annotation, nullable = field.annotation, False
        if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation, nullable = args[0], True
        is_list = typing.get_origin(annotation) is list
        if is_list:
            (annotation,) = typing.get_args(annotation)
        base, metadata = _flatten(annotation)
        metadata += field.metadata
        kinds = [m for m in metadata if isinstance(m, Kind)]
        is_enum = isinstance(base, type) and issubclass(base, StrEnum)
        enum = tuple(e.value for e in base) if is_enum else None
        definitions = tuple(base.definitions().values()) if is_enum and issubclass(base, Vocabulary) else None
        kind = Kind.enum if enum else (kinds[0] if kinds else _PYTHON_KINDS[base])
        refs = [m.table for m in metadata if isinstance(m, References)]
        result.append(
            Column(
                name=name,
                kind=kind,
                nullable=nullable,
                is_list=is_list,
                description=field.description or "",
                enum=enum,
                enum_name=re.sub(r"(?<!^)(?=[A-Z])", "_", base.__name__).lower() if is_enum else None,
                definitions=definitions,
                references=refs[0] if refs else None,
                primary_key=any(isinstance(m, PrimaryKey) for m in metadata),
                verbatim=any(isinstance(m, Verbatim) for m in metadata),
                minimum=next((m.ge for m in metadata if getattr(m, "ge", None) is not None), None),
                min_items=next(
                    (m.min_length for m in field.metadata if is_list and getattr(m, "min_length", None)),
                    None,
                ),
                pattern=next((m.pattern for m in metadata if getattr(m, "pattern", None)), None),
            )
        )
    return tuple(result)


TABLES: dict[str, ModelTable] = {
    name: ModelTable(name, description, columns(model), model)
    for name, model, description in (
        ("sources", Source, "Source texts the rows are coded from."),
        ("actors", Actor, "Real-world actors: states, people, forces, companies, groups."),
        ("statements", Statement, "Who said what, about whom, when, as one source reports it."),
        (
            "military_transfers",
            MilitaryTransfer,
            "Transfers of military equipment as one source reports them (after SIPRI).",
        ),
        ("negotiation_rounds", NegotiationRound, "Rounds of negotiation as one source reports them."),
        ("evidence", Evidence, "Verbatim quotes at exact offsets proving every row but sources."),
    )
}
CLAIM_TABLES: tuple[str, ...] = ("statements", "military_transfers", "negotiation_rounds")


# --- the same definitions as Arrow, pandas and pandera types ---------------------------------
# pandas is imported by the functions that make frames: a table file's validation needs none.

_ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.date: pa.date32(),
    Kind.integer: pa.int64(),
    Kind.boolean: pa.bool_(),
}


def arrow_type(column: Column) -> pa.DataType:
    """Arrow type of a column; enums are stored as plain strings."""
    base = _ARROW_TYPES.get(column.kind, pa.string())
    return pa.list_(base) if column.is_list else base


def arrow_schema(table: Table, *, nullable: bool = False) -> pa.Schema:
    """The contract's Arrow schema; `nullable`: every column may hold nulls."""
    return pa.schema([pa.field(c.name, arrow_type(c), nullable=nullable or c.nullable) for c in table.columns])


def pandas_dtype(column: Column) -> Any:
    """The pandas dtype of a column while peacetrack builds and checks a table.

    Dates stay Arrow dates, so a frame goes back to Parquet byte for byte."""
    import pandas as pd

    if column.is_list:
        return pd.ArrowDtype(arrow_type(column))
    if column.kind is Kind.enum:
        return pd.CategoricalDtype(list(column.enum or ()))
    return {
        Kind.date: pd.ArrowDtype(pa.date32()),
        Kind.integer: pd.Int64Dtype(),
        Kind.boolean: pd.BooleanDtype(),
    }.get(column.kind, pd.StringDtype())


def analysis_dtype(column: Column) -> Any:
    """The documented pandas dtype of a column in a table `peacetrack.load` gives.

    Dates are numpy datetimes in seconds, so they compare with strings and Timestamps and
    hold any date of the contract (nanoseconds end in 2262); the rest as `pandas_dtype`."""
    import numpy as np

    if column.kind is Kind.date and not column.is_list:
        return np.dtype("datetime64[s]")
    return pandas_dtype(column)


def frame_from_arrow(
    table: Table, data: pa.Table, dtype: Callable[[Column], Any] = pandas_dtype, *, nullable: bool = False
) -> pd.DataFrame:
    """A pandas frame with each column's `dtype`, from Arrow data in the contract's shape
    (`nullable`: with nulls where the contract has none, for the checks to find)."""
    data = data.select([c.name for c in table.columns]).cast(arrow_schema(table, nullable=nullable))
    data = pa.table([_for_pandas(data[c.name], dtype(c)) for c in table.columns], names=data.column_names)
    frame = data.to_pandas(types_mapper=_types_mapper, ignore_metadata=True)
    for column in table.columns:
        frame[column.name] = frame[column.name].astype(dtype(column))
    return frame


def _for_pandas(values: pa.ChunkedArray, dtype: Any) -> pa.ChunkedArray:
    """Categoricals and numpy datetimes made in Arrow, where it takes milliseconds, not
    seconds as pandas takes for a million rows: enums as dictionaries over every allowed
    value in order, dates as timestamps of the dtype's unit."""
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    if isinstance(dtype, pd.CategoricalDtype):
        categories = pa.array(list(dtype.categories), pa.string())
        indices = pc.index_in(values, value_set=categories).cast(pa.int32())
        return pa.chunked_array(
            [pa.DictionaryArray.from_arrays(chunk, categories) for chunk in indices.chunks],
            pa.dictionary(pa.int32(), pa.string()),
        )
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        return values.cast(pa.timestamp(np.datetime_data(dtype)[0]))
    return values


def _types_mapper(dtype: pa.DataType) -> Any:
    import pandas as pd

    if pa.types.is_dictionary(dtype) or pa.types.is_timestamp(dtype):
        return None  # pandas' own categoricals and datetimes
    if pa.types.is_string(dtype):
        return pd.StringDtype()
    if pa.types.is_int64(dtype):
        return pd.Int64Dtype()
    if pa.types.is_boolean(dtype):
        return pd.BooleanDtype()
    return pd.ArrowDtype(dtype)


def frame_from_rows(table: Table, rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Coded rows as a frame; a value a coding file has at fault is null, required or not: its
    fault is said, and the checks see the rest of the row."""
    schema = arrow_schema(table, nullable=True)
    return frame_from_arrow(table, pa.Table.from_pylist(rows, schema=schema), nullable=True)


def arrow_from_frame(table: Table, frame: pd.DataFrame) -> pa.Table:
    import pandas as pd

    data = {c.name: frame[c.name].astype(object) if c.kind is Kind.enum else frame[c.name] for c in table.columns}
    return pa.Table.from_pandas(pd.DataFrame(data), schema=arrow_schema(table), preserve_index=False)
