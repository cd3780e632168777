"""The equipment lexicon (equipment.yaml, data a coder can extend) and how the items it
knows are found in a clause: systems ("Bastion"), generic nouns with their modifiers ("strike
mini-drones"), "X for the Y system", and "50 more" (the item named before)."""

from __future__ import annotations

import importlib.resources
import re
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from peacetrack.draft.clauses import BOUND, NUMBER, NUMBER_WORDS
from peacetrack.draft.model import Article, Span
from peacetrack.enums import Certainty, ItemCategory, TransferStatus
from peacetrack.yamlfile import parse_yaml

LEXICON_FILE = "equipment.yaml"
STOP_WORDS = frozenset(NUMBER_WORDS) | {  # words that never qualify an item's noun
    "the", "a", "an", "and", "or", "of", "to", "for", "with", "from", "in", "on", "by", "as", "at", "its",
    "their", "his", "her", "both", "including", "included", "than", "more", "some", "about", "around", "up",
    "least", "over", "nearly", "almost", "had", "has", "have", "was", "were", "is", "are", "be", "been", "it",
    "which", "that", "also", "reportedly", "allegedly", "these", "those", "this", "all", "any", "no", "not",
    "such", "new", "supply", "send", "deliver", "sell", "buy",
}  # fmt: skip


@dataclass(frozen=True)
class System:
    name: str
    pattern: re.Pattern[str]
    category: str
    maker: str | None


@dataclass(frozen=True)
class Generic:
    pattern: re.Pattern[str]
    category: str
    vague: bool


@dataclass(frozen=True)
class Cue:
    """A transfer verb: the status it gives and what its grammatical subject is."""

    status: str
    subject: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class Lexicon:
    systems: tuple[System, ...]
    generics: tuple[Generic, ...]
    cues: tuple[Cue, ...]
    hedges: tuple[tuple[str, re.Pattern[str]], ...]


def _words(pattern: str) -> re.Pattern[str]:
    """A pattern on word boundaries, its spaces any run of white space: reports are hard-wrapped."""
    spaced = re.sub(r" (\?)?(?![^\[]*\])", lambda m: r"\s*" if m.group(1) else r"\s+", pattern)
    return re.compile(rf"(?<![\w-])(?:{spaced})(?![\w-])", re.IGNORECASE)


def read_lexicon(text: str) -> Lexicon:
    """The lexicon in `text`; every category, status and certainty must be the contract's."""
    data = parse_yaml(text, Path(LEXICON_FILE))
    systems = tuple(
        System(
            s["name"],
            _words(s.get("pattern") or re.escape(s["name"]).replace("\\ ", " ")),
            ItemCategory(s["category"]).value,
            s.get("maker"),
        )
        for s in data["systems"]
    )
    generics = tuple(
        Generic(_words(g["pattern"]), ItemCategory(g["category"]).value, bool(g.get("vague"))) for g in data["generic"]
    )
    cues = tuple(
        Cue(TransferStatus(status).value, subject, _words(cue))
        for status, by_subject in data["status"].items()
        for subject, patterns in by_subject.items()
        for cue in patterns
    )
    hedges = tuple(
        (Certainty(level).value, _words(hedge)) for level, patterns in data["certainty"].items() for hedge in patterns
    )
    return Lexicon(systems, generics, cues, hedges)


@cache
def lexicon() -> Lexicon:
    """The lexicon shipped with peacetrack."""
    return read_lexicon((importlib.resources.files("peacetrack.draft") / LEXICON_FILE).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Item:
    """An item named in a clause: its words, the `item` value, what makes two mentions one."""

    span: Span
    name: str
    key: str
    category: str
    vague: bool = False
    maker: str | None = None
    elided: bool = False


def find_items(article: Article, clause: Span, lex: Lexicon, last_item: Item | None) -> list[Item]:
    """The items a clause names: systems ("Bastion"), generic nouns with their modifiers
    ("strike mini-drones"), "X for the Y system", and "50 more" (the last item named)."""
    text = article.words(clause)
    systems = [
        (Span(clause.start + m.start(), clause.start + m.end()), s)
        for s in lex.systems
        for m in s.pattern.finditer(text)
    ]
    generics: list[tuple[Span, Generic, str]] = []
    for generic in lex.generics:
        for m in generic.pattern.finditer(text):
            span = Span(clause.start + m.start(), clause.start + m.end())
            if not any(span.overlaps(s) for s, _ in systems):
                generics.append((_with_modifiers(article, lex, span, clause), generic, m.group(0).lower()))
    generics = [g for g in generics if not any(o[0] != g[0] and contains(o[0], g[0]) for o in generics)]
    # of two nouns with the same words, the longer match: "air-defence missiles", not "missiles"
    generics = list({g[0]: g for g in sorted(generics, key=lambda g: (g[0], -len(g[2])), reverse=True)}.values())
    generics.sort(key=lambda g: g[0])
    items: list[Item] = []
    absorbed: set[Span] = set()
    for span, generic, head in generics:
        composite = next(((s, sy) for s, sy in systems if _for_system(article, span, s)), None)
        if composite is not None:
            end = composite[0].end
            tail = re.match(r"[”’\"']?(?:\s+systems?)?", article.text[end : clause.end])
            end += tail.end() if tail else 0
            absorbed.add(composite[0])
            name = " ".join(article.text[span.start : end].split())  # one line, as a cell is
            items.append(
                Item(Span(span.start, end), name, f"{generic.category}:{composite[1].name.lower()}", generic.category)
            )
            continue
        after_system = any(
            re.fullmatch(r"[\s”’\"'»-]*", article.text[s.end : span.start]) for s, _ in systems if s.end <= span.start
        )
        if not after_system:
            items.append(
                Item(
                    span,
                    " ".join(article.words(span).split()),
                    " ".join(head.split()).rstrip("s"),
                    generic.category,
                    vague=generic.vague,
                )
            )
    for span, system in systems:
        if span not in absorbed:
            # the words as printed ("Mi-35M", "Akıncı"), not the lexicon's name for the family
            printed = " ".join(article.words(span).split())
            items.append(Item(span, printed, system.name.lower(), system.category, maker=system.maker))
    items = list({item.key: item for item in sorted(items, key=lambda i: i.span, reverse=True)}.values())
    if not items and last_item is not None:
        more = re.search(rf"\b(?:(?:{BOUND})\s+)?({NUMBER})\s+more\b", text, re.IGNORECASE)
        if more:
            span = Span(clause.start + more.start(), clause.start + more.end())
            items.append(replace(last_item, span=span, elided=True))
    return sorted(items, key=lambda i: i.span)


def contains(outer: Span, inner: Span) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end


def _with_modifiers(article: Article, lex: Lexicon, span: Span, clause: Span) -> Span:
    """The noun with the lower-case words that qualify it ("small-scale mines"), up to three."""
    start = span.start
    for _ in range(3):
        word = re.search(r"(?<![\w-])([a-z][a-z]*(?:-[a-z]+)*)\s+$", article.text[clause.start : start])
        if word is None or word.group(1) in STOP_WORDS or any(c.pattern.fullmatch(word.group(1)) for c in lex.cues):
            break
        start = clause.start + word.start()
    return Span(start, span.end)


def _for_system(article: Article, generic: Span, system: Span) -> bool:
    """Whether a generic noun is the system's: "missiles for the Akash system", "components of
    the French ARQUUS brand for Bastion"."""
    if system.start < generic.end or system.start - generic.end > 60:
        return False
    between = article.text[generic.end : system.start]
    return re.fullmatch(r"(?:\s+of\s+[^,;]*?)?\s+for\s+(?:the\s+)?[“\"‘']?", between) is not None
