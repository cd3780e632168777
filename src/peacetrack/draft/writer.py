"""The YAML of a draft: the rows proposed for an article as a coding file (`coding.draft.yaml`),
each entry an ordinary coding entry plus its `draft:` mapping (confidence and reason), its
evidence the article's own words.

Actors come first: each actor a row names, a known one as it is released (or coded in another
seed) with the article's wording as an alias, a new one as proposed. Evidence quotes are the
spans' words with whitespace runs written as one space (a quote matches any run of whitespace,
line breaks included), with `occurrence:` where the words occur more than once, as
`quotes.resolve_quote` (the build's own resolver) places them.
"""

from __future__ import annotations

from typing import Any

import yaml

from peacetrack.coding import QuoteRef
from peacetrack.draft.actors import ArticleActors, Use
from peacetrack.draft.article import DraftError
from peacetrack.draft.model import Article, Proposal, Span
from peacetrack.quotes import resolve_quote
from peacetrack.tables import TABLES

# The columns of a row naming an actor, and those that name several.
ACTOR_COLUMNS = ("speaker_id", "target_id", "supplier_id", "recipient_id", "end_user_id", "manufacturer_id",
                 "sender_id", "receiver_id", "mediator_id")  # fmt: skip
ACTOR_LISTS = ("parties",)
ORDER = ("statements", "military_transfers", "negotiation_rounds")
FORMULA_START = "=+-@"


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe emitter, a list indented under its key as coding files are written."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def draft_yaml(
    article: Article, actors: ArticleActors, proposals: list[Proposal], taken: set[tuple[str, str]] | None = None
) -> str:
    """The draft coding file of `proposals`, header comment first; no row takes an id of
    `taken` (table, id: the release's and the other seeds')."""
    rows = unique_ids(proposals, taken or set())
    document: dict[str, Any] = {"actors": actor_entries(article, actors, rows)}
    for table in ORDER:
        entries = [entry(article, p.values, p.evidence, p.confidence, p.reason) for p in rows if p.table == table]
        if entries:
            document[table] = entries
    text = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False
    )  # width: one quote, one line, as a reviewer reads it in the article
    return header(article, proposals) + text


def header(article: Article, proposals: list[Proposal]) -> str:
    counts = ", ".join(f"{sum(p.table == t for p in proposals)} {t}" for t in ORDER)
    published = article.published_on.isoformat() if article.published_on else "unknown (nothing relative is dated)"
    return (
        f"# A machine's draft of the coding of {article.source_id}/article.txt ({counts}); published: {published}.\n"
        "# Nothing here is reviewed. For each entry: check it against the article (`peacetrack review`\n"
        "# shows each row's evidence in it), correct or delete it, then delete its `draft:` mapping.\n"
        "# `peacetrack validate` refuses every entry still marked (rule `draft`). Move what you accept\n"
        "# into coding.yaml; this file is never released.\n"
    )


def unique_ids(proposals: list[Proposal], taken: set[tuple[str, str]]) -> list[Proposal]:
    """The proposals with ids made unique in their table and unlike those `taken` (`-2`,
    `-3`... after a repeated one)."""
    seen = set(taken)
    for proposal in proposals:
        key = TABLES[proposal.table].primary_key
        base = str(proposal.values[key])
        candidate, n = base, 1
        while (proposal.table, candidate) in seen:
            n += 1
            candidate = f"{base}-{n}"
        proposal.values[key] = candidate
        seen.add((proposal.table, candidate))
    return proposals


def actor_entries(article: Article, actors: ArticleActors, rows: list[Proposal]) -> list[dict[str, Any]]:
    """An entry for every actor a row names, in the order the rows first name them."""
    named: list[str] = []
    for proposal in rows:
        values = proposal.values
        ids = [values.get(c) for c in ACTOR_COLUMNS] + [i for c in ACTOR_LISTS for i in values.get(c) or []]
        named += [i for i in ids if isinstance(i, str) and i not in named]
    entries = []
    for actor_id in named:
        use = actors.used(actor_id)
        if use is None:
            raise DraftError(f"internal error: a drafted row names actor {actor_id!r}, which the article does not name")
        entries.append(actor_entry(article, use))
    return entries


def actor_entry(article: Article, use: Use) -> dict[str, Any]:
    actor, match = use.actor, use.match
    values: dict[str, Any] = {
        "actor_id": actor.actor_id,
        "name": actor.name,
        "actor_type": actor.actor_type,
        "country": actor.country,
    }
    if actor.parent_id is not None:
        values["parent_id"] = actor.parent_id
    if actor.role is not None:
        values["role"] = actor.role
    values["aliases"] = list(dict.fromkeys(use.wordings))
    wording = article.words(use.first)
    if match.known:
        reason = f"“{_flat(wording)}” is {actor.actor_id} ({'name' if match.matched == actor.name else 'alias'} “{match.matched}”, score {match.score:g})"
        confidence = 0.9 if match.score >= 95 else 0.7
    else:
        reason = f"new {actor.actor_type.replace('_', ' ')}: “{_flat(wording)}”"
        confidence = 0.6
    return entry(article, values, [use.first], confidence, reason)


def entry(
    article: Article, values: dict[str, Any], evidence: list[Span], confidence: float, reason: str
) -> dict[str, Any]:
    """A coding entry: its values, evidence quotes, and `draft:` last."""
    written = dict(values)
    written["evidence"] = [quote_ref(article, span) for span in dict.fromkeys(evidence)]
    written["draft"] = {"confidence": round(float(confidence), 2), "reason": _flat(reason)}
    return written


def quote_ref(article: Article, span: Span) -> str | dict[str, Any]:
    """The words of a span as a coding file quotes them, with `occurrence` when they recur."""
    start = span.start
    while start < span.end and (article.text[start].isspace() or article.text[start] in FORMULA_START):
        start += 1
    words = " ".join(article.text[start : span.end].split())
    if resolve_quote(article.text, words) == (start, start + len(article.text[start : span.end].rstrip())):
        return words
    for occurrence in range(1, 1000):
        placed = resolve_quote(article.text, QuoteRef(quote=words, occurrence=occurrence))
        if isinstance(placed, str):
            break
        if placed[0] == start:
            return {"quote": words, "occurrence": occurrence}
    return words  # not placed: the read-back names it as a fault of the draft


def _flat(words: str) -> str:
    return " ".join(words.split())
