"""What a draft is made of: proposed rows, each with its exact spans in the article, a
confidence and a one-line reason, so that a person can accept or strike each one.

The extractors (statements, transfers, rounds) share these types and nothing else: each takes
an `Article` and the `Actors` it may name, and returns `Proposal`s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class Span:
    """Characters `start` to `end` of the article text: `text[start:end]`."""

    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Article:
    """The text of one seed and what is known of it, cut into paragraphs and sentences."""

    source_id: str
    text: str
    published_on: date | None
    paragraphs: list[Span] = field(default_factory=list)
    sentences: list[Span] = field(default_factory=list)

    def words(self, span: Span) -> str:
        return self.text[span.start : span.end]


@dataclass
class Proposal:
    """One drafted row: its entry as a coder would write it in a coding file (its id included,
    without `evidence` and `draft`), the spans proving it, how sure the drafter is (0 to 1) and why."""

    table: str
    values: dict[str, Any]
    evidence: list[Span]
    confidence: float
    reason: str


@dataclass(frozen=True)
class ActorMatch:
    """An actor a mention stands for: its id, whether it is known already (in a release or
    another seed) or proposed by this draft, and the name or alias it matched, with the score."""

    actor_id: str
    known: bool
    matched: str
    score: float


@dataclass(frozen=True)
class DateGuess:
    """A date the text gives for a span: one EDTF expression and its basis (`stated` when the
    text prints it, `inferred` when resolved from the publication date, "yesterday")."""

    edtf: str
    basis: str
    span: Span


class Actors(Protocol):
    """The actors a draft may name: known ones and those it proposes."""

    def mentions(self, span: Span) -> list[tuple[Span, ActorMatch]]:
        """Every actor named inside `span`, in text order, with the span naming it."""
        ...

    def resolve(self, name: str) -> ActorMatch | None:
        """The actor a name (a speaker, a supplier) stands for, or None."""
        ...
