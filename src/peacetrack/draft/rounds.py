"""Drafted negotiation rounds: meetings ("the foreign ministers met in Almaty"), numbered
rounds ("the tenth round of talks"), rounds known only by their count ("six rounds of talks",
"10 rounds of exchange": one row with round_count, never N rows) and drafts sent from one
party to the other ("Yerevan sent Baku its comments on the draft": sender and receiver).

A round is drafted only where a sentence says one took place: words in quotation marks, and
meetings to come ("will meet", "did not say when they would meet"), are not rounds.

A little over 400 lines: the patterns of the ways a report says a round was held are a third
of it, and read best beside the one loop that uses them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from peacetrack.draft.actors import ArticleActors
from peacetrack.draft.clauses import (
    NUMBER,
    ORDINAL,
    DateFinder,
    date_of,
    is_headline,
    is_state,
    number_value,
    ordinal_value,
    paragraph_of,
    quoted_spans,
    sentence_parts,
    slug,
    state_name,
    state_of,
    trimmed,
    unique_id,
)
from peacetrack.draft.dates import dates_in, said_on_or_before
from peacetrack.draft.model import ActorMatch, Actors, Article, Proposal, Span
from peacetrack.enums import NegotiationFormat

TALKS = r"(?:talks|negotiations|consultations|meetings)"
SENT = re.compile(
    r"\b(?:sent|handed(?:\s+over)?|passed|submitted|transmitted|forwarded)\b(?=[^.;]{0,80}?\b(?:comments|proposals|draft|response|counter-?proposals?)\b)",
    re.IGNORECASE,
)
EXCHANGED = re.compile(r"\bexchanged\b(?=[^.;]{0,60}?\b(?:comments|drafts?|proposals|texts?)\b)", re.IGNORECASE)
COUNT = re.compile(rf"\b({NUMBER})\s+rounds?\s+of\s+(?:(?:written\s+)?(exchanges?)|{TALKS})\b", re.IGNORECASE)
TIMES = re.compile(rf"\b(?:({NUMBER})\s+times|(twice))\b", re.IGNORECASE)
ORDINAL_ROUND = re.compile(
    rf"\b({ORDINAL})\s+round\s+of\s+(?:(?:the|their|its)\s+)?(?:\w+\s+)?{TALKS}\b(?!\s+to\s+(?:be|take))", re.IGNORECASE
)
MET = re.compile(
    r"\b(?:met|meet|meets|held\s+talks|held\s+a\s+meeting|held\s+a\s+round|sat\s+down)\b"
    r"|\b(?:held|opened|concluded|began|ended|wrapped\s+up)\s+(?:their|its|the|a|an)\s+(?:[\w-]+\s+){0,2}?(?:meeting|session|round)\b"
    rf"|\b(?:{TALKS}|meeting|session)\b(?=[^.;]{{0,250}}?\b(?:(?:was|were)\s+(?:held|convened)|took\s+place)\b)"
    rf"|\bhosted\s+(?:the\s+)?(?:{TALKS}|a\s+meeting)\b",
    re.IGNORECASE,
)
# "their 12th meeting", "the ninth session": the round's number ("first this year" is none)
ORDINAL_MEETING = re.compile(rf"\b(?!first\b)({ORDINAL})\s+(?:meeting|session)\b", re.IGNORECASE)
SINCE_THEN = re.compile(r"\b(?:since then|since that (?:meeting|round|session))\b", re.IGNORECASE)
ANSWERED = re.compile(
    r"\b(?:answered|replied|responded)\b(?=\s+(?:them|it|in\s+writing)\b"
    r"|\s+(?:to\s+)?(?:the|its|their|those)\s+(?:comments|proposals|draft)|\s+(?:last|on|in|earlier|this|yesterday)\b|[,.])",
    re.IGNORECASE,
)  # a reply to a draft ("Azerbaijan answered them in writing"), not to a question
DRAFT_WORDS = re.compile(r"\b(?:comments|proposals|draft|counter-?proposals?)\b", re.IGNORECASE)
# a draft sent, said after it: "Armenia's comments on the draft sent to Baku"
SENT_AFTER = re.compile(r"\b(?:comments|proposals)\b[^.;]{0,60}?\b(sent|handed\s+over|submitted)\s+to\b", re.IGNORECASE)
PLACE_BEFORE = re.compile(r"\b(?:in|at|near)\s+(?:the\s+)?$")
HOSTED = re.compile(r"\s+hosted\b", re.IGNORECASE)
AS_HOST = re.compile(r"\s+as\s+(?:the\s+)?(?:host|mediator)\b", re.IGNORECASE)
NOT_HELD = re.compile(r"\b(?:will|would|to|not|never|shall|could|may|might|again)\s+(?:\w+\s+)?$", re.IGNORECASE)
MEDIATED_BY = re.compile(
    r"(?:mediated\s+by|hosted\s+by|brokered\s+by|mediation\s+of|auspices\s+of|invitation\s+of|chaired\s+by)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
NO_MEDIATOR = re.compile(r"\bno\s+mediators?\b|\bwithout\s+(?:a\s+)?mediators?\b", re.IGNORECASE)
SUMMIT = re.compile(r"\b(?:summit|leaders|presidents|heads\s+of\s+state)\b", re.IGNORECASE)
BORDER = re.compile(r"\bborder\s+(?:commissions?|talks)\b|\bdelimitation\b|\bdemarcation\b", re.IGNORECASE)
PLACE = re.compile(
    r"\b(?:in|at)\s+(?:the\s+)?(?:(?:[^\W\d_][\w-]*\s+){0,3}?(?:town|city|village|capital|resort|region)\s+of\s+)?"
    r"([^\W\d_][\w’'-]*(?:\s+[A-Z][\w-]*)*)"
)


@dataclass(frozen=True)
class Found:
    """What a sentence says of a round: its kind, the words, and what the words give."""

    format: str
    cue: Span
    round_number: int | None = None
    round_count: int = 1
    count_words: Span | None = None


def propose_rounds(article: Article, actors: Actors, find_dates: DateFinder | None = dates_in) -> list[Proposal]:
    """Every round the article says was held, one row per round (or per counted set of rounds)."""
    proposals: dict[tuple[Any, ...], Proposal] = {}
    sentences: dict[tuple[Any, ...], Span] = {}
    top_states = _top_states(article, actors)
    last_parties: list[str] = []
    last_when: str | None = None
    parts = [  # a headline is read whole; a reply after a draft sent is a piece of its own
        (piece, is_headline(article, part))
        for whole in article.sentences
        for part in sentence_parts(article, whole)
        for piece in _replies(article, part)
    ]
    drafts_named = False
    for sentence, headline in parts:
        found = None if headline else _found(article, sentence, drafts_named)
        drafts_named = drafts_named or bool(DRAFT_WORDS.search(article.words(sentence)))
        if found is None:
            continue
        mentions = actors.mentions(sentence)
        mediator = _mediator(article, sentence, mentions)
        sender, receiver = (
            _direction(article, sentence, found, mentions) if found.format == "draft_exchange" else (None, None)
        )
        parties, how = _parties(article, actors, sentence, mentions, mediator, last_parties or top_states)
        if len(parties) < 2:
            continue
        last_parties = parties
        if sender is not None and receiver is None and len(parties) == 2 and sender in parties:
            receiver = next(p for p in parties if p != sender)  # "Azerbaijan answered": to the other party
        parties = sorted({*parties, *(side for side in (sender, receiver) if side is not None)})
        evidence = [trimmed(article, sentence)]
        round_format = found.format
        if round_format == "bilateral_meeting":
            round_format, extra = _meeting_format(article, sentence, mediator)
            evidence += extra
        date = date_of(article, find_dates, sentence)
        when, basis = (date.edtf, date.basis) if date else _undated(article, sentence, last_when, find_dates)
        last_when = when if date else last_when
        place = _place(article, sentence, found, mentions) if found.format != "draft_exchange" else None
        values: dict[str, Any] = {
            "process": _process(article, sentence, parties),
            "round_number": found.round_number,
            "round_count": found.round_count,
            "parties": parties,
            "sender_id": sender,
            "receiver_id": receiver,
            "mediator_id": mediator[0] if mediator else None,
            "format": round_format,
            "place": place,
            "outcome": None,
            "when": when,
            "date_basis": basis,
        }
        key = (tuple(sorted(parties)), round_format, place or values["when"], found.round_count)
        if key in proposals:  # the headline and the report of one meeting
            known = proposals[key]
            known.evidence = sorted(set(known.evidence) | set(evidence))
            for name, value in values.items():
                if known.values.get(name) is None and value is not None:
                    known.values[name] = value
            continue
        sentences[key] = sentence
        reason = _reason(article, found, round_format, parties, how, mediator, place)
        confidence = 0.85 if how == "named in the sentence" else 0.6
        proposals[key] = Proposal("negotiation_rounds", values, sorted(set(evidence)), confidence, reason)
    ids: set[str] = set()
    for key, proposal in proposals.items():  # named once merged: the headline has no date
        round_id = unique_id(_round_id(article, sentences[key], proposal.values), ids)
        proposal.values = {"round_id": round_id, **proposal.values}
    return list(proposals.values())


def _found(article: Article, sentence: Span, answers_draft: bool = False) -> Found | None:
    """The round a sentence reports, if it reports one held (not one to come, not a quote);
    `answers_draft`: a reply ("Azerbaijan answered them") is a draft sent back."""
    text = article.words(sentence)
    quoted = quoted_spans(article, sentence)

    def usable(match: re.Match[str]) -> bool:
        at = Span(sentence.start + match.start(), sentence.start + match.end())
        return not any(q.overlaps(at) for q in quoted) and not NOT_HELD.search(text[: match.start()])

    def span(match: re.Match[str]) -> Span:
        return Span(sentence.start + match.start(), sentence.start + match.end())

    for pattern in (SENT, EXCHANGED, SENT_AFTER, ANSWERED):
        for match in pattern.finditer(text):
            if pattern is ANSWERED and not answers_draft:
                continue
            if usable(match):
                times = TIMES.search(text, match.end())
                count = (number_value(times.group(1)) if times.group(1) else 2) if times else None
                return Found("draft_exchange", span(match), None, count or 1, _span_at(sentence, times))
    for match in COUNT.finditer(text):
        count = number_value(match.group(1))
        if usable(match) and count:
            kind = "draft_exchange" if match.group(2) else ("bilateral_meeting" if _met(text, usable) else "unknown")
            return Found(kind, span(match), None, count, span(match))
    for match in MET.finditer(text):
        if usable(match):
            ordinal = ORDINAL_ROUND.search(text) or ORDINAL_MEETING.search(text)
            number = ordinal_value(ordinal.group(1)) if ordinal else None
            return Found("bilateral_meeting", span(match), number, 1, _span_at(sentence, ordinal))
    for match in ORDINAL_ROUND.finditer(text):
        if usable(match) and re.search(r"\b(?:held|took place|ended|concluded|opened)\b", text):
            return Found("unknown", span(match), ordinal_value(match.group(1)), 1, span(match))
    return None


def _undated(
    article: Article, sentence: Span, last_when: str | None, find_dates: DateFinder | None
) -> tuple[str | None, str | None]:
    """A round the sentence gives no date: "since then", from the date of the round before to
    an open end; else, as a thing said, on or before the day of publication."""
    if find_dates is None:
        return None, None
    if last_when and SINCE_THEN.search(article.words(sentence)):
        return f"{last_when.split('/')[0].lstrip('.') or last_when}/..", "inferred"
    return said_on_or_before(article.published_on)


def _replies(article: Article, part: Span) -> list[Span]:
    """A sentence cut before a reply that follows a draft sent ("Armenia sent Baku its comments
    ..., and Azerbaijan replied last month"): two exchanges, each with its own date."""
    text = article.words(part)
    cut = re.search(r"(?:,\s+and|;)\s+(?=(?:\S+\s+){1,4}?(?:answered|replied|responded)\b)", text)
    if cut is None or not (SENT.search(text, 0, cut.start()) or EXCHANGED.search(text, 0, cut.start())):
        return [part]
    return [Span(part.start, part.start + cut.start()), Span(part.start + cut.end(), part.end)]


def _met(text: str, usable: Any) -> bool:
    return any(usable(m) for m in MET.finditer(text))


def _span_at(sentence: Span, match: re.Match[str] | None) -> Span | None:
    return Span(sentence.start + match.start(), sentence.start + match.end()) if match else None


def _mediator(article: Article, sentence: Span, mentions: list[tuple[Span, ActorMatch]]) -> tuple[str, Span] | None:
    """The mediator the sentence names ("mediated by X", "hosted by X", "X hosted talks")."""
    for span, match in mentions:
        before = article.text[sentence.start : span.start]
        if MEDIATED_BY.search(before) or HOSTED.match(article.text, span.end) or AS_HOST.match(article.text, span.end):
            return match.actor_id, span
    return None


def _meeting_format(article: Article, sentence: Span, mediator: tuple[str, Span] | None) -> tuple[str, list[Span]]:
    """Mediated when a mediator is named, a summit when leaders meet, else bilateral; the
    sentence of its paragraph saying "no mediator" as evidence."""
    if mediator is not None:
        return NegotiationFormat.mediated_meeting.value, []
    if SUMMIT.search(article.words(sentence)):
        return NegotiationFormat.summit.value, []
    paragraph = paragraph_of(article, sentence)
    extra = [
        s
        for s in article.sentences
        if paragraph.start <= s.start < paragraph.end and s != sentence and NO_MEDIATOR.search(article.words(s))
    ]
    return NegotiationFormat.bilateral_meeting.value, [trimmed(article, s) for s in extra[:1]]


def _as_state(article: Article, actors: Actors, span: Span, match: ActorMatch) -> str | None:
    """The state a mention stands for: a state, a state's body, or a person of a state's
    ("Mirzoyan and Bayramov met": arm, aze)."""
    if is_state(match.actor_id):
        return match.actor_id
    state = state_of(article, actors, span, match)
    if state:
        return state[0]
    if not isinstance(actors, ArticleActors):
        return None
    use = actors.used(match.actor_id)
    if use is not None and use.actor.actor_type == "person" and use.actor.country:
        country = use.actor.country.lower()
        return country if is_state(country) and actors.used(country) is not None else None  # a row names it
    return None


def _parties(
    article: Article,
    actors: Actors,
    sentence: Span,
    mentions: list[tuple[Span, ActorMatch]],
    mediator: tuple[str, Span] | None,
    fallback: list[str],
) -> tuple[list[str], str]:
    """The states the sentence names (not the mediator); else the parties of the round before
    (or the two states the article names most), when they include those named; else the
    states of its paragraph. Said in the reason."""
    skip = {mediator[0]} if mediator else set()
    named = [
        _as_state(article, actors, span, match)
        for span, match in mentions
        if match.actor_id not in skip and not PLACE_BEFORE.search(article.text, sentence.start, span.start)
    ]
    parties = list(dict.fromkeys(p for p in named if p and p not in skip))
    if len(parties) >= 2:
        return parties, "named in the sentence"
    if len(fallback) >= 2 and set(parties) <= set(fallback):
        return list(fallback), "the parties of the round before, or the states the article names most"
    paragraph = paragraph_of(article, sentence)
    around = [_as_state(article, actors, span, match) for span, match in actors.mentions(paragraph)]
    more = list(dict.fromkeys([*parties, *(p for p in around if p and p not in skip)]))
    if len(more) >= 2:
        return more, "named in its paragraph"
    if len(fallback) < 2 or (parties and parties[0] not in fallback):
        return parties, "too few named"
    return list(fallback), "the parties of the round before, or the states the article names most"


def _top_states(article: Article, actors: Actors) -> list[str]:
    whole = Span(0, len(article.text))
    counts = Counter(p for span, match in actors.mentions(whole) if (p := _as_state(article, actors, span, match)))
    return [state for state, _ in counts.most_common(2)]


def _direction(
    article: Article, sentence: Span, found: Found, mentions: list[tuple[Span, ActorMatch]]
) -> tuple[str | None, str | None]:
    """Sender and receiver of a draft: "X sent Y its comments", "X sent its comments to Y"."""
    states = [(span, match.actor_id) for span, match in mentions if is_state(match.actor_id)]
    if found.round_count == 1 and ANSWERED.match(article.text, found.cue.start):
        repliers = [actor for span, actor in states if span.end <= found.cue.start]
        return (repliers[-1] if repliers else None), None
    sent_after = SENT_AFTER.match(article.text, found.cue.start)
    if found.round_count == 1 and sent_after:
        owner = [actor for span, actor in states if span.end <= found.cue.start]
        to = [actor for span, actor in states if span.start >= found.cue.start + sent_after.end()]
        return (owner[-1] if owner else None), (to[0] if to else None)
    if found.round_count > 1 or not SENT.match(article.text, found.cue.start):
        return None, None
    before = [actor for span, actor in states if span.end <= found.cue.start]
    after = [
        actor
        for span, actor in states
        if span.start >= found.cue.end
        and re.fullmatch(r"\s*|.*\bto\s+(?:the\s+)?", article.text[found.cue.end : span.start], re.DOTALL)
        and not re.search(r"[,;]", article.text[found.cue.end : span.start])
    ]
    if before and after and before[-1] != after[0]:
        return before[-1], after[0]
    return None, None


def _place(article: Article, sentence: Span, found: Found, mentions: list[tuple[Span, ActorMatch]]) -> str | None:
    """Where the round was held: the first capitalised name after "in" or "at" following the
    verb that is not a country's name (a capital is a place: "in Yerevan")."""
    states = {state_name(match.actor_id) for span, match in mentions if is_state(match.actor_id)}
    for match in PLACE.finditer(article.text, found.cue.end, sentence.end):
        name = match.group(1)
        if (
            name[0].isupper()
            and name not in states
            and not re.match(
                r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\b", name
            )
        ):
            return name
    return None


def _process(article: Article, sentence: Span, parties: list[str]) -> str:
    """`<states>-border-delimitation` for border commissions, else `<states>-peace-treaty`
    where the article speaks of a treaty, else `<states>-talks`."""
    names = "-".join(slug(state_name(p)) for p in sorted(parties, key=state_name)[:3])
    if BORDER.search(article.words(paragraph_of(article, sentence))):
        return f"{names}-border-delimitation"
    return f"{names}-peace-treaty" if re.search(r"\btreaty\b", article.text, re.IGNORECASE) else f"{names}-talks"


def _round_id(article: Article, sentence: Span, values: dict[str, Any]) -> str:
    """`<parties>-<what>-<date>`: arm-aze-border-commissions-2025-06-12."""
    text = article.words(sentence)
    what = (
        "draft-exchange"
        if values["format"] == "draft_exchange"
        else next(
            (
                w
                for w, p in (
                    ("border-commissions", BORDER),
                    ("foreign-ministers", re.compile(r"foreign\s+minist", re.I)),
                )
                if p.search(text)
            ),
            {"draft_exchange": "draft-exchange", "summit": "summit", "unknown": "talks"}.get(
                values["format"], "meeting"
            ),
        )
    )
    when = values["when"] or ""
    when = re.sub(r"^\.\./", "by-", re.sub(r"/\.\.$", "-on", when)).replace("/", "-").rstrip("~?%")
    return "-".join(part for part in ("-".join(sorted(values["parties"])), what, slug(when, 8)) if part)


def _reason(
    article: Article,
    found: Found,
    round_format: str,
    parties: list[str],
    how: str,
    mediator: tuple[str, Span] | None,
    place: str | None,
) -> str:
    """One line naming the words each value was read from."""
    parts = [f"“{' '.join(article.words(found.cue).split())}” → {round_format}"]
    if found.count_words is not None:
        words = " ".join(article.words(found.count_words).split())
        parts.append(
            f"“{words}” → "
            + (f"round_count {found.round_count}" if found.round_count > 1 else f"round_number {found.round_number}")
        )
    parts.append(f"parties {', '.join(parties)} ({how})")
    if mediator:
        parts.append(f"mediator {mediator[0]} (“{article.words(mediator[1])}”)")
    if place:
        parts.append(f"place “{place}”")
    return "; ".join(parts)
