"""Dates as sources give them: one EDTF expression (ISO 8601-2), read by the `edtf` package,
and the bounds and precision the tables keep for querying.

A claim keeps the expression itself (`date_edtf`), so nothing the coder said is lost, and
`date_start`, `date_end` and `date_precision` computed from it here, once, for the build and
the validator alike. The precision never claims more than the expression: an end's precision
is the calendar unit its span is exactly (a day, a month, a season, a year, a decade), and an
interval's is the coarsest of its known ends. An expression none of these fits (a set of
dates, a century, a quarter) is refused: the contract cannot say its bounds honestly.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from peacetrack.enums import DatePrecision
from peacetrack.rules import DATE_ORDER, EDTF, TableRule

# Coarsest last: an interval's precision is the latest of its known ends' in this order.
PRECISION_ORDER = (
    DatePrecision.day,
    DatePrecision.month,
    DatePrecision.season,
    DatePrecision.year,
    DatePrecision.decade,
)
# EDTF's seasons (level 1): the first month of each and how many months it spans. The
# `edtf` package ends winter on 31 December of its year; winter runs into the next year.
SEASON_MONTHS = {21: 3, 22: 6, 23: 9, 24: 12}  # spring, summer, autumn, winter: three months each


class DateFault(ValueError):
    """An expression the contract cannot take, with the rule it breaks."""

    def __init__(self, rule: TableRule) -> None:
        super().__init__(rule.message)
        self.rule = rule


@dataclass(frozen=True)
class Dates:
    """What the tables keep of one EDTF expression."""

    edtf: str | None
    start: date | None
    end: date | None
    precision: DatePrecision

    def columns(self) -> dict[str, Any]:
        """The row's date columns (date_basis aside, which the coder gives)."""
        return {
            "date_edtf": self.edtf,
            "date_start": self.start,
            "date_end": self.end,
            "date_precision": self.precision.value,
        }


NO_DATE = Dates(None, None, None, DatePrecision.unknown)


# Longer than any expression the contract takes (`2024-06-01?/2024-08-31~` is 23): refused
# unparsed, as a hostile file's megabyte of text would keep the parser busy.
MAX_LENGTH = 40
# A plain calendar date (`2024`, `2024-09`, `2024-09-23`, maybe uncertain or approximate:
# `2024-06?`, `2024-06~`, `2024-06%`) or season (`2024-22`) as an end of an expression.
PLAIN_DATE = re.compile(r"[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?[?~%]?")
Span = tuple[date, date, DatePrecision]


@lru_cache(maxsize=4096)
def read_edtf(expression: str | None) -> Dates:
    """The bounds and precision of an EDTF expression (None: no date). Raises DateFault."""
    if expression is None:
        return NO_DATE
    if len(expression) > MAX_LENGTH:
        raise DateFault(EDTF)
    ends = plain_spans(expression) or parsed_spans(expression)
    if len(ends) == 1:
        if ends[0] is None:
            raise DateFault(EDTF)
        return Dates(expression, *ends[0])
    lower, upper = ends
    if lower is None and upper is None:
        raise DateFault(EDTF)
    start = None if lower is None else lower[0]
    end = None if upper is None else upper[1]
    if start is not None and end is not None and end < start:
        raise DateFault(DATE_ORDER)
    known = [span[2] for span in (lower, upper) if span is not None]
    return Dates(expression, start, end, max(known, key=PRECISION_ORDER.index))


def parsed_spans(expression: str) -> list[Span | None]:
    """The span of each date of an expression as the `edtf` package reads it: one date, or the
    two ends of an interval (None where open or unknown). Raises DateFault.

    The `edtf` package is imported here, for the expressions `plain_spans` leaves to it: it
    takes 0.3 s of CPU to load, more than a ten-row file's validation takes without it."""
    from edtf import parse_edtf
    from edtf.parser.edtf_exceptions import EDTFParseException
    from edtf.parser.parser_classes import Interval

    try:
        parsed = parse_edtf(expression)
    except (EDTFParseException, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise DateFault(EDTF) from error
    if isinstance(parsed, Interval):
        return [_span(parsed.lower), _span(parsed.upper)]
    return [_span(parsed)]


def plain_spans(expression: str) -> list[Span | None] | None:
    """`parsed_spans` of a plain date or season or an interval of them and open ends (`2024-09-23`,
    `2024-06?`, `2024-22`, `2024-03/2024-05`, `../2024-09-23`), the dates of most rows, by the
    calendar; None for any other expression, and for a date that is no real day (the parser says
    why).

    Buys: the parser takes some 0.1 s an expression, so a table of 3,650 distinct days took six
    minutes; a test holds this to what the parser gives."""
    ends = expression.split("/")
    if len(ends) > 2 or not all(PLAIN_DATE.fullmatch(e) or (len(ends) == 2 and e == "..") for e in ends):
        return None
    spans = [None if end == ".." else _plain_span(end) for end in ends]
    if any(span is None and end != ".." for span, end in zip(spans, ends, strict=True)):
        return None
    return spans


def _plain_span(text: str) -> Span | None:
    qualified = text[-1] in "?~%"  # uncertain or approximate: the date's bounds all the same
    year, *rest = (int(part) for part in text.rstrip("?~%").split("-"))
    if len(rest) == 1 and rest[0] in SEASON_MONTHS:
        return None if qualified else _season(year, rest[0])  # EDTF qualifies no season (level 1)
    try:
        if not rest:
            return date(year, 1, 1), date(year, 12, 31), DatePrecision.year
        if len(rest) == 1:
            days = calendar.monthrange(year, rest[0])[1]
            return date(year, rest[0], 1), date(year, rest[0], days), DatePrecision.month
        day = date(year, *rest)
    except ValueError:  # no such month or day (calendar.IllegalMonthError is one)
        return None
    return day, day, DatePrecision.day


def _span(part: Any) -> Span | None:
    """First day, last day and precision of one date of an expression; None for an open or
    unknown end of an interval (`..` or nothing)."""
    from edtf.parser.parser_classes import (
        Level2Season,
        Season,
        UncertainOrApproximate,
        UnspecifiedIntervalSection,
    )

    if isinstance(part, UnspecifiedIntervalSection):
        return None
    while isinstance(part, UncertainOrApproximate):  # `?` and `~` keep the date's bounds
        part = part.date
    try:
        if isinstance(part, Level2Season):
            raise DateFault(EDTF)
        if isinstance(part, Season):
            return _season(part.lower_strict().tm_year, int(part.season))
        first, last = (date(*bound[:3]) for bound in (part.lower_strict(), part.upper_strict()))
    except (TypeError, ValueError, AttributeError, OverflowError) as error:
        raise DateFault(EDTF) from error
    precision = _unit(first, last)
    if precision is None:
        raise DateFault(EDTF)
    return first, last, precision


def _season(year: int, season: int) -> Span:
    first_month = SEASON_MONTHS[season]
    last_year, last_month = (year + 1, first_month - 10) if first_month > 10 else (year, first_month + 2)
    last = date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])
    return date(year, first_month, 1), last, DatePrecision.season


def _unit(first: date, last: date) -> DatePrecision | None:
    """The calendar unit `first`..`last` is exactly, or None."""
    if first == last:
        return DatePrecision.day
    if first.day != 1:
        return None
    if last == first.replace(day=calendar.monthrange(first.year, first.month)[1]):
        return DatePrecision.month
    if (first.month, last.month, last.day) != (1, 12, 31):
        return None
    if first.year == last.year:
        return DatePrecision.year
    if first.year % 10 == 0 and last.year == first.year + 9:
        return DatePrecision.decade
    return None
