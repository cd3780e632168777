"""The coding of the seed article: every fact of the article is a row, and no row says more.

Where it can, a test derives what it expects from the article's words (a hedge, a quotation
mark, a number, a month) rather than from the coding file it checks.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest

from peacetrack.evidence import sha256_text
from peacetrack.seeds import Build

from .helpers import ROOT, SEED_ARTICLE, SEED_ID, SEEDS

# SHA-256 of ../shared/seeds/000_b2369043da5549d5.txt, the article as handed to the project.
SEED_SHA256 = "1750b345a901891efa238f1cd4b28612d6e0110900eff4cab99a63aede1c7677"
SHARED_SEED = ROOT.parent / "shared" / "seeds" / "000_b2369043da5549d5.txt"


def test_the_article_is_the_seed_byte_for_byte() -> None:
    article = (SEEDS / SEED_ID / "article.txt").read_bytes()
    assert sha256_text(article.decode("utf-8")) == SEED_SHA256
    if SHARED_SEED.exists():
        assert article == SHARED_SEED.read_bytes()
    text = article.decode("utf-8")
    assert "“Bastion”" in text and "—" in text and "…" in text  # curly quotes, dash, ellipsis kept


def test_the_source_invents_nothing(seed_build: Build) -> None:
    [source] = seed_build.frames["sources"].to_dict("records")
    assert source["source_id"] == SEED_ID
    assert all(pd.isna(source[c]) for c in ("title", "publisher", "url", "published_on"))
    assert source["language"] == "en" and source["text_in_repo"]
    assert source["text_sha256"] == SEED_SHA256
    assert "Monday 23 September 2024" in source["notes"] and "inferred" in source["notes"]


def aliases(build: Build) -> set[str]:
    return {alias for row in build.frames["actors"]["aliases"] for alias in row}


@pytest.mark.parametrize(
    "name",
    ["Ilham Aliyev", "Azerbaijan", "Armenia", "Milli Majlis", "France", "US Air Force",
     "Armenian special forces", "ARQUUS", "Western powers", "Western countries"],
)  # fmt: skip
def test_every_actor_named_is_an_actor(seed_build: Build, name: str) -> None:
    assert name in seed_build.texts[SEED_ID]
    assert name in aliases(seed_build)


def test_actor_hierarchy(seed_build: Build) -> None:
    actors = seed_build.frames["actors"].set_index("actor_id")
    assert actors.at["us-air-force", "parent_id"] == "usa"
    assert actors.at["milli-majlis", "parent_id"] == "aze"
    assert actors.at["armenian-special-forces", "parent_id"] == "arm"
    assert actors.at["ilham-aliyev", "role"] == "President of Azerbaijan"


def quoted_passages(text: str) -> list[str]:
    """Every passage the article puts in quotation marks that is long enough to be speech."""
    passages = re.findall(r'"([^"]+)"', text) + re.findall(r"“([^”]+)”", text)
    return [p for p in passages if len(p) > 40]


def test_every_direct_quote_of_the_speech_is_a_statement(seed_build: Build) -> None:
    statements = seed_build.frames["statements"]
    quotes = statements.loc[statements["kind"] == "direct_quote", "quote"].tolist()
    passages = quoted_passages(seed_build.texts[SEED_ID])
    assert len(passages) == 4
    for passage in passages:
        covered = "".join(q for q in quotes if q in passage)
        assert len(covered) >= len(passage) - 10, passage  # the quote marks' commas and the ellipsis aside


def test_statements_are_the_president_s_on_the_day_of_the_speech(seed_build: Build) -> None:
    statements = seed_build.frames["statements"]
    assert len(statements) == 23
    assert set(statements["speaker_id"]) == {"ilham-aliyev"}
    assert set(statements["date_edtf"]) == {"2024-09-23"}
    assert set(statements["date_start"]) == set(statements["date_end"]) == {date(2024, 9, 23)}
    assert set(statements["date_precision"]) == {"day"} and set(statements["date_basis"]) == {"inferred"}
    assert statements.groupby("kind", observed=True).size().to_dict() == {"direct_quote": 6, "paraphrase": 17}
    assert set(statements["topic"]) == {
        "peace_process", "military_buildup", "foreign_military_support", "defence_industry",
        "border_security", "sovereignty", "mediation",
    }  # fmt: skip


TRANSFERS = {
    # id: supplier, item_category, status, certainty, quantity, date_start, date_end, precision
    "fra-arm-bastion-2023-11": ("fra", "armoured_vehicle", "delivered", "stated", None, date(2023, 11, 1), None, "month"),
    "fra-arm-arquus-bastion-components-2023-11": ("fra", "vehicle_components", "delivered", "stated", None, date(2023, 11, 1), None, "month"),
    "fra-arm-mistral": ("fra", "air_defence_missile", "planned", "reported", None, None, None, "unknown"),
    "fra-arm-radar-systems": ("fra", "radar", "planned", "reported", 3, None, None, "unknown"),
    "usa-arm-sniper-rifles-2024-08": ("usa", "small_arms", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-night-vision-devices-2024-08": ("usa", "optics", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-communication-tools-2024-08": ("usa", "communications", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-body-armor-2024-08": ("usa", "body_armour", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-strike-mini-drones-2024-08": ("usa", "uav", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-small-scale-mines-2024-08": ("usa", "mines", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
    "usa-arm-other-munitions-2024-08": ("usa", "munitions", "delivered", "reported", None, date(2024, 8, 1), date(2024, 8, 31), "month"),
}  # fmt: skip


def test_each_transferred_item_is_its_own_row(seed_build: Build) -> None:
    transfers = seed_build.frames["military_transfers"].set_index("transfer_id")
    columns = [
        "supplier_id",
        "item_category",
        "status",
        "certainty",
        "quantity",
        "date_start",
        "date_end",
        "date_precision",
    ]
    actual = {
        tid: tuple(None if pd.isna(v) else v for v in row)
        for tid, row in zip(transfers.index, transfers[columns].itertuples(index=False), strict=True)
    }
    assert actual == TRANSFERS
    assert set(transfers["recipient_id"]) == {"arm"}
    assert transfers.at["usa-arm-body-armor-2024-08", "end_user_id"] == "armenian-special-forces"
    assert transfers.at["fra-arm-arquus-bastion-components-2023-11", "manufacturer_id"] == "arquus"
    us = transfers[transfers["supplier_id"] == "usa"]
    assert set(us["carrier"]) == {"2 × Boeing C-17 (US Air Force)"}


NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


BOUNDS = {"more than": "lower_bound", "at least": "lower_bound", "up to": "upper_bound", "about": "approximate"}


def test_a_quantity_is_given_only_where_the_evidence_gives_the_number(seed_build: Build) -> None:
    """The number as printed, bounded as the words before it say (exact when they say nothing)."""
    transfers, evidence = seed_build.frames["military_transfers"], seed_build.frames["evidence"]
    counted = transfers[transfers["quantity"].notna()]
    assert len(counted) == 1
    assert transfers.loc[transfers["quantity"].isna(), "quantity_bound"].isna().all()
    for transfer_id, quantity, bound in zip(
        counted["transfer_id"], counted["quantity"], counted["quantity_bound"], strict=True
    ):
        quotes = " ".join(evidence.loc[evidence["row_id"] == transfer_id, "quote"])
        words = [w for w in (str(quantity), NUMBER_WORDS.get(int(quantity), "\0")) if w in quotes]
        assert words, transfer_id
        before = quotes[: quotes.index(words[0])].lower()
        said = [b for phrase, b in BOUNDS.items() if before.rstrip().endswith(phrase)]
        assert bound == (said[0] if said else "exact"), transfer_id


def test_rounds_known_only_as_a_count_by_the_day_of_the_speech_are_one_row(seed_build: Build) -> None:
    """ "despite 10 rounds of exchange": one row standing for the count the article gives, not
    one invented row per round; known only to have happened by the speech (`../2024-09-23`)."""
    [count] = [int(n) for n in re.findall(r"([0-9]+) rounds of exchange", ARTICLE)]
    [rounds] = seed_build.frames["negotiation_rounds"].to_dict("records")
    assert rounds["round_count"] == count == 10 and pd.isna(rounds["round_number"])  # a count, not an order
    quotes = evidence_quotes(seed_build, "negotiation_rounds")[rounds["round_id"]]
    assert any(f"{count} rounds of exchange" in quote for quote in quotes)
    assert list(rounds["parties"]) == ["arm", "aze"]
    assert (rounds["date_edtf"], rounds["date_end"], rounds["date_precision"]) == (
        "../2024-09-23",
        date(2024, 9, 23),
        "day",
    )
    assert pd.isna(rounds["date_start"]) and rounds["date_basis"] == "inferred"
    assert rounds["format"] == "draft_exchange" and pd.isna(rounds["mediator_id"])
    assert all(pd.isna(rounds[c]) for c in ("sender_id", "receiver_id", "place"))  # the article gives none
    assert rounds["process"] == "armenia-azerbaijan-peace-treaty"


def test_every_row_is_proven_by_a_quote_at_its_offsets(seed_build: Build) -> None:
    evidence, text = seed_build.frames["evidence"], seed_build.texts[SEED_ID]
    assert len(evidence) > 0
    for start, end, quote in zip(evidence["char_start"], evidence["char_end"], evidence["quote"], strict=True):
        assert text[start:end] == quote
    proven = set(zip(evidence["table_name"], evidence["row_id"], strict=True))
    for table in ("actors", "statements", "military_transfers", "negotiation_rounds"):
        frame = seed_build.frames[table]
        assert len(frame) > 0, table
        assert {(table, rid) for rid in frame.iloc[:, 0]} <= proven


# --- expectations read from the article's words ------------------------------------------------

ARTICLE = SEED_ARTICLE.read_text(encoding="utf-8")
HEDGES = ("reportedly", "allegedly", "reported to", "said to", "believed to", "according to")


def evidence_quotes(build: Build, table: str) -> dict[str, list[str]]:
    """Each row of `table` and the quotes that prove it."""
    evidence = build.frames["evidence"]
    mine = evidence[evidence["table_name"] == table]
    return mine.groupby("row_id")["quote"].agg(list).to_dict()


def test_a_transfer_the_article_hedges_is_not_stated_and_one_it_states_is(seed_build: Build) -> None:
    """ "reportedly" (or another hedge) in a transfer's evidence makes it `reported`, not `stated`."""
    certainty = seed_build.frames["military_transfers"].set_index("transfer_id")["certainty"]
    quotes = evidence_quotes(seed_build, "military_transfers")
    hedged = {row for row, said in quotes.items() if any(h in q.lower() for q in said for h in HEDGES)}
    assert len(hedged) == 9  # the Mistral missiles, the radars, and the seven US deliveries
    assert set(certainty[certainty != "stated"].index) == hedged
    assert set(certainty[list(hedged)]) == {"reported"}


def test_every_direct_quote_is_the_article_s_words_inside_its_quotation_marks(seed_build: Build) -> None:
    statements = seed_build.frames["statements"]
    quotes = statements.loc[statements["kind"] == "direct_quote", "quote"].tolist()
    assert len(quotes) == 6
    passages = quoted_passages(ARTICLE)
    for quote in quotes:
        assert quote in ARTICLE, quote
        assert any(quote in passage for passage in passages), quote  # said, not the reporter's words
    paraphrases = statements.loc[statements["kind"] == "paraphrase", "quote"]
    assert len(paraphrases) == 17 and paraphrases.isna().all()


def test_every_number_of_a_transfer_is_in_its_evidence(seed_build: Build) -> None:
    """A quantity, and the year of a date the article states, are written in the row's evidence."""
    transfers = seed_build.frames["military_transfers"]
    quotes = {row: " ".join(said) for row, said in evidence_quotes(seed_build, "military_transfers").items()}
    numbers = 0
    for row in transfers.itertuples():
        if pd.notna(row.quantity):
            assert (
                str(row.quantity) in quotes[row.transfer_id]
                or NUMBER_WORDS[int(row.quantity)] in quotes[row.transfer_id]
            )
            numbers += 1
        if pd.notna(row.date_start):
            assert str(row.date_start.year) in quotes[row.transfer_id], row.transfer_id
            numbers += 1
    assert numbers == 1 + 9  # the three radar systems; nine dated transfers


def test_each_date_is_in_its_evidence_or_is_the_day_of_the_speech(seed_build: Build) -> None:
    """A date the article states is written in the row's evidence at the row's precision
    ("November 2023"); one it does not is the day of the speech, "on Monday" (23 September 2024,
    inferred, as the source's notes say), never earlier than any date the article states."""
    speech_day = date(2024, 9, 23)
    assert "on Monday" in ARTICLE and speech_day.weekday() == 0
    assert speech_day.strftime("%A %-d %B %Y") in seed_build.frames["sources"].at[0, "notes"]
    dated = 0
    for table in ("statements", "military_transfers", "negotiation_rounds"):
        frame, quotes = seed_build.frames[table], evidence_quotes(seed_build, table)
        key = frame.columns[0]
        for row in frame.to_dict("records"):
            for day in (row["date_start"], row["date_end"]):
                if pd.isna(day):
                    continue
                dated += 1
                if row["date_basis"] == "inferred":
                    assert (day, row["date_precision"]) == (speech_day, "day"), row[key]
                    continue
                assert row["date_basis"] == "stated" and row["date_precision"] == "month", row[key]
                assert any(day.strftime("%B %Y") in quote for quote in quotes[row[key]]), row[key]
                assert day < speech_day
                # "Starting in November 2023": open from that month on; "In August 2024": that month
                since = any(f"Starting in {day:%B %Y}" in quote for quote in quotes[row[key]])
                assert row["date_edtf"] == (f"{day:%Y-%m}/.." if since else f"{day:%Y-%m}"), row[key]
    assert dated == 23 * 2 + 9 + 7 + 1  # statements: both ends; transfers: 9 starts, 7 ends; the rounds: an end
