"""What the transfer and round extractors both read in a sentence: its clauses, numbers as
printed ("more than 20", "three", "a dozen"), actor mentions with the words before them, the
date of a span, and slugs for ids. Kept apart so that the two read a sentence the same way."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from peacetrack.draft.actors import slug as actor_slug
from peacetrack.draft.model import ActorMatch, Actors, Article, DateGuess, Span
from peacetrack.enums import CountryCode

DateFinder = Callable[[Article, Span], list[DateGuess]]
"""`peacetrack.draft.dates.dates_in`: every date the text gives inside a span."""

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12,
}  # fmt: skip
ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "twentieth": 20,
}  # fmt: skip
NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
ORDINAL = r"(?:\d+(?:st|nd|rd|th)|" + "|".join(ORDINAL_WORDS) + r")"
BOUNDS = {
    "more than": "lower_bound", "over": "lower_bound", "at least": "lower_bound",
    "no fewer than": "lower_bound", "upwards of": "lower_bound",
    "up to": "upper_bound", "at most": "upper_bound", "no more than": "upper_bound",
    "fewer than": "upper_bound", "less than": "upper_bound",
    "about": "approximate", "around": "approximate", "some": "approximate", "roughly": "approximate",
    "approximately": "approximate", "nearly": "approximate", "almost": "approximate",
    "an estimated": "approximate",
}  # fmt: skip
BOUND = "|".join(b.replace(" ", r"\s+") for b in sorted(BOUNDS, key=len, reverse=True))
# A clause ends where a new verb phrase joins the sentence: ", and Paris is ready", ", with 26
# more in production", "; ...", ", and had declined".
CLAUSE_BREAK = re.compile(r",\s+(?:and|but|while|whereas|with)\s+|;\s+|\s+and\s+(?=(?:had|has|have|was|were)\b)")


def number_value(word: str) -> int | None:
    """The value of a number as printed ("24", "1,000", "three", "a dozen")."""
    word = word.lower().replace(",", "")
    return int(word) if word.isdigit() else NUMBER_WORDS.get(word)


def ordinal_value(word: str) -> int | None:
    """The value of an ordinal as printed ("tenth", "10th")."""
    word = word.lower()
    digits = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", word)
    return int(digits.group(1)) if digits else ORDINAL_WORDS.get(word)


@dataclass(frozen=True)
class Quantity:
    """A number as the text gives it: its value, its bound and the words."""

    value: int
    bound: str
    span: Span


def quantity_before(article: Article, start: int, floor: int) -> Quantity | None:
    """The quantity printed just before `start` ("more than 20 ", "three "), not before `floor`."""
    before = article.text[floor:start]
    found = re.search(
        rf"(?:(?<!handed )\b({BOUND})\s+)?\b({NUMBER})\s+(?:more\s+|new\s+|additional\s+)?$", before, re.IGNORECASE
    )
    if found is None:
        return None
    value = number_value(found.group(2))
    if value is None or value < 1:
        return None
    return Quantity(
        value,
        bound_of(found.group(1)),
        Span(floor + found.start(), floor + found.end() - len(found.group(0)) + len(found.group(0).rstrip())),
    )


def bound_of(words: str | None) -> str:
    """The quantity bound the words before a number give ("more than" → lower_bound)."""
    return BOUNDS[" ".join(words.lower().split())] if words else "exact"


def clauses(article: Article, sentence: Span) -> list[Span]:
    """A sentence cut where a new verb phrase joins it."""
    text = article.words(sentence)
    spans, start = [], 0
    for found in CLAUSE_BREAK.finditer(text):
        spans.append(Span(sentence.start + start, sentence.start + found.start()))
        start = found.start()
    spans.append(Span(sentence.start + start, sentence.end))
    return [span for span in spans if span.end > span.start]


def paragraph_of(article: Article, span: Span) -> Span:
    """The paragraph holding `span` (the whole text when paragraphs are not known)."""
    for paragraph in article.paragraphs:
        if paragraph.start <= span.start < paragraph.end:
            return paragraph
    return Span(0, len(article.text))


def is_state(actor_id: str) -> bool:
    """Whether an id is a state's: the contract gives states their ISO alpha-3 code."""
    return len(actor_id) == 3 and actor_id.upper() in CountryCode.__members__


def state_name(actor_id: str) -> str:
    """A state's English name from its id ("arm" → "Armenia"), for slugs."""
    return CountryCode[actor_id.upper()].definition if is_state(actor_id) else actor_id


def state_of(article: Article, actors: Actors, span: Span, match: ActorMatch) -> tuple[str, str] | None:
    """The state a mention belongs to by its first words ("US Air Force" → usa, "Armenian
    defence ministry" → arm), with the words; None when it is a state or names none."""
    if is_state(match.actor_id):
        return None
    words = article.words(span).replace("’s", "").replace("'s", "").split()
    for count in range(len(words) - 1, 0, -1):
        name = " ".join(words[:count])
        resolved = actors.resolve(name)
        if resolved is not None and is_state(resolved.actor_id):
            return resolved.actor_id, name
    return None


DATELINE = re.compile(r"\s*(?:\([^)]*\))?\s*[–—]")
SAYING = re.compile(r"\b(?:said|told|announced|added|stated|reported)(?:\s+\w+)?\s+$")


def date_of(article: Article, find_dates: DateFinder | None, *spans: Span) -> DateGuess | None:
    """The first date the text gives for what happened in the first of `spans` that has one;
    not the dateline's ("12 June 2025 (Caucasus Wire) –") nor the day a thing was said ("the
    ministry said on Wednesday")."""
    if find_dates is None:
        return None
    for span in spans:
        guesses = [
            guess
            for guess in find_dates(article, span)
            if span.start <= guess.span.start
            and guess.span.end <= span.end
            and not DATELINE.match(article.text, guess.span.end)
            and not SAYING.search(article.text[span.start : guess.span.start])
        ]
        if guesses:
            return min(guesses, key=lambda g: g.span)
    return None


LEAD = re.compile(r"(?:[^–—\n]{0,80}\([^)\n]*\)\s*[–—]\s*)?[,;]?\s*(?:(?:and|but|while|whereas|with)\s+)?")


DATELINE_IN = re.compile(r"\n[^\n]{0,60}\([^)\n]*\)\s*[–—]\s*")


def sentence_parts(article: Article, sentence: Span) -> list[Span]:
    """A sentence, or its two parts where a headline without a full stop runs into the
    dateline and the first sentence ("Ministers meet in Ijevan\nIJEVAN, Armenia (News) – The ...")."""
    found = DATELINE_IN.search(article.text, sentence.start, sentence.end)
    if found is None:
        return [sentence]
    return [Span(sentence.start, found.start()), Span(found.end(), sentence.end)]


def is_headline(article: Article, span: Span) -> bool:
    """Words that end without a full stop: a headline, whose present tense ("ministers meet")
    is news of the past."""
    return not re.search(r"[.!?”’\"»)]\s*$", article.words(span))


def trimmed(article: Article, span: Span) -> Span:
    """A span without a dateline ("YEREVAN, 25 September 2025 (Caucasus Wire) – "), the
    conjunction that joins a clause to the one before, and the spaces around: the evidence."""
    text = article.words(span)
    lead = LEAD.match(text)
    start = span.start + (lead.end() if lead else 0)
    end = span.end - (len(text) - len(text.rstrip()))
    return Span(start, end) if end > start else span


def slug(text: str, words: int = 5) -> str:
    """An id part from a text, as actor ids are made (Əliyeva → aliyeva), cut to a few words."""
    return "-".join(actor_slug(text).split("-")[:words])


def month_slug(edtf: str | None) -> str:
    """The year and month (or year) an EDTF expression starts with, for an id: "2023-11"."""
    if not edtf:
        return ""
    found = re.match(r"(\d{4})(?:-(\d{2}))?", edtf.lstrip("."))
    if found is None:
        return ""
    year, month = found.groups()
    return f"{year}-{month}" if month and int(month) <= 12 else year


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... when taken; recorded as taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def quoted_spans(article: Article, span: Span) -> list[Span]:
    """The spans inside quotation marks (curly or straight) within `span`."""
    text = article.words(span)
    return [
        Span(span.start + m.start(), span.start + m.end()) for m in re.finditer(r"“[^”]*”|‘[^’]*’|\"[^\"]*\"", text)
    ]
