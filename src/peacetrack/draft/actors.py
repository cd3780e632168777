"""Who an article names: the `Actors` a draft may refer to, known ones linked by name or alias,
new ones proposed with a type, a country where the words give one, and a slug id.

Known actors are those of the latest release at hand (bundled or local: never the network)
and of every other seed's coding.yaml. A mention is linked to one by its names and aliases with
rapidfuzz (the score is kept, and shown in the draft's reason). Mentions are found by rules: a
known name or alias, a country, its demonym or capital (pycountry and the table below), a
titled person ("Foreign Minister Ararat Mirzoyan"), a person named with a role after a comma
("Lilit Avetisyan, an analyst"), a person named without a title whom the article gives as a
speaker somewhere ("Ararat Mirzoyan and Jeyhun Bayramov met ...", then "said Bayramov"), a
body of a state ("Azerbaijan's defence ministry"), a capitalised organisation ("... Council",
"... Agency"), an outlet ("the daily Kür Xəbərləri") and an unnamed source ("a diplomatic
source"). A surname alone resolves to the person named in full before it.

Some 650 lines: the tables of words (titles, demonyms, capitals, bodies, words no name holds)
are a fifth of it, and the finders share one state (the spans already taken, the persons named
so far), so they are one class.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import regex

from peacetrack.draft.model import ActorMatch, Article, Span
from peacetrack.errors import DataError, FileFault
from peacetrack.tables import CODING_FILE

# Countries the region's reports name by a demonym or a capital ("the Armenian side", "Baku").
DEMONYMS = {
    "Armenian": "ARM", "Armenians": "ARM", "Azerbaijani": "AZE", "Azerbaijanis": "AZE",
    "Azeri": "AZE", "French": "FRA", "American": "USA", "US": "USA", "U.S.": "USA",
    "Russian": "RUS", "Iranian": "IRN", "Turkish": "TUR", "Georgian": "GEO", "Indian": "IND",
    "Israeli": "ISR", "German": "DEU", "British": "GBR", "Chinese": "CHN", "Ukrainian": "UKR",
    "Pakistani": "PAK", "Greek": "GRC", "Serbian": "SRB", "Belarusian": "BLR", "Kazakh": "KAZ",
}  # fmt: skip
CAPITALS = {
    "Yerevan": "ARM", "Baku": "AZE", "Paris": "FRA", "Washington": "USA", "Moscow": "RUS",
    "Tehran": "IRN", "Ankara": "TUR", "Tbilisi": "GEO", "New Delhi": "IND", "Berlin": "DEU",
    "London": "GBR", "Beijing": "CHN", "Kyiv": "UKR", "Islamabad": "PAK", "Athens": "GRC",
}  # fmt: skip
COUNTRY_NAMES = {"Russia": "RUS", "Iran": "IRN", "Turkey": "TUR", "Türkiye": "TUR", "United States": "USA",
                 "United Kingdom": "GBR", "Britain": "GBR", "South Korea": "KOR", "Syria": "SYR"}  # fmt: skip
# Organisations of states, by the names reports use.
INTERNATIONAL = {
    "EU": "European Union", "European Union": "European Union", "UN": "United Nations",
    "United Nations": "United Nations", "OSCE": "OSCE", "NATO": "NATO", "CSTO": "CSTO",
    "OSCE Minsk Group": "OSCE Minsk Group", "Minsk Group": "OSCE Minsk Group",
}  # fmt: skip
TITLES = (
    "Deputy Prime Minister", "Prime Minister", "Deputy Foreign Minister", "Foreign Minister",
    "Deputy Defence Minister", "Defence Minister", "Defense Minister", "Deputy Defense Minister",
    "Minister of Foreign Affairs", "Minister of Defence", "Minister", "Vice President", "President",
    "Speaker", "Ambassador", "General", "Chancellor", "Secretary of State", "Secretary",
    "Chief of General Staff", "Ombudsman", "Mayor", "Governor", "Senator",
)  # fmt: skip
LOWER_TITLES = r"(?:deputy\s+)?(?:prime\s+minister|foreign\s+minister|defen[cs]e\s+minister|minister|spokes(?:man|woman|person)|ambassador|president|envoy|adviser|advisor|head|chief|official|commander)"
EXPERT_WORDS = ("analyst", "researcher", "expert", "professor", "scholar", "fellow")
BODY_WORDS = r"(?:ministry|agency|commission|embassy|government|parliament|service|committee|council|office|army|armed\s+forces|air\s+force|navy|border\s+guards?)"
ORG_WORDS = ("Ministry", "Council", "Union", "Agency", "Commission", "Committee", "Service", "Centre",
             "Center", "Institute", "Lab", "Group", "Organization", "Organisation", "Bank", "Fund",
             "Forces", "Force", "Army", "Navy", "Guard", "Parliament", "Assembly", "Majlis", "Court")  # fmt: skip
MEDIA_WORDS = r"(?:daily|newspaper|weekly|agency|news\s+agency|broadcaster|channel|outlet|website|portal)"
ANONYMOUS = (
    r"\b(?:a|an|one|two|three|several|some)\s+(?:(?:senior|diplomatic|government|military|western|european|"
    r"armenian|azerbaijani|russian|french|us|american|unnamed|anonymous|security|ministry|commission|defence|defense)\s+)*"
    r"(?:sources?|officials?|diplomats?)\b"
    r"(?:\s+(?:in|from)\s+\p{Lu}\p{L}+|\s+familiar\s+with\s+the\s+\p{Ll}+)?"
)
# Verbs of reported speech (statements.py finds statements by them; a name that is their
# subject, or follows one, is a person's).
SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|noted|notes|stated|states|stressed|stresses|emphasized|emphasised|"
    "accused|accuses|reiterated|warned|argued|insisted|claimed|claims|announced|urged|demanded|denied|rejected|"
    "described|expressed|reaffirmed|revealed|outlined|highlighted|answered|asked|repeated|reported|complained|"
    "criticised|criticized|condemned|welcomed|praised|proposed|confirmed|asserted|declared|explained|wrote|"
    "replied|responded|acknowledged|admitted|agreed|called|protested|vowed|pledged|promised|suggested|believes|"
    "believed|recalled|underlined|mentioned|continued|went on|concluded|observed|pointed out|made it clear|put it"
)
# A space inside a name: spaces, or one line break of a hard-wrapped line (never a blank line).
SP = r"(?:[ \t]*\n[ \t]*|[ \t]+)"
WORD = r"\p{Lu}[\p{L}\p{M}\-]*"
# The small words inside a name: "Thomas de Waal", "Ursula von der Leyen".
PARTICLES = rf"(?:(?:de|van|von|der|den|al|el|bin|ibn|ter|da|di|du|la|le){SP})*"
NAME = rf"{WORD}(?:{SP}{PARTICLES}{WORD}){{1,2}}"
CAPITALISED = rf"{WORD}(?:(?:{SP}(?:of|for))?{SP}{WORD})*"
SPELT = str.maketrans({"ə": "a", "Ə": "A", "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h"})
FUZZY_CUTOFF = 88
SENTENCE_STARTERS = {"The", "A", "An", "In", "On", "But", "And", "While", "As", "He", "She", "It", "They", "We"}
# A word of a person's name: a capital, then small letters ("Hacıyev", "Ter-Petrosyan"), never
# all capitals (a headline, "BAKU PROTESTS").
NAME_WORD = r"\p{Lu}[\p{Ll}\p{M}]+(?:[\-’']\p{Lu}?[\p{Ll}\p{M}]+)*"
PERSON = rf"(?<![\p{{L}}\p{{M}}\-])(?P<name>{NAME_WORD}(?:{SP}{PARTICLES}{NAME_WORD}){{1,4}})(?![\p{{L}}\p{{M}}])"
# Capitalised words no person's name holds: a run holding one is a place, a body, a date.
NOT_NAME_WORDS = frozenset((
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Its", "This", "These", "Those", "Last", "At", "For", "After", "Before", "Since", "During", "When",
    "Both", "Neither", "No", "All", "Asked", "Mr", "Mrs", "Ms", "North", "South", "East", "West",
    "Central", "Upper", "Lower", "New", "Saint", "Mount", "Lake", "River", "Province", "Region",
    "District", "Republic", "Security", "Forum", "Monitor", "Institute", "University", "Treaty", "Peace",
    "Agreement", "House", "Square", "Street", "Airport", "Palace", "Hall", "Day", "Foundation", "Press",
    "News", "Wire", "Times", "Post", "Review", "Daily", "Caucasus", "Karabakh", "God", "Defence", "Defense",
    "Studies", "Affairs", "Relations", "Policy", "Research", "Strategic", "International", "National",
    "State", "Public", "Foreign", "Eastern", "Western", "Political", "Europe", "Asia", "Africa", "America", "Community", "Summit",
))  # fmt: skip


@dataclass
class Actor:
    """An actor the draft names: known (as released or coded in another seed) or proposed."""

    actor_id: str
    name: str
    actor_type: str
    country: str | None = None
    role: str | None = None
    aliases: list[str] = field(default_factory=list)
    known: bool = False
    parent_id: str | None = None


@dataclass
class Use:
    """An actor as this article names it: the mention first seen (its evidence), each wording."""

    actor: Actor
    first: Span
    wordings: list[str]
    match: ActorMatch


def slug(name: str) -> str:
    """An id from a name: lower case ASCII, diacritics dropped (Əliyeva → aliyeva)."""
    folded = unicodedata.normalize("NFKD", name.translate(SPELT))
    ascii_text = folded.encode("ascii", "ignore").decode().lower()
    return "-".join(regex.findall(r"[a-z0-9]+", ascii_text))


def country_codes() -> dict[str, str]:
    """Country names (ISO's, its common names, a few usual ones) to their alpha-3 code."""
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", None)):
            if name and "," not in name:
                names[name] = country.alpha_3
    return names | COUNTRY_NAMES


def other_codings(folder: Path) -> list[Any]:
    """The coding files of the seeds beside `folder` (not its own), each read once as the build
    reads files (no link out, size and nodes capped, no anchors or tags), for their actors and
    their ids; a file that cannot be read so is passed over (`validate` says why)."""
    from peacetrack.yamlfile import read_yaml

    seeds = folder.parent
    documents = []
    for other in sorted(p for p in seeds.iterdir() if p.is_dir() and not p.is_symlink()) if seeds.is_dir() else []:
        if other.resolve() == folder.resolve():
            continue
        try:
            documents.append(read_yaml(other / CODING_FILE, seeds))
        except (FileFault, OSError):
            continue
    return documents


def known_actors(codings: list[Any]) -> list[Actor]:
    """The actors of the latest release at hand (none when there is none) and of the coding
    files `codings` (the other seeds')."""
    found: dict[str, Actor] = {}
    for row in _released_actors():
        found[row["actor_id"]] = Actor(**row, known=True)
    for document in codings:
        entries = document.get("actors") if isinstance(document, dict) else None
        for entry in entries if isinstance(entries, list) else []:
            actor = _coded_actor(entry)
            if actor is not None:
                found.setdefault(actor.actor_id, actor).aliases += actor.aliases
    return list(found.values())


def _released_actors() -> list[dict[str, Any]]:
    return released_table("actors", ["actor_id", "name", "actor_type", "country", "role", "aliases", "parent_id"])


def released_table(table: str, columns: list[str]) -> list[dict[str, Any]]:
    """Rows (those columns) of a table of the latest release in the data folder (the bundled
    one, or `PEACETRACK_DATA_DIR`'s), its file verified against the index; none when there is
    none. Never the network: a release whose file is not local is not read."""
    from peacetrack.data import data_dir, find_release
    from peacetrack.mirror import release_file, release_file_sha256

    try:
        import pyarrow.parquet as pq

        release = find_release(None, remote=False)
        folder = data_dir() / "releases" / release.version
        entry = release_file(release, f"{table}.parquet")
        if release_file_sha256(folder, entry) != entry.sha256:
            return []
        # ParquetFile, not read_table: the latter goes through pyarrow.dataset, which imports pandas (0.7 s)
        rows: list[dict[str, Any]] = pq.ParquetFile(folder / entry.path).read(columns=columns).to_pylist()
        return rows
    except (DataError, OSError, KeyError, ValueError):
        return []


def _coded_actor(entry: Any) -> Actor | None:
    if not isinstance(entry, dict):
        return None
    actor_id, name, actor_type = (entry.get(key) for key in ("actor_id", "name", "actor_type"))
    if not (isinstance(actor_id, str) and isinstance(name, str) and isinstance(actor_type, str)):
        return None
    country, role, aliases, parent = (entry.get(key) for key in ("country", "role", "aliases", "parent_id"))
    return Actor(
        actor_id,
        name,
        actor_type,
        country if isinstance(country, str) else None,
        role if isinstance(role, str) else None,
        [a for a in aliases if isinstance(a, str)] if isinstance(aliases, list) else [],
        known=True,
        parent_id=parent if isinstance(parent, str) else None,
    )


@cache
def _pattern(text: str) -> regex.Pattern[str]:
    """A pattern whose `\\s+` is a space inside a line or one line break (SP), never a blank line."""
    return regex.compile(text.replace(r"\s+", SP), regex.VERSION1)


def _alternatives(words: Any) -> str:
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


class ArticleActors:
    """The `Actors` of one article: every mention found once, in text order."""

    def __init__(self, article: Article, known: list[Actor]) -> None:
        self.article = article
        self.known = {actor.actor_id: actor for actor in known}
        self.countries = {name: code for name, code in country_codes().items() if name in article.text}
        self.proposed: dict[str, Actor] = {}
        self.uses: dict[str, Use] = {}
        self.found: list[tuple[Span, ActorMatch]] = []
        self._taken: list[Span] = []
        self._last_title: str | None = None
        self._names = self._known_names()
        self._find()

    # --- the protocol ------------------------------------------------------------------------
    def mentions(self, span: Span) -> list[tuple[Span, ActorMatch]]:
        return [(where, match) for where, match in self.found if span.start <= where.start and where.end <= span.end]

    def resolve(self, name: str) -> ActorMatch | None:
        words = regex.sub(r"^(?i:the)\s+", "", " ".join(name.split()))
        titled = next((words[len(t) + 1 :] for t in TITLES if words.startswith(t + " ")), None)
        for wording in (words, titled):
            for use in self.uses.values():  # as the article names someone already
                if wording in use.wordings or wording == use.actor.name:
                    return use.match
        words = titled or words
        person = self._surname(words)
        if person is not None:
            return self.uses[person].match
        code = self.countries.get(words) or CAPITALS.get(words) or DEMONYMS.get(words)
        if code is not None:
            actor, match = self._state(code, words)
        else:
            found = self._known_match(words)
            if found is None:
                return None
            actor, match = self.known[found.actor_id], found
        return match if self._named_somewhere(actor, match, words) else None

    def _named_somewhere(self, actor: Actor, match: ActorMatch, words: str) -> bool:
        """Keep an actor found by `resolve` as used, at the first place the words name it (the
        draft's evidence for it); False when the article does not hold the words."""
        if match.actor_id in self.uses:
            return True
        found = regex.search(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(words)}(?![\p{{L}}\p{{N}}])", self.article.text)
        if found is None:
            return False
        if not match.known:
            actor = self.proposed.setdefault(actor.actor_id, actor)
        self.uses[match.actor_id] = Use(actor, Span(found.start(), found.end()), [words], match)
        return True

    # --- what the draft writes ---------------------------------------------------------------
    def used(self, actor_id: str) -> Use | None:
        return self.uses.get(actor_id)

    # --- finding mentions --------------------------------------------------------------------
    def _known_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for actor in self.known.values():
            for wording in [actor.name, *actor.aliases]:
                names.setdefault(wording, actor.actor_id)
        return names

    def _known_match(self, words: str) -> ActorMatch | None:
        from rapidfuzz import fuzz, process, utils

        if words in self._names:
            return ActorMatch(self._names[words], True, words, 100.0)
        if len(words) < 4:  # "US", "EU": only exactly
            return None
        best = process.extractOne(
            words, list(self._names), scorer=fuzz.ratio, processor=utils.default_process, score_cutoff=FUZZY_CUTOFF
        )
        if best is None:
            return None
        return ActorMatch(self._names[best[0]], True, best[0], round(float(best[1]), 1))

    def _add(
        self, where: Span, actor: Actor, match: ActorMatch, wording: str | None, named: Span | None = None
    ) -> None:
        """Keep a mention; `named`, the part of `where` no other finder may take (a person's
        name, not the role after it, where a body is named: "deputy head of X's agency")."""
        taken = named or where
        if any(taken.overlaps(other) for other in self._taken):
            return
        self._taken.append(taken)
        if not match.known:
            actor = self.proposed.setdefault(actor.actor_id, actor)
        use = self.uses.get(match.actor_id)
        if use is None:
            use = self.uses[match.actor_id] = Use(actor, where, [], match)
        if wording and wording not in use.wordings:
            use.wordings.append(wording)
        self.found.append((where, match))

    def _propose(self, where: Span, actor: Actor, wording: str, named: Span | None = None) -> None:
        """Link to a known actor when its name is known, else propose `actor`."""
        bare = regex.sub(r"^(?i:the)\s+", "", wording)
        match = None if actor.actor_type == "anonymous" else self._known_match(bare) or self._known_match(actor.name)
        if match is not None:
            self._add(where, self.known[match.actor_id], match, wording)
            return
        if actor.actor_id in self.known:  # an id taken by another actor: keep ids unique
            actor.actor_id = f"{self.article.source_id}-{actor.actor_id}"
        self._add(where, actor, ActorMatch(actor.actor_id, False, wording, 100.0), wording, named)

    def _state(self, code: str, wording: str) -> tuple[Actor, ActorMatch]:
        actor_id = code.lower()
        if actor_id in self.known:
            actor = self.known[actor_id]
            aliases = [actor.name, *actor.aliases]
            matched = wording if wording in aliases else actor.name
            return actor, ActorMatch(actor_id, True, matched, 100.0)
        import pycountry

        country = pycountry.countries.get(alpha_3=code)
        usual = next((name for name, usual_code in COUNTRY_NAMES.items() if usual_code == code), None)
        name: str = usual or getattr(country, "common_name", None) or getattr(country, "name", None) or code
        return Actor(actor_id, name, "state", code, aliases=[name]), ActorMatch(actor_id, False, wording, 100.0)

    def _country_of(self, words: str) -> str | None:
        """The country a title's or body's leading words name ("Azerbaijan's", "Armenian")."""
        for word in regex.findall(r"\p{Lu}[\p{L}\.]*(?:\s+\p{Lu}\p{L}*)?", words):
            bare = regex.sub(r"(?:’s|'s)$", "", word)
            code = self.countries.get(bare) or DEMONYMS.get(bare) or CAPITALS.get(bare)
            if code:
                return code
        return None

    def _find(self) -> None:
        text = self.article.text
        for finder in (
            self._anonymous,
            self._titled,
            self._described,
            self._first_names,
            self._media,
            self._bodies,
            self._international,
            self._persons,
            self._honorific,
            self._capitalised,
        ):
            finder(text)
        self.found.sort(key=lambda found: found[0])
        self._officials_of_bodies()

    def _officials_of_bodies(self) -> None:
        """ "A commission official" after "Armenia's commission on missing persons" speaks for
        that body: its mentions are the body's, and the unnamed actor is dropped."""
        for actor_id, use in list(self.uses.items()):
            if use.actor.actor_type != "anonymous" or use.match.known:
                continue
            word = regex.search(rf"(?i)\b({BODY_WORDS})\s+officials?\b", use.actor.name)
            if word is None:
                continue
            bodies = [
                other
                for other in self.uses.values()
                if other.actor.actor_type == "government_agency"
                and other.first.start < use.first.start
                and word[1].lower() in other.actor.name.lower()
            ]
            if len(bodies) != 1:
                continue
            body = bodies[0]
            self.found = [(where, body.match if m.actor_id == actor_id else m) for where, m in self.found]
            del self.uses[actor_id]
            self.proposed.pop(actor_id, None)

    def _anonymous(self, text: str) -> None:
        for m in _pattern(rf"(?i:{ANONYMOUS})").finditer(text):
            words = " ".join(m[0].split())
            core = regex.sub(r"^(?i:a|an|one|two|three|several|some)\s+", "", words)
            core = regex.sub(r"\s+(?:in|from|familiar with)\s+.*$", "", core)
            actor_id = f"{self.article.source_id}-{slug(core)}"
            name = words[0].upper() + words[1:]
            self._propose(Span(m.start(), m.end()), Actor(actor_id, name, "anonymous", None, aliases=[words]), words)

    def _titled(self, text: str) -> None:
        countries = _alternatives([*self.countries, *DEMONYMS])
        upper = _pattern(
            rf"(?:(?P<lead>(?:{countries})(?:’s|'s)?)\s+)?(?P<title>{_alternatives(TITLES)})\s+(?P<name>{WORD}(?:\s+{WORD}){{0,2}})"
        )
        lower = _pattern(
            rf"(?P<lead>(?:[\p{{L}}’'\-]+\s+){{0,3}})(?P<title>(?i:{LOWER_TITLES}|counterpart)),?\s+(?P<name>{NAME})"
        )
        for pattern in (upper, lower):
            for m in pattern.finditer(text):
                name = _trim_name(m["name"])
                if not name or (pattern is lower and not regex.match(rf"{NAME}$", name)):
                    continue
                lead = m["lead"] or ""
                country = self._country_of(lead)
                named = regex.search(r"\p{Lu}", lead) if country else None  # the lead from its country
                lead_words = lead[named.start() :] if named else ""
                start = m.start("lead") + named.start() if named else m.start("title")
                where = Span(start, m.start("name") + len(name))
                title = " ".join(m["title"].split())
                counterpart = title.lower() == "counterpart"
                if counterpart:  # "his Armenian counterpart": the same office
                    title = self._last_title or title
                    lead_words = ""
                role = " ".join(f"{lead_words} {title}".split()) if pattern is lower else title
                if (pattern is upper or counterpart) and country is not None:  # "Foreign Minister of Armenia"
                    role = f"{title} of {self._state(country, country)[0].name}"
                self._last_title = title if pattern is upper else self._last_title
                person = Actor(slug(name), name, "person", country, role[0].upper() + role[1:], aliases=[name])
                if " " not in name:  # "President Aliyev": a surname, of someone named before
                    surname = self._surname(name)
                    if surname is not None:
                        self._add(where, self.uses[surname].actor, self.uses[surname].match, name)
                        continue
                self._propose(where, person, name)

    def _described(self, text: str) -> None:
        """ "Lilit Avetisyan, an analyst at ...": a person and the role a comma gives."""
        pattern = _pattern(
            rf"(?P<name>{NAME}),\s+(?:(?:a|an|the)\s+)?(?P<role>(?:[\p{{L}}\-’']+\s+){{0,3}}?"
            rf"(?P<kind>{'|'.join(EXPERT_WORDS)}|official|head|director|spokes\w+|minister|leader|chairman|chair|member|commander|resident)"
            r"(?:\s+(?:at|in|of|with|for)\s+[^,.;]{1,60})?)"
        )
        for m in pattern.finditer(text):
            name = _trim_name(m["name"])
            if " " not in name:
                continue
            kind = "expert" if m["kind"].lower() in EXPERT_WORDS else "person"
            country = None if kind == "expert" else self._country_of(m["role"])
            role = " ".join(m["role"].split())
            where = Span(m.end("name") - len(name), m.end("role"))
            actor = Actor(slug(name), name, kind, country, role[0].upper() + role[1:], [name])
            self._propose(where, actor, name, Span(where.start, m.end("name")))

    def _first_names(self, text: str) -> None:
        """ "who gave only her first name, Səbinə": a person known by one name."""
        pattern = _pattern(rf"(?i:(?:gave|giving)\s+only\s+(?:her|his|their)\s+first\s+name),?\s+(?P<name>{WORD})")
        for m in pattern.finditer(text):
            name = m["name"]
            where = Span(m.start("name"), m.end("name"))
            actor = Actor(f"{self.article.source_id}-{slug(name)}", name, "person", None, aliases=[name])
            self._propose(where, actor, name)

    def _media(self, text: str) -> None:
        demonyms = _alternatives(DEMONYMS)
        pattern = _pattern(rf"(?:(?P<demonym>{demonyms})\s+)?(?i:{MEDIA_WORDS})\s+(?P<name>{WORD}(?:\s+{WORD}){{0,3}})")
        for m in pattern.finditer(text):
            name = m["name"]
            country = DEMONYMS.get(m["demonym"] or "")
            self._propose(Span(m.start(), m.end()), Actor(slug(name), name, "media", country, aliases=[name]), name)

    def _bodies(self, text: str) -> None:
        countries = _alternatives([*self.countries, *CAPITALS])
        pattern = _pattern(
            rf"(?:(?P<country>{countries})(?:’s|'s)|(?i:the)\s+(?P<demonym>{_alternatives(DEMONYMS)}))\s+"
            rf"(?P<body>(?:[\p{{Ll}}\-]+\s+){{0,3}}?(?i:{BODY_WORDS})(?:\s+(?:on|for)\s+\p{{Ll}}+(?:\s+\p{{Ll}}+)?)?)\b"
        )
        for m in pattern.finditer(text):
            code = self.countries.get(m["country"] or "") or CAPITALS.get(m["country"] or "") or DEMONYMS[m["demonym"]]
            body = " ".join(m["body"].split())
            where = Span(m.start(), m.end())
            if body.lower() == "government":
                actor, match = self._state(code, m[0])
                self._add(where, actor, match, None)
                continue
            kind = "government_agency"
            if regex.search(r"(?i)army|forces|air force|navy|guard", body):
                kind = "armed_force"
            elif regex.search(r"(?i)parliament", body):
                kind = "legislature"
            country_name = m["country"] or m["demonym"]
            name = f"{body[0].upper()}{body[1:]} of {self._state(code, country_name)[0].name}"
            wording = " ".join(m[0].split())
            actor = Actor(f"{code.lower()}-{slug(body)}", name, kind, code, aliases=[wording])
            self._propose(where, actor, wording)

    def _international(self, text: str) -> None:
        for m in _pattern(rf"\b(?:{_alternatives(INTERNATIONAL)})\b").finditer(text):
            name = INTERNATIONAL[m[0]]
            actor = Actor(slug(name), name, "international_org", None, aliases=[m[0]])
            self._propose(Span(m.start(), m.end()), actor, m[0])

    def _persons(self, text: str) -> None:
        """ "Ararat Mirzoyan and Jeyhun Bayramov met ...": two or three capitalised words that
        are no place, body or date, named as a speaker somewhere in the article (the name or
        its surname the subject of a speech verb, or after one: "said Bayramov")."""
        for run in _pattern(PERSON).finditer(text):
            words = list(regex.finditer(NAME_WORD, run[0]))
            while words and self._not_name(words[0][0]):  # "Armenia Vahan Kostanyan": the name after a place
                words.pop(0)
            body = regex.search(r"(?i:\bthe|\bof|\bfor|\bat)\s+$", text[max(0, run.start() - 5) : run.start()])
            if body and words and words[0].start() == 0:
                continue  # "the Yerevan Arms Forum", "Centre for Regional Studies", "at Carnegie Europe": a body
            if not 2 <= len(words) <= 3 or any(self._not_name(word[0]) for word in words):
                continue
            name = " ".join(run[0][words[0].start() : words[-1].end()].split())
            if not self._speaks(name.split()):
                continue
            where = Span(run.start() + words[0].start(), run.start() + words[-1].end())
            self._propose(where, Actor(slug(name), name, "person", None, aliases=[name]), name)

    def _honorific(self, text: str) -> None:
        """ "Mr Pashinyan", "Ms Vogel": the person of that surname named before (or known), else
        a person the article names only so."""
        for m in _pattern(rf"\b(?:Mr|Mrs|Ms|Dr)\.?\s+(?P<name>{NAME_WORD})(?![\p{{L}}\p{{M}}])").finditer(text):
            surname, where = m["name"], Span(m.start(), m.end())
            person = self._surname(surname)
            if person is not None:
                self._add(where, self.uses[person].actor, self.uses[person].match, surname)
                continue
            known = next(
                (a for a in self.known.values() if a.actor_type == "person" and a.name.split()[-1] == surname), None
            )
            if known is not None:
                self._add(where, known, ActorMatch(known.actor_id, True, known.name, 100.0), surname)
                continue
            self._propose(where, Actor(slug(surname), surname, "person", None, aliases=[surname]), surname)

    def by_office(self, where: Span, state: str, title: str) -> ActorMatch | None:
        """The actor whose role is `title` of the state `state` names ("the Azerbaijani
        president": President of Azerbaijan), as the article names it or known; None if none."""
        code = self.countries.get(state) or DEMONYMS.get(state) or CAPITALS.get(state)
        if code is None:
            return None
        role = f"{' '.join(title.split())} of {self._state(code, code)[0].name}".lower()
        for use in self.uses.values():
            if (use.actor.role or "").lower() == role:
                return use.match
        for actor in self.known.values():
            if (actor.role or "").lower() == role:
                match = ActorMatch(actor.actor_id, True, actor.name, 100.0)
                self.uses[actor.actor_id] = Use(actor, where, [self.article.words(where)], match)
                return match
        return None

    def _not_name(self, word: str) -> bool:
        bare = regex.sub(r"(?:’s|'s)$", "", word)
        return (
            bare in NOT_NAME_WORDS
            or bare in SENTENCE_STARTERS
            or bare in self.countries
            or bare in CAPITALS
            or bare in DEMONYMS
            or bare in INTERNATIONAL
            or bare in ORG_WORDS
            or any(bare in title.split() for title in TITLES)
        )

    def _speaks(self, words: list[str]) -> bool:
        """Whether the article gives the name (or its surname) as a speaker."""
        named = rf"(?:{SP.join(regex.escape(w) for w in words)}|{regex.escape(words[-1])})"
        verbs = rf"(?:{SPEECH_VERBS}|wrote|writes|declined)"
        return bool(
            _pattern(
                rf"\b{named}(?:,[^.;“”\"«»]{{1,120}}?,|,)?(?:\s+(?:has|had|have|also|again|later|then))*\s+(?:{verbs})\b"
                rf"|\b(?:{verbs}),?\s+{named}\b|(?i:according\s+to)\s+{named}\b"
            ).search(self.article.text)
        )

    def _capitalised(self, text: str) -> None:
        for m in _pattern(CAPITALISED).finditer(text):
            words, start = m[0], m.start()
            first = words.split()[0]
            if first in SENTENCE_STARTERS and " " in words:
                cut = words.index(" ") + 1
                words, start = words[cut:].lstrip(), start + cut + (len(words[cut:]) - len(words[cut:].lstrip()))
            self._capitalised_run(words, Span(start, start + len(words)))

    def _capitalised_run(self, words: str, where: Span) -> None:
        bare = regex.sub(r"(?:’s|'s)$", "", words)
        where = Span(where.start, where.start + len(bare))
        code = self.countries.get(bare) or CAPITALS.get(bare)
        if code is not None:
            actor, match = self._state(code, bare)
            self._add(where, actor, match, bare)
            return
        if bare in DEMONYMS:
            actor, match = self._state(DEMONYMS[bare], bare)
            self._add(where, actor, match, None)
            return
        person = self._surname(bare)
        if person is not None:
            self._add(where, self.uses[person].actor, self.uses[person].match, bare)
            return
        known = self._known_match(bare) if not bare.isupper() or len(bare) <= 6 else None
        if known is not None and (" " in bare or known.score == 100.0):
            self._add(where, self.known[known.actor_id], known, bare)
            return
        last = bare.split()[-1]
        if " " in bare and last in ORG_WORDS:
            head = bare.split()[0]
            country = DEMONYMS.get(head) or self.countries.get(head)
            kind = "group"
            if last in ("Force", "Forces", "Army", "Navy", "Guard"):
                kind = "armed_force"
            elif last in ("Parliament", "Assembly", "Majlis"):
                kind = "legislature"
            elif last in ("Ministry", "Agency", "Service", "Commission", "Committee"):
                kind = "government_agency"
            self._propose(where, Actor(slug(bare), bare, kind, country, aliases=[bare]), bare)

    def _surname(self, word: str) -> str | None:
        """The person named in full before whose surname (or given name alone) `word` is."""
        if " " in word:
            return None
        for actor_id, use in self.uses.items():
            if use.actor.actor_type in ("person", "expert") and word in use.actor.name.split()[1:]:
                return actor_id
        return None


def _trim_name(name: str) -> str:
    """A name without a trailing word that starts the next clause ("Aliyev The...")."""
    words = name.split()
    while words and words[0] in SENTENCE_STARTERS:
        words.pop(0)
    while words and (words[-1] in SENTENCE_STARTERS or words[-1].endswith(".")):
        words.pop()
    return " ".join(words)


def article_actors(article: Article, folder: Path, codings: list[Any] | None = None) -> ArticleActors:
    """The `Actors` of the article of seed `folder`, linked to the actors known beside it
    (`codings`: the other seeds' coding files, when read already)."""
    return ArticleActors(article, known_actors(other_codings(folder) if codings is None else codings))
