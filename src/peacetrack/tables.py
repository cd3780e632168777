"""The data contract: every table defined once.

Each table is one pydantic model. Its fields carry what the rest of the toolkit needs
(logical kind, foreign key, description) as ``Annotated`` markers, and `columns()` reads
them back, so the pandera schema, the Arrow schema, the Frictionless and DuckDB schemas
and the JSON Schema are all derived from these classes and never listed again by hand.
This module imports nothing else of peacetrack's.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pycountry
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

if TYPE_CHECKING:
    import pandera.pandas as pa_pandas

SCHEMA_VERSION = "1.0.0"
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Characters text may not hold, as ranges of code points (first, last).
# C0 and C1 control characters and DEL (tabs and newlines included): text is written on one line.
CONTROLS = ((0x00, 0x1F), (0x7F, 0x9F))
# Characters that make text display otherwise than its bytes read: line and paragraph
# separators, bidirectional embeddings, overrides and isolates, the deprecated format
# characters (symmetric swapping, digit shapes), interlinear annotations (they hide text) and
# tags. Nothing holds them, not even a verbatim quote.
DISPLAY_CONTROLS = (
    (0x2028, 0x202E),
    (0x2066, 0x206F),
    (0xFFF9, 0xFFFB),
    (0xE0000, 0xE007F),
)
# Besides, characters that display as nothing: Unicode's Default_Ignorable_Code_Point (soft
# hyphen, zero-width space and joiners, direction marks, word joiner, byte-order mark,
# variation selectors, Hangul fillers, ...). Text a coder writes holds none of them; a
# verbatim quote may hold them, as its source does.
INVISIBLE = (
    *DISPLAY_CONTROLS,
    (173, 173),
    (847, 847),
    (1564, 1564),
    (4447, 4448),
    (6068, 6069),
    (6155, 6159),
    (8203, 8207),
    (8288, 8293),
    (12644, 12644),
    (65024, 65039),
    (65279, 65279),
    (65440, 65440),
    (65520, 65528),
    (113824, 113827),
    (119155, 119162),
    (917632, 921599),
)


def _without(ranges: tuple[tuple[int, int], ...]) -> str:
    """A pattern of text holding no code point in `ranges`. A code point up to U+00FF is
    written `\\xHH`, which Python, RE2 (Arrow, DuckDB) and JSON Schema read alike; a larger
    one as itself (Python and RE2 have no common escape for it)."""

    def char(code: int) -> str:
        return f"\\x{code:02x}" if code <= 0xFF else chr(code)

    return "^[^" + "".join(char(a) if a == b else f"{char(a)}-{char(b)}" for a, b in ranges) + "]*$"


# Printable text: no control characters.
TEXT_PATTERN = _without(CONTROLS)
# A verbatim quote of several lines: the controls but tabs, line feeds and page breaks. No
# carriage return: CSV writers leave it unquoted when lines end in a line feed, so it would
# split the quote's row in two.
QUOTED_TEXT_PATTERN = _without(((0x00, 0x08), (0x0D, 0x1F), (0x7F, 0x9F)))
INVISIBLE_PATTERN = _without(INVISIBLE)
DISPLAY_PATTERN = _without(DISPLAY_CONTROLS)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = "=+-@\t\r"
SHA256_PATTERN = r"^[0-9a-f]{64}$"
# A practical subset of BCP 47: language, optional script and region (`en`, `hy`, `az-Latn-AZ`).
BCP47_PATTERN = r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"
LIST_DELIMITER = ";"
# A source's folder, seeds/<source_id>/: its text, what is known of it, and its coded rows.
ARTICLE, SOURCE_FILE, CODING_FILE = "article.txt", "source.yaml", "coding.yaml"


# --- enums -------------------------------------------------------------------------------


class ActorType(StrEnum):
    state = "state"
    person = "person"
    legislature = "legislature"
    government_agency = "government_agency"
    armed_force = "armed_force"
    company = "company"
    group = "group"
    international_org = "international_org"


class StatementKind(StrEnum):
    direct_quote = "direct_quote"
    paraphrase = "paraphrase"


class Topic(StrEnum):
    peace_process = "peace_process"
    military_buildup = "military_buildup"
    foreign_military_support = "foreign_military_support"
    defence_industry = "defence_industry"
    border_security = "border_security"
    sovereignty = "sovereignty"
    mediation = "mediation"


class EventType(StrEnum):
    """PLOVER event types (Open Event Data Alliance)."""

    AGREE = "AGREE"
    CONSULT = "CONSULT"
    SUPPORT = "SUPPORT"
    CONCEDE = "CONCEDE"
    COOPERATE = "COOPERATE"
    AID = "AID"
    RETREAT = "RETREAT"
    REQUEST = "REQUEST"
    ACCUSE = "ACCUSE"
    REJECT = "REJECT"
    THREATEN = "THREATEN"
    PROTEST = "PROTEST"
    SANCTION = "SANCTION"
    MOBILIZE = "MOBILIZE"
    COERCE = "COERCE"
    ASSAULT = "ASSAULT"


class ItemCategory(StrEnum):
    armoured_vehicle = "armoured_vehicle"
    vehicle_components = "vehicle_components"
    air_defence_missile = "air_defence_missile"
    radar = "radar"
    small_arms = "small_arms"
    optics = "optics"
    communications = "communications"
    body_armour = "body_armour"
    uav = "uav"
    mines = "mines"
    munitions = "munitions"
    other = "other"


class TransferStatus(StrEnum):
    delivered = "delivered"
    ordered = "ordered"
    planned = "planned"
    unknown = "unknown"


class Certainty(StrEnum):
    stated = "stated"
    reported = "reported"
    alleged = "alleged"


class NegotiationFormat(StrEnum):
    draft_exchange = "draft_exchange"
    bilateral_meeting = "bilateral_meeting"
    mediated_meeting = "mediated_meeting"
    summit = "summit"
    other = "other"


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


class DateBasis(StrEnum):
    stated = "stated"
    inferred = "inferred"


class ClaimTable(StrEnum):
    """Tables whose rows need evidence: every table but sources and evidence."""

    actors = "actors"
    statements = "statements"
    military_transfers = "military_transfers"
    negotiation_rounds = "negotiation_rounds"


# ISO 3166-1 alpha-3, from pycountry's copy of the ISO list.
CountryCode = StrEnum("CountryCode", {c.alpha_3: c.alpha_3 for c in pycountry.countries})


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
    """Dates as an interval, as precise as the source allows and no more."""

    date_start: date | None = _field("First day of the interval (inclusive); null if open.")
    date_end: date | None = _field("Last day of the interval (inclusive); null if open.")
    date_precision: DatePrecision = _field("How precisely the source dates the row.")
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
    quantity: int | None = _field("Number of items, only where the source gives one.", ge=1)
    status: TransferStatus = _field("Delivery status as the source reports it.")
    certainty: Certainty = _field(
        "stated: the source asserts it; reported: the source hedges; alleged: a party claims it."
    )
    carrier: Text | None = _field("How it was carried, e.g. `2 × Boeing C-17 (US Air Force)`.")
    notes: Text | None = _field("Anything else the source says about the transfer.")


class NegotiationRound(Claim):
    """A round of negotiation in a peace process."""

    round_id: Id = _field("Slug of the round.")
    process: Slug = _field("The negotiation process, e.g. `armenia-azerbaijan-peace-treaty`.")
    round_number: int | None = _field("Ordinal of the round in its process.", ge=1)
    parties: list[ActorRef] = _field("The negotiating parties (at least two).", min_length=2)
    mediator_id: ActorRef | None = _field("The mediator; null when none is reported.")
    format: NegotiationFormat = _field("How the round was held.")
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
    references: str | None = None
    primary_key: bool = False
    verbatim: bool = False
    minimum: int | None = None
    min_items: int | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Table:
    name: str
    model: type[Row]
    description: str

    @property
    def columns(self) -> tuple[Column, ...]:
        return columns(self.model)

    @property
    def primary_key(self) -> str:
        return next(c.name for c in self.columns if c.primary_key)

    @property
    def foreign_keys(self) -> dict[str, str]:
        return {c.name: c.references for c in self.columns if c.references}

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


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
        name: next(i for i, cls in enumerate(model.__mro__) if name in cls.__dict__.get("__annotations__", {}))
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


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("sources", Source, "Source texts the rows are coded from."),
        Table("actors", Actor, "Real-world actors: states, people, forces, companies, groups."),
        Table("statements", Statement, "Who said what, about whom, when, as one source reports it."),
        Table(
            "military_transfers",
            MilitaryTransfer,
            "Transfers of military equipment as one source reports them (after SIPRI).",
        ),
        Table("negotiation_rounds", NegotiationRound, "Rounds of negotiation as one source reports them."),
        Table("evidence", Evidence, "Verbatim quotes at exact offsets proving every row but sources."),
    )
}
CLAIM_TABLES: tuple[str, ...] = ("statements", "military_transfers", "negotiation_rounds")


# --- the same definitions as Arrow, pandas and pandera types ---------------------------------

_ARROW_TYPES: dict[Kind, pa.DataType] = {
    Kind.date: pa.date32(),
    Kind.integer: pa.int64(),
    Kind.boolean: pa.bool_(),
}


def arrow_type(column: Column) -> pa.DataType:
    """Arrow type of a column; enums are stored as plain strings."""
    base = _ARROW_TYPES.get(column.kind, pa.string())
    return pa.list_(base) if column.is_list else base


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, arrow_type(c), nullable=c.nullable) for c in table.columns])


def pandas_dtype(column: Column) -> Any:
    """The pandas dtype of a column while peacetrack builds and checks a table.

    Dates stay Arrow dates, so a frame goes back to Parquet byte for byte."""
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
    if column.kind is Kind.date and not column.is_list:
        return np.dtype("datetime64[s]")
    return pandas_dtype(column)


def frame_from_arrow(table: Table, data: pa.Table, dtype: Callable[[Column], Any] = pandas_dtype) -> pd.DataFrame:
    """A pandas frame with each column's `dtype`, from Arrow data in the contract's shape."""
    data = data.select([c.name for c in table.columns]).cast(arrow_schema(table))
    data = pa.table([_for_pandas(data[c.name], dtype(c)) for c in table.columns], names=data.column_names)
    frame = data.to_pandas(types_mapper=_types_mapper, ignore_metadata=True)
    for column in table.columns:
        frame[column.name] = frame[column.name].astype(dtype(column))
    return frame


def _for_pandas(values: pa.ChunkedArray, dtype: Any) -> pa.ChunkedArray:
    """Categoricals and numpy datetimes made in Arrow, where it takes milliseconds, not
    seconds as pandas takes for a million rows: enums as dictionaries over every allowed
    value in order, dates as timestamps of the dtype's unit."""
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
    return frame_from_arrow(table, pa.Table.from_pylist(rows, schema=arrow_schema(table)))


def arrow_from_frame(table: Table, frame: pd.DataFrame) -> pa.Table:
    data = {c.name: frame[c.name].astype(object) if c.kind is Kind.enum else frame[c.name] for c in table.columns}
    return pa.Table.from_pandas(pd.DataFrame(data), schema=arrow_schema(table), preserve_index=False)


_OFFSET_WIDTHS = {
    pa.string(): np.int32,
    pa.binary(): np.int32,
    pa.large_string(): np.int64,
    pa.large_binary(): np.int64,
}


def value_bytes(values: pa.Array) -> tuple[np.ndarray, np.ndarray] | None:
    """The value offsets (from 0) and the bytes of a string or binary array, without a copy;
    None for other types. Lets a rule look at every byte at once before it looks at each value."""
    width = _OFFSET_WIDTHS.get(values.type)
    if width is None or values.buffers()[1] is None:
        return None
    offsets = np.frombuffer(
        values.buffers()[1], dtype=width, count=len(values) + 1, offset=values.offset * np.dtype(width).itemsize
    )
    data = values.buffers()[2]
    data = np.zeros(0, dtype=np.uint8) if data is None else np.frombuffer(data, dtype=np.uint8)
    return offsets - offsets[0], data[offsets[0] : offsets[-1]]


def is_nfc(values: pa.Array) -> pa.Array:
    """Whether each string is in Unicode NFC form. ASCII text always is, so only the rest
    is normalised: that is most of the cost on large inputs."""
    buffers = value_bytes(values)
    if buffers is not None and not (len(buffers[1]) and buffers[1].max() >= 0x80):
        return pc.is_valid(values)  # all ASCII (nulls stay untested)
    ascii_ = pc.string_is_ascii(values)
    if pc.all(ascii_).as_py() is not False:
        return ascii_
    same = pc.equal(values, pc.utf8_normalize(values, "NFC"))
    return pc.or_(ascii_, same)


RULE_MESSAGES: dict[Kind, str] = {
    Kind.slug: "not a slug: lower-case ASCII letters and digits in groups joined by single hyphens",
    Kind.text: "text has a control character (tab, newline, ...): write it on one line",
    Kind.sha256: "not a SHA-256 digest: 64 lower-case hex digits",
    Kind.bcp47: "not a BCP 47 language tag such as `en` or `az-Latn`",
}


@dataclass(frozen=True)
class Rule:
    """One rule on a column's values, as an Arrow kernel.

    The same function checks a frame (through pandera) and a stream of Arrow chunks (the
    validator), so a rule has one definition and one name (`rule` of a fault).
    """

    name: str
    message: str
    test: Callable[[pa.Array], pa.Array]  # true where a value keeps the rule; a null is not tested
    on_items: bool = False  # tested on each item of a list: a row fails when any item does
    pattern: str | None = None  # the rule's definition, where a value keeps it by matching a pattern

    def passes(self, values: pa.Array) -> np.ndarray:
        """Whether each value keeps the rule (nulls do), as a numpy mask."""
        if self.on_items:
            items = pc.list_flatten(values)
            ok = np.ones(len(values), dtype=bool)
            if len(items):
                bad = ~self._passes(items)
                ok[np.asarray(pc.list_parent_indices(values))[bad]] = False
            return ok
        return self._passes(values)

    def _passes(self, values: pa.Array) -> np.ndarray:
        if values.null_count == len(values):  # nothing to test, maybe not even a type to test it by
            return np.ones(len(values), dtype=bool)
        ok = pc.fill_null(self.test(values), True)
        if values.null_count:  # some kernels (is_in) answer false for a null
            ok = pc.or_(ok, values.is_null())
        return np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)


RUN_MIN_ROWS = 4096  # fewer rows are tested one by one: finding runs would cost more
RUN_SAMPLE = 64  # neighbours compared first, to see whether runs are worth finding


def _by_runs(test: Callable[[pa.Array], pa.Array]) -> Callable[[pa.Array], pa.Array]:
    """`test`, run once per run of equal neighbouring values when the values come in runs:
    rows of one source, speaker or occasion often follow one another."""

    def tested(values: pa.Array) -> pa.Array:
        if len(values) < RUN_MIN_ROWS:
            return test(values)
        sample = values.slice(0, RUN_SAMPLE + 1)
        if (pc.sum(pc.equal(sample.slice(1), sample.slice(0, RUN_SAMPLE))).as_py() or 0) < RUN_SAMPLE // 2:
            return test(values)
        same = pc.fill_null(pc.equal(values.slice(1), values.slice(0, len(values) - 1)), False)  # a null: a run of one
        starts = np.concatenate(([0], np.flatnonzero(~np.asarray(same.to_numpy(zero_copy_only=False), dtype=bool)) + 1))
        ok = pc.fill_null(test(values.take(starts)), True).to_numpy(zero_copy_only=False)
        return pa.array(np.repeat(ok, np.diff(starts, append=len(values))))

    return tested


def _holding(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """A mask of the values holding bytes at `positions`."""
    found = np.zeros(len(offsets) - 1, dtype=bool)
    found[np.searchsorted(offsets, positions, side="right") - 1] = True
    return found


def _slug_suspects(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Values that may not be slugs: empty, a byte other than [a-z0-9-], or a hyphen first,
    last or doubled. Every other value is a slug."""
    suspect = offsets[1:] == offsets[:-1]
    if len(data):
        hyphen = data == 0x2D
        # Comparisons of whole arrays: much faster than a lookup table per byte.
        other = ((data - np.uint8(0x61)) >= 26) & ((data - np.uint8(0x30)) >= 10) & ~hyphen
        suspect |= _holding(offsets, np.flatnonzero(other))
        suspect |= _holding(offsets, np.flatnonzero(hyphen[:-1] & hyphen[1:]))
        # A hyphen first or last (the bytes looked at for an empty value are not its own,
        # but an empty value is suspect already).
        last = len(data) - 1
        suspect |= hyphen[np.minimum(offsets[:-1], last)] | hyphen[np.maximum(offsets[1:] - 1, 0)]
    return suspect


def _text_suspects(offsets: np.ndarray, data: np.ndarray) -> np.ndarray:
    """Values that may hold a control character: a byte below 0x20, 0x7F, or 0xC2 (the lead
    byte of U+0080 to U+00BF, C1 controls among them). Every other value holds none."""
    lowest, highest = (int(data.min()), int(data.max())) if len(data) else (0x20, 0)
    if lowest >= 0x20 and highest < 0x7F:  # printable ASCII, as most text is: no array made
        return np.zeros(len(offsets) - 1, dtype=bool)
    control = data < 0x20
    if highest >= 0x7F:
        control |= (data == 0x7F) | (data == 0xC2)
    return _holding(offsets, np.flatnonzero(control))


def _in_bytes(screen: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Callable[[pa.Array], np.ndarray | None]:
    """A screen of a value's bytes as a screen of values (None where the values have no bytes)."""

    def suspects(values: pa.Array) -> np.ndarray | None:
        buffers = value_bytes(values)
        return None if buffers is None else screen(*buffers)

    return suspects


def _non_ascii(values: pa.Array) -> np.ndarray:
    """Values that are not all ASCII: the characters of `INVISIBLE` are all beyond it."""
    return ~np.asarray(pc.fill_null(pc.string_is_ascii(values), True).to_numpy(zero_copy_only=False), dtype=bool)


# Fast screens of some patterns: a value the screen does not suspect is sure to match, so the
# pattern itself runs only on the suspects. The pattern stays the rule's one definition.
PATTERN_SCREENS: dict[str, Callable[[pa.Array], np.ndarray | None]] = {
    SLUG_PATTERN: _in_bytes(_slug_suspects),
    TEXT_PATTERN: _in_bytes(_text_suspects),
    QUOTED_TEXT_PATTERN: _in_bytes(_text_suspects),
    INVISIBLE_PATTERN: _non_ascii,
    DISPLAY_PATTERN: _non_ascii,
}


def _matches(pattern: str) -> Callable[[pa.Array], pa.Array]:
    return _by_runs(_pattern_test(pattern))


def _pattern_test(pattern: str) -> Callable[[pa.Array], pa.Array]:
    # RE2, like Python's `re.fullmatch` for these anchored patterns.
    screen = PATTERN_SCREENS.get(pattern)

    def test(values: pa.Array) -> pa.Array:
        suspect = None if screen is None else screen(values)
        if suspect is None:
            return pc.match_substring_regex(values, pattern)
        if values.null_count:  # a null is not tested
            suspect &= values.is_valid().to_numpy(zero_copy_only=False)
        suspects = np.flatnonzero(suspect)
        if len(suspects) > len(values) // 2:  # matching every value costs less than taking most
            return pc.match_substring_regex(values, pattern)
        ok = np.ones(len(values), dtype=bool)
        if len(suspects):
            ok[suspects] = pc.match_substring_regex(values.take(suspects), pattern).to_numpy(zero_copy_only=False)
        return pa.array(ok)

    return test


def _pattern_rule(name: str, message: str, pattern: str) -> Rule:
    return Rule(name, message, _matches(pattern), pattern=pattern)


_FORMULA_BYTES = np.frombuffer(FORMULA_STARTS.encode(), dtype=np.uint8)  # ASCII: a byte each


def _no_formula(values: pa.Array) -> pa.Array:
    """Whether each value starts with none of `FORMULA_STARTS`: a look at its first byte."""
    buffers = value_bytes(values)
    offsets, data = buffers if buffers is not None else value_bytes(values.cast(pa.string()))
    if not len(data):
        return pa.array(np.ones(len(values), dtype=bool))
    first = data[np.minimum(offsets[:-1], len(data) - 1)]  # an empty value (or null) has none
    return pa.array(~((offsets[1:] > offsets[:-1]) & np.isin(first, _FORMULA_BYTES)))


FORMULA = Rule(
    "formula",
    "starts with =, +, -, @, a tab or a carriage return: a spreadsheet would run it as a formula",
    _no_formula,
)
CONTROL_CHARACTER = _pattern_rule(
    "control_character",
    "has a control character: a quote may hold tabs, line feeds and page breaks, no other (a line ends in a line feed)",
    QUOTED_TEXT_PATTERN,
)
INVISIBLE_CHARACTER = _pattern_rule(
    "invisible_character",
    "has a character that displays as nothing or changes how text displays (soft hyphen, zero-width "
    "space or joiner, byte-order mark, direction mark, override or isolate, tag, line or paragraph "
    "separator): delete it",
    INVISIBLE_PATTERN,
)
DISPLAY_CONTROL = _pattern_rule(
    "display_control",
    "has a character that makes text display otherwise than its characters read (direction "
    "embedding, override or isolate, tag, line or paragraph separator, interlinear annotation): "
    "a quote may not hold one",
    DISPLAY_PATTERN,
)
NFC = Rule("nfc", "text is not in Unicode NFC form", is_nfc)


def _within(allowed: tuple[str, ...]) -> Callable[[pa.Array], pa.Array]:
    value_set = pa.array(allowed, pa.string())
    return lambda values: pc.is_in(values, value_set=value_set)


def _at_least(minimum: int) -> Callable[[pa.Array], pa.Array]:
    return lambda values: pc.greater_equal(values, minimum)


def _no_delimiter(values: pa.Array) -> pa.Array:
    return pc.invert(pc.match_substring(values, LIST_DELIMITER))


def _items_at_least(count: int) -> Callable[[pa.Array], pa.Array]:
    return lambda values: pc.greater_equal(pc.list_value_length(values), count)


@cache
def column_rules(column: Column) -> tuple[Rule, ...]:
    """The rules on a column's values beyond its type and `nullable`, in the order checked."""
    rules: list[Rule] = []
    if column.pattern:
        rules.append(_pattern_rule(f"pattern_{column.kind}", RULE_MESSAGES[column.kind], column.pattern))
    if column.kind is Kind.text:
        if not column.pattern:
            rules.append(CONTROL_CHARACTER)
        rules += [DISPLAY_CONTROL if column.verbatim else INVISIBLE_CHARACTER, FORMULA, NFC]
    if column.enum:
        allowed = ", ".join(column.enum) if len(column.enum) <= 20 else "ISO 3166-1 alpha-3 codes"
        rules.append(Rule("enum", f"not one of: {allowed}", _within(column.enum)))
    if column.minimum is not None:
        rules.append(Rule("minimum", f"must be ≥ {column.minimum}", _at_least(column.minimum)))
    if column.is_list:
        rules = [replace(r, on_items=True) for r in rules]
        rules.append(
            Rule("list_delimiter", f"a list item cannot contain {LIST_DELIMITER!r}", _no_delimiter, on_items=True)
        )
        if column.min_items:
            rules.append(
                Rule("min_items", f"needs at least {column.min_items} items", _items_at_least(column.min_items))
            )
    return tuple(rules)


def series_values(series: pd.Series) -> pa.Array:
    """A frame's column as Arrow values in the column's Arrow type (categories as strings)."""
    values = pa.array(series, from_pandas=True)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if pa.types.is_dictionary(values.type):
        values = values.cast(values.type.value_type)
    if pa.types.is_large_string(values.type):
        values = values.cast(pa.string())
    return values


def _check(rule: Rule) -> pa_pandas.Check:
    """A pandera check running the rule's Arrow function; its error reads `rule: message`,
    so faults can name both."""
    import pandera.pandas as pa_pandas

    def test(series: pd.Series) -> pd.Series:
        return pd.Series(rule.passes(series_values(series)), index=series.index)

    return pa_pandas.Check(test, name=rule.name, error=f"{rule.name}: {rule.message}")


@cache
def pandera_schema(table: Table) -> pa_pandas.DataFrameSchema:
    """The table schema: types, required values, patterns, enums, ranges, unique key."""
    import pandera.pandas as pa_pandas  # imported when first needed: it takes a while

    return pa_pandas.DataFrameSchema(
        {
            c.name: pa_pandas.Column(
                None if c.kind is Kind.enum else pandas_dtype(c),
                nullable=c.nullable,
                unique=c.primary_key,
                checks=[_check(rule) for rule in column_rules(c)],
                description=c.description,
            )
            for c in table.columns
        },
        name=table.name,
        strict=True,
        ordered=True,
    )
