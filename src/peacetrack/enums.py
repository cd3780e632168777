"""The contract's vocabularies: the values an enum column may hold, each with what it means.

A member is written `name = "value", "definition"`; `member.definition` is the one-line
meaning a coder, `peacetrack info` and the data card show. This module imports nothing of
peacetrack's.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

import pycountry


class Vocabulary(StrEnum):
    """An enum whose every member carries a one-line `definition`."""

    definition: str

    def __new__(cls, value: str, definition: str = "") -> Vocabulary:
        member = str.__new__(cls, value)
        member._value_ = value
        member.definition = definition
        return member

    @classmethod
    def definitions(cls) -> dict[str, str]:
        """Each value and what it means, in the order defined."""
        return {member.value: member.definition for member in cls}


class ActorType(Vocabulary):
    state = "state", "A sovereign state, as a party in its own right."
    person = "person", "A named individual."
    legislature = "legislature", "A parliament or other law-making assembly."
    government_agency = "government_agency", "A ministry, service or other body of a government."
    armed_force = "armed_force", "An army, air force, navy or other armed service of a state."
    company = "company", "A business, such as a manufacturer of arms."
    group = "group", "A non-state group: a party, movement, militia or association."
    international_org = "international_org", "An organisation of states (the UN, the OSCE, the EU)."
    media = "media", "A newspaper, broadcaster or news agency, speaking or reporting as such."
    expert = "expert", "An expert or analyst speaking as such, not for a party."
    anonymous = "anonymous", 'A source the report does not name ("a diplomatic source said").'


class StatementKind(Vocabulary):
    direct_quote = "direct_quote", "The source gives the speaker's own words."
    paraphrase = "paraphrase", "The source reports what was said in its own words."


class Topic(Vocabulary):
    peace_process = "peace_process", "Negotiations, treaties and their terms."
    military_buildup = "military_buildup", "Arming, exercises and the growth of forces."
    foreign_military_support = "foreign_military_support", "Arms, training or aid given by another state."
    defence_industry = "defence_industry", "Making and selling arms."
    border_security = "border_security", "Borders, their guarding and incidents on them."
    sovereignty = "sovereignty", "Territory, independence and recognition."
    mediation = "mediation", "The role of third parties between the sides."
    border_delimitation = "border_delimitation", "Drawing and demarcating the border between the states."
    transport_connectivity = "transport_connectivity", "Roads, railways, corridors and the opening of communications."
    constitutional_claims = (
        "constitutional_claims",
        "Claims on another state's territory in a constitution, and changing them.",
    )
    osce_minsk_group = "osce_minsk_group", "The OSCE Minsk Group: its mediation, its co-chairs and its dissolution."
    prisoners_missing = "prisoners_missing", "Detainees, prisoners of war and missing persons."
    landmines_humanitarian = (
        "landmines_humanitarian",
        "Landmines, their maps and clearance, and other humanitarian matters.",
    )
    return_reconstruction = "return_reconstruction", "The return of displaced people and the rebuilding of places."


class EventType(Vocabulary):
    """PLOVER event types (Open Event Data Alliance)."""

    AGREE = "AGREE", "Agree to, accept or sign something."
    CONSULT = "CONSULT", "Meet, visit or talk."
    SUPPORT = "SUPPORT", "Praise, endorse or defend another actor."
    CONCEDE = "CONCEDE", "Yield, ease a demand or make amends."
    COOPERATE = "COOPERATE", "Act together, share information or coordinate."
    AID = "AID", "Give material, military or humanitarian help."
    RETREAT = "RETREAT", "Withdraw forces or claims."
    REQUEST = "REQUEST", "Ask or demand something of another actor."
    ACCUSE = "ACCUSE", "Blame, criticise or denounce."
    REJECT = "REJECT", "Refuse a proposal, demand or claim."
    THREATEN = "THREATEN", "Threaten force, sanctions or other harm."
    PROTEST = "PROTEST", "Demonstrate, strike or boycott."
    SANCTION = "SANCTION", "Impose penalties, cut ties or expel."
    MOBILIZE = "MOBILIZE", "Put forces on alert, deploy or arm."
    COERCE = "COERCE", "Use force short of armed attack: seize, arrest, block."
    ASSAULT = "ASSAULT", "Attack with arms."


class ItemCategory(Vocabulary):
    armoured_vehicle = "armoured_vehicle", "Tanks, armoured personnel carriers and other armoured vehicles."
    vehicle_components = "vehicle_components", "Engines, parts and kits for military vehicles."
    air_defence_missile = "air_defence_missile", "Surface-to-air and anti-missile systems and their missiles."
    radar = "radar", "Radars and other sensors."
    small_arms = "small_arms", "Rifles, pistols, machine guns and their like."
    optics = "optics", "Sights, scopes and night-vision devices."
    communications = "communications", "Radios and other means of military communication."
    body_armour = "body_armour", "Helmets, vests and other protective gear."
    uav = "uav", "Uncrewed aerial vehicles (drones)."
    mines = "mines", "Land and sea mines."
    munitions = "munitions", "Ammunition, shells, bombs and missiles other than air defence."
    other = "other", "Anything none of the other categories fits."


class TransferStatus(Vocabulary):
    delivered = "delivered", "The items have been handed over (all or, for a batch, this batch)."
    in_production = "in_production", "Ordered and being made; not yet delivered."
    ordered = "ordered", "A contract or order is placed; nothing delivered yet."
    offered = "offered", "The supplier has offered the items; the recipient has not ordered them."
    planned = "planned", "Announced or negotiated, not yet ordered."
    declined = "declined", "Offered or requested, and refused by the other side."
    cancelled = "cancelled", "Ordered or planned, then called off."
    unknown = "unknown", "The source does not say."


class QuantityBound(Vocabulary):
    """How a quantity reads in its source, after SIPRI's brackets for uncertain numbers."""

    exact = "exact", 'The source gives the number as it is ("24 vehicles").'
    lower_bound = "lower_bound", 'At least this many ("more than 20", "at least 20").'
    upper_bound = "upper_bound", 'At most this many ("up to 50").'
    approximate = "approximate", 'About this many ("about 30", "some 30").'


class Certainty(Vocabulary):
    stated = "stated", "The source asserts it as fact."
    reported = "reported", "The source hedges (reportedly, according to)."
    alleged = "alleged", "A party claims it; the source does not vouch for it."


class NegotiationFormat(Vocabulary):
    draft_exchange = "draft_exchange", "Drafts exchanged in writing, without a meeting."
    bilateral_meeting = "bilateral_meeting", "The parties meet without a mediator."
    mediated_meeting = "mediated_meeting", "The parties meet with a mediator."
    summit = "summit", "Heads of state or government meet."
    other = "other", "Any other format."
    unknown = "unknown", "The source does not say how the round was held."


class DatePrecision(Vocabulary):
    """Computed from `date_edtf`: of an interval, the coarsest of its known ends."""

    day = "day", "The source gives the day."
    month = "month", "The source gives the month: the interval is that whole month."
    season = "season", 'The source gives a season ("this summer"): the interval is its three months.'
    year = "year", "The source gives the year: the interval is that whole year."
    decade = "decade", "The source gives the decade: the interval is its ten years."
    unknown = "unknown", "The source gives no date: date_edtf and both dates are null."


class DateBasis(Vocabulary):
    stated = "stated", "The source states the date."
    inferred = "inferred", "The date was worked out, e.g. from the publication date."


class ClaimTable(Vocabulary):
    """Tables whose rows need evidence: every table but sources and evidence."""

    actors = "actors", "Real-world actors."
    statements = "statements", "Who said what, about whom, when."
    military_transfers = "military_transfers", "Transfers of military equipment."
    negotiation_rounds = "negotiation_rounds", "Rounds of negotiation in a peace process."


# ISO 3166-1 alpha-3, from pycountry's copy of the ISO list; a code's definition is the country's name.
if TYPE_CHECKING:  # made by the functional API, which type checkers do not read with a custom __new__

    class CountryCode(Vocabulary): ...

else:
    CountryCode = Vocabulary("CountryCode", {c.alpha_3: (c.alpha_3, c.name) for c in pycountry.countries})
