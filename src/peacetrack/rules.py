"""Every rule of the contract, defined once: its name, its message and its test.

A rule on a column's values (`Rule`: pattern, enum, range, the characters text may hold,
NFC, list items) is an Arrow function; the pandera schema of the build and the validator's
chunks both run it, so a fault reads the same on every path. The rules across rows and
tables (keys, links, evidence, dates: `checks`) take their names and messages from here
(`TableRule`), and so do the type rules (`TYPE_RULES`) the validator's cells and the build's
coding files report. A faster kernel is allowed only behind a rule's definition, chosen by the
rule; its docstring says what it buys, measured with `scripts/bench_validate.py`.

Over 400 lines: the rules are one list, and each reads beside the others it must agree with.
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from peacetrack.tables import (
    LIST_DELIMITER,
    TEXT_PATTERN,
    Column,
    Kind,
    Table,
    pandas_dtype,
    text_without,
)

if TYPE_CHECKING:
    import pandas as pd
    import pandera.pandas as pa_pandas

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


# A verbatim quote of several lines: the controls but tabs, line feeds and page breaks. No
# carriage return: CSV writers leave it unquoted when lines end in a line feed, so it would
# split the quote's row in two.
QUOTED_TEXT_PATTERN = text_without(((0x00, 0x08), (0x0D, 0x1F), (0x7F, 0x9F)))
INVISIBLE_PATTERN = text_without(INVISIBLE)
DISPLAY_PATTERN = text_without(DISPLAY_CONTROLS)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = "=+-@\t\r"


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
    is normalised; and when all the values' text at once is in NFC, so is each value (NFC
    holds for every part of an NFC text): Python's quick check says so for the whole array,
    when this Python's Unicode knows every character of it (else Arrow's newer one decides).

    Buys: on 100,000 statements of `scripts/bench_validate.py --text contributor`, the NFC
    rule on quote, summary and occasion takes 0.26 s of CPU instead of 0.76 s (Arrow
    normalising every value beyond ASCII; medians of 5, same run)."""
    buffers = value_bytes(values)
    if buffers is not None and not (len(buffers[1]) and buffers[1].max() >= 0x80):
        return pc.is_valid(values)  # all ASCII (nulls stay untested)
    if buffers is not None and _all_nfc(buffers[1]):
        return pc.is_valid(values)
    ascii_ = pc.string_is_ascii(values)
    if pc.all(ascii_).as_py() is not False:
        return ascii_
    same = pc.equal(values, pc.utf8_normalize(values, "NFC"))
    return pc.or_(ascii_, same)


def _all_nfc(data: np.ndarray) -> bool:
    """Whether UTF-8 text is in NFC by Python's quick check, and holds no character Python's
    Unicode does not know (`isprintable` is false for those; line breaks, tabs and no-break
    spaces aside, a text that is not printable goes to Arrow's check)."""
    text = codecs.utf_8_decode(data.data, "replace", True)[0]  # a string array's bytes, not copied first
    plain = text.replace("\n", " ").replace("\t", " ").replace("\r", " ").replace("\xa0", " ")
    return plain.isprintable() and unicodedata.is_normalized("NFC", text)


@dataclass(frozen=True)
class TableRule:
    """A rule across rows or tables (`checks`): its name and message. A message may name
    what the fault is about (`{parent}`, `{column}`): `says` fills it in."""

    name: str
    message: str

    def says(self, **names: str) -> str:
        return self.message.format(**names)

    @property
    def words(self) -> tuple[str, str]:
        """Name and message, as a fault takes them."""
        return self.name, self.message

    def suggesting(self, nearest: list[str], **names: str) -> str:
        """The message about an unknown id, ending with the known ids nearest to it, if any."""
        message = self.says(**names)
        return f"{message}: did you mean {', '.join(nearest)}?" if nearest else message


SUGGESTED_IDS = 3  # known ids a message about an unknown one suggests
SIMILAR_ID = 60  # the least similarity (rapidfuzz's ratio, 0-100: difflib's) of a suggested id


def nearest_ids(value: str, known: list[str]) -> list[str]:
    """The ids of `known` nearest to `value`, nearest first (ties in the order of `known`).
    By rapidfuzz: difflib's ratio, in C, as a release may hold a million ids."""
    from rapidfuzz import fuzz, process

    found = process.extract(value, known, scorer=fuzz.ratio, limit=SUGGESTED_IDS, score_cutoff=SIMILAR_ID)
    return [str(match) for match, _, _ in found]


SUGGESTED_VALUES = 50  # unknown ids of one column given suggestions


class Suggestions:
    """The known ids nearest to unknown ones, each looked for once, and only for the first
    SUGGESTED_VALUES of them: each is a search of every known id."""

    def __init__(self, known: list[object]) -> None:
        self.known = sorted({str(k) for k in known if k is not None})
        self.found: dict[str, list[str]] = {}

    def __call__(self, unknown: list[str]) -> list[str]:
        """The ids nearest to each of `unknown`, in turn, each once."""
        nearest: list[str] = []
        for value in unknown:
            if value not in self.found and len(self.found) < SUGGESTED_VALUES:
                self.found[value] = nearest_ids(value, self.known)
            nearest += [k for k in self.found.get(value, []) if k not in nearest]
        return nearest


# Required values and keys.
REQUIRED = TableRule("required", "a value is required")
UNIQUE = TableRule("unique", "this id is used by more than one row")
UNKNOWN_COLUMN = TableRule("unknown_column", "column {column!r} is not in the contract")
MISSING_COLUMN = TableRule("missing_column", "column {column!r} is missing")
COLUMN_ORDER = TableRule("column_order", "columns are not in the contract's order")
# Links: a key names a row that exists.
FOREIGN_KEY = TableRule("foreign_key", "no row in {parent} has this id")
EVIDENCE_REQUIRED = TableRule("evidence_required", "row has no evidence")
EVIDENCE_SOURCE = TableRule("evidence_source", "evidence of a claim must quote the claim's own source")
EVIDENCE_TARGET = TableRule("evidence_target", "no row with this id in the table named by table_name")
SPAN_ORDER = TableRule("span_order", "char_end must be greater than char_start")
SPAN_BOUNDS = TableRule("span_bounds", "{column} is beyond the end of the source's text (its char_count)")
QUOTE_MISMATCH = TableRule("quote_mismatch", "quote differs from the source text at char_start:char_end")
UNVERIFIED = TableRule("unverified", "text of source {source!r} is not at hand: {count} evidence quotes not verified")
TEXT_HASH = TableRule("text_hash", "the text at hand has a different SHA-256")
CHAR_COUNT = TableRule("char_count", "the text at hand has a different length")
# Rules within a row. Dates: `date_edtf` is the date; its bounds and precision follow from it (`dates`).
EDTF = TableRule(
    "edtf",
    "not an EDTF date the contract takes: write one day, month, season, year or decade (2024-09-23, "
    "2024-09, 2024-22 for summer, 2024, 202X), with ? (uncertain) or ~ (approximate) after it if need "
    "be, or an interval of them (2024-03/2024-05; open: ../2024-09-23 by that day, 2023-11/.. since)",
)
DATE_ORDER = TableRule("date_order", "the interval ends before it starts: write the earlier end first")
DATE_EDTF = TableRule(
    "date_edtf",
    "{column} is not what date_edtf gives: its first day, last day and precision (null ends where "
    "open; no dates and precision `unknown` without date_edtf)",
)
COMPUTED = TableRule(
    "computed", "{column} is computed from the row's EDTF date: write `when: <EDTF>` and leave {column} out"
)
BASIS_WITHOUT_DATE = TableRule("date_basis", "with no date there is no date_basis: leave it null")
DATE_WITHOUT_BASIS = TableRule("date_basis", "say whether the date is stated or inferred")
QUANTITY_BOUND = TableRule(
    "quantity_bound",
    "quantity_bound says how the source gives quantity (exact, lower_bound, upper_bound, approximate): "
    "set it when quantity is set, and only then",
)
PART_OF = TableRule("part_of", "a transfer cannot be part of itself")
NOT_A_PARTY = TableRule("direction", "{column} must be one of the round's parties")
SAME_DIRECTION = TableRule("direction", "sender and receiver are the same party")
ROUND_COUNT = TableRule(
    "round_count", "a row standing for several rounds (round_count above 1) has no round_number: leave it null"
)
CANONICAL_ID = TableRule("canonical_id", "no other row shares this canonical_id: it must equal the row's own id")
DIRECT_QUOTE = TableRule("direct_quote", "a direct quote needs its words in `quote`")
PARAPHRASE = TableRule("paraphrase", "a paraphrase has no `quote`")
QUOTE_IN_EVIDENCE = TableRule("quote_in_evidence", "the quote is not inside any of the row's evidence")
SELF_REFERENCE = TableRule("self_reference", "an actor cannot be its own parent")
SELF_TRANSFER = TableRule("self_transfer", "supplier and recipient are the same actor")
DISTINCT = TableRule("distinct", "a party is listed twice")
MEDIATOR_PARTY = TableRule("mediator_party", "the mediator is also a party")
# Rows defined before: by a release (the validator), or by another seed (the build). An id keeps
# its meaning; an actor, an entity that many sources name, may gain aliases (`entries.merged_actor`).
RELEASED_ROWS = TableRule("released_row", "{count} rows here are already released, unchanged")
RELEASE_CONFLICT = TableRule(
    "release_conflict",
    "this id is released with other values in {columns}: a released id keeps its meaning; use a new id, "
    "or ask a maintainer for a correction",
)
ACTOR_EXTENDED = TableRule(
    "actor_extended",
    "adds aliases {aliases} to the actor {where}: aliases are merged; every other column must be the same",
)
ACTOR_CONFLICT = TableRule(
    "actor_conflict",
    "the actor {where} differs in {columns}: an actor's id keeps its meaning in every source; only aliases "
    "may be added (a changed name is a correction: ask a maintainer)",
)
# A machine's draft (`peacetrack draft`): each row it proposes carries a `draft:` mapping until
# a person has checked it. Such a row is read and checked like any other, but never released.
DRAFT = TableRule(
    "draft", "a drafted row, not yet reviewed: check it against the article, then delete its `draft:` mapping"
)


# --- the type of a cell ----------------------------------------------------------------------

INTEGER_PATTERN = r"^-?[0-9]{1,18}$"
ISO_DATE = "%Y-%m-%d"


def _mask(array: pa.Array) -> np.ndarray:
    """A boolean mask as numpy, nulls false."""
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _integers(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = pc.match_substring_regex(text, INTEGER_PATTERN)
    return _mask(ok), pc.if_else(ok, text, pa.scalar(None, pa.string())).cast(pa.int64())


def _booleans(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
    ok = pc.is_in(text, pa.array(["true", "false"]))
    return _mask(ok), pc.if_else(ok, pc.equal(text, "true"), pa.scalar(None, pa.bool_()))


def _by_distinct(
    parse: Callable[[pa.Array], tuple[np.ndarray, pa.Array]],
) -> Callable[[pa.Array], tuple[np.ndarray, pa.Array]]:
    """`parse`, run once per distinct value when the values repeat, as dates do (many rows of
    one day): a sample of RUN_SAMPLE values says whether they do.

    Buys: on 500,000 statements of `scripts/bench_validate.py`, whose date_start has a bad day
    in each chunk, reading its days takes 0.015 s of CPU instead of 0.12 s."""

    def parsed(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
        if (
            len(text) < RUN_MIN_ROWS
            or text.null_count == len(text)
            or len(pc.unique(text.slice(0, RUN_SAMPLE))) > RUN_SAMPLE // 4
        ):
            return parse(text)
        encoded = pc.dictionary_encode(text)  # a null's index is null
        ok, values = parse(encoded.dictionary)
        indices = encoded.indices
        return ok[pc.fill_null(indices, 0).to_numpy(zero_copy_only=False)], values.take(indices)

    return parsed


def _dates(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """ISO 8601 days (YYYY-MM-DD, a real day): Arrow's cast, strict, when every cell is one;
    else each distinct value read (`_days_read_back`)."""
    try:
        return np.ones(len(text), dtype=bool), text.cast(pa.date32())
    except pa.ArrowInvalid:
        return _by_distinct(_days_read_back)(text)  # find which cells are bad


def _days_read_back(text: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Each cell parsed, and kept only if it reads back the same (strptime rolls 2024-09-31
    over to October and takes 2024-9-1). A date's cast to text is ISO 8601, and faster than
    strftime."""
    days = pc.strptime(text, ISO_DATE, "s", error_is_null=True).cast(pa.date32())
    ok = pc.fill_null(pc.equal(days.cast(pa.string()), text), False)
    return _mask(ok), pc.if_else(ok, days, pa.scalar(None, pa.date32()))


@dataclass(frozen=True)
class TypeRule:
    """A cell's type (`type`): `parse` reads text cells as the column's type, and says which
    did not parse (they become nulls). The build reads YAML's own types and reports a value of
    the wrong type by the same name and message."""

    kind: Kind
    message: str
    parse: Callable[[pa.Array], tuple[np.ndarray, pa.Array]] | None = None  # None: text is the type

    name = "type"


TYPE_RULES: dict[Kind, TypeRule] = {
    Kind.integer: TypeRule(Kind.integer, "not a whole number", _integers),
    Kind.date: TypeRule(Kind.date, "not a date: write YYYY-MM-DD (a real day)", _dates),
    Kind.boolean: TypeRule(Kind.boolean, "not a boolean: write true or false", _booleans),
    **{
        kind: TypeRule(kind, "not text: write it as a string")
        for kind in Kind
        if kind not in (Kind.integer, Kind.date, Kind.boolean)
    },
}
LIST_TYPE = TypeRule(Kind.text, "not a list: write the items as a list")


def type_rule(column: Column) -> TypeRule:
    return TYPE_RULES[column.kind]


def broken_type_rule(column: Column, value: object) -> TypeRule:
    """The type rule a value of the wrong type breaks in `column`: a list column's list rule
    when the value is no list, else the type rule of the column's kind (of each item)."""
    return LIST_TYPE if column.is_list and not isinstance(value, list) else type_rule(column)


# --- the rules on a column's values ---------------------------------------------------------

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
    keeps_plain_text: bool = False  # every value of plain text keeps it (`plain_text`)

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
    rows of one source, speaker or occasion often follow one another.

    Buys: on the 300,000 statements of `scripts/bench_validate.py`, the text and slug rules take
    0.21 s of CPU instead of 0.26 s, some 15 % of what pyarrow's CSV reader takes for the file."""

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


def _control_suspects(values: pa.Array) -> np.ndarray | None:
    """Values that may hold a control character: a byte below 0x20, 0x7F, or a C1 control
    (0xC2 then a byte below 0xA0; Armenian text's « and » are 0xC2 then more). Every other
    value holds none, so the pattern runs only on these (None: the values have no bytes).
    Telling « and » from C1 controls: 0.04 s of CPU instead of 0.095 s on the quotes of
    100,000 statements of `scripts/bench_validate.py --text contributor`.

    Buys: on the 300,000 statements of `scripts/bench_validate.py`, the text and slug rules take
    0.21 s of CPU instead of 0.32 s, a third of what pyarrow's CSV reader takes for the file."""
    buffers = value_bytes(values)
    if buffers is None:
        return None
    offsets, data = buffers
    lowest, highest = (int(data.min()), int(data.max())) if len(data) else (0x20, 0)
    if lowest >= 0x20 and highest < 0x7F:  # printable ASCII, as most text is: no array made
        return np.zeros(len(offsets) - 1, dtype=bool)
    control = np.flatnonzero((data < 0x20) | (data == 0x7F))
    if highest >= 0xC2:  # U+0080 to U+009F: 0xC2 then 0x80 to 0x9F (0xA0 on: «, », ©, no-break space)
        lead = np.flatnonzero(data == 0xC2)
        control = np.concatenate((control, lead[data[np.minimum(lead + 1, len(data) - 1)] < 0xA0]))
    found = np.zeros(len(offsets) - 1, dtype=bool)
    found[np.searchsorted(offsets, control, side="right") - 1] = True
    return found


def _non_ascii(values: pa.Array) -> np.ndarray:
    """Values that are not all ASCII: the characters of `INVISIBLE` are all beyond it, so the
    pattern runs only on these.

    Buys: on the 300,000 statements of `scripts/bench_validate.py`, the text and slug rules take
    0.21 s of CPU instead of 0.34 s, 40 % of what pyarrow's CSV reader takes for the file."""
    return ~np.asarray(pc.fill_null(pc.string_is_ascii(values), True).to_numpy(zero_copy_only=False), dtype=bool)


def _pattern_test(
    pattern: str, screen: Callable[[pa.Array], np.ndarray | None] | None
) -> Callable[[pa.Array], pa.Array]:
    """Whether each value matches `pattern` (RE2, like Python's `re.fullmatch` for these anchored
    patterns). With a `screen`, a value it does not suspect is sure to match: the pattern itself
    runs only on the suspects, and stays the rule's one definition."""

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


def _pattern_rule(
    name: str,
    message: str,
    pattern: str,
    screen: Callable[[pa.Array], np.ndarray | None] | None = None,
    keeps_plain_text: bool = False,
) -> Rule:
    return Rule(
        name, message, _by_runs(_pattern_test(pattern, screen)), pattern=pattern, keeps_plain_text=keeps_plain_text
    )


@cache
def _formula_first() -> pa.Array:
    """The first bytes of a formula (ASCII: one byte each); made when first needed, as making
    an Arrow array of Python values imports pandas (0.7 s that `validate` of a Parquet file
    and `draft` have no use for)."""
    return pa.array([c.encode() for c in FORMULA_STARTS], pa.binary())


def _no_formula(values: pa.Array) -> pa.Array:
    """Whether each value starts with none of `FORMULA_STARTS`: a look at its first byte
    (Arrow's slice and set lookup: a quarter of what a regular expression takes)."""
    first = pc.binary_slice(values.cast(pa.binary()), 0, 1)
    return pc.invert(pc.is_in(first, value_set=_formula_first()))


FORMULA = Rule(
    "formula",
    "starts with =, +, -, @, a tab or a carriage return: a spreadsheet would run it as a formula",
    _no_formula,
)
CONTROL_CHARACTER = _pattern_rule(
    "control_character",
    "has a control character: a quote may hold tabs, line feeds and page breaks, no other (a line ends in a line feed)",
    QUOTED_TEXT_PATTERN,
    _control_suspects,
    keeps_plain_text=True,
)
INVISIBLE_CHARACTER = _pattern_rule(
    "invisible_character",
    "has a character that displays as nothing or changes how text displays (soft hyphen, zero-width "
    "space or joiner, byte-order mark, direction mark, override or isolate, tag, line or paragraph "
    "separator): delete it",
    INVISIBLE_PATTERN,
    _non_ascii,
    keeps_plain_text=True,
)
DISPLAY_CONTROL = _pattern_rule(
    "display_control",
    "has a character that makes text display otherwise than its characters read (direction "
    "embedding, override or isolate, tag, line or paragraph separator, interlinear annotation): "
    "a quote may not hold one",
    DISPLAY_PATTERN,
    _non_ascii,
    keeps_plain_text=True,
)
NFC = Rule("nfc", "text is not in Unicode NFC form", is_nfc, keeps_plain_text=True)
# The screen of the text columns' pattern (the pattern is the columns', in `tables`).
PATTERN_SCREENS: dict[str, Callable[[pa.Array], np.ndarray | None]] = {
    TEXT_PATTERN: _control_suspects,
}


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
def pattern_rule(kind: Kind, pattern: str) -> Rule:
    """The rule that a column of `kind` matches its pattern (`pattern_slug`, ...)."""
    screen = PATTERN_SCREENS.get(pattern)
    return _pattern_rule(f"pattern_{kind}", RULE_MESSAGES[kind], pattern, screen, pattern == TEXT_PATTERN)


@cache
def column_rules(column: Column) -> tuple[Rule, ...]:
    """The rules on a column's values beyond its type and `nullable`, in the order checked."""
    rules: list[Rule] = []
    if column.pattern:
        rules.append(pattern_rule(column.kind, column.pattern))
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


# --- plain text: values every rule on text lets pass, found in one pass ----------------------

PLAIN_RANGE = (0xA0, 0x2C00)  # Latin, IPA, Greek, Cyrillic, Armenian, Hebrew, Arabic, Georgian,
# Latin and Greek extended, punctuation, currency, letterlike symbols, arrows, ...: the blocks
# most text is written in (a character beyond them is left to the rules)
PLAIN_MIN_VALUES = 4096  # fewer values: the rules alone cost less than the screen
PLAIN_BLOCK = 1024  # values matched as one text first: a block of plain text is plain throughout


@cache
def plain_text_pattern() -> str:
    """Printable ASCII, and the characters of PLAIN_RANGE that keep every rule on text whatever
    stands beside them: assigned, not a control, format character or mark (Unicode categories
    C and M), not invisible, their own NFC, and joining no character before them (the second of
    no canonical composition, no Hangul jamo). A text of them only holds no control, invisible
    or display character, and is in NFC: Unicode's quick check says yes for it (normalization
    is stable: a newer Unicode says the same). Made in about 40 ms, when first needed."""
    seconds = set()  # of canonical compositions (tests/test_rules.py: none beyond PLAIN_RANGE has one in it)
    for code in range(*PLAIN_RANGE):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(int(parts[1], 16))
    invisible = {code for start, end in INVISIBLE for code in range(max(start, PLAIN_RANGE[0]), end + 1)}

    def plain(code: int) -> bool:
        char = chr(code)
        return (
            unicodedata.category(char)[0] not in "CM"
            and code not in invisible
            and code not in seconds
            and not 0x1100 <= code <= 0x11FF
            and unicodedata.normalize("NFC", char) == char
        )

    ranges: list[list[int]] = []
    for code in filter(plain, range(*PLAIN_RANGE)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "^[\\x20-\\x7e" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]*$"  # RE2


def plain_text(values: pa.Array) -> np.ndarray | None:
    """Which values are plain text (`plain_text_pattern`; nulls too), or None for values too few
    to be worth it, or not strings. Printable ASCII is told from the bytes' range alone; else
    each block of PLAIN_BLOCK values is matched as one text (it is plain when each value is),
    and only the values of a block that is not, one by one."""
    buffers = value_bytes(values)
    if buffers is None or len(values) < PLAIN_MIN_VALUES or not pa.types.is_string(values.type):
        return None
    offsets, data = buffers
    if not len(data) or (int(data.min()) >= 0x20 and int(data.max()) <= 0x7E):
        return np.ones(len(values), dtype=bool)
    bounds = offsets[np.append(np.arange(0, len(values), PLAIN_BLOCK), len(values))].astype(np.int32)
    blocks = pa.Array.from_buffers(pa.string(), len(bounds) - 1, [None, pa.py_buffer(bounds), pa.py_buffer(data)])
    pattern = plain_text_pattern()
    plain = np.repeat(_mask(pc.match_substring_regex(blocks, pattern)), PLAIN_BLOCK)[: len(values)]
    others = np.flatnonzero(~plain)
    if len(others):
        plain[others] = pc.fill_null(pc.match_substring_regex(values.take(others), pattern), True).to_numpy(
            zero_copy_only=False
        )
    return plain


def plain_screened(column: Column) -> bool:
    """Whether `plain_text` may spare some rules on the column's values."""
    return not column.is_list and any(rule.keeps_plain_text for rule in column_rules(column))


def rule_failures(column: Column, values: pa.Array, plain: np.ndarray | None = None) -> list[tuple[Rule, np.ndarray]]:
    """Each of `column_rules(column)` with the values that break it, as a mask. A rule that
    every plain text keeps runs only on the values that are not plain text (`plain`, else
    `plain_text` of the values).

    Buys: on 500,000 rows of `scripts/bench_validate.py --text contributor`, the rules on
    quote, summary and occasion take 0.4 s of CPU instead of 1.9 s (the screen is one pass of
    RE2, in Arrow, without the GIL; NFC was 1.2 s of those, with it)."""
    rules = column_rules(column)
    if plain is None and plain_screened(column):
        plain = plain_text(values)
    others = None if plain is None else np.flatnonzero(~plain)
    found = []
    for rule in rules:
        if others is None or not rule.keeps_plain_text:
            found.append((rule, ~rule.passes(values)))
            continue
        failed = np.zeros(len(values), dtype=bool)
        if len(others):
            failed[others] = ~rule.passes(values.take(others))
        found.append((rule, failed))
    return found


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
    import pandas as pd
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
