"""The data card and its figures: computed from the tables, complete, and the same bytes every time."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib import cbook
from matplotlib.collections import QuadMesh
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text
from PIL import Image
from typer.testing import CliRunner

from peacetrack.card import CARD_NAME, datacard_text, environment
from peacetrack.cli import app
from peacetrack.enums import Topic
from peacetrack.figures import (
    DPI,
    FIGURE_FOLDER,
    FIGURE_WIDTH,
    FIGURES,
    HEAT_GID,
    MAX_LANES,
    ROW_HEIGHT,
    TIMELINE_PNG,
    TRANSFERS_PNG,
    drawn_transfer_ids,
    png_bytes,
    timeline_figure,
    transfer_counts,
)
from peacetrack.index import read_index
from peacetrack.markdown import md_text
from peacetrack.report import read_report_tables, write_report
from peacetrack.schema import vocabularies
from peacetrack.seeds import Build
from peacetrack.tablefiles import write_tables
from peacetrack.tables import CLAIM_TABLES, SCHEMA_VERSION, TABLES, frame_from_rows

from .helpers import ROOT, SEEDS

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def frames(seed_build: Build) -> dict[str, pd.DataFrame]:
    """The seed's tables, built once per session, copied once for this module's tests (which read them)."""
    return {name: frame.copy(deep=True) for name, frame in seed_build.frames.items()}


def plain(value: object) -> object:
    cell: Any = value  # pandas-stubs has no overload of isna for `object`
    return None if not isinstance(value, list) and pd.isna(cell) else value


def with_transfers(frames: dict[str, pd.DataFrame], changes: list[dict[str, object]]) -> dict[str, pd.DataFrame]:
    """The frames plus one transfer per change, each a copy of the first transfer with those values."""
    table = TABLES["military_transfers"]
    base = {k: plain(v) for k, v in frames["military_transfers"].iloc[0].to_dict().items()}
    rows = [{**base, "canonical_id": change["transfer_id"], **change} for change in changes]
    added = frame_from_rows(table, rows)
    return {**frames, "military_transfers": pd.concat([frames["military_transfers"], added], ignore_index=True)}


# --- the card's text ---------------------------------------------------------------------


def markdown_rows(card: str, heading: str) -> list[list[str]]:
    """The body rows of the first Markdown table after `heading`."""
    section = card.split(heading, 1)[1]
    lines = [line for line in section.split("\n\n|", 1)[1].split("\n\n")[0].splitlines()]
    rows = [
        [cell.strip() for cell in ("|" + line if i == 0 else line).strip("|").split(" | ")]
        for i, line in enumerate(lines)
    ]
    return rows[2:]


def test_card_text_is_the_same_for_the_same_frames_in_any_row_order(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.0.0", "2026-11-27")
    shuffled = {name: frame.sample(frac=1, random_state=7) for name, frame in frames.items()}
    assert datacard_text(shuffled, "1.0.0", "2026-11-27") == card
    assert card.endswith("\n") and "\r" not in card


def test_card_rows_per_table_match_the_frames(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.0.0", "2026-11-27")
    rows = {name.strip("`"): int(count) for name, count, _ in markdown_rows(card, "## At a glance")}
    assert rows == {name: len(frame) for name, frame in frames.items()}


def test_card_null_counts_match_the_frames(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.0.0", "2026-11-27")
    for name, table in TABLES.items():
        rows = markdown_rows(card, f"### `{name}` (")
        nulls = {column.strip("`"): int(count.split()[0]) for column, _, count, _ in rows}
        assert nulls == {c.name: int(frames[name][c.name].isna().sum()) for c in table.columns}
        descriptions = {row[0].strip("`"): row[3] for row in rows}
        assert descriptions == {c.name: c.description for c in table.columns}


def test_card_certainty_and_date_coverage_match_the_frames(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.0.0", "2026-11-27")
    transfers = frames["military_transfers"]
    certainty = {value: int(cell.split()[0]) for value, cell in markdown_rows(card, "How certain the source is")}
    assert certainty == {c: int((transfers["certainty"] == c).sum()) for c in ("stated", "reported", "alleged")}
    coverage = {row[0].strip("`"): row for row in markdown_rows(card, "### Dates")}
    known = pd.concat([transfers["date_start"].dropna(), transfers["date_end"].dropna()])
    assert coverage["military_transfers"][2:4] == [known.min().isoformat(), known.max().isoformat()]
    undated = int((transfers["date_start"].isna() & transfers["date_end"].isna()).sum())
    assert int(coverage["military_transfers"][7]) == undated


def test_card_says_what_is_unknown_about_the_seed(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "1.0.0", "2026-11-27")
    (source,) = markdown_rows(card, "### Sources")
    assert source[0] == "`aliyev-milli-majlis-2024-09-23`"
    assert source[1:4] == ["unknown", "unknown", "unknown"]  # title, publisher, publication date
    assert "23 statements by 1 speaker (Ilham Aliyev) on 1 recorded occasion" in card
    assert "With 1 source, this release records what that source reports" in card


def test_card_follows_the_data_when_it_changes(frames: dict[str, pd.DataFrame]) -> None:
    more = with_transfers(frames, [{"transfer_id": "fra-arm-extra", "certainty": "alleged"}])
    card = datacard_text(more, "1.1.0", "2027-01-01")
    assert card != datacard_text(frames, "1.1.0", "2027-01-01")
    rows = {name.strip("`"): int(count) for name, count, _ in markdown_rows(card, "## At a glance")}
    assert rows["military_transfers"] == len(frames["military_transfers"]) + 1
    assert "| alleged | 1 (8.3 %) |" in card


def test_card_counts_the_rows_sharing_a_canonical_id_as_their_duplicates_do(frames: dict[str, pd.DataFrame]) -> None:
    many = many_transfers(frames, 50)  # one in five the second report of the one before
    for tables in (frames, many):
        shared = {name: int(tables[name]["canonical_id"].duplicated(keep=False).sum()) for name in CLAIM_TABLES}
        listed = ", ".join(f"`{name}` {count}" for name, count in shared.items())
        assert f"Rows sharing a `canonical_id` with another row: {listed}." in datacard_text(
            tables, "1.1.0", "2027-01-01"
        )
    assert shared["military_transfers"] >= 20  # each pair's canonical row counted, not only its second report


def test_card_defines_every_value_of_every_vocabulary(frames: dict[str, pd.DataFrame]) -> None:
    card = datacard_text(frames, "2.0.0", "2026-12-01")
    for enum_name, definitions in vocabularies().items():
        rows = {value: (definition, count) for value, definition, count in markdown_rows(card, f"### `{enum_name}` (")}
        assert {value.strip("`"): definition for value, (definition, _) in rows.items()} == definitions
    topics = {value.strip("`"): int(count) for value, _, count in markdown_rows(card, "### `topic` (")}
    assert topics == {t.value: int((frames["statements"]["topic"] == t.value).sum()) for t in Topic}
    assert "| `border_delimitation` | Drawing and demarcating the border between the states. | 0 |" in card
    assert "## Vocabularies" not in datacard_text(frames, "1.0.0", "2026-11-27")  # the first edition as published


def test_card_lists_each_transfer_once_with_each_sources_quantity_as_bounded(frames: dict[str, pd.DataFrame]) -> None:
    bastion = "fra-arm-bastion-2023-11"
    more = with_transfers(
        with_second_source(frames),
        [
            {"transfer_id": "bastion-again", "canonical_id": bastion, "source_id": "second-source", "quantity": 20},
            {"transfer_id": "bastion-about", "canonical_id": bastion, "quantity": 30},
        ],
    )
    transfers = more["military_transfers"]
    bounds = {"bastion-again": "lower_bound", "bastion-about": "approximate"}
    transfers["quantity_bound"] = (
        transfers["quantity_bound"]
        .astype(object)
        .where(~transfers["transfer_id"].isin(bounds), transfers["transfer_id"].map(bounds))
    )
    transfers["quantity_bound"] = transfers["quantity_bound"].astype(
        frames["military_transfers"]["quantity_bound"].dtype
    )
    card = datacard_text(more, "2.0.0", "2026-12-01")
    listed = {row[0]: row for row in markdown_rows(card, "Every transfer, with")}
    assert len(listed) == transfers["canonical_id"].nunique()
    assert listed[f"`{bastion}`"][4:] == ["≈ 30; at least 20; unknown", "2023-11/..", "2"]  # by row id; never "20"
    pairs = {row[0]: row for row in markdown_rows(card, "By supplier and recipient")}
    assert pairs["France → Armenia"][1:3] == ["4", "6"]  # transfers, rows


# --- the figures ----------------------------------------------------------------------------


def test_timeline_draws_every_transfer_dated_open_or_undated(frames: dict[str, pd.DataFrame]) -> None:
    more = with_transfers(
        frames,
        [
            {"transfer_id": "open-start", "date_start": None, "date_end": date(2024, 3, 31), "certainty": "alleged"},
            {"transfer_id": "open-end", "date_start": date(2024, 2, 1), "date_end": None, "certainty": "reported"},
            {
                "transfer_id": "one-day",
                "date_start": date(2024, 5, 5),
                "date_end": date(2024, 5, 5),
                "date_precision": "day",
            },
            {"transfer_id": "undated", "date_start": None, "date_end": None, "date_precision": "unknown"},
        ],
    )
    for data in (frames, more):
        figure = timeline_figure(data)
        assert drawn_transfer_ids(figure) == set(data["military_transfers"]["transfer_id"])
        ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
        assert len(ticks) == len(data["military_transfers"]) + 2  # a line per transfer; statements; rounds
        assert ticks[:2] == [f"Statements ({len(data['statements'])})", "Negotiation rounds (10)"]


def with_second_source(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    sources = frames["sources"]
    second = sources.iloc[:1].assign(source_id="second-source")
    return {**frames, "sources": pd.concat([sources, second], ignore_index=True)}


def test_timeline_draws_rows_sharing_a_canonical_id_as_one_line_with_how_many_sources(
    frames: dict[str, pd.DataFrame],
) -> None:
    bastion = "fra-arm-bastion-2023-11"
    more = with_transfers(
        with_second_source(frames),
        [
            {"transfer_id": "bastion-again", "canonical_id": bastion, "source_id": "second-source"},
            {"transfer_id": "bastion-third", "canonical_id": bastion, "certainty": "alleged"},
        ],
    )
    figure = timeline_figure(more)
    assert drawn_transfer_ids(figure) == set(more["military_transfers"]["transfer_id"])
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert len(ticks) == len(frames["military_transfers"]) + 2  # the two rows joined Bastion's line
    assert "Bastion (France → Armenia) · 2 sources" in ticks


def test_timeline_outlines_a_date_the_source_gives_as_uncertain_or_approximate(frames: dict[str, pd.DataFrame]) -> None:
    june = {"date_start": date(2024, 6, 1), "date_end": date(2024, 6, 30), "date_precision": "month"}
    more = with_transfers(
        frames,
        [
            {"transfer_id": "june-uncertain", "date_edtf": "2024-06?", **june},
            {"transfer_id": "june-approximate", "date_edtf": "2024-06~", **june},
            {"transfer_id": "june", "date_edtf": "2024-06", **june},
        ],
    )
    figure = timeline_figure(more)
    styles = {
        transfer: {bar.get_linestyle() for bar in figure.findobj(Rectangle) if bar.get_gid() == f"transfer:{transfer}"}
        for transfer in ("june-uncertain", "june-approximate", "june")
    }
    assert styles["june-uncertain"] == styles["june-approximate"] == {":"}
    assert styles["june"] == {"solid"}


def test_timeline_shows_negotiation_rounds_with_how_many_rounds(frames: dict[str, pd.DataFrame]) -> None:
    figure = timeline_figure(frames)
    notes = [t.get_text() for t in figure.axes[0].texts]
    assert "10 rounds" in notes  # the seed's ten rounds, known only as a count by the day of the speech


def visible_texts(figure: Figure) -> list[Text]:
    figure.draw_without_rendering()
    return [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip() and t.get_figure()]


def test_timeline_labels_do_not_overlap(frames: dict[str, pd.DataFrame]) -> None:
    seed = frames["negotiation_rounds"]
    rounds = pd.concat([seed.iloc[:1]] * 10, ignore_index=True)
    days = [date(2024, 3, 1) + timedelta(days=i) for i in range(len(rounds))]  # ten rounds on ten days in a row
    ids = [f"round-{i}" for i in range(len(rounds))]
    rounds = rounds.assign(round_id=ids, canonical_id=ids, round_count=1, date_start=days, date_end=days)
    crowded = {**frames, "negotiation_rounds": rounds.astype(seed.dtypes.to_dict())}
    figure = timeline_figure(crowded)
    texts = visible_texts(figure)
    boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    overlapping = [(a, b) for i, (a, one) in enumerate(boxes) for b, other in boxes[i + 1 :] if one.overlaps(other)]
    assert not overlapping
    assert 1 <= sum(t.get_text() == "1 round" for t in texts) < len(rounds)  # some dropped, not all


def many_transfers(frames: dict[str, pd.DataFrame], count: int) -> dict[str, pd.DataFrame]:
    """`count` more transfers from 40 suppliers, dated over five years, one in five a second report of the one before."""
    changes: list[dict[str, object]] = []
    for i in range(count):
        start = date(2020, 1, 1) + timedelta(days=(i * 37) % 1800)
        changes.append(
            {
                "transfer_id": f"many-{i:05d}",
                "canonical_id": f"many-{i - 1 if i % 5 == 1 else i:05d}",
                "supplier_id": f"supplier-{(i * 7) % 40}",
                "date_start": None if i % 11 == 0 else start,
                "date_end": None if i % 13 == 0 else start + timedelta(days=i % 90),
            }
        )
    return with_transfers(frames, changes)


@pytest.mark.parametrize("count", [1000, 3000])
def test_timeline_of_many_transfers_is_summed_up_by_supplier_and_month_in_a_bounded_figure(
    frames: dict[str, pd.DataFrame], count: int
) -> None:
    many = many_transfers(frames, count)
    figure = timeline_figure(many)
    width, height = figure.get_size_inches()
    assert (width, height) == (FIGURE_WIDTH, 2.6 + ROW_HEIGHT * (MAX_LANES + 2))  # whatever the count
    (heat,) = [a for a in figure.findobj(QuadMesh) if a.get_gid() == HEAT_GID]
    transfers = many["military_transfers"]
    one = transfers.drop_duplicates("canonical_id")
    undated = int((one["date_start"].isna() & one["date_end"].isna()).sum())
    counts = heat.get_array()
    assert counts is not None and counts.sum() == pytest.approx(
        len(one) - undated
    )  # each transfer once, over its months
    ticks = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    suppliers = one["supplier_id"].nunique()  # of the transfers, each counted by its first report
    assert suppliers > MAX_LANES and ticks[-1].startswith(f"{suppliers - MAX_LANES + 1} other suppliers (")
    lanes = [int(re.findall(r"\(([\d,]+)", t)[-1].replace(",", "")) for t in ticks[2:]]  # "(1,286, 8 undated)"
    assert sum(lanes) == len(one)


def test_transfer_counts_of_many_transfers_keep_the_largest_pairs_and_sum_the_rest(
    frames: dict[str, pd.DataFrame],
) -> None:
    many = many_transfers(frames, 1000)
    counts = transfer_counts(many)
    assert len(counts) == MAX_LANES
    assert int(counts.to_numpy().sum()) == many["military_transfers"]["canonical_id"].nunique()
    suppliers = many["military_transfers"].drop_duplicates("canonical_id")["supplier_id"].nunique()
    assert counts.index[-1] == f"{suppliers - MAX_LANES + 1} other pairs"  # every recipient is Armenia


def test_drawn_transfer_ids_sees_a_missing_transfer(frames: dict[str, pd.DataFrame]) -> None:
    figure = timeline_figure(frames)
    victim = sorted(drawn_transfer_ids(figure))[0]
    for artist in figure.findobj(lambda a: a.get_gid() == f"transfer:{victim}"):
        artist.remove()
    assert drawn_transfer_ids(figure) == set(frames["military_transfers"]["transfer_id"]) - {victim}


def test_transfer_counts_add_up_by_pair_and_category(frames: dict[str, pd.DataFrame]) -> None:
    counts = transfer_counts(frames)
    assert int(counts.to_numpy().sum()) == len(frames["military_transfers"])
    assert list(counts.index) == ["United States → Armenia", "France → Armenia"]
    assert int(counts.loc["France → Armenia"].to_numpy().sum()) == 4


@pytest.fixture(scope="module")
def report(frames: dict[str, pd.DataFrame], tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    folder = tmp_path_factory.mktemp("report")
    return folder, write_report(frames, "1.0.0", "2026-11-27", folder)


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_is_a_png_of_fixed_width_the_same_bytes_every_time(
    frames: dict[str, pd.DataFrame], report: tuple[Path, list[Path]], name: str
) -> None:
    first = (report[0] / FIGURE_FOLDER / name).read_bytes()
    with mpl.rc_context({"font.size": 20, "axes.facecolor": "black", "font.family": "serif"}):
        second = png_bytes(FIGURES[name](frames))  # rendered again, under a user's odd settings
    assert first == second
    assert first.startswith(PNG_SIGNATURE)
    image = Image.open(BytesIO(first))
    image.verify()
    image = Image.open(BytesIO(first))
    assert image.format == "PNG"
    assert image.size[0] == int(FIGURE_WIDTH * DPI)
    assert 300 < image.size[1] < 3000
    assert not {"Software", "Creation Time"} & set(image.info)


def test_figures_of_an_empty_release_still_render(frames: dict[str, pd.DataFrame]) -> None:
    empty = {name: frame.iloc[0:0] for name, frame in frames.items()}
    for draw in FIGURES.values():
        assert png_bytes(draw(empty)).startswith(PNG_SIGNATURE)
    assert "| `military_transfers` | 0 |" in datacard_text(empty, "0.0.1", "2026-01-01")


# --- text of the data, drawn and written as text ---------------------------------------------

MATHS_ITEM = r"$\frac{1}{0}$"
MATHS_NAME = r"Acme $\nosuchcommand$ Arms"  # mathtext fails on it


def with_maths(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The frames with `$...$` in an item and in the name of a supplier."""
    frames = with_transfers(frames, [{"transfer_id": "maths-item", "item": MATHS_ITEM}])
    actors = frames["actors"].copy()
    actors.loc[actors["actor_id"] == frames["military_transfers"]["supplier_id"].iloc[0], "name"] = MATHS_NAME
    return {**frames, "actors": actors}


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_draw_dollars_literally(frames: dict[str, pd.DataFrame], name: str) -> None:
    figure = FIGURES[name](with_maths(frames))
    assert png_bytes(figure).startswith(PNG_SIGNATURE)
    labels = [label.get_text() for label in figure.axes[0].get_yticklabels()]
    shown = [(text.replace(r"\$", "$"), cbook.is_math_text(text)) for text in labels]  # as matplotlib reads them
    assert not [text for text, is_maths in shown if is_maths]
    texts = " ".join(text for text, _ in shown)
    assert MATHS_NAME in texts
    assert name != TIMELINE_PNG or MATHS_ITEM in texts


HOSTILE_TEXT = "<img src=x onerror=alert(1)> a | b `code` [link](http://x.example) **bold** &#x202E; \\| end"


def card_with(frames: dict[str, pd.DataFrame], text: str, publisher: str) -> str:
    """The card of the frames with `text` in every text of the data it shows."""
    sources = frames["sources"].assign(title=text, publisher=publisher, notes=text)
    actors = frames["actors"].assign(name=text, role=text)
    statements = frames["statements"].assign(occasion=text)
    return datacard_text(
        {**frames, "sources": sources, "actors": actors, "statements": statements}, "1.0.0", "2026-11-27"
    )


def rendered(card: str) -> tuple[list[str], str]:
    """The card's HTML elements, and its text as a reader sees it."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(card)
    text = re.sub(r"<[^>]+>", "", html)
    return re.findall(r"</?[a-z0-9]+", html), text.replace("&lt;", "<").replace("&gt;", ">").replace(
        "&quot;", '"'
    ).replace("&amp;", "&")


def test_card_keeps_the_data_as_text(frames: dict[str, pd.DataFrame]) -> None:
    hostile, plain = card_with(frames, HOSTILE_TEXT, "line\nbreak\n# heading"), card_with(frames, "plain", "plain")
    (elements, text), (plain_elements, _) = rendered(hostile), rendered(plain)
    assert elements == plain_elements  # the data made no element: no link, image, HTML, cell or heading
    assert text.count(HOSTILE_TEXT) == 6  # title, speaker, occasion, person and role, notes: as written
    assert "line break # heading" in text


def test_card_keeps_languages_and_processes_as_text(frames: dict[str, pd.DataFrame]) -> None:
    """Every value of the data is text on the card, not only the free-text columns (a source's
    language and a round's process were once printed as they were)."""
    sources = frames["sources"].assign(language=HOSTILE_TEXT)
    rounds = frames["negotiation_rounds"].assign(process=HOSTILE_TEXT)
    card = datacard_text({**frames, "sources": sources, "negotiation_rounds": rounds}, "1.1.0", "2026-12-01")
    elements, text = rendered(card)
    assert elements == rendered(datacard_text(frames, "1.1.0", "2026-12-01"))[0]
    assert text.count(HOSTILE_TEXT) == 3  # the language in the sentence and in the table, the process


def test_card_template_prints_every_value_as_text() -> None:
    """The template needs no filter to keep data text: whatever `{{ ... }}` prints is escaped."""
    template = environment().from_string("{{ value }} {{ value ~ '!' }} {{ values | join(', ') }}")
    printed = template.render(value=HOSTILE_TEXT, values=[HOSTILE_TEXT])
    assert printed == f"{md_text(HOSTILE_TEXT)} {md_text(HOSTILE_TEXT + '!')} {md_text(HOSTILE_TEXT)}"


# --- writing, and regenerating committed cards ----------------------------------------------


def test_write_report_writes_the_card_and_figures_and_nothing_else(
    frames: dict[str, pd.DataFrame], report: tuple[Path, list[Path]]
) -> None:
    folder, written = report
    assert written == [
        folder / CARD_NAME,
        folder / FIGURE_FOLDER / TIMELINE_PNG,
        folder / FIGURE_FOLDER / TRANSFERS_PNG,
    ]
    card = written[0].read_text(encoding="utf-8")
    assert card == datacard_text(frames, "1.0.0", "2026-11-27")
    for path in written[1:]:
        assert f"]({path.relative_to(folder).as_posix()})" in card
    assert sorted(p.name for p in folder.rglob("*")) == sorted([CARD_NAME, FIGURE_FOLDER, TIMELINE_PNG, TRANSFERS_PNG])


def test_a_release_read_for_its_card_gives_the_card_of_its_whole_tables(
    frames: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    from peacetrack.tablefiles import read_tables

    write_tables(frames, tmp_path)
    quick, nulls = read_report_tables(tmp_path)
    assert quick["statements"]["quote"].isna().all()  # not read: its null count is the footer's
    assert nulls["statements"]["quote"] == int(frames["statements"]["quote"].isna().sum()) > 0
    whole = datacard_text(read_tables(tmp_path), "1.1.0", "2026-12-01")
    assert datacard_text(quick, "1.1.0", "2026-12-01", nulls) == whole
    assert datacard_text(quick, "1.1.0", "2026-12-01") != whole  # the footer's counts are what keeps it


def card_header(card: str) -> tuple[str, str]:
    match = re.match(
        r"(?s:---\n.*?\n---\n\n)?# peacetrack (\S+): data card\n\nVersion \*\*\S+\*\* · release date: (.+?) · ", card
    )
    assert match, card[:200]
    return match.group(1), match.group(2)


def assert_card_regenerates(release: Path) -> None:
    """A release's committed card equals the card regenerated from its own tables."""
    from peacetrack.tablefiles import read_tables

    committed = (release / CARD_NAME).read_text(encoding="utf-8")
    version, release_date = card_header(committed)
    assert version == release.name
    assert datacard_text(read_tables(release), version, release_date) == committed


def test_committed_release_cards_regenerate(frames: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    release = tmp_path / "releases" / "1.0.0"
    release.mkdir(parents=True)
    write_tables(frames, release)
    (release / CARD_NAME).write_text(datacard_text(frames, "1.0.0", "2026-11-27"), encoding="utf-8")
    assert_card_regenerates(release)
    (release / CARD_NAME).write_text(
        (release / CARD_NAME).read_text().replace("| `actors` | 10 |", "| `actors` | 11 |")
    )
    with pytest.raises(AssertionError):
        assert_card_regenerates(release)  # a hand-edited card is caught
    # A card is drawn by the contract of its schema: those of this schema regenerate; an older
    # one (1.0.0) stays as published, checked by its hash like every file of its release.
    current = [r.version for r in read_index(ROOT / "datasets").releases if r.schema_version == SCHEMA_VERSION]
    assert current  # the latest release is of this schema
    for version in current:
        assert_card_regenerates(ROOT / "datasets" / "releases" / version)


# --- the command ----------------------------------------------------------------------------


def test_report_command_without_release_describes_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["report", "--root", "datasets", "--seeds", str(SEEDS)])
    assert result.exit_code == 0, result.output
    card = (tmp_path / "datasets" / "build" / "report-unreleased" / CARD_NAME).read_text()
    assert card_header(card)[0] == "unreleased"


def test_report_command_reads_a_release_and_never_writes_into_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "datasets", tmp_path / "datasets", ignore=shutil.ignore_patterns("build"))  # 1.0.0, 2.0.0
    release = tmp_path / "datasets" / "releases" / "2.0.0"
    before = sorted(p.name for p in release.iterdir())
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--root", "datasets", "--out", "datasets/releases/2.0.0"])
    assert result.exit_code == 1 and "immutable" in result.output
    result = runner.invoke(app, ["report", "--root", "datasets", "--out", "card"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in release.iterdir()) == before
    assert card_header((tmp_path / "card" / CARD_NAME).read_text()) == ("2.0.0", "2026-11-30")
    result = runner.invoke(app, ["report", "--release", "3.0.0", "--root", "datasets"])
    assert result.exit_code == 1 and "no release '3.0.0'" in result.output and "2.0.0" in result.output
    result = runner.invoke(app, ["report", "--release", "1.0.0", "--root", "datasets", "--out", "old"])
    assert result.exit_code == 1 and "schema 1.0.0" in result.output and "DATACARD.md" in result.output
    assert not (tmp_path / "old").exists()


def test_report_command_with_broken_seeds_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "seeds")
    coding = next((tmp_path / "seeds").glob("*/coding.yaml"))
    coding.write_text(
        coding.read_text(encoding="utf-8").replace("certainty: reported", "certainty: rumoured", 1), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["report", "--root", "datasets"])
    assert result.exit_code == 1
    assert "'rumoured'" in result.output and "1 error(s)" in result.output and "no release yet" in result.output
    assert not (tmp_path / "datasets" / "build").exists()
