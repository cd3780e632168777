"""Finding a coder's verbatim quote in the article: exact code-point offsets, or a message
saying why not (absent, ambiguous, elsewhere than char_start) that tells no more of the text
than the quote does.

Whitespace does not count: any run of whitespace in the quote matches any run in the text (a
quote may cross a line break the coder wrote as a space). Both are searched with each run
collapsed to one space, by `str.find`, linear whatever the quote (a regular expression of its
words, matched at every start, is quadratic on a repetitive text); offsets are mapped back.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from peacetrack.coding import QuoteRef
from peacetrack.evidence import whitespace_collapsed


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


RUNS = re.compile(r"\s{2,}|[^\S ]")  # what collapsing changes: runs, and single whitespace but a space


@dataclass(frozen=True)
class Collapsed:
    """A text with each run of whitespace made one space, and the way back to the text's offsets:
    for each run of two or more, where its space is in `text` and where the run ends in the original."""

    text: str
    spaces: list[int]
    starts: list[int]
    ends: list[int]

    def original(self, offset: int) -> int:
        """The original offset of a character (not a run's space) of the collapsed text."""
        run = bisect.bisect_right(self.spaces, offset) - 1
        return offset if run < 0 else self.ends[run] + offset - self.spaces[run] - 1

    def collapsed(self, offset: int) -> int:
        """The collapsed offset of an original one; inside a run, the run's space."""
        run = bisect.bisect_right(self.starts, offset) - 1
        if run < 0:
            return offset
        if offset < self.ends[run]:
            return self.spaces[run]
        return offset - self.ends[run] + self.spaces[run] + 1

    def span(self, start: int, length: int) -> tuple[int, int]:
        """The original span of `length` collapsed characters from `start` (neither end a space)."""
        return self.original(start), self.original(start + length - 1) + 1


@lru_cache(maxsize=4)
def collapse(text: str) -> Collapsed:
    """`text` collapsed; kept for the next quote of the same article."""
    if RUNS.search(text) is None:
        return Collapsed(text, [], [], [])
    spaces, starts, ends, removed = [], [], [], 0
    for run in re.finditer(r"\s{2,}", text):
        starts.append(run.start())
        ends.append(run.end())
        spaces.append(run.start() - removed)
        removed += run.end() - run.start() - 1
    return Collapsed(re.sub(r"\s+", " ", text), spaces, starts, ends)


def _nearest(text: str, quote: str, offset: int) -> int:
    """The offset of the occurrence nearest to `offset`, before or after (there is one)."""
    before = text.rfind(quote, 0, min(offset + len(quote) - 1, len(text)))
    after = text.find(quote, offset)
    return before if after < 0 or (before >= 0 and offset - before <= after - offset) else after


NEAREST_HINT = ": `peacetrack quote SOURCE QUOTE` shows the passages nearest to it"


def _not_found_hint(text: str, quote: str) -> str:
    folded: dict[str, str | int | None] = {"“": '"', "”": '"', "’": "'", "‘": "'", "—": "-", "–": "-", "…": "..."}
    plain = quote.translate(str.maketrans(folded))
    if plain in text.translate(str.maketrans(folded)):
        return ": the article has it with other quotation marks, apostrophes or dashes; copy them exactly"
    if unicodedata.normalize("NFC", quote) != quote:
        return ": the quote is not NFC-normalised"
    return ""


def resolve_quote(text: str | None, ref: str | QuoteRef) -> tuple[int, int] | str:
    """Offsets of a quote in the text, whitespace-insensitively, or a message saying why they
    cannot be found.

    A message says no more of the text than the quote does: how often it occurs, and where
    the occurrence nearest a wrong char_start is, not a list of every place."""
    ref = ref if isinstance(ref, QuoteRef) else QuoteRef(quote=ref)
    if text is None:
        if ref.char_start is None:
            return "the source text is not at hand: give char_start for this quote"
        return ref.char_start, ref.char_start + len(ref.quote)
    quote = whitespace_collapsed(ref.quote)
    if not quote:
        return "the quote is only whitespace"
    article = collapse(text)
    text = article.text
    if ref.char_start is not None:
        start = article.collapsed(ref.char_start)
        if not text.startswith(quote, start):
            if quote not in text:
                return (
                    f"the quote is not at char_start {ref.char_start}, nor anywhere in the article"
                    + _not_found_hint(text, quote)
                )
            nearest = article.original(_nearest(text, quote, start))
            return f"the quote is not at char_start {ref.char_start}: the nearest occurrence is at {nearest}"
        return article.span(start, len(quote))
    first = text.find(quote)
    if first < 0:
        return "quote not found in the article" + (_not_found_hint(text, quote) or NEAREST_HINT)
    if ref.occurrence is None and text.find(quote, first + 1) >= 0:
        return f"the quote occurs {_how_often(text, quote)}: add `occurrence: N` or quote more"
    start = first if ref.occurrence is None else nth_occurrence(text, quote, ref.occurrence)
    if start < 0:
        return f"occurrence {ref.occurrence} asked for, but the quote occurs {_how_often(text, quote)}"
    return article.span(start, len(quote))
