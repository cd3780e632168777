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
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from edtf import parse_edtf
from edtf.parser.edtf_exceptions import EDTFParseException
from edtf.parser.parser_classes import (
    Interval,
    Level2Season,
    Season,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
)

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


@lru_cache(maxsize=4096)
def read_edtf(expression: str | None) -> Dates:
    """The bounds and precision of an EDTF expression (None: no date). Raises DateFault."""
    if expression is None:
        return NO_DATE
    try:
        parsed = parse_edtf(expression)
    except (EDTFParseException, TypeError, ValueError, AttributeError, OverflowError) as error:
        raise DateFault(EDTF) from error
    if isinstance(parsed, Interval):
        lower, upper = _span(parsed.lower), _span(parsed.upper)
        if lower is None and upper is None:
            raise DateFault(EDTF)
        known = [span[2] for span in (lower, upper) if span is not None]
        start = None if lower is None else lower[0]
        end = None if upper is None else upper[1]
        if start is not None and end is not None and end < start:
            raise DateFault(DATE_ORDER)
        return Dates(expression, start, end, max(known, key=PRECISION_ORDER.index))
    span = _span(parsed)
    if span is None:
        raise DateFault(EDTF)
    return Dates(expression, *span)


def _span(part: Any) -> tuple[date, date, DatePrecision] | None:
    """First day, last day and precision of one date of an expression; None for an open or
    unknown end of an interval (`..` or nothing)."""
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


def _season(year: int, season: int) -> tuple[date, date, DatePrecision]:
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
    if (first.year, first.month) == (last.year, last.month) and last.day == calendar.monthrange(last.year, last.month)[
        1
    ]:
        return DatePrecision.month
    if (first.month, last.month, last.day) != (1, 12, 31):
        return None
    if first.year == last.year:
        return DatePrecision.year
    if first.year % 10 == 0 and last.year == first.year + 9:
        return DatePrecision.decade
    return None
