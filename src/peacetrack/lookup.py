"""Where a quote is in a source, for a coder (`peacetrack quote`): every occurrence with its
offsets and line, the `occurrence` to write when there are several, and when there is none the
passages nearest to it with what differs (a curly quote, a dash, a word).

Found as the build finds it (`quotes`: whitespace-insensitive). The nearest passages: windows
of the article's words holding most of the quote's words (letters and digits only, case
folded: a curly quote or a dash does not hide a word), then ranked by difflib's similarity.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path
from typing import Any

from peacetrack.evidence import whitespace_collapsed
from peacetrack.links import input_root
from peacetrack.quotes import MAX_COUNTED, collapse, occurrences
from peacetrack.tables import ARTICLE
from peacetrack.yamlfile import decoded, seed_bytes

NEAREST = 3  # passages shown when the quote is absent
CANDIDATES = 30  # windows of most shared words ranked by similarity
SIMILAR = 0.5  # least similarity of a passage shown
DIFFERENCES = 5  # differences listed per passage


@dataclass(frozen=True)
class Span:
    """Offsets in the source text, the line (from 1) it starts on, and the text there exactly."""

    char_start: int
    char_end: int
    line: int
    text: str


@dataclass(frozen=True)
class Difference:
    """Words of the quote and of the text that differ, and the characters told apart by name
    where the difference is only characters (`"` for `“`)."""

    quote: str
    text: str
    characters: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Passage:
    span: Span
    similarity: float
    differences: list[Difference]


@dataclass(frozen=True)
class Lookup:
    """What `peacetrack quote` says of one quote in one text."""

    quote: str
    occurrences: list[Span]
    more: bool  # over MAX_COUNTED occurrences: the first are listed
    nearest: list[Passage]

    @property
    def found(self) -> bool:
        return bool(self.occurrences)

    def as_json(self) -> dict[str, Any]:
        return asdict(self) | {"found": self.found}


def read_source(source: Path) -> str:
    """The text of a seed folder (its article.txt) or of a text file; FileFault says why not."""
    path = source / ARTICLE if source.is_dir() else source
    return decoded(seed_bytes(path, input_root(path)), path)


def look_up(text: str, quote: str) -> Lookup:
    """Every occurrence of `quote` in `text` (the first MAX_COUNTED), or the nearest passages."""
    article, wanted = collapse(text), whitespace_collapsed(quote)
    starts = list(occurrences(article.text, wanted, MAX_COUNTED + 1)) if wanted else []
    spans = [_span(text, *article.span(start, len(wanted))) for start in starts[:MAX_COUNTED]]
    nearest = [] if spans or not wanted else nearest_passages(text, wanted)
    return Lookup(quote=quote, occurrences=spans, more=len(starts) > MAX_COUNTED, nearest=nearest)


def _span(text: str, start: int, end: int) -> Span:
    return Span(char_start=start, char_end=end, line=text.count("\n", 0, start) + 1, text=text[start:end])


@lru_cache(maxsize=1 << 16)  # an article repeats its words
def _plain_word(word: str) -> str:
    """A word by its letters and digits, case folded: `“No,` and `"no` are one word."""
    return "".join(c for c in unicodedata.normalize("NFKD", word).casefold() if c.isalnum())


def nearest_passages(text: str, quote: str) -> list[Passage]:
    """The passages of `text` most like `quote` (whitespace collapsed), best first, apart."""
    article = collapse(text)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", article.text)]
    quote_words = quote.split(" ")
    size = min(len(quote_words), len(words))
    if not size:
        return []
    starts = _most_shared(article.text, words, quote_words, size)
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(quote)
    scored: list[tuple[float, int, int, int, int]] = []
    for start in starts:  # a word more or less at either end: a word missing or added
        for first in range(max(start - 1, 0), min(start + 2, len(words))):
            for last in range(first + size - 2, first + size + 1):
                if first <= last < len(words):
                    start, end = _trimmed(article.text, words[first][0], words[last][1], quote)
                    matcher.set_seq1(article.text[start:end])
                    scored.append((matcher.ratio(), first, last, start, end))
    passages: list[Passage] = []
    taken: list[tuple[int, int]] = []
    for similarity, first, last, start, end in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if similarity < SIMILAR or len(passages) == NEAREST:
            break
        if any(first <= b and a <= last for a, b in taken):
            continue
        taken.append((first, last))
        start, end = article.span(start, end - start)
        span = _span(text, start, end)
        passages.append(Passage(span, round(similarity, 3), differences(quote, whitespace_collapsed(span.text))))
    return passages


def _trimmed(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """`text[start:end]` less the punctuation around its words that the quote has not
    (`set.` for `set`), so that it is not shown as a difference."""
    while end - start > 1 and quote[-1].isalnum() and not text[end - 1].isalnum():
        end -= 1
    while end - start > 1 and quote[0].isalnum() and not text[start].isalnum():
        start += 1
    return start, end


def _most_shared(text: str, words: list[tuple[int, int]], quote_words: list[str], size: int) -> list[int]:
    """The first words of the CANDIDATES windows of `size` words sharing most words with the
    quote: one pass, the count kept up as the window slides."""
    plain = [_plain_word(text[a:b]) for a, b in words]
    wanted = Counter(_plain_word(w) for w in quote_words)
    window: Counter[str] = Counter()
    shared, counts = 0, []
    for index, word in enumerate(plain):
        shared += window[word] < wanted[word]
        window[word] += 1
        if index >= size:
            gone = plain[index - size]
            window[gone] -= 1
            shared -= window[gone] < wanted[gone]
        if index >= size - 1:
            counts.append(shared)
    return heapq.nlargest(CANDIDATES, range(len(counts)), key=lambda i: (counts[i], -i))


def differences(quote: str, passage: str) -> list[Difference]:
    """What differs between a quote and a passage (both whitespace collapsed), word by word:
    each change widened to the words it touches, changes touching the same words merged."""
    groups: list[tuple[int, int, int, int, list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        a1, a2 = _words_around(quote, i1, i2)
        b1, b2 = _words_around(passage, j1, j2)
        single = tag == "replace" and i2 - i1 == 1 and j2 - j1 == 1
        names = [f"{_name(quote[i1])} for {_name(passage[j1])}"] if single else []
        if groups and (a1 <= groups[-1][1] or b1 <= groups[-1][3]):
            g1, _, h1, _, known = groups.pop()
            known = known + names if known and names else []
            groups.append((g1, a2, h1, b2, known))
        else:
            groups.append((a1, a2, b1, b2, names))
    return [Difference(quote[a1:a2], passage[b1:b2], names) for a1, a2, b1, b2, names in groups[:DIFFERENCES]]


def _words_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the whole words that `text[start:end]` touches."""
    return text.rfind(" ", 0, start) + 1, len(text) if (space := text.find(" ", end)) < 0 else space


def _name(char: str) -> str:
    return f"{char!r} ({unicodedata.name(char, f'U+{ord(char):04X}')})"


def describe(lookup: Lookup) -> str:
    """`lookup` as lines for a person: where the quote is, or what is near it."""
    count = len(lookup.occurrences)
    if count == 1:
        return _where("found once:", lookup.occurrences[0])
    if count:
        lines = [f"found {'over ' * lookup.more}{count} times: add `occurrence: N` to the quote, or quote more words"]
        lines += [_where(f"occurrence: {n}", span) for n, span in enumerate(lookup.occurrences, start=1)]
        return "\n".join(lines)
    if not whitespace_collapsed(lookup.quote):
        return "not found: the quote is only whitespace"
    if not lookup.nearest:
        return "not found, nor anything like it"
    lines = ["not found; the nearest passages:"]
    for passage in lookup.nearest:
        lines.append(_where(f"similarity {passage.similarity:.2f}", passage.span))
        lines += [
            f"    your {d.quote!r}, the text's {d.text!r}" + (f": {'; '.join(d.characters)}" if d.characters else "")
            for d in passage.differences
        ]
    return "\n".join(lines)


def _where(title: str, span: Span) -> str:
    return f"{title} char_start {span.char_start}, char_end {span.char_end}, line {span.line}\n    {span.text!r}"
