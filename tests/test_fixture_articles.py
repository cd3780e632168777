"""The made-up articles of tests/fixtures/articles/, coded as a contributor would: each is built
with the real seed, and what the build keeps is what the article's words say.

Between them the articles hold every phrasing issue 13 names (dates, numbers, outcomes,
speakers, topics, links); the assertions quote those words beside what they must become.
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from ruamel.yaml import YAML

from peacetrack.seeds import Build, build_tables

from .helpers import FIXTURES, SEED_ID, SEEDS

ARTICLES = FIXTURES / "articles"
TALKS = "caucasus-wire-2025-06-12"  # Qəbələ talks: yesterday, last month, since March, earlier this year
ARMS = "caucasus-wire-2025-09-25"  # Bastion batches, offers, by 23 September, between March and May
UNDATED = "south-caucasus-monitor-fuzuli-returns"  # no publication date, more than 20, around July
FIXTURE_IDS = [TALKS, ARMS, UNDATED]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The three articles and the real seed, in one seeds folder."""
    seeds = tmp_path_factory.mktemp("articles") / "seeds"
    shutil.copytree(SEEDS, seeds)
    for source_id in FIXTURE_IDS:
        shutil.copytree(ARTICLES / source_id, seeds / source_id)
    build = build_tables(seeds)
    assert build.ok, "\n".join(map(str, build.faults))
    return build


def rows(built: Build, table: str, source_id: str) -> pd.DataFrame:
    frame = built.frames[table]
    return frame[frame["source_id"] == source_id].set_index(TABLE_KEYS[table])


TABLE_KEYS = {"statements": "statement_id", "military_transfers": "transfer_id", "negotiation_rounds": "round_id"}


def dates(row: pd.Series) -> tuple[Any, ...]:
    """A row's EDTF, bounds, precision and basis, with null as None."""
    values = [row[c] for c in ("date_edtf", "date_start", "date_end", "date_precision", "date_basis")]
    return tuple(None if v is None or (not isinstance(v, str) and pd.isna(v)) else v for v in values)


def evidence_of(built: Build, table: str, row_id: str) -> list[str]:
    evidence = built.frames["evidence"]
    return list(evidence.loc[(evidence["table_name"] == table) & (evidence["row_id"] == row_id), "quote"])


# --- the articles themselves ------------------------------------------------------------------


def test_the_fixture_folders_are_the_three_articles() -> None:
    assert sorted(p.name for p in ARTICLES.iterdir()) == sorted(FIXTURE_IDS)


@pytest.mark.parametrize("source_id", FIXTURE_IDS)
def test_each_article_is_a_made_up_report_of_a_typical_length(source_id: str) -> None:
    text = (ARTICLES / source_id / "article.txt").read_text(encoding="utf-8")
    source = YAML(typ="safe").load((ARTICLES / source_id / "source.yaml").read_text(encoding="utf-8"))
    assert 400 <= len(text.split()) <= 700
    assert "made up for tests" in source["publisher"]
    assert source["url"] is None or source["url"].startswith("https://example.org/")
    assert re.search(r"[“”‘’–…]", text) and re.search(r"[əƏüı]", text)  # typography and Azerbaijani letters as printed


def test_between_them_the_articles_hold_every_phrasing_of_the_issue() -> None:
    texts = " ".join((ARTICLES / s / "article.txt").read_text(encoding="utf-8") for s in FIXTURE_IDS)
    flat = " ".join(texts.split())
    phrasings = [
        "yesterday", "Last month", "this summer", "by 23 September", "since March", "earlier this year",
        "between March and May", "around July 2025", "More than 20", "up to 50", "About 30",
        "24, with 26 more in production", "reportedly", "allegedly", "A diplomatic source",
        "an analyst", "The Azerbaijani daily", "Minsk Group", "landmines", "missing persons",
    ]  # fmt: skip
    assert [p for p in phrasings if p not in flat] == []


# --- the build keeps what the words say -------------------------------------------------------


def test_the_articles_build_with_the_seed(built: Build) -> None:
    assert set(built.frames["sources"]["source_id"]) == {SEED_ID, *FIXTURE_IDS}
    undated = built.frames["sources"].set_index("source_id").loc[UNDATED]
    assert pd.isna(undated["published_on"])  # "the copy we hold has no date"


def test_yesterday_last_month_since_march_and_earlier_this_year(built: Build) -> None:
    rounds = rows(built, "negotiation_rounds", TALKS)
    # "met yesterday in ... Qəbələ (Gabala)", in a report of 12 June 2025; "No mediator took part."
    meeting = rounds.loc["arm-aze-foreign-ministers-2025-06-11"]
    assert dates(meeting) == ("2025-06-11", date(2025, 6, 11), date(2025, 6, 11), "day", "inferred")
    assert (meeting["place"], meeting["format"], meeting["mediator_id"]) == ("Qəbələ", "bilateral_meeting", None)
    # "Last month Yerevan sent Baku its comments on ... the draft"
    draft = rounds.loc["arm-aze-draft-comments-2025-05"]
    assert dates(draft) == ("2025-05", date(2025, 5, 1), date(2025, 5, 31), "month", "inferred")
    assert (draft["format"], draft["sender_id"], draft["receiver_id"]) == ("draft_exchange", "arm", "aze")
    # "have held six rounds of talks since March": one row, a count, of no stated format
    count = rounds.loc["arm-aze-border-commissions-2025-03-2025-06"]
    assert (count["round_count"], count["format"]) == (6, "unknown") and pd.isna(count["round_number"])
    assert dates(count)[1:3] == (date(2025, 3, 1), date(2025, 6, 12))
    # "Kür Xəbərləri reported earlier this year"
    media = rows(built, "statements", TALKS).loc["kur-xeberleri-2025-missing-persons-list"]
    assert dates(media) == ("2025-01/2025-06", date(2025, 1, 1), date(2025, 6, 30), "month", "inferred")


def test_the_batches_of_an_order(built: Build) -> None:
    # "received 24 of the 50 Bastion ... it ordered"; "we have received 24, with 26 more in production"
    transfers = rows(built, "military_transfers", ARMS)
    order = transfers.loc["fra-arm-bastion-2024-06"]
    assert (order["quantity"], order["quantity_bound"], order["status"]) == (50, "exact", "ordered")
    assert dates(order)[:2] == ("2024-06", date(2024, 6, 1))  # "in June 2024"
    batches = transfers[transfers["part_of"] == "fra-arm-bastion-2024-06"]
    assert sorted(zip(batches["quantity"], batches["quantity_bound"], batches["status"], strict=True)) == [
        (24, "exact", "delivered"),
        (26, "exact", "in_production"),
    ]
    assert dates(transfers.loc["fra-arm-bastion-in-production"])[:4] == (None, None, None, "unknown")


def test_up_to_about_this_summer_and_between_march_and_may(built: Build) -> None:
    transfers = rows(built, "military_transfers", ARMS)
    mistral = transfers.loc["fra-arm-mistral-offer"]  # "offered up to 50 Mistral"
    assert (mistral["quantity"], mistral["quantity_bound"], mistral["status"]) == (50, "upper_bound", "offered")
    akash = transfers.loc["ind-arm-akash-missiles-2025-summer"]  # "About 30 ... reportedly arrived ... this summer"
    assert (akash["quantity"], akash["quantity_bound"], akash["certainty"]) == (30, "approximate", "reported")
    assert dates(akash) == ("2025-22", date(2025, 6, 1), date(2025, 8, 31), "season", "inferred")
    pinaka = transfers.loc["ind-arm-pinaka-2025-03-2025-05"]  # "allegedly received ... between March and May"
    assert pinaka["certainty"] == "alleged" and pd.isna(pinaka["quantity"]) and pd.isna(pinaka["quantity_bound"])
    assert dates(pinaka)[1:4] == (date(2025, 3, 1), date(2025, 5, 31), "month")
    # "had cancelled an order for Russian air-defence systems ... and had declined a Russian offer"
    assert transfers.loc["rus-arm-air-defence-systems-cancelled", "status"] == "cancelled"
    assert transfers.loc["rus-arm-other-weapons-declined", "status"] == "declined"


def test_by_23_september_is_open_before_that_day(built: Build) -> None:
    # "had exchanged written comments on the draft three times by 23 September"
    exchanges = rows(built, "negotiation_rounds", ARMS).loc["arm-aze-draft-comments-by-2025-09-23"]
    assert dates(exchanges) == ("../2025-09-23", None, date(2025, 9, 23), "day", "inferred")
    assert exchanges["round_count"] == 3 and pd.isna(exchanges["round_number"])


def test_more_than_20_in_an_undated_report_linked_to_the_other_source(built: Build) -> None:
    transfers = built.frames["military_transfers"].set_index("transfer_id")
    batch = transfers.loc[
        "scm-fra-arm-bastion-2025-03"
    ]  # "More than 20 ... have reportedly reached Armenia since March 2025"
    assert (batch["quantity"], batch["quantity_bound"], batch["certainty"]) == (20, "lower_bound", "reported")
    assert dates(batch) == ("2025-03/..", date(2025, 3, 1), None, "month", "stated")
    assert batch["part_of"] == "scm-fra-arm-bastion-order"  # "out of an order of 50"
    # the same batch and order as the other source: one canonical id each, both sources kept
    for canonical in ("fra-arm-bastion-2025-03", "fra-arm-bastion-2024-06"):
        assert sorted(transfers.loc[transfers["canonical_id"] == canonical, "source_id"]) == [ARMS, UNDATED]
    assert transfers.loc["fra-arm-bastion-2025-03", "quantity"] == 24  # each keeps what its source says


def test_an_undated_report_dates_only_what_it_states(built: Build) -> None:
    statements = rows(built, "statements", UNDATED)
    assert set(statements["date_precision"]) == {"unknown"}  # "last month" and "said" of an undated copy
    meeting = rows(built, "negotiation_rounds", UNDATED).loc["arm-aze-border-commissions-2025-07"]
    assert dates(meeting) == ("2025-07~", date(2025, 7, 1), date(2025, 7, 31), "month", "stated")  # "around July 2025"
    assert meeting["place"] == "on the border in Tavush"


def test_every_hedge_is_the_certainty_its_word_says(built: Build) -> None:
    transfers = built.frames["military_transfers"]
    transfers = transfers[transfers["source_id"].isin(FIXTURE_IDS)]
    words = {"reportedly": "reported", "allegedly": "alleged"}
    found = set()
    for transfer_id, certainty in zip(transfers["transfer_id"], transfers["certainty"], strict=True):
        proof = " ".join(evidence_of(built, "military_transfers", transfer_id))
        for word, expected in words.items():
            if word in proof:
                found.add(word)
                assert certainty == expected, transfer_id
    assert found == set(words)


def test_speakers_the_sources_have(built: Build) -> None:
    actors = built.frames["actors"].set_index("actor_id")
    assert actors.at["kur-xeberleri", "actor_type"] == "media"  # "The Azerbaijani daily Kür Xəbərləri"
    assert actors.at["lilit-avetisyan", "actor_type"] == "expert"  # "an analyst at the ... Caucasus Policy Lab"
    assert (
        actors.at["caucasus-wire-2025-06-12-diplomatic-source", "actor_type"] == "anonymous"
    )  # "asked not to be named"
    speakers = set(built.frames["statements"]["speaker_id"])
    assert {
        "kur-xeberleri",
        "lilit-avetisyan",
        "caucasus-wire-2025-06-12-diplomatic-source",
        "ceyhun-bayramov",
    } <= speakers


def test_the_topics_of_the_peace_agenda(built: Build) -> None:
    statements = built.frames["statements"]
    topics = set(statements.loc[statements["source_id"].isin(FIXTURE_IDS), "topic"])
    assert {
        "border_delimitation",
        "transport_connectivity",
        "constitutional_claims",
        "osce_minsk_group",
        "prisoners_missing",
        "landmines_humanitarian",
        "return_reconstruction",
    } <= topics


def test_an_alias_added_to_a_released_actor(built: Build) -> None:
    actors = built.frames["actors"].set_index("actor_id")
    assert list(actors.at["fra", "aliases"])[:1] == ["France"]  # as the seed has it
    assert "Paris" in actors.at["fra", "aliases"]  # "Paris and Yerevan signed the order"
    assert actors.at["fra", "name"] == "France"


def test_quotes_across_line_breaks_are_kept_exactly(built: Build) -> None:
    evidence = built.frames["evidence"]
    mine = evidence[evidence["source_id"].isin(FIXTURE_IDS)]
    crossing = mine[mine["quote"].str.contains("\n")]
    assert len(crossing) >= 5
    for quote, source_id, start, end in zip(
        crossing["quote"], crossing["source_id"], crossing["char_start"], crossing["char_end"], strict=True
    ):
        assert built.texts[source_id][start:end] == quote
    quotes = built.frames["statements"]["quote"].dropna()
    assert not quotes.str.contains(r"\s\s|\n").any()  # a statement's quote: whitespace collapsed
    assert (
        rows(built, "statements", TALKS).at["bayramov-2025-06-11-commissions-meet-more-often", "quote"]
        == "We have agreed that the commissions will meet more often, and that the sections already "
        "described on the ground will be put on paper without delay"
    )


@pytest.mark.parametrize("source_id", [TALKS, ARMS])
def test_a_dated_report_builds_alone_with_the_seed(source_id: str, tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(ARTICLES / source_id, seeds / source_id)
    build = build_tables(seeds)
    assert build.ok, "\n".join(map(str, build.faults))


def test_the_undated_report_alone_links_to_rows_that_are_not_there(tmp_path: Path) -> None:
    """Its canonical ids name the other report's rows: without them, no row shares them."""
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    shutil.copytree(ARTICLES / UNDATED, seeds / UNDATED)
    faults = build_tables(seeds).errors
    assert {(f.row_id, f.rule) for f in faults} == {
        ("scm-fra-arm-bastion-order", "canonical_id"),
        ("scm-fra-arm-bastion-2025-03", "canonical_id"),
    }
