"""The data card's figures: PNGs drawn from a release's tables alone.

A release is checksummed, so its figures must come out the same to the byte on the same
machine and library versions: matplotlib draws with the Agg renderer, its default settings,
the DejaVu Sans font it ships, a fixed size and dpi, and PNG metadata without the Software key.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from typing import Any

import matplotlib as mpl
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import ColorType, RcKeyType

from peacetrack.enums import Certainty, ItemCategory
from peacetrack.tables import TABLES

FIGURE_FOLDER = "figures"
TIMELINE_PNG = "timeline.png"
TRANSFERS_PNG = "transfers-by-supplier.png"

DPI = 150
FIGURE_WIDTH = 10.0  # inches
ROW_HEIGHT = 0.32  # inches per transfer in the timeline
MAX_HEIGHT = 80.0  # inches: past this many rows' worth, rows and their labels shrink instead
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
UNDATED_COLOUR = "#888888"
FADE_STEPS = 12
TRANSFER_GID = "transfer:"


# --- shared helpers ------------------------------------------------------------------------


@contextmanager
def figure_style() -> Iterator[None]:
    """matplotlib's defaults plus our few settings, whatever the user's matplotlibrc says."""
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(STYLE)
        yield


def sorted_frames(frames: Mapping[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table sorted by its primary key, so nothing depends on the order rows came in."""
    return {
        name: frames[name].sort_values(table.primary_key, kind="stable", ignore_index=True)
        for name, table in TABLES.items()
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


def transfer_label(row: Mapping[str, object], names: Mapping[str, str]) -> str:
    supplier = names.get(str(row["supplier_id"]), str(row["supplier_id"]))
    recipient = names.get(str(row["recipient_id"]), str(row["recipient_id"]))
    item = textwrap.shorten(str(row["item"]), ITEM_WIDTH, placeholder="…")
    return f"{item} ({supplier} → {recipient})"


# --- figure 1: the timeline ------------------------------------------------------------------


def timeline_span(frames: Mapping[str, pd.DataFrame]) -> tuple[date, date]:
    """First and last day shown: every known date of statements and transfers, padded."""
    known = [
        d
        for name in ("statements", "military_transfers")
        for column in ("date_start", "date_end")
        for d in frames[name][column].dropna()
    ]
    if not known:
        return date(2000, 1, 1), date(2000, 12, 31)
    first, last = min(known), max(known)
    pad = max(timedelta(days=30), (last - first) / 12)
    return first - pad, last + pad


def _faded_bar(
    ax: Axes, y: float, start: float, end: float, towards_end: bool, style: dict[str, Any], gid: str
) -> None:
    """An interval with an open end: a bar fading out towards the figure's edge, and an arrow."""
    step = (end - start) / FADE_STEPS
    for i in range(FADE_STEPS):
        fade = (i + 0.5) / FADE_STEPS if towards_end else 1 - (i + 0.5) / FADE_STEPS
        ax.barh(y, step, left=start + i * step, height=0.6, alpha=0.95 - 0.85 * fade, linewidth=0, gid=gid, **style)
    edge, marker = (end, ">") if towards_end else (start, "<")
    ax.plot([edge], [y], marker=marker, markersize=7, color=style["color"], clip_on=False, gid=gid)


def timeline_figure(frames: Mapping[str, pd.DataFrame]) -> Figure:
    """Statements as points on their dates; every transfer as its date interval, by certainty.

    Each artist drawn for a transfer carries the gid `transfer:<transfer_id>`, so
    `drawn_transfer_ids` can tell from the figure itself which transfers it shows.
    """
    frames = sorted_frames(frames)
    transfers, statements = frames["military_transfers"], frames["statements"]
    names = actor_names(frames)
    first, last = timeline_span(frames)
    left, right = date2num(first), date2num(last)
    min_width = (right - left) / 150  # a one-day interval stays visible

    order = transfers.assign(
        sort_key=transfers["date_start"].fillna(transfers["date_end"]).astype(object),
        is_undated=transfers["date_start"].isna() & transfers["date_end"].isna(),
    )
    order = order.sort_values(["is_undated", "sort_key", "transfer_id"], kind="stable", na_position="last")
    undated_count = int(order["is_undated"].sum())
    rows = len(order) + 1
    height = min(2.4 + ROW_HEIGHT * rows, MAX_HEIGHT)
    label_size = min(FONT_SIZE, FONT_SIZE * (height - 2.4) / (ROW_HEIGHT * rows))

    with figure_style():
        figure = Figure(figsize=(FIGURE_WIDTH, height), dpi=DPI, layout="constrained")
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        labels = []

        # Row 0: statements, one point per day (an interval's first day), sized by how many.
        dated = statements.dropna(subset=["date_start", "date_end"], how="all")
        points = dated["date_start"].fillna(dated["date_end"]).astype(object)
        counts = points.value_counts().sort_index()
        ax.scatter(
            [date2num(d) for d in counts.index],
            [0] * len(counts),
            s=[30 + 6 * min(n, 40) for n in counts],
            marker="D",
            color=STATEMENT_COLOUR,
            zorder=3,
        )
        for day, n in counts.items() if len(counts) <= 6 else ():
            ax.annotate(f"{n}", (date2num(day), 0), xytext=(9, 0), textcoords="offset points", va="center", fontsize=8)
        undated_statements = len(statements) - len(dated)
        label = f"Statements ({len(statements)}"
        label += f", {undated_statements} undated)" if undated_statements else ")"
        labels.append(label)

        transfer_rows: list[Any] = list(order.itertuples(index=False))  # named tuples of the columns
        for y, row in enumerate(transfer_rows, start=1):
            if row.is_undated and y == len(order) - undated_count + 1:
                ax.axhline(y - 0.5, color=UNDATED_COLOUR, linewidth=0.8, linestyle="--")
            certainty = Certainty(row.certainty)
            style: dict[str, Any] = dict(
                color=CERTAINTY_COLOURS[certainty], hatch=CERTAINTY_HATCHES[certainty], edgecolor="white"
            )
            gid = TRANSFER_GID + row.transfer_id
            start, end = as_date(row.date_start), as_date(row.date_end)
            if start is None and end is None:
                ax.plot([left + min_width * 3], [y], marker="s", markersize=7, color=style["color"], gid=gid)
                ax.annotate(
                    "undated",
                    (left + min_width * 3, y),
                    xytext=(8, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                    fontstyle="italic",
                    color="#444444",
                )
            elif end is None:
                _faded_bar(ax, y, date2num(start), right, True, style, gid)
            elif start is None:
                _faded_bar(ax, y, left, date2num(end) + 1, False, style, gid)
            else:
                width = max(date2num(end) + 1 - date2num(start), min_width)
                ax.barh(y, width, left=date2num(start), height=0.6, linewidth=0.5, gid=gid, **style)
            labels.append(transfer_label(row._asdict(), names))

        ax.set_yticks(range(len(labels)), [drawn_text(label) for label in labels], fontsize=label_size)
        ax.set_ylim(len(labels) - 0.4, -0.6)
        ax.set_xlim(left, right)
        locator = AutoDateLocator(minticks=4, maxticks=10)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(ConciseDateFormatter(locator))
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel("date (bars: the interval a transfer is dated to; faded bar with arrow: interval left open)")
        ax.set_title(f"Statements and military transfers over time ({len(transfers)} transfers)")
        handles: list[Artist] = [
            Line2D([], [], marker="D", linestyle="", color=STATEMENT_COLOUR, label="statement (number made that day)")
        ]
        handles += [
            Patch(
                facecolor=CERTAINTY_COLOURS[c],
                hatch=CERTAINTY_HATCHES[c],
                edgecolor="white",
                label=f"transfer, {c.value}",
            )
            for c in Certainty
        ]
        figure.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False)
    return figure


def drawn_transfer_ids(figure: Figure) -> set[str]:
    """The transfers a figure shows, read back from the gids of its artists."""
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
    """Transfers per supplier → recipient (rows) and item category (columns), largest first."""
    transfers = sorted_frames(frames)["military_transfers"]
    names = actor_names(frames)
    pairs = [
        f"{names.get(s, s)} → {names.get(r, r)}"
        for s, r in zip(transfers["supplier_id"], transfers["recipient_id"], strict=False)
    ]
    table = pd.crosstab(pd.Series(pairs, name="pair"), transfers["item_category"].astype(str).to_numpy())
    table = table.reindex(columns=[c.value for c in ItemCategory if c.value in table.columns])
    totals = table.sum(axis=1)
    return table.loc[sorted(table.index, key=lambda pair: (-totals[pair], pair))]


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
        ax.set_xlabel("number of transfers (rows: one item as one source reports it; not a quantity of items)")
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
