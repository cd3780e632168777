"""The data card's figures: PNGs drawn from a release's tables alone, of a bounded size.

A release is checksummed, so its figures must come out the same to the byte on the same
machine and library versions: matplotlib draws with the Agg renderer, its default settings,
the DejaVu Sans font it ships, a fixed size and dpi, and PNG metadata without the Software key.

Neither figure grows with the rows, and both stay readable: rows sharing a `canonical_id` are
one transfer (or round), drawn or counted once; the timeline draws up to MAX_TRANSFER_LINES
transfers a line each, beyond that one lane per supplier with its transfers per month as a
heat strip; the bar chart shows the largest supplier → recipient pairs and the rest as one
bar. The data card's tables list what the figures sum up. A label drawn in the plot is
dropped where it would overlap one drawn before it.

The module is longer than most (about 490 lines): the two figures share their style, their
reading of the tables (canonical rows, dates) and their bounds, and one file keeps those
decisions in one place.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import PowerNorm, to_rgba
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import ColorType, RcKeyType

from peacetrack.enums import Certainty, ItemCategory
from peacetrack.tables import TABLES

FIGURE_FOLDER = "figures"
TIMELINE_PNG = "timeline.png"
TRANSFERS_PNG = "transfers-by-supplier.png"

DPI = 150
FIGURE_WIDTH = 10.0  # inches
ROW_HEIGHT = 0.32  # inches per line of the timeline
MAX_TRANSFER_LINES = 24  # up to this many transfers, a line each; beyond, a lane per supplier
MAX_LANES = 16  # suppliers in the timeline, pairs in the bar chart: the largest, then one for the rest
LABEL_WIDTH = 60  # characters of a line's label before it is shortened
ITEM_WIDTH = 30  # characters of a transfer's item in its label before it is shortened
FONT_SIZE = 9
STYLE: dict[RcKeyType, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "axes.titlesize": 11,
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
}
# Okabe–Ito colours (distinguishable with colour-blindness), plus hatching for grey print.
CERTAINTY_COLOURS = {Certainty.stated: "#0072B2", Certainty.reported: "#E69F00", Certainty.alleged: "#CC79A7"}
CERTAINTY_HATCHES = {Certainty.stated: "", Certainty.reported: "////", Certainty.alleged: "xxxx"}
STATEMENT_COLOUR = "#222222"
ROUND_COLOUR = "#009E73"
UNDATED_COLOUR = "#888888"
HEAT_COLOURS = "YlGnBu"
FADE_STEPS = 12
TRANSFER_GID = "transfer:"
HEAT_GID = "transfers-per-supplier-and-month"
DATED_TABLES = ("statements", "military_transfers", "negotiation_rounds")


# --- shared helpers ------------------------------------------------------------------------


@contextmanager
def figure_style() -> Iterator[None]:
    """matplotlib's defaults plus our few settings, whatever the user's matplotlibrc says."""
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(STYLE)
        yield


def sorted_frames(frames: Mapping[str, pd.DataFrame], names: Sequence[str] = tuple(TABLES)) -> dict[str, pd.DataFrame]:
    """The tables `names` sorted by their primary keys, so nothing depends on the order rows came
    in. Only those asked for: sorting a million statements that are only counted takes seconds."""
    return {
        name: frames[name].sort_values(TABLES[name].primary_key, kind="stable", ignore_index=True) for name in names
    }


def actor_names(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    actors = frames["actors"]
    return dict(zip(actors["actor_id"].astype(str), actors["name"].astype(str), strict=False))


def as_date(value: object) -> date | None:
    """A cell of a date column as a date; None for a null (None, NaT or NA)."""
    return None if not isinstance(value, date) or value is pd.NaT else value


def drawn_text(text: str) -> str:
    """Text of the data as a figure draws it, literally: matplotlib takes text between two `$`
    for mathematics, which mangles it or fails on an unknown command. (A text without `$`
    is drawn as before.)"""
    return text.replace("$", r"\$")


def short(text: str, width: int = LABEL_WIDTH) -> str:
    return textwrap.shorten(text, width, placeholder="…")


def transfer_label(row: Mapping[str, object], names: Mapping[str, str]) -> str:
    supplier = names.get(str(row["supplier_id"]), str(row["supplier_id"]))
    recipient = names.get(str(row["recipient_id"]), str(row["recipient_id"]))
    return short(f"{short(str(row['item']), ITEM_WIDTH)} ({supplier} → {recipient})")


def canonical_rows(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """One row per `canonical_id` (the row whose `key` is the canonical id, else its first by
    `key`), with how many `rows` and distinct `sources` report it: what several sources report
    is one thing, counted once."""
    counts = frame.groupby("canonical_id", sort=False, observed=True).agg(
        rows=(key, "size"), sources=("source_id", "nunique")
    )
    other = frame[key].astype(str) != frame["canonical_id"].astype(str)
    frame = frame.assign(other_=other).sort_values(["other_", key], kind="stable", ignore_index=True)
    return (
        frame.drop_duplicates("canonical_id", ignore_index=True).drop(columns="other_").join(counts, on="canonical_id")
    )


def round_counts(rounds: pd.DataFrame) -> pd.Series:
    """How many rounds each row stands for: `round_count`, or 1 in a release older than that column."""
    if "round_count" in rounds.columns:
        return rounds["round_count"].fillna(1).astype(int)
    return pd.Series(1, index=rounds.index, dtype=int)


def drop_overlapping(figure: Figure, texts: Sequence[Text]) -> None:
    """Remove every text whose box, once the figure is laid out, overlaps a text kept before it.
    The layout alone places the texts: drawing the whole figure for it, as matplotlib's
    `draw_without_rendering` does, cost the timeline of scripts/bench_report.py 0.1 s more."""
    if len(texts) < 2:
        return
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)
    kept: list[Any] = []
    for text in texts:
        box = text.get_window_extent()
        if any(box.overlaps(other) for other in kept):
            text.remove()
        else:
            kept.append(box)


# --- figure 1: the timeline ------------------------------------------------------------------


def timeline_span(frames: Mapping[str, pd.DataFrame]) -> tuple[date, date]:
    """First and last day shown: every known date of the claims, padded."""
    ends = [
        as_date(value)
        for name in DATED_TABLES
        for column in ("date_start", "date_end")
        for value in (frames[name][column].min(), frames[name][column].max())
    ]
    known = [day for day in ends if day is not None]
    if not known:
        return date(2000, 1, 1), date(2000, 12, 31)
    first, last = min(known), max(known)
    pad = max(timedelta(days=30), (last - first) / 12)
    return first - pad, last + pad


class Timeline:
    """The timeline's axes, its x range, and the labels noted in it (dropped where they overlap)."""

    def __init__(self, ax: Axes, first: date, last: date) -> None:
        self.ax, self.first, self.last = ax, first, last
        self.left, self.right = float(date2num(first)), float(date2num(last))
        self.min_width = (self.right - self.left) / 150  # a one-day interval stays visible
        self.texts: list[Text] = []

    def note(self, text: str, x: float, y: float, gap: float = 6, **style: Any) -> None:
        """A label `gap` points right of a mark."""
        self.texts.append(
            self.ax.annotate(
                drawn_text(text), (x, y), xytext=(gap, 0), textcoords="offset points", va="center", fontsize=8, **style
            )
        )

    def interval(
        self,
        y: float,
        height: float,
        start: date | None,
        end: date | None,
        colour: str,
        hatch: str,
        gid: str | None,
        uncertain: bool = False,
    ) -> float:
        """One dated row as a bar: an open end fades out, with an arrow; undated, a square at the
        left edge; a date the source gives as uncertain or approximate, a dotted outline.
        Returns the x where a label beside it goes."""
        style: dict[str, Any] = dict(height=height, hatch=hatch, edgecolor="white", gid=gid)
        if start is None and end is None:
            x = self.left + self.min_width * 3
            self.ax.plot([x], [y], marker="s", markersize=6, color=colour, gid=gid)
            return x
        if start is None or end is None:
            begin = self.left if start is None else float(date2num(start))
            finish = self.right if end is None else float(date2num(end)) + 1
            step = (finish - begin) / FADE_STEPS
            fades = [(i + 0.5) / FADE_STEPS for i in range(FADE_STEPS)]
            alphas = [0.95 - 0.85 * (fade if end is None else 1 - fade) for fade in fades]
            lefts = [begin + i * step for i in range(FADE_STEPS)]
            colours = [to_rgba(colour, alpha) for alpha in alphas]
            self.ax.barh([y] * FADE_STEPS, [step] * FADE_STEPS, left=lefts, color=colours, linewidth=0, **style)
            edge, marker = (finish, ">") if end is None else (begin, "<")
            self.ax.plot([edge], [y], marker=marker, markersize=6, color=colour, clip_on=False, gid=gid)
            return finish if end is not None else begin
        begin = float(date2num(start))
        width = max(float(date2num(end)) + 1 - begin, self.min_width)
        if uncertain:
            style.update(edgecolor=STATEMENT_COLOUR, linestyle=":")
        self.ax.barh(y, width, left=begin, color=colour, linewidth=1.2 if uncertain else 0.5, **style)
        return begin + width


def uncertain_dates(frame: pd.DataFrame) -> list[bool]:
    """Whether each row's EDTF date is uncertain (`?`), approximate (`~`) or both (`%`)."""
    if "date_edtf" not in frame.columns:
        return [False] * len(frame)
    return [isinstance(text, str) and any(mark in text for mark in "?~%") for text in frame["date_edtf"]]


def statements_lane(line: Timeline, statements: pd.DataFrame, y: int) -> str:
    """Statements as points on their days (an interval's first known day), sized by how many."""
    dated = statements.dropna(subset=["date_start", "date_end"], how="all")
    counts = dated["date_start"].fillna(dated["date_end"]).value_counts().sort_index()
    days = [float(date2num(day)) for day in counts.index]
    sizes = [30 + 6 * min(int(n), 40) for n in counts]
    line.ax.scatter(days, [y] * len(days), s=sizes, marker="D", color=STATEMENT_COLOUR, zorder=3)
    for x, n, size in zip(days, counts, sizes, strict=True) if len(days) <= MAX_TRANSFER_LINES else ():
        line.note(f"{int(n):,}", x, y, gap=size**0.5 / 1.4 + 3)  # beside the diamond (area in points²)
    undated = len(statements) - len(dated)
    return f"Statements ({len(statements):,}" + (f", {undated:,} undated)" if undated else ")")


def rounds_lane(line: Timeline, rounds: pd.DataFrame, y: int) -> str:
    """Negotiation rounds, one mark per date (or interval) labelled with how many rounds it
    stands for: each row's `round_count`, rows sharing a canonical id counted once. A count known
    only "by 23 September" is an interval open at its start, fading in towards that day."""
    one = canonical_rows(rounds, "round_id")
    per_date: dict[tuple[date | None, date | None], int] = {}
    for start, end, count in zip(one["date_start"], one["date_end"], round_counts(one), strict=True):
        key = (as_date(start), as_date(end))
        per_date[key] = per_date.get(key, 0) + int(count)
    undated = per_date.pop((None, None), 0)
    for (start, end), count in sorted(per_date.items(), key=lambda item: (str(item[0][0]), str(item[0][1]))):
        x = line.interval(y, 0.5, start, end, ROUND_COLOUR, "", None)
        line.note(f"{count:,} rounds" if count > 1 else "1 round", x, y)
    total = int(round_counts(one).sum())
    return f"Negotiation rounds ({total:,}" + (f", {undated:,} undated)" if undated else ")")


def transfer_lines(line: Timeline, transfers: pd.DataFrame, names: Mapping[str, str], y: int) -> list[str]:
    """One line per transfer (rows sharing a canonical id), each of its rows a bar of its own
    dates and certainty, labelled with how many sources report it; undated transfers last."""
    one = canonical_rows(transfers, "transfer_id")
    one = one.assign(
        first_day=one["date_start"].fillna(one["date_end"]).astype(object),
        undated=one["date_start"].isna() & one["date_end"].isna(),
    ).sort_values(["undated", "first_day", "canonical_id"], kind="stable", na_position="last", ignore_index=True)
    rows_of = dict(list(transfers.sort_values("transfer_id").groupby("canonical_id", sort=False, observed=True)))
    labels = []
    canonicals: list[Any] = list(one.itertuples(index=False))  # named tuples of the columns
    for i, canonical in enumerate(canonicals):
        if canonical.undated and (i == 0 or not one["undated"].iloc[i - 1]):
            line.ax.axhline(y + i - 0.5, color=UNDATED_COLOUR, linewidth=0.8, linestyle="--")
        frame = rows_of[canonical.canonical_id]
        rows: list[Any] = list(frame.itertuples(index=False))
        height = 0.6 / len(rows)
        for j, (row, uncertain) in enumerate(zip(rows, uncertain_dates(frame), strict=True)):
            start, end, certainty = as_date(row.date_start), as_date(row.date_end), Certainty(row.certainty)
            colour, hatch = CERTAINTY_COLOURS[certainty], CERTAINTY_HATCHES[certainty]
            gid = TRANSFER_GID + row.transfer_id
            x = line.interval(y + i - 0.3 + height * (j + 0.5), height, start, end, colour, hatch, gid, uncertain)
            if start is None and end is None and j == 0:
                line.note("undated", x, y + i, fontstyle="italic", color="#444444")
        sources = f" · {canonical.sources} sources" if canonical.sources > 1 else ""
        labels.append(transfer_label(canonical._asdict(), names) + sources)
    return labels


def month_number(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_start(number: int) -> date:
    return date(number // 12, number % 12 + 1, 1)


def supplier_heat(
    transfers: pd.DataFrame, names: Mapping[str, str], first: date, last: date
) -> tuple[list[str], np.ndarray]:
    """Transfers (rows sharing a canonical id counted once) per supplier lane and month from
    `first` to `last`: the MAX_LANES - 1 largest suppliers, then one lane for the rest. A transfer
    dated to an interval is spread evenly over its months; one open at an end counts in the
    month of its known day; undated ones are counted in the lane's label. Returns the lanes'
    labels and the counts (lane × month)."""
    one = canonical_rows(transfers, "transfer_id")
    totals = one["supplier_id"].astype(str).value_counts()
    order = sorted(totals.index, key=lambda s: (-totals[s], names.get(s, s), s))
    shown = order if len(order) <= MAX_LANES else order[: MAX_LANES - 1]
    lane_of = {supplier: i for i, supplier in enumerate(shown)}
    lanes = len(shown) + (len(order) > len(shown))
    base = month_number(first)
    heat = np.zeros((lanes, month_number(last) - base + 1))
    undated = [0] * lanes
    # plain lists, not the Arrow-backed columns, iterated: a tenth of the time at 10,000 transfers
    columns = (one[name].tolist() for name in ("supplier_id", "date_start", "date_end"))
    for supplier, start, end in zip(*columns, strict=True):
        lane = lane_of.get(str(supplier), lanes - 1)
        first_day = as_date(start) if as_date(start) is not None else as_date(end)
        last_day = as_date(end) if as_date(end) is not None else as_date(start)
        if first_day is None or last_day is None:
            undated[lane] += 1
            continue
        months = slice(month_number(first_day) - base, month_number(last_day) - base + 1)
        heat[lane, months] += 1 / (months.stop - months.start)
    counts = [int(n) for n in heat.sum(axis=1).round()]
    names_shown = [short(names.get(s, s), 40) for s in shown]
    if lanes > len(shown):
        names_shown.append(f"{len(order) - len(shown):,} other suppliers")
    labels = [
        f"{name} ({counts[i] + undated[i]:,}" + (f", {undated[i]:,} undated)" if undated[i] else ")")
        for i, name in enumerate(names_shown)
    ]
    return labels, heat


def supplier_lanes(
    figure: Figure, line: Timeline, transfers: pd.DataFrame, names: Mapping[str, str], y: int
) -> list[str]:
    """The supplier heat strips, one lane each, with a colour bar."""
    labels, heat = supplier_heat(transfers, names, line.first, line.last)
    base = month_number(line.first)
    edges = [float(date2num(month_start(base + m))) for m in range(heat.shape[1] + 1)]
    mesh = line.ax.pcolormesh(
        edges,
        [y + i - 0.5 for i in range(len(labels) + 1)],
        np.ma.masked_equal(heat, 0),
        cmap=HEAT_COLOURS,
        norm=PowerNorm(0.5, vmin=0),  # square root: a lane of many suppliers does not wash out the rest
        gid=HEAT_GID,
    )
    bar = figure.colorbar(mesh, ax=line.ax, location="right", fraction=0.03, pad=0.01)
    bar.set_label("transfers per month (one spread over the months of its dates)", fontsize=8)
    return labels


def timeline_figure(frames: Mapping[str, pd.DataFrame]) -> Figure:
    """Statements and negotiation rounds on their dates, then the transfers: a line each (its
    rows by certainty), or per supplier and month when there are more than fit.

    Each artist drawn for a transfer line carries the gid `transfer:<transfer_id>`, so
    `drawn_transfer_ids` can tell from the figure itself which transfers it shows.
    """
    statements = frames["statements"]  # only counted: its order changes nothing
    frames = {**sorted_frames(frames, ("actors", "military_transfers", "negotiation_rounds")), "statements": statements}
    transfers, names = frames["military_transfers"], actor_names(frames)
    first, last = timeline_span(frames)
    by_line = transfers["canonical_id"].nunique() <= MAX_TRANSFER_LINES
    with figure_style():
        figure = Figure(figsize=(FIGURE_WIDTH, 3.0), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        line = Timeline(ax, first, last)
        labels = [statements_lane(line, statements, 0), rounds_lane(line, frames["negotiation_rounds"], 1)]
        if by_line:
            labels += transfer_lines(line, transfers, names, 2)
        else:
            labels += supplier_lanes(figure, line, transfers, names, 2)
        figure.set_size_inches(FIGURE_WIDTH, 2.6 + ROW_HEIGHT * len(labels))
        ax.axhline(1.5, color=UNDATED_COLOUR, linewidth=0.8)
        ax.set_yticks(range(len(labels)), [drawn_text(label) for label in labels])
        ax.set_ylim(len(labels) - 0.5, -0.6)
        ax.set_xlim(line.left, line.right)
        locator = AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel("date (bars: the interval a row is dated to; faded bar with arrow: interval left open)")
        count = transfers["canonical_id"].nunique()
        ax.set_title(
            f"Statements, negotiation rounds and military transfers ({count:,} transfers in {len(transfers):,} rows)"
        )
        handles: list[Artist] = [
            Line2D([], [], marker="D", linestyle="", color=STATEMENT_COLOUR, label="statements (how many that day)"),
            Patch(facecolor=ROUND_COLOUR, label="negotiation rounds"),
        ]
        handles.append(
            Patch(facecolor="white", edgecolor=STATEMENT_COLOUR, linestyle=":", label="date uncertain or approximate")
        )
        handles += [
            Patch(
                facecolor=CERTAINTY_COLOURS[c],
                hatch=CERTAINTY_HATCHES[c],
                edgecolor="white",
                label=f"transfer, {c.value}",
            )
            for c in Certainty
        ]
        figure.legend(handles=handles if by_line else handles[:2], loc="outside lower center", ncols=3, frameon=False)
        drop_overlapping(figure, line.texts)
    return figure


def drawn_transfer_ids(figure: Figure) -> set[str]:
    """The transfers a figure shows a line of, read back from the gids of its artists."""
    return {
        gid.removeprefix(TRANSFER_GID)
        for artist in figure.findobj()
        if isinstance(gid := artist.get_gid(), str) and gid.startswith(TRANSFER_GID)
    }


# --- figure 2: transfers by supplier, recipient and category -------------------------------


def category_colours() -> dict[str, ColorType]:
    """One fixed colour per item category, in contract order, so colours mean the same in every release."""
    palette = mpl.color_sequences["tab20"]
    order = list(range(0, 20, 2)) + list(range(1, 20, 2))
    return {c.value: palette[order[i]] for i, c in enumerate(ItemCategory)}


def transfer_counts(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Transfers (rows sharing a canonical id counted once) per supplier → recipient (rows) and
    item category (columns), largest first: the MAX_LANES - 1 largest pairs, then the rest as one."""
    transfers = canonical_rows(frames["military_transfers"], "transfer_id")
    suppliers, recipients = transfers["supplier_id"].astype(str), transfers["recipient_id"].astype(str)
    names = actor_names(frames)
    # each actor's name shortened once, not once a row: 10,000 transfers take 1 s less (textwrap is slow)
    shortened = {actor: short(names.get(actor, actor), 35) for actor in {*suppliers, *recipients}}
    pairs = [f"{shortened[s]} → {shortened[r]}" for s, r in zip(suppliers.tolist(), recipients.tolist(), strict=True)]
    table = pd.crosstab(pd.Series(pairs, name="pair"), transfers["item_category"].astype(str).to_numpy())
    table = table.reindex(columns=[c.value for c in ItemCategory if c.value in table.columns])
    totals = table.sum(axis=1)
    table = table.loc[sorted(table.index, key=lambda pair: (-totals[pair], pair))]
    if len(table) <= MAX_LANES:
        return table
    rest = table.iloc[MAX_LANES - 1 :].sum().rename(f"{len(table) - MAX_LANES + 1:,} other pairs")
    return pd.concat([table.iloc[: MAX_LANES - 1], rest.to_frame().T])


def transfers_figure(frames: Mapping[str, pd.DataFrame]) -> Figure:
    """Stacked bars: how many transfers each supplier → recipient pair has, by item category."""
    counts = transfer_counts(frames)
    colours = category_colours()
    with figure_style():
        figure = Figure(figsize=(FIGURE_WIDTH, 2.2 + 0.5 * max(len(counts), 2)), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        y = list(range(len(counts)))
        done = [0] * len(counts)
        for category in counts.columns:
            values = counts[category].tolist()
            ax.barh(
                y,
                values,
                left=done,
                height=0.6,
                color=colours[category],
                label=category.replace("_", " "),
                edgecolor="white",
                linewidth=0.8,
            )
            done = [a + b for a, b in zip(done, values, strict=False)]
        for i, total in enumerate(done):
            ax.annotate(str(total), (total, i), xytext=(4, 0), textcoords="offset points", va="center")
        if counts.empty:
            ax.text(0.5, 0.5, "no transfers in this release", ha="center", va="center", transform=ax.transAxes)
        ax.set_yticks(y, [drawn_text(pair) for pair in counts.index])
        ax.set_ylim(len(counts) - 0.4, -0.6)
        ax.set_xlim(0, max(done, default=1) * 1.1 + 0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("number of transfers (rows sharing a canonical_id count once; not a quantity of items)")
        ax.set_ylabel("supplier → recipient")
        ax.set_title("Military transfers by supplier, recipient and item category")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if not counts.empty:
            figure.legend(title="item category", loc="outside right upper", frameon=False)
    return figure


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG, the same bytes every time: no Software or date metadata."""
    buffer = BytesIO()
    with figure_style():
        figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


FIGURES: dict[str, Callable[[Mapping[str, pd.DataFrame]], Figure]] = {
    TIMELINE_PNG: timeline_figure,
    TRANSFERS_PNG: transfers_figure,
}
