"""Drafted military transfers: items of the equipment lexicon (equipment.yaml), who supplies
and who receives them, how many, their status and how sure the source is.

Rules, not a model: a transfer is drafted only where a clause names an item and a transfer
verb, and both sides are found by the words around them ("X delivered ... to Y", "Y received
... from X", "arrived in Y from X", "a Russian offer"). A sentence that only continues the one
before ("The supplies included ...") takes its sides from it. Nothing is guessed: no number
where none is printed, no side where none is named in the paragraphs read.

Longer than most modules (about 600 lines) because the clause reading (sides, numbers, batches)
is one piece: split, its parts would only pass each other the same dozen values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from peacetrack.draft.clauses import (
    BOUND,
    NUMBER,
    DateFinder,
    Quantity,
    bound_of,
    clauses,
    date_of,
    is_state,
    month_slug,
    number_value,
    quantity_before,
    slug,
    state_of,
    trimmed,
    unique_id,
)
from peacetrack.draft.dates import dates_in
from peacetrack.draft.equipment import Item, Lexicon, contains, find_items, lexicon
from peacetrack.draft.model import ActorMatch, Actors, Article, DateGuess, Proposal, Span
from peacetrack.enums import Certainty, TransferStatus

CONTINUATION = re.compile(
    r"\W*(?:The|These|Those|Its|Their)\s+(?:supplies|deliveries|shipments?|cargo|consignments?|packages?|items)\s+"
    r"(?:included|includes|consisted|comprised|contained)\b"
)
NEGATION = re.compile(r"\b(?:not|never|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)
BATCH = re.compile(
    r"\b(?:first|second|third|fourth|next|latest|another|new|final)\s+(?:batch|tranche|shipment|delivery)\b", re.I
)
SIDES = ("supplier", "recipient")
DEMONYM = re.compile(r"(?:ian|ean|ese|ish|ch|i|ek)$")  # "Russian", "Israeli": an origin, not a recipient
ASIDE = re.compile(r",\s+(?:which|who|whose)\b[^,;]*,")  # "India, which supplies Armenia, is ..."
HAVE = re.compile(r"\b(?:displayed|showed|showcased|unveiled|paraded|deployed|operates|fielded|used)\b", re.IGNORECASE)
UNDER_CONTRACT = re.compile(
    r"\bunder\s+(?:the|a|an|its|their)\s+(?:[\w-]+\s+){0,2}?(?:contract|deal|agreement|order)\s+(?:signed|concluded|agreed|placed)\b",
    re.IGNORECASE,
)  # "delivered ... under the contract signed in January": the order is a row too
CAPITALISED = re.compile(r"(?<![\w-])[A-ZÀ-ÞİƏ][\w’']+(?![\w-])")
WITH_PARTNER = re.compile(
    r"\b(?:contracts?|deal|agreement|order)\s+with\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE
)  # "signed a contract with Pakistan", "with the Turkish company Aselsan"
SAYS = re.compile(r"\b(?:says?|said|claim(?:s|ed)?|argue[sd]?|insist(?:s|ed)?|believe[sd]?|note[sd]?)\b(?!\s+to\b)")
PRONOUN = re.compile(
    r"(?:^|[,:;]\s+|\b(?:that|said|says|say|announced|stated|added|confirmed)\s+)\s*([Ii]t|[Tt]hey)\s+(?:had\s+|has\s+|have\s+)?(?:also\s+|since\s+)?$"
)
ANAPHOR = re.compile(
    r"\b(?:both|these|those|the|all|the\s+two|the\s+three)\s+(?:systems|weapons|items|vehicles|missiles|drones)\b|\bthem\b",
    re.IGNORECASE,
)
RECIPIENT_BEFORE = re.compile(
    r"(?<!according )(?<!due )(?<!close )(?<!next )(?<!thanks )(?<!owing )\bto\s+(?:the\s+)?$"
    r"|\b(?:reached|(?:arrived|landed|delivered)\s+in)\s+(?:the\s+)?$"
)


@dataclass(frozen=True)
class Side:
    """A supplier or recipient, the words naming it and how they were read."""

    actor_id: str
    span: Span
    how: str
    clause: Span


@dataclass
class Context:
    """What a clause says of a transfer, for the clauses and sentences that continue it."""

    sides: dict[str, Side]
    status: str
    certainty: str
    date: DateGuess | None
    span: Span


@dataclass
class Drafting:
    """The transfers drafted so far in one article."""

    article: Article
    actors: Actors
    find_dates: DateFinder | None
    lex: Lexicon
    proposals: dict[tuple[str, str, str, str, Span | None], Proposal] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    last: Context | None = None
    last_item: Item | None = None
    shown: tuple[list[Item], Side | None] = ([], None)  # the items of the sentence before, and who has them
    states: set[str] = field(default_factory=set)  # the states the article names
    not_states: set[str] = field(default_factory=set)  # capitalised words that name none
    topic: tuple[Span, ActorMatch] | None = None  # the state the sentence before is about, for "it"


@dataclass(frozen=True)
class CueAt:
    """A transfer verb found in a clause."""

    status: str
    subject: str
    span: Span


def propose_transfers(
    article: Article, actors: Actors, find_dates: DateFinder | None = dates_in, lex: Lexicon | None = None
) -> list[Proposal]:
    """Every transfer the article supports, one per supplier, recipient, item and status."""
    drafting = Drafting(article, actors, find_dates, lex or lexicon())
    drafting.states = {m.actor_id for _, m in actors.mentions(Span(0, len(article.text))) if is_state(m.actor_id)}
    for index, sentence in enumerate(article.sentences):
        following = article.sentences[index + 1] if index + 1 < len(article.sentences) else None
        continued = following is not None and bool(CONTINUATION.match(article.words(following)))
        _read_sentence(drafting, sentence, continued)
        _shown(drafting, sentence, drafting.actors.mentions(sentence))
        drafting.topic = _topic(drafting, sentence)
    return list(drafting.proposals.values())


def _read_sentence(drafting: Drafting, sentence: Span, continued: bool) -> None:
    """Each clause of a sentence: its items, verb and sides, the missing ones from the clause
    before (one subject for "Armenia had cancelled ..., and had declined ...")."""
    article = drafting.article
    mentions = _state_mentions(drafting, sentence)
    certainty, hedge = _certainty(drafting, sentence)
    continuation = drafting.last if CONTINUATION.match(article.words(sentence)) else None
    previous = continuation
    for clause in clauses(article, sentence):
        cue = _cue(drafting, clause)
        items = find_items(drafting.article, clause, drafting.lex, drafting.last_item)
        items = items or _named_before(drafting, clause, cue)
        sides = _sides(drafting, clause, _verb(drafting, clause, cue), mentions, items)
        holder = drafting.shown[1]
        if items and all(i.elided for i in items) and holder is not None and "recipient" not in sides:
            sides["recipient"] = holder
        if previous is not None:
            sides = {**{s: v for s, v in previous.sides.items() if s in SIDES}, **sides}
        status = cue.status if cue else (previous.status if previous else None)
        if status is None:
            continue
        date = date_of(article, drafting.find_dates, clause) or (continuation.date if continuation else None)
        level = continuation.certainty if continuation and certainty == Certainty.stated else certainty
        context = Context(dict(sides), status, level, date, clause)
        previous = context
        if (
            all(side in sides for side in SIDES)
            and "maker" not in sides
            and sides["supplier"].actor_id != sides["recipient"].actor_id
        ):
            drafting.last = context
            if not items:
                _named_again(drafting, context)
        precise = [i for i in items if not i.vague]
        items = precise or [i for i in items if _object_of(article, cue, i)]
        named_here = sum(1 for side in SIDES if side in sides and sides[side].how != "earlier")
        if not precise and (continued or named_here < 2 or not items):
            continue
        if "supplier" not in context.sides and "maker" in context.sides:
            context.sides["supplier"] = context.sides["maker"]
        _fill_from_earlier(drafting, context)
        _maker_as_supplier(drafting, context, precise or items, cue is not None and cue.subject == "recipient")
        if any(side not in context.sides for side in SIDES):
            continue
        if context.sides["supplier"].actor_id == context.sides["recipient"].actor_id:
            continue
        for item in precise or items:
            _propose(drafting, context, item, cue, hedge, many=len(items) > 2)
        drafting.last = context


def _object_of(article: Article, cue: CueAt | None, item: Item) -> bool:
    """Whether a word for arms in general is what the verb moves ("declined a Russian offer to
    supply other weapons"), not a word further off ("received a loan from France to buy weapons")."""
    if cue is None or item.span.start < cue.span.end:
        return False
    between = article.text[cue.span.end : item.span.start]
    return len(between.split()) <= 5 and not re.search(r"\b(?:from|loans?|money|funds|credits?|grants?)\b", between)


def _shown(drafting: Drafting, sentence: Span, mentions: list[tuple[Span, ActorMatch]]) -> None:
    """The items a sentence names, and the actor it says has them ("Azerbaijan displayed Barak
    MX systems"), for a next sentence that says where they came from ("Israel supplied both")."""
    article = drafting.article
    items = [i for c in clauses(article, sentence) for i in find_items(article, c, drafting.lex, None) if not i.vague]
    holder = None
    have = HAVE.search(article.text, sentence.start, sentence.end)
    if items and have is not None:
        before = [(span, match) for span, match in mentions if span.end <= have.start()]
        if before:
            span, match = before[-1]
            how = f"subject of “{have.group(0)}”, the items named before"
            holder = _side(drafting, span, match, how, sentence)
    drafting.shown = (items, holder)


def _state_mentions(drafting: Drafting, sentence: Span) -> list[tuple[Span, ActorMatch]]:
    """The sentence's mentions, with a state's name or demonym the actors left inside a longer
    run of capitals ("offered Azerbaijan Su-35 jets", "three Indian Swathi radars") when the
    article names that state elsewhere (so the draft has its actor)."""
    text = drafting.article.text
    found = drafting.actors.mentions(sentence)
    for word in CAPITALISED.finditer(text, sentence.start, sentence.end):
        at = Span(word.start(), word.end())
        if any(span.overlaps(at) for span, _ in found) or word.group(0) in drafting.not_states:
            continue
        match = drafting.actors.resolve(word.group(0))
        if match is None or match.score < 95 or match.actor_id not in drafting.states:
            drafting.not_states.add(word.group(0))
            continue
        found.append((at, match))
    return sorted(found, key=lambda found: found[0])


def _topic(drafting: Drafting, sentence: Span) -> tuple[Span, ActorMatch] | None:
    """The first state a sentence names outside an aside: what "it" in the next one is."""
    text = drafting.article.text
    asides = [Span(m.start(), m.end()) for m in ASIDE.finditer(text, sentence.start, sentence.end)]
    for span, match in drafting.actors.mentions(sentence):
        if is_state(match.actor_id) and not any(contains(a, span) for a in asides):
            return (span, match) if not DEMONYM.search(text[span.start : span.end]) else None
    return None


def _named_before(drafting: Drafting, clause: Span, cue: CueAt | None) -> list[Item]:
    """The items of the sentence before, where a clause with a transfer verb names them again
    ("both systems", "them")."""
    found = ANAPHOR.search(drafting.article.text, clause.start, clause.end)
    if cue is None or found is None or not drafting.shown[0]:
        return []
    return [replace(item, span=Span(found.start(), found.end()), elided=True) for item in drafting.shown[0]]


def _fill_from_earlier(drafting: Drafting, context: Context) -> None:
    """The sides a clause leaves out, from the transfer read last, when that is in the same or
    the paragraph before and agrees with the sides the clause names."""
    last = drafting.last
    if (
        last is None
        or _paragraph_index(drafting.article, context.span) - _paragraph_index(drafting.article, last.span) > 1
    ):
        return
    if any(side in context.sides and context.sides[side].actor_id != last.sides[side].actor_id for side in SIDES):
        return
    for side in SIDES:
        if side not in context.sides:
            context.sides[side] = replace(last.sides[side], how="earlier")


def _maker_as_supplier(drafting: Drafting, context: Context, items: list[Item], recipient_subject: bool) -> None:
    """Where the clause names no supplier and its recipient is the subject ("Armenia signed a
    contract for ATAGS howitzers"), the country the lexicon says makes its items, if the
    article names that country (SIPRI codes the maker's state); a supplier of another clause
    never stands for another country's make ("Türkiye delivered drones, and Baku ordered JF-17s")."""
    makers = {item.maker for item in items}
    maker = makers.pop() if len(makers) == 1 else None
    supplier = context.sides.get("supplier")
    own = supplier is not None and supplier.how != "earlier" and supplier.clause == context.span
    if maker is None or own or (supplier is not None and supplier.actor_id == maker):
        return
    if supplier is None and not recipient_subject:
        return
    if "recipient" in context.sides and context.sides["recipient"].actor_id == maker:
        return
    if maker not in drafting.states:
        context.sides.pop("supplier", None)
        return
    how = "the country the lexicon says makes it: no supplier is named"
    side = Side(maker, items[0].span, how, context.span)
    context.sides["supplier"] = context.sides["maker"] = side


def _paragraph_index(article: Article, span: Span) -> int:
    return next((i for i, p in enumerate(article.paragraphs) if p.start <= span.start < p.end), 0)


def _certainty(drafting: Drafting, sentence: Span) -> tuple[str, Span | None]:
    """How the sentence holds what it says: the first hedge of the lexicon's order, or stated."""
    text = drafting.article.words(sentence)
    for level, pattern in drafting.lex.hedges:
        found = pattern.search(text)
        if found:
            return level, Span(sentence.start + found.start(), sentence.start + found.end())
    return Certainty.stated.value, None


def _cues(drafting: Drafting, clause: Span) -> list[CueAt]:
    """The transfer verbs of a clause that are not negated, in text order."""
    text = drafting.article.words(clause)
    found = [
        CueAt(cue.status, cue.subject, Span(clause.start + m.start(), clause.start + m.end()))
        for cue in drafting.lex.cues
        for m in cue.pattern.finditer(text)
        if not NEGATION.search(text[: m.start()])
    ]
    return sorted(found, key=lambda cue: (cue.span.start, -cue.span.end))  # the longest of one place


def _cue(drafting: Drafting, clause: Span) -> CueAt | None:
    """The transfer verb that gives a clause its status: of the first status in the lexicon's
    order ("cancelled an order" is cancelled)."""
    found = _cues(drafting, clause)
    for status in dict.fromkeys(cue.status for cue in drafting.lex.cues):
        of_status = [cue for cue in found if cue.status == status]
        if of_status:
            return of_status[0]
    return None


def _verb(drafting: Drafting, clause: Span, cue: CueAt | None) -> CueAt | None:
    """The verb whose subject is a side: the status's own, or the first that has one ("France
    will supply Armenia ... under a contract signed": the contract gives the status, "supply"
    the sides)."""
    if cue is None or cue.subject in SIDES:
        return cue
    return next((c for c in _cues(drafting, clause) if c.subject in SIDES), cue)


def _sides(
    drafting: Drafting, clause: Span, cue: CueAt | None, mentions: list[tuple[Span, ActorMatch]], items: list[Item]
) -> dict[str, Side]:
    """Supplier, recipient and end user as the words around the clause's mentions give them:
    "from X" and "to Y" first, then the subject of the verb, then "a Russian offer"."""
    text = drafting.article.text
    sides: dict[str, Side] = {}
    subject: tuple[Span, ActorMatch] | None = None
    origin: tuple[Span, ActorMatch] | None = None
    asides = [Span(m.start(), m.end()) for m in ASIDE.finditer(text, clause.start, clause.end)]
    for span, match in mentions:
        if not (clause.start <= span.start and span.end <= clause.end) or any(contains(a, span) for a in asides):
            continue
        before = text[clause.start : span.start]
        after = text[span.end : clause.end]
        if cue is not None and cue.subject in SIDES and WITH_PARTNER.search(before):
            other = "supplier" if cue.subject == "recipient" else "recipient"
            sides.setdefault(other, _side(drafting, span, match, "after “contract with”", clause))
        elif re.match(r"\s+requests?\b", after):  # "an Armenian request for": who asked receives
            sides.setdefault("recipient", _side(drafting, span, match, "before “request”", clause))
        elif re.search(r"\bfrom\s+(?:the\s+)?$", before):
            sides.setdefault("supplier", _side(drafting, span, match, "after “from”", clause))
        elif (RECIPIENT_BEFORE.search(before) and (cue is None or span.start >= cue.span.end)) or (
            cue is not None
            and cue.subject == "supplier"
            and re.fullmatch(r"\s+", text[cue.span.end : span.start])
            and not DEMONYM.search(text[span.start : span.end])
        ):  # "to Armenia", "supply Armenia with", "sold Azerbaijan arms"
            sides.setdefault("recipient", _side(drafting, span, match, f"after “{before.split()[-1]}”", clause))
        elif re.search(r"\bfor\s+$", before) and any(i.span.end <= span.start for i in items):
            sides.setdefault("end_user", Side(match.actor_id, span, "after “for”", clause))
        elif re.match(r"-(?:made|built|produced)", after):
            made = f"“{text[span.start : span.end]}-made”: the maker's country, not necessarily the supplier"
            sides.setdefault("maker", Side(match.actor_id, span, made, clause))
        elif re.match(r"\s+(?:offers?|orders?|deliver(?:y|ies)|supplies|shipments?)\b", after) or any(
            i.span.start >= span.end and re.fullmatch(r"\s*[“\"‘']?", text[span.end : i.span.start]) for i in items
        ):
            origin = origin or (span, match)
        elif cue is not None and span.end <= cue.span.start:
            subject = (span, match)
    if (
        cue is not None
        and subject is not None
        and SAYS.search(text, subject[0].end, cue.span.start)
        and not PRONOUN.search(text[clause.start : cue.span.start])
    ):
        subject = None  # "Azerbaijani officials say that every Caesar sent": a speaker
    if cue is not None and subject is None and cue.subject in SIDES and drafting.topic is not None:
        pronoun = PRONOUN.search(text[clause.start : cue.span.start])
        if pronoun is not None:  # "It signed a contract": the state the sentence before is about
            subject = (Span(clause.start + pronoun.start(1), clause.start + pronoun.end(1)), drafting.topic[1])
    if cue is not None and subject is not None and cue.subject in SIDES:
        span, match = subject
        how = f"subject of “{text[cue.span.start : cue.span.end]}”"
        sides.setdefault(cue.subject, _side(drafting, span, match, how, clause))
        other = "supplier" if cue.subject == "recipient" else "recipient"
        partner = [
            (s, m) for s, m in mentions if s.end <= span.start and re.fullmatch(r"\s+and\s+", text[s.end : span.start])
        ]
        if partner and other not in sides:  # "France and Armenia signed a contract": the other side
            how = f"with “{text[span.start : span.end]}”, subject of “{text[cue.span.start : cue.span.end]}”"
            sides[other] = _side(drafting, partner[0][0], partner[0][1], how, clause)
    if origin is not None:
        span, match = origin
        sides.setdefault(
            "supplier", _side(drafting, span, match, f"“{text[span.start : span.end]}” before the item", clause)
        )
    return sides


def _side(drafting: Drafting, span: Span, match: ActorMatch, how: str, clause: Span) -> Side:
    """A side as a state where the mention is a state's body ("US Air Force" → usa): transfers
    are coded between states, as SIPRI codes them."""
    state = state_of(drafting.article, drafting.actors, span, match)
    if state is not None:
        return Side(state[0], span, f"{how}, “{drafting.article.words(span)}” is {state[0]}’s", clause)
    return Side(match.actor_id, span, how, clause)


def _propose(
    drafting: Drafting, context: Context, item: Item, cue: CueAt | None, hedge: Span | None, many: bool
) -> None:
    """One proposal for an item of a clause, or more evidence for the one drafted already; with
    the order it is a batch of when the text names the whole ("24 of the 50 it ordered")."""
    article, clause = drafting.article, context.span
    drafting.last_item = replace(item, elided=False)
    context, contract = _under_contract(drafting, context, item)
    order, quantity = _order_named(drafting, context, item, _quantity(article, item, clause))
    order = order or contract
    values = _values(drafting, context, item, quantity, context.status)
    values["part_of"] = order or _batch_of(drafting, context, item)
    evidence = [item.span if many else trimmed(article, clause)]
    evidence += [trimmed(article, side.clause) for side in context.sides.values() if not contains(clause, side.span)]
    reason = _reason(article, context, item, quantity, cue, hedge)
    doubts = sum(side.how == "earlier" for side in context.sides.values()) + item.vague + item.elided
    confidence = 0.9 - 0.2 * doubts - 0.3 * (context.sides["supplier"] is context.sides.get("maker"))
    _add(drafting, context, item, values, evidence, round(max(confidence, 0.3), 2), reason)


def _add(
    drafting: Drafting,
    context: Context,
    item: Item,
    values: dict[str, Any],
    evidence: list[Span],
    confidence: float,
    reason: str,
) -> str:
    """Adds a proposal, or merges it into the one of the same sides, item and status; its id."""
    batch = BATCH.search(drafting.article.words(context.span))  # a new batch is a row of its own
    key = (values["supplier_id"], values["recipient_id"], item.key, values["status"], context.span if batch else None)
    known = drafting.proposals.get(key)
    if known is not None:
        known.evidence = sorted(set(known.evidence) | set(_outermost(evidence)))
        for name in ("quantity", "quantity_bound", "when", "date_basis", "manufacturer_id", "end_user_id", "part_of"):
            if known.values.get(name) is None and values.get(name) is not None:
                known.values[name] = values[name]
        return str(known.values["transfer_id"])
    values["transfer_id"] = unique_id(_transfer_id(values, item), drafting.ids)
    values = {"transfer_id": values.pop("transfer_id"), **values}
    drafting.proposals[key] = Proposal(
        "military_transfers", values, sorted(set(_outermost(evidence))), confidence, reason
    )
    return str(values["transfer_id"])


def _outermost(spans: list[Span]) -> list[Span]:
    """Spans not inside another of them: a quote inside another proves nothing more."""
    return [s for s in spans if not any(o != s and contains(o, s) for o in spans)]


def _values(drafting: Drafting, context: Context, item: Item, quantity: Quantity | None, status: str) -> dict[str, Any]:
    end_user = context.sides.get("end_user")
    recipient = context.sides["recipient"].actor_id
    return {
        "supplier_id": context.sides["supplier"].actor_id,
        "recipient_id": recipient,
        "end_user_id": end_user.actor_id
        if end_user and end_user.actor_id != recipient and _near(item, end_user)
        else None,
        "item": item.name,
        "item_category": item.category,
        "manufacturer_id": _manufacturer(drafting, item, context.span),
        "quantity": quantity.value if quantity else None,
        "quantity_bound": quantity.bound if quantity else None,
        "part_of": None,
        "status": status,
        "certainty": context.certainty,
        "when": context.date.edtf if context.date else None,
        "date_basis": context.date.basis if context.date else None,
    }


def _near(item: Item, side: Side) -> bool:
    return 0 <= side.span.start - item.span.end <= 6


def _quantity(article: Article, item: Item, clause: Span) -> Quantity | None:
    """The number printed before the item ("more than 20 Bastion"), or in "50 more"."""
    if item.elided:
        found = re.match(rf"(?:({BOUND})\s+)?({NUMBER})", article.words(item.span), re.IGNORECASE)
        value = number_value(found.group(2)) if found else None
        if found is None or value is None:
            return None
        return Quantity(value, bound_of(found.group(1)), item.span)
    return quantity_before(article, item.span.start, clause.start)


def _order_named(
    drafting: Drafting, context: Context, item: Item, quantity: Quantity | None
) -> tuple[str | None, Quantity | None]:
    """The order a delivered batch is part of, drafted from the same clause when it names it
    ("24 of the 50 Bastion ... it ordered", "out of an order of 50"), and the batch's number."""
    article, clause = drafting.article, context.span
    if context.status not in (TransferStatus.delivered, TransferStatus.in_production) or quantity is None:
        return None, quantity
    text = article.text[clause.start : clause.end]
    of_the = re.search(rf"\b({NUMBER})\s+of\s+the\s+$", article.text[clause.start : quantity.span.start], re.IGNORECASE)
    ordered = re.search(
        r"\b(?:it|they|that|which)\s+(?:had\s+)?(?:ordered|bought|purchased)\b",
        article.text[item.span.end : clause.end],
    )
    whole: Quantity | None = None
    batch = quantity
    if of_the and ordered:
        batch_value = number_value(of_the.group(1))
        if batch_value:
            batch = Quantity(batch_value, "exact", Span(clause.start + of_the.start(), clause.start + of_the.end()))
            whole = quantity
    else:
        found = re.search(rf"\bof\s+(?:an|the|its)\s+order\s+(?:of|for)\s+({NUMBER})\b", text, re.IGNORECASE)
        value = number_value(found.group(1)) if found else None
        if found and value:
            whole = Quantity(value, "exact", Span(clause.start + found.start(1), clause.start + found.end(1)))
    if whole is None:
        return None, quantity
    order = Context(context.sides, TransferStatus.ordered.value, context.certainty, None, clause)
    values = _values(drafting, order, item, whole, TransferStatus.ordered.value)
    order_id = _add(
        drafting,
        order,
        item,
        values,
        [trimmed(article, clause)],
        0.75,
        f"the whole of a batch: “{article.words(whole.span)}” → {whole.value} ordered",
    )
    return order_id, batch


def _under_contract(drafting: Drafting, context: Context, item: Item) -> tuple[Context, str | None]:
    """A delivery "under the contract signed last year": the order it is part of, a row dated
    by the words after "signed", and the delivery dated by the words before them only."""
    found = UNDER_CONTRACT.search(drafting.article.text, item.span.end, context.span.end)
    if context.status != TransferStatus.delivered or found is None:
        return context, None
    article, clause = drafting.article, context.span
    signed = date_of(article, drafting.find_dates, Span(found.start(), clause.end))
    delivered = date_of(article, drafting.find_dates, Span(clause.start, found.start()))
    order = Context(context.sides, TransferStatus.ordered.value, context.certainty, signed, clause)
    values = _values(drafting, order, item, None, TransferStatus.ordered.value)
    reason = f"the order a delivery is part of: “{' '.join(found.group(0).split())}”"
    order_id = _add(drafting, order, item, values, [trimmed(article, clause)], 0.75, reason)
    return replace(context, date=delivered), order_id


def _batch_of(drafting: Drafting, context: Context, item: Item) -> str | None:
    """The transfer a delivery or production run belongs to: the order of the same sides and
    item drafted earlier, or, for "the second batch", the first transfer of them."""
    if context.status not in (TransferStatus.delivered, TransferStatus.in_production):
        return None
    supplier, recipient = context.sides["supplier"].actor_id, context.sides["recipient"].actor_id
    same = [p for (s, r, key, *_), p in drafting.proposals.items() if (s, r, key) == (supplier, recipient, item.key)]
    orders = [p for p in same if p.values["status"] == TransferStatus.ordered]
    if orders:
        return str(orders[0].values["transfer_id"])
    delivered = [p for p in same if p.values["status"] == context.status]
    if delivered and BATCH.search(drafting.article.words(context.span)):
        return str(delivered[0].values["transfer_id"])
    return None


def _named_again(drafting: Drafting, context: Context) -> None:
    """A clause naming a drafted transfer again by its number ("Paris and Yerevan signed the
    order for the 50 vehicles ... in June 2024"): its words as evidence, its date and maker."""
    found = re.search(rf"\bthe\s+({NUMBER})\s+[a-z-]+", drafting.article.words(context.span), re.IGNORECASE)
    number = number_value(found.group(1)) if found else None
    sides = (context.sides["supplier"].actor_id, context.sides["recipient"].actor_id)
    for (supplier, recipient, _, status, _), proposal in drafting.proposals.items():
        if (supplier, recipient) == sides and status == context.status and number == proposal.values["quantity"]:
            proposal.evidence = sorted({*proposal.evidence, trimmed(drafting.article, context.span)})
            proposal.reason += f"; named again as “{' '.join(found.group(0).split()) if found else ''}”"
            if proposal.values["when"] is None and context.date is not None:
                proposal.values["when"], proposal.values["date_basis"] = context.date.edtf, context.date.basis
            if proposal.values["manufacturer_id"] is None:
                whole = Item(context.span, "", "", "")
                proposal.values["manufacturer_id"] = _manufacturer(drafting, whole, context.span)
            return


def _manufacturer(drafting: Drafting, item: Item, clause: Span) -> str | None:
    """A maker the text names: a mention that is not a state inside the item's words ("the
    French ARQUUS brand") or after "built by", "made by"."""
    text = drafting.article.text
    for span, match in drafting.actors.mentions(clause):
        if is_state(match.actor_id):
            continue
        inside = contains(item.span, span)
        made_by = re.search(
            r"\b(?:built|made|manufactured|produced)\s+by\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$",
            text[clause.start : span.start],
        )
        if inside or (made_by and span.start >= item.span.end):
            return match.actor_id
    return None


def _transfer_id(values: dict[str, Any], item: Item) -> str:
    """`<supplier>-<recipient>-<item>-<yyyy-mm>`, the status named unless delivered."""
    if ":" in item.key:  # "components ... for Bastion": the noun and the system
        name = slug(re.split(r"\s+(?:of|for)\s+", item.name)[0], 3) + "-" + slug(item.key.split(":")[1], 2)
    else:
        name = slug(item.name, 4)
    parts = [values["supplier_id"], values["recipient_id"], name]
    if values["status"] != TransferStatus.delivered:
        parts.append(slug(str(values["status"])))
    month = month_slug(values.get("when"))
    if month:
        parts.append(month)
    return "-".join(part for part in parts if part)


def _reason(
    article: Article, context: Context, item: Item, quantity: Quantity | None, cue: CueAt | None, hedge: Span | None
) -> str:
    """One line naming the words each value was read from."""
    parts = [f"“{_said(article, item.span)}” → {item.category}"]
    if item.elided:
        parts[0] = f"“{_said(article, item.span)}”: more of the {item.name} named before"
    if item.maker and context.sides["supplier"].actor_id != item.maker:
        parts.append(f"made in {item.maker} (the maker's country, not necessarily the supplier)")
    parts.append(
        f"“{_said(article, cue.span)}” → {context.status}" if cue else f"{context.status} as the clause before"
    )
    for side in SIDES:
        found = context.sides[side]
        how = "named earlier in the article" if found.how == "earlier" else " ".join(found.how.split())
        parts.append(f"{side} {found.actor_id} (“{_said(article, found.span)}”, {how})")
    if quantity is not None:
        parts.append(f"“{_said(article, quantity.span).strip()}” → {quantity.value} {quantity.bound}")
    if hedge is not None:
        parts.append(f"“{_said(article, hedge)}” → {context.certainty}")
    else:
        parts.append(
            "no hedge → stated"
            if context.certainty == Certainty.stated
            else f"{context.certainty} as the sentence before"
        )
    return "; ".join(parts)


def _said(article: Article, span: Span) -> str:
    """The words of a span on one line, for a reason."""
    return " ".join(article.words(span).split())
