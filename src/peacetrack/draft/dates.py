"""Dates a passage gives, as EDTF with their basis: `stated` when the words print the date in
full ("in August 2024"), `inferred` when worked out from the publication date ("yesterday",
"last month", "on Monday", "23 September"), as CONTRIBUTING's table of dates codes them.

Own calendar arithmetic over a few patterns, not dateparser: dateparser turns a phrase into one
moment, and loses what EDTF keeps (that "last month" is a month, "this summer" a season,
"earlier this year" an interval, "since March" an interval to the report's day); its language
data also costs more import time than the whole drafter. An undated report resolves nothing
relative: only dates printed in full are given.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

from peacetrack.draft.model import Article, DateGuess, Span

MONTHS = {name: number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name[:3]: number for name, number in list(MONTHS.items()) if name != "May"}
MONTHS["Sept"] = 9
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "a": 1}

_MONTH = r"(?P<{}>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
MONTH, MONTH2 = _MONTH.format("month"), _MONTH.format("month2")
DAY = r"(?P<day>[0-3]?[0-9])(?:st|nd|rd|th)?"
YEAR = r"(?P<year>(?:19|20)[0-9]{2})"
WEEKDAY = r"(?P<weekday>" + "|".join(name.capitalize() for name in WEEKDAYS) + ")"
SEASON = r"(?P<season>(?i:spring|summer|autumn|fall|winter))"

Resolver = Callable[[re.Match[str], date | None], tuple[str, str] | None]


def dates_in(article: Article, span: Span) -> list[DateGuess]:
    """Every date the words of `span` give, in text order, each with the span naming it."""
    found: list[DateGuess] = []
    taken: list[Span] = []
    for pattern, resolve in PATTERNS:
        for match in pattern.finditer(article.text, span.start, span.end):
            where = Span(match.start(), match.end())
            if any(where.overlaps(other) for other in taken):
                continue
            guess = resolve(match, article.published_on)
            taken.append(where)  # a phrase read, if unresolved, is not read again as a part
            if guess is not None:
                found.append(DateGuess(guess[0], guess[1], where))
    return sorted(found, key=lambda guess: guess.span)


def said_on_or_before(published_on: date | None) -> tuple[str | None, str | None]:
    """`when` and `date_basis` of words said with no date of their own: on or before the day
    of publication; none when that is unknown."""
    return (f"../{published_on.isoformat()}", "inferred") if published_on else (None, None)


def _year(published_on: date | None, month: int, day: int = 1) -> int | None:
    """The year a month (or day) without one falls in: the last such before publication."""
    if published_on is None:
        return None
    return published_on.year if (month, day) <= (published_on.month, published_on.day) else published_on.year - 1


def _month(match: re.Match[str], group: str = "month") -> int:
    return MONTHS[match[group].rstrip(".")]


def _full_day(match: re.Match[str], _: date | None) -> tuple[str, str] | None:
    try:
        return date(int(match["year"]), _month(match), int(match["day"])).isoformat(), "stated"
    except ValueError:
        return None


def _day_of_year(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    month, day = _month(match), int(match["day"])
    year = _year(published_on, month, day)
    if year is None:
        return None
    try:
        return date(year, month, day).isoformat(), "inferred"
    except ValueError:
        return None


def _qualified_month(match: re.Match[str], _: date | None) -> tuple[str, str]:
    mark = "~" if match["hedge"].lower() in ("around", "about", "approximately") else "?"
    return f"{match['year']}-{_month(match):02d}{mark}", "stated"


def _full_month(match: re.Match[str], _: date | None) -> tuple[str, str]:
    return f"{match['year']}-{_month(match):02d}", "stated"


def _since(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    """ "since March 2025" is open (still going, as far as the words say), as stated; "since
    March" runs to the day of the report, the year inferred from it."""
    month = _month(match)
    if match["year"]:
        return f"{match['year']}-{month:02d}/..", "stated"
    year = _year(published_on, month)
    if year is None or published_on is None:
        return None
    return f"{year}-{month:02d}/{published_on.isoformat()}", "inferred"


def _between(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    first, last = _month(match), _month(match, "month2")
    if match["year"]:
        year, basis = int(match["year"]), "stated"
    else:
        found = _year(published_on, last)
        if found is None:
            return None
        year, basis = found, "inferred"
    first_year = year if first <= last else year - 1
    return f"{first_year}-{first:02d}/{year}-{last:02d}", basis


def _by_day(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    month, day = _month(match), int(match["day"])
    year = int(match["year"]) if match["year"] else _year(published_on, month, day)
    if year is None:
        return None
    try:
        return f"../{date(year, month, day).isoformat()}", "stated" if match["year"] else "inferred"
    except ValueError:
        return None


def _month_of_year(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    month = _month(match)
    year = _year(published_on, month)
    return None if year is None else (f"{year}-{month:02d}", "inferred")


def _month_last_year(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    if published_on is None:
        return None
    return f"{published_on.year - 1}-{_month(match):02d}", "inferred"


def _relative(match: re.Match[str], published_on: date | None) -> tuple[str, str] | None:
    """ "yesterday", "last month", "earlier this year", "this summer", "on Monday"..."""
    if published_on is None:
        return None
    words = " ".join(match[0].lower().split())
    day, month, year = published_on, published_on.month, published_on.year
    previous_month = (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    if match["weekday"]:
        back = (day.weekday() - WEEKDAYS[match["weekday"].lower()]) % 7
        return (day - timedelta(days=back)).isoformat(), "inferred"
    if match["season"]:
        season = SEASONS[match["season"].lower()]
        over = month > SEASON_START[season] + 2  # the season of this year is over by the report
        shift = {"this": 0, "last": 0 if over else -1, "next": 1 if over else 0}[words.split()[0]]
        return f"{year + shift}-{season}", "inferred"
    if match["ago"]:
        count = NUMBERS.get(match["count"].lower()) or int(match["count"])
        unit = match["unit"].lower().rstrip("s")
        if unit == "day":
            return (day - timedelta(days=count)).isoformat(), "inferred"
        if unit == "week":
            return (day - timedelta(weeks=count)).isoformat(), "inferred"
        if unit == "month":
            back = (year * 12 + month - 1) - count
            return f"{back // 12}-{back % 12 + 1:02d}", "inferred"
        return str(year - count), "inferred"
    table = {
        "today": day.isoformat(),
        "yesterday": (day - timedelta(days=1)).isoformat(),
        "last month": previous_month,
        "this month": day.strftime("%Y-%m"),
        "earlier this month": f"{day.strftime('%Y-%m')}-01/{day.isoformat()}",
        "last year": str(year - 1),
        "this year": str(year),
        "next year": str(year + 1),
        "earlier this year": f"{year}-01/{day.strftime('%Y-%m')}",
        "last week": _week(day - timedelta(weeks=1)),
        "this week": _week(day),
    }
    return table[words], "inferred"


SEASON_START = {21: 3, 22: 6, 23: 9, 24: 12}


def _week(day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"{monday.isoformat()}/{(monday + timedelta(days=6)).isoformat()}"


def _in_year(match: re.Match[str], _: date | None) -> tuple[str, str]:
    return (f"{match['year']}/.." if match[0].lower().startswith("since") else match["year"]), "stated"


def _decade(match: re.Match[str], _: date | None) -> tuple[str, str]:
    return match["decade"][:3] + "X", "stated"


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern.replace(" ", r"\s+"))


PATTERNS: list[tuple[re.Pattern[str], Resolver]] = [
    (_compile(rf"(?i:between) {MONTH} (?i:and) {MONTH2}(?:,? {YEAR})?\b"), _between),
    (_compile(rf"(?i:since|starting in|starting from) {MONTH}(?:,? {YEAR})?\b"), _since),
    (_compile(rf"\b(?i:by) {DAY} {MONTH}(?:,? {YEAR})?\b"), _by_day),
    (_compile(rf"\b(?i:by) {MONTH} {DAY}(?:,? {YEAR})?\b"), _by_day),
    (_compile(rf"\b{DAY} {MONTH},? {YEAR}\b"), _full_day),
    (_compile(rf"\b{MONTH} {DAY},? {YEAR}\b"), _full_day),
    (
        _compile(
            rf"\b(?P<hedge>(?i:around|about|approximately|probably in|possibly in|perhaps in)) {MONTH},? {YEAR}\b"
        ),
        _qualified_month,
    ),
    (_compile(rf"\b{MONTH},? {YEAR}\b"), _full_month),
    (_compile(rf"\b{MONTH} (?i:last year)\b"), _month_last_year),
    (_compile(rf"\b{DAY} {MONTH}\b"), _day_of_year),
    (_compile(rf"\b{MONTH} {DAY}\b(?![,.]?[0-9])"), _day_of_year),
    (
        _compile(
            rf"\b(?i:(?:(?:on|last) {WEEKDAY})|(?:(?:this|last|next) {SEASON})|yesterday|today|"
            r"(?:earlier )?this (?:month|year)|last (?:month|year|week)|this week|next year|"
            r"(?P<ago>(?P<count>[0-9]+|one|two|three|four|five|six|seven|a) (?P<unit>days?|weeks?|months?|years?) ago))\b"
        ),
        _relative,
    ),
    (_compile(rf"\b(?i:in|during|until|since|by) {YEAR}\b(?!-)"), _in_year),
    (_compile(r"\b(?i:in the) (?P<decade>(?:19|20)[0-9]0)s\b"), _decade),
    (
        _compile(
            rf"\b(?i:in|during|since|last|at the (?:end|start|beginning) of|in the middle of) "
            rf"(?:(?i:early|late|mid-?) )?{MONTH}\b(?! [0-9])"
        ),
        _month_of_year,
    ),
]
