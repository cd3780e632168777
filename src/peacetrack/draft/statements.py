"""Statements an article reports: direct quotes and paraphrases, each with its speaker, the
spans that prove it, a date and a topic.

Direct quotes are found by their marks (“…”, "…", «…», „…“, and ‘…’ where the marks stand
at word edges, not in "Armenia’s"). A quote broken by its attribution (“A,” he said. “B.”) is
one statement; a paragraph that opens a quote and does not close it goes on in the next
paragraph that opens one. The speaker comes from the attribution after the quote ("said
President Aliyev", "Mr Pashinyan told reporters", "said the Azerbaijani president": the holder
of that office, never the state; "he said": the last person named; "he added": the last
speaker), else from the sentence holding it
("Mirzoyan answered that ... “...”"). A sentence of reported speech with no quote ("X said
that ...", "He stressed ...", "according to X, ...") is a paraphrase; one that leads into a
quote of the same speaker ("X said ... . “...,” he said.") is that quote's evidence instead.

Two quotes of one claim in a sentence are one statement; a clause after a quote that another
speaker's verb opens (", and officials say that ...") is that speaker's paraphrase.

Some 560 lines: the word tables (speech verbs, topics) are a fifth; quotes, attributions and
paraphrases read one another's results (a paraphrase that leads into a quote joins it), so
they share one finder.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import regex

from peacetrack.draft.actors import CAPITALS, DEMONYMS, LOWER_TITLES, SPEECH_VERBS, ArticleActors, slug
from peacetrack.draft.dates import dates_in, said_on_or_before
from peacetrack.draft.model import ActorMatch, Article, Proposal, Span

VERB = rf"\b(?:{SPEECH_VERBS})\b"
VERBS = regex.compile(VERB)
OPENING = regex.compile(r"[“\"«„]|(?<![\p{L}\p{N}])‘(?=\p{L}|\p{N})")
CLOSING_SINGLE = regex.compile(r"’(?![\p{L}])")
# Words between a subject and its verb: "has", "now", "again", "also" ("Pashinyan has said").
GAP = r"(?:\s*,[^.;“”\"«»]{1,100}?,|\s*,)?(?:\s+(?:has|had|have|also|again|now|then|later|publicly|repeatedly|officials?))*\s+"
PRONOUN = r"\b(?P<pronoun>[Hh]e|[Ss]he|[Ii]t|[Tt]he (?:president|minister|ministry|prime minister|spokesman|spokeswoman|spokesperson|official|agency|commission|analyst))"
# Words before a capital that make it a place, not its state: "in Tbilisi", "the Tbilisi meeting".
HOST = regex.compile(r"(?<![\p{L}])(?i:in|at|near|outside|the)\s+$")
ACCORDING = regex.compile(r"\b[Aa]ccording to\s+")
# A speaker by office: "the Azerbaijani president", "the Armenian prime minister".
OFFICE = rf"\b[Tt]he\s+(?P<state>{'|'.join(map(regex.escape, DEMONYMS))})\s+(?P<title>(?i:{LOWER_TITLES}))"
OFFICE_AFTER = regex.compile(rf"^\W*{VERB}\s+{OFFICE}\b")
OFFICE_BEFORE = regex.compile(rf"^\W*{OFFICE}{GAP}{VERB}")
# Verbs after which "he" is the last speaker, not the last person named: "he added".
GOING_ON = regex.compile(r"(?:added|continued|went on)\b")
PAIRS = {"“": "”", '"': '"', "«": "»", "„": "“”", "‘": "’"}
# Who is attributed: the types a "he"/"she" or "it" points back to.
PEOPLE = ("person", "expert", "anonymous")
TOPICS = [
    (r"\bminsk group\b", "osce_minsk_group"),
    (r"\bconstitution|preamble|declaration of independence|territorial claims?\b", "constitutional_claims"),
    (r"\bdelimitation|demarcation|border commissions?|the line\b", "border_delimitation"),
    (r"\b(?:road|railways?|corridor|transport|connectivity|communications|train)\b", "transport_connectivity"),
    (r"\b(?:missing|prisoners?|detainees?|remains of|captives?)\b", "prisoners_missing"),
    (r"\b(?:mines?|minefields?|landmines?|demining|humanitarian)\b", "landmines_humanitarian"),
    (r"\b(?:return|reconstruction|rebuil\w+|displaced|families)\b", "return_reconstruction"),
    (r"\b(?:mediators?|mediation|mediat\w+)\b", "mediation"),
    (
        r"\b(?:military[- ]industrial|defen[cs]e industry|arms (?:exports?|production|markets?)|military (?:exports?|production))\b",
        "defence_industry",
    ),
    (
        r"\b(?:supplies|supplying|sends?|cargo|military cooperation|support for|deliver\w*|buys?|purchases?|weapons|arms|received|armou?red|vehicles|missiles|drones|radars?|rifles|munitions)\b",
        "foreign_military_support",
    ),
    (
        r"\b(?:military (?:power|buildup|build-up|activities|capabilities|strength)|armament|rearm\w*)\b",
        "military_buildup",
    ),
    (r"\b(?:border security|borders?|frontier)\b", "border_security"),
    (r"\b(?:sovereignty|territorial integrity|independence)\b", "sovereignty"),
    (r"\b(?:peace|treaty|negotiations?|talks|normali[sz]\w+|draft|agreement)\b", "peace_process"),
]
DEFAULT_TOPIC = "peace_process"
# Words an id leaves out: it is the speaker's name, the month and a few words of what was said.
ID_STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "by", "with", "from", "that",
    "this", "these", "those", "is", "are", "was", "were", "be", "been", "has", "have", "had", "will",
    "would", "could", "should", "can", "may", "it", "its", "he", "she", "they", "we", "our", "us", "i",
    "his", "her", "their", "said", "says", "told", "added", "noted", "stated", "stressed", "emphasized",
    "emphasised", "president", "minister", "prime", "foreign", "deputy", "also", "again", "not", "no",
    "yesterday",
))  # fmt: skip
LONG_QUOTE = 200  # characters of a quote in one pair of marks above which each sentence is a statement


@dataclass
class Subject:
    """Who reported speech is by: the actor, where its words begin, how sure, and whether the
    words name it (or are a pronoun, "the president")."""

    match: ActorMatch
    start: int
    confidence: float
    named: bool


@dataclass
class Quoted:
    """One direct quote: its parts (the words inside each pair of marks, marks included)."""

    parts: list[Span]
    evidence: list[Span] = field(default_factory=list)
    speaker: ActorMatch | None = None
    attribution: str = ""
    confidence: float = 0.0
    attributed_after: bool = False  # “A,” he said: a part that follows directly is the same quote
    said: list[str] | None = None  # the words, when not those inside `parts`' marks


def propose_statements(article: Article, actors: ArticleActors) -> list[Proposal]:
    """Every statement the article reports, direct quotes first found, in text order."""
    finder = _Finder(article, actors)
    return finder.run()


def quote_spans(article: Article) -> list[list[Span]]:
    """The direct quotes of the article, each the list of its parts (marks included), a quote
    running over paragraphs as one list."""
    quotes: list[list[Span]] = []
    carried: list[Span] | None = None  # a quote a paragraph opened and did not close
    for paragraph in article.paragraphs:
        parts = _marked(article.text, paragraph)
        if carried is not None and parts and parts[0].start == paragraph.start:
            carried.append(parts.pop(0))
            if article.text[carried[-1].end - 1] not in '”"»’“':  # still open
                continue
        carried = None
        for part in parts:
            quotes.append([part])
        if parts and article.text[parts[-1].end - 1] not in '”"»’“' and parts[-1].end == paragraph.end:
            carried = quotes[-1]
    return quotes


def _marked(text: str, paragraph: Span) -> list[Span]:
    """The quoted parts of a paragraph, marks included; a quote open at its end runs to it."""
    parts, at = [], paragraph.start
    while at < paragraph.end:
        opening = OPENING.search(text, at, paragraph.end)
        if opening is None:
            break
        mark = opening[0]
        if mark == "‘":
            closing = CLOSING_SINGLE.search(text, opening.end(), paragraph.end)
        else:
            closing = regex.compile(f"[{regex.escape(PAIRS[mark])}]").search(text, opening.end(), paragraph.end)
        end = closing.end() if closing else paragraph.end
        if end - opening.start() > 2:
            parts.append(Span(opening.start(), end))
        at = end
    return parts


def words_inside(article: Article, part: Span) -> str:
    """The words of a quoted part without its marks and a trailing comma, spaces collapsed."""
    inner = article.text[part.start + 1 : part.end]
    if inner and inner[-1] in '”"»’“':
        inner = inner[:-1]
    return " ".join(inner.split()).rstrip(",").strip()


def topic_of(words: str) -> str | None:
    lowered = words.lower()
    for pattern, topic in TOPICS:
        if regex.search(pattern, lowered):
            return topic
    return None


class _Finder:
    def __init__(self, article: Article, actors: ArticleActors) -> None:
        self.article, self.actors = article, actors
        self.text = article.text
        self.clauses: list[tuple[ActorMatch, Span, float]] = []  # ", and officials say that …" after a quote
        self.speakers: list[tuple[int, ActorMatch]] = []  # each person a quote was given to, and where

    # --- sentences and speakers --------------------------------------------------------------
    def sentence_of(self, at: int) -> Span:
        for sentence in self.article.sentences:
            if sentence.start <= at < sentence.end:
                return sentence
        return Span(at, at)

    def last_named(self, before: int, kinds: tuple[str, ...]) -> ActorMatch | None:
        """The last actor of `kinds` named before `before`."""
        found = None
        for where, match in self.actors.found:
            if where.start >= before:
                break
            use = self.actors.used(match.actor_id)
            if use is not None and use.actor.actor_type in kinds:
                found = match
        return found

    def subject_before(self, verb_start: int, floor: int) -> Subject | None:
        """Who a speech verb at `verb_start` is said by: a mention just before it, or a pronoun
        ("he": the last person named; "it": the last body), or a body named before ("the
        reconstruction agency")."""
        head = self.text[floor:verb_start]
        adjacent = [
            (where, match)
            for where, match in self.actors.mentions(Span(floor, verb_start))
            if regex.fullmatch(GAP, self.text[where.end : verb_start]) or not self.text[where.end : verb_start].strip()
        ]
        if adjacent:  # the outermost: "Rauf Qasımov, deputy head of Azerbaijan's agency, said"
            people = [found for found in adjacent if self._kind(found[1]) in PEOPLE]  # not "In Berlin, X, said"
            where, match = min(people or adjacent, key=lambda found: found[0].start)
            return Subject(match, where.start, 0.85, named=True)
        pronoun = regex.search(rf"{PRONOUN}{GAP}$", head)
        if pronoun is not None:
            word = pronoun["pronoun"].lower()
            kinds = ("government_agency", "legislature", "state", "armed_force", "media", "international_org")
            wanted = kinds if word in ("it", "the ministry", "the agency", "the commission") else PEOPLE
            last = self.last_named(verb_start, wanted)
            if wanted == PEOPLE and GOING_ON.match(self.text, verb_start):  # "he added": who spoke last
                last = next((m for at, m in reversed(self.speakers) if at < verb_start), last)
            if last is not None:
                return Subject(last, floor + pronoun.start(), 0.7, named=False)
        body = regex.search(r"\b[Tt]he\s+(?P<words>\p{Ll}[\p{Ll} ]{2,40}?)" + GAP + "$", head)
        if body is not None:
            for use in self.actors.uses.values():
                if any(wording.endswith(body["words"]) for wording in use.wordings):
                    return Subject(use.match, floor + body.start(), 0.6, named=False)
        return None

    def attribution_after(self, end: int) -> tuple[ActorMatch, str, Span, float] | None:
        """'“…,” said President Aliyev.' / '“…,” he added.' / '“…,” Bayramov told reporters.'"""
        sentence = self.sentence_of(max(end - 1, 0))
        stop = sentence.end
        nxt = OPENING.search(self.text, end, stop)
        if nxt is not None:
            stop = nxt.start()
        tail = self.text[end:stop]
        verb = VERBS.search(tail)
        if verb is None or verb.start() > 80:
            return None
        span = Span(end, stop)
        office = OFFICE_AFTER.match(tail) or OFFICE_BEFORE.match(tail)
        if office is not None:  # "said the Azerbaijani president": that office's holder, never the state
            where = Span(end + office.start("state") - 4, end + office.end("title"))
            holder = self.actors.by_office(where, office["state"], office["title"])
            return (holder, tail.strip(), span, 0.8) if holder is not None else None
        mentioned = self.actors.mentions(Span(end + verb.end(), stop))
        if verb.start() <= 2 and mentioned:  # "said President Aliyev", "said one of them, ... Səbinə"
            people = [m for _, m in mentioned if self._kind(m) in PEOPLE]
            return (people or [mentioned[0][1]])[0], tail.strip(), span, 0.9
        subject = self.subject_before(end + verb.start(), end)
        if subject is not None:
            return subject.match, tail.strip(), span, subject.confidence + 0.05
        return None

    def _kind(self, match: ActorMatch) -> str | None:
        use = self.actors.used(match.actor_id)
        return use.actor.actor_type if use else None

    def sentence_speaker(self, sentence: Span, before: int) -> tuple[Subject, int] | None:
        """The speaker of reported speech in a sentence: the subject of its first speech verb
        before `before`, or "according to X"; and where its verb is (for "according to", -1)."""
        said = [
            (subject, verb.start())
            for verb in VERBS.finditer(self.text, sentence.start, before)
            if (subject := self.subject_before(verb.start(), sentence.start)) is not None
        ]
        if said:
            last, last_at = said[-1]
            closing = len(self.text[last_at : sentence.end].split()) <= 4
            # "Baku answered on 7 November, Bayramov said.": the closing attribution is the speaker
            subject, verb_at = said[-1] if closing and last.named and self._kind(last.match) in PEOPLE else said[0]
            subject.confidence -= 0.1
            return subject, verb_at
        according = ACCORDING.search(self.text, sentence.start, before)
        if according is not None:
            named = self.actors.mentions(Span(according.end(), min(according.end() + 80, sentence.end)))
            lead = regex.match(r"(?:the\s+)?", self.text[according.end() : according.end() + 5])
            if named and named[0][0].start == according.end() + (len(lead[0]) if lead else 0):
                return Subject(named[0][1], according.start(), 0.55, named=True), -1
        return None

    # --- the statements ----------------------------------------------------------------------
    def run(self) -> list[Proposal]:
        quoted = [piece for q in self.direct_quotes() for piece in self.split_long(q)]
        taken = [s for q in quoted for s in q.evidence]
        proposals: list[Proposal] = []
        paraphrases = self.paraphrases(taken, quoted)
        for q in quoted:
            proposals.append(self.fragment_proposal(q) if self.fragments_only(q) else self.direct_proposal(q))
        proposals += paraphrases + [self.clause_paraphrase(*clause) for clause in self.clauses]
        return sorted(proposals, key=lambda p: p.evidence[0])

    def direct_quotes(self) -> list[Quoted]:
        found: list[Quoted] = []
        for parts in quote_spans(self.article):
            attribution = self.attribution_after(parts[-1].end)
            if attribution is not None and self._another_clause(attribution[1], parts[0]):
                self.clauses.append((attribution[0], attribution[2], attribution[3]))
                attribution = None  # "X accused France of “…”, and officials say …": X's words
            if attribution is not None:
                match, words, span, confidence = attribution
                found.append(Quoted(parts, [Span(parts[0].start, span.end)], match, words, confidence, True))
                self._spoke(parts[0].start, match)
                continue
            if found and self._continues(found[-1], parts[0]):  # “A,” he said. “B.”
                found[-1].parts += parts
                found[-1].evidence += parts
                continue
            sentence = self.sentence_of(parts[0].start)
            speaker = self.sentence_speaker(sentence, parts[0].start)
            if speaker is None:
                continue
            subject, _ = speaker
            evidence = Span(sentence.start, max(sentence.end, parts[-1].end))
            if found and self._same_claim(found[-1], subject.match, evidence, parts[0]):
                found[-1].parts += parts
                continue
            words = self.text[subject.start : parts[0].start]
            found.append(Quoted(parts, [evidence], subject.match, words, subject.confidence))
            self._spoke(parts[0].start, subject.match)
        return found

    def _spoke(self, at: int, speaker: ActorMatch) -> None:
        if self._kind(speaker) in PEOPLE:
            self.speakers.append((at, speaker))

    def fragments_only(self, q: Quoted) -> bool:
        """Whether a quote inside reported speech is only a word or three the sentence goes on
        after ("would take “years, not months”, and said ..."; "hand over “accurate” maps"):
        the report's own words around a phrase of the speaker's, a paraphrase."""
        if q.attributed_after:
            return False
        sentence = self.sentence_of(q.parts[-1].start)
        return all(
            len(words_inside(self.article, part).split()) <= 3
            and bool(regex.search(r"\p{L}", self.text[part.end : sentence.end]))
            for part in q.parts
        )

    def fragment_proposal(self, q: Quoted) -> Proposal:
        assert q.speaker is not None
        summary = _sentence(self.article.words(q.evidence[0]))
        note = "; its quote is a phrase of a few words in the report's own sentence"
        return self.proposal(q.speaker, "paraphrase", None, summary, q.evidence, q.confidence, q.attribution, note)

    def clause_paraphrase(self, speaker: ActorMatch, tail: Span, confidence: float) -> Proposal:
        """ "X accused France of “…”, and officials say that …": the clause after the quote is
        another speaker's paraphrase, its evidence the sentence."""
        sentence = self.sentence_of(tail.start)
        verb = VERBS.search(self.text, tail.start, tail.end)
        said = self.text[verb.start() if verb else tail.start : sentence.end]
        summary = _sentence(f"{self.short_name(speaker)} {said}")
        words = self.text[tail.start : verb.start() if verb else tail.end]
        return self.proposal(speaker, "paraphrase", None, summary, [sentence], confidence - 0.15, words)

    def _same_claim(self, before: Quoted, speaker: ActorMatch, evidence: Span, part: Span) -> bool:
        """Whether a second quote of a sentence is part of the first's statement: the same
        speaker, and no speech verb of its own ("said the text was “A” and that it “B”"), or
        a verb but only a word or three ("and accused Yerevan of «revenge»")."""
        if before.attributed_after or before.speaker is None or before.speaker.actor_id != speaker.actor_id:
            return False
        if before.evidence != [evidence]:
            return False
        own_verb = VERBS.search(self.text, before.parts[-1].end, part.start) is not None
        return not own_verb or len(words_inside(self.article, part).split()) <= 3

    def _another_clause(self, tail: str, first: Span) -> bool:
        """Whether the speech verb after a quote is another clause's (", and officials say")
        while the words before the quote already give its speaker ("X has accused France of")."""
        verb = VERBS.search(tail)
        if verb is None or not regex.search(r"\b(?:and|but|while|whereas)\b", tail[: verb.start()]):
            return False
        return self.sentence_speaker(self.sentence_of(first.start), first.start) is not None

    def _continues(self, before: Quoted, part: Span) -> bool:
        """Whether a quote part goes on from a quote attributed after its words, with nothing
        but space between them, in the same paragraph."""
        end = before.evidence[-1].end
        return (
            before.attributed_after
            and end <= part.start
            and not self.text[end : part.start].strip()
            and (self.paragraph_of(end - 1) == self.paragraph_of(part.start))
        )

    def paragraph_of(self, at: int) -> Span | None:
        return next((p for p in self.article.paragraphs if p.start <= at < p.end), None)

    def split_long(self, q: Quoted) -> list[Quoted]:
        """A long quote in one pair of marks, of several sentences, as one statement a sentence
        (a reviewed coding codes each claim of a speech apart); each piece keeps the attribution
        as evidence. Its sentences are syntok's, and a "… " before a capital letter."""
        part = q.parts[0]
        if len(q.parts) > 1 or not q.attributed_after or part.end - part.start < LONG_QUOTE:
            return [q]
        cuts = [s.start for s in self.article.sentences if part.start < s.start < part.end - 1]
        cuts += [m.end() for m in regex.finditer(r"…\s+(?=\p{Lu})", self.text[part.start : part.end])]
        cuts = sorted({part.start + c if c < part.start else c for c in cuts})
        cuts = [c for c in cuts if part.start < c < part.end - 1]
        if not cuts:
            return [q]
        bounds = [part.start, *cuts, part.end]
        attribution = Span(part.end, q.evidence[0].end)
        pieces = []
        for first, last in itertools.pairwise(bounds):
            piece = Span(first, last)
            words = " ".join(self.text[first:last].split()).strip('“”"«»„‘’ ').rstrip(",").strip()
            evidence = [Span(first, q.evidence[0].end)] if last == part.end else [piece, attribution]
            pieces.append(Quoted([piece], evidence, q.speaker, q.attribution, q.confidence - 0.05, True, [words]))
        return pieces

    def direct_proposal(self, q: Quoted) -> Proposal:
        words = q.said or [words_inside(self.article, part) for part in q.parts]
        quote = max(words, key=len)
        assert q.speaker is not None
        summary = _sentence(f"{self.short_name(q.speaker)} said: {' '.join(words)}")
        return self.proposal(q.speaker, "direct_quote", quote, summary, q.evidence, q.confidence, q.attribution)

    def paraphrases(self, taken: list[Span], quoted: list[Quoted]) -> list[Proposal]:
        proposals = []
        for sentence in self.article.sentences:
            if any(sentence.overlaps(span) for span in taken):
                continue
            speaker = self.sentence_speaker(sentence, sentence.end)
            if speaker is None:
                continue
            subject, verb_at = speaker
            if self._leads_into(sentence, subject.match, quoted):
                continue
            summary = self.paraphrase_summary(sentence, subject, verb_at)
            if summary is None:
                continue
            attribution = self.text[subject.start : verb_at if verb_at >= 0 else sentence.end]
            confidence, note = subject.confidence, ""
            if verb_at >= 0 and len(self.text[verb_at : sentence.end].split()) <= 4:
                confidence = min(confidence, 0.45)  # "..., the ministry said.": often an event's report
                note = "; the attribution ends the sentence: maybe a report of an event, not a statement"
            proposals.append(
                self.proposal(subject.match, "paraphrase", None, summary, [sentence], confidence, attribution, note)
            )
        return proposals

    def _leads_into(self, sentence: Span, speaker: ActorMatch, quoted: list[Quoted]) -> bool:
        """ "X said ... . “...,” he said.": the sentence is the evidence of the quote after it,
        in the same paragraph, of the same speaker (by a pronoun). Adds it there."""
        following = next((q for q in quoted if q.evidence[0].start >= sentence.end), None)
        if (
            following is None
            or following.speaker is None
            or following.speaker.actor_id != speaker.actor_id
            or self.text[sentence.end : following.evidence[0].start].strip()
            or self.paragraph_of(sentence.start) != self.paragraph_of(following.evidence[0].start)
            or not regex.match(r"\s*[,.]?\s*(?:he|she)\b", self.text[following.parts[0].end :])
        ):
            return False
        following.evidence.insert(0, sentence)
        following.confidence = min(0.9, following.confidence + 0.05)
        return True

    def paraphrase_summary(self, sentence: Span, subject: Subject, verb_at: int) -> str | None:
        """The sentence's own words from its speaker on ("Mirzoyan said Armenia was ready ..."),
        the speaker named where the words give a pronoun, and "X said ..." where the words end
        with the attribution (", the ministry said.") or give it by "according to X"."""
        name = self.short_name(subject.match)
        if verb_at < 0:
            rest = regex.sub(r",?\s*\b[Aa]ccording to [^,.;]*,?\s*", " ", self.article.words(sentence))
            return _sentence(f"{name} said {_lowered(rest)}")
        after = self.text[verb_at : sentence.end]
        if len(after.split()) <= 4:  # "..., the Armenian defence ministry said on Wednesday."
            before = self.text[sentence.start : subject.start]
            before = regex.sub(r"^.{0,80}?\s[–—-]\s", "", before)  # a dateline: "YEREVAN, ... –"
            before = before.strip().rstrip(",").strip()
            if len(before.split()) < 3:
                return None
            return _sentence(f"{name} said {_lowered(before)}")
        if len(after.split()) < 4:
            return None
        if not subject.named:
            return _sentence(f"{name} {after}")
        return _sentence(self.text[subject.start : sentence.end])

    def short_name(self, match: ActorMatch) -> str:
        """A person by the surname, another actor by its name."""
        use = self.actors.used(match.actor_id)
        if use is None:
            return match.matched
        if use.actor.actor_type in ("person", "expert"):
            return use.actor.name.split()[-1]
        return use.actor.name

    def proposal(
        self,
        speaker: ActorMatch,
        kind: str,
        quote: str | None,
        summary: str,
        evidence: list[Span],
        confidence: float,
        attribution: str,
        note: str = "",
    ) -> Proposal:
        when, basis = self.when(evidence)
        content = " ".join(self.article.words(span) for span in evidence)
        topic = topic_of(f"{quote or ''} {content}")
        ends = [end for end in (when or "").split("/") if end and end != ".."]
        date_part = ends[-1][:7] if ends else ""  # "../2025-06-12": said by June 2025
        name_words = set(self.short_name(speaker).split()) | set(speaker.matched.split())
        content_words = [
            w
            for w in regex.findall(r"\p{L}+(?=[’']s\b)|\p{L}+", quote or summary)
            if w not in name_words and w != "s" and w.lower() not in ID_STOPWORDS
        ]
        words = " ".join(content_words[:4])
        statement_id = slug(" ".join(filter(None, [self.short_name(speaker), date_part, words])))[:80].strip("-")
        reason = f"{kind.replace('_', ' ')}; speaker from “{_short(attribution)}”"
        if speaker.known:
            reason += f" (“{speaker.matched}”, score {speaker.score:g})"
        reason += note
        if topic is None:
            reason += f"; no topic word: {DEFAULT_TOPIC} by default"
        return Proposal(
            "statements",
            {
                "statement_id": statement_id,
                "speaker_id": speaker.actor_id,
                "target_id": self.target(evidence, speaker),
                "kind": kind,
                "quote": quote,
                "summary": summary,
                "topic": topic or DEFAULT_TOPIC,
                "event_type": None,
                "when": when,
                "date_basis": basis,
            },
            evidence,
            round(min(confidence, 0.95) if topic else min(confidence, 0.5), 2),
            reason,
        )

    def when(self, evidence: list[Span]) -> tuple[str | None, str | None]:
        """A date right after a speech verb of the evidence ("said yesterday", "told parliament
        on Wednesday"), else on or before the day of publication."""
        for span in evidence:
            for verb in VERBS.finditer(self.text, span.start, span.end):
                near = Span(verb.start(), min(verb.end() + 30, span.end))
                for guess in dates_in(self.article, near):
                    if not regex.search(r"[“\"«„‘]", self.text[verb.end() : guess.span.start]):
                        return guess.edtf, guess.basis
        return said_on_or_before(self.article.published_on)

    def target(self, evidence: list[Span], speaker: ActorMatch) -> str | None:
        """The first state the words name other than the speaker and the speaker's own."""
        use = self.actors.used(speaker.actor_id)
        own = use.actor.country if use else None
        for span in evidence:
            for where, match in self.actors.mentions(span):
                other = self.actors.used(match.actor_id)
                if other is None or match.actor_id == speaker.actor_id or other.actor.actor_type != "state":
                    continue
                if self.text[where.start : where.end] in CAPITALS and HOST.search(
                    self.text, max(0, where.start - 12), where.start
                ):
                    continue  # "talks in Tbilisi", "the Tbilisi meeting": the host city, not its state
                if other.actor.country != own:
                    return match.actor_id
        return None


def _sentence(words: str) -> str:
    """One line of at most 40 words, ending in a full stop, that no spreadsheet runs as a formula."""
    flat = words.split()
    text = " ".join(flat[:40]) + (" …" if len(flat) > 40 else "")
    text = text.strip(' ,;:“”"«»„‘’').rstrip(".")
    return regex.sub(r"^[=+\-@\s]+", "", text[:1].upper() + text[1:]) + ("" if text.endswith("…") else ".")


CLAUSE_STARTERS = {"The", "A", "An", "It", "Its", "This", "These", "Those", "Last", "In", "On", "At", "For", "After",
                   "Before", "Since", "During", "When", "While", "As", "More", "Some", "About", "Nearly", "Earlier",
                   "Yesterday", "Two", "Three", "Four", "Five", "Six", "Both", "Neither", "No", "All"}  # fmt: skip


def _lowered(words: str) -> str:
    """A clause put after "said": its first letter lowered unless it starts a name ("The" → "the")."""
    words = " ".join(words.split())
    first = words.split(" ", 1)[0] if words else ""
    return words[:1].lower() + words[1:] if first in CLAUSE_STARTERS else words


def _short(words: str) -> str:
    flat = " ".join(words.split())
    return flat if len(flat) <= 60 else flat[:59] + "…"
