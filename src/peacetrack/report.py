"""The data card: DATACARD.md and its figures, written from a release's tables alone.

Everything here is a pure function of (frames, version, release_date): no clock, no
paths, no environment. A release is checksummed, so its card and figures must come out
the same to the byte on the same machine and library versions: matplotlib draws with
the Agg renderer, its default settings, the DejaVu Sans font it ships, a fixed size and
dpi, and PNG metadata without the Software key.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import semver
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter, date2num
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from peacetrack.files import write_atomic
from peacetrack.markdown import md_text
from peacetrack.tables import CLAIM_TABLES, SCHEMA_VERSION, TABLES, Certainty, Column, ItemCategory, Kind

CARD_NAME = "DATACARD.md"
FIGURE_FOLDER = "figures"
TIMELINE_PNG = "timeline.png"
TRANSFERS_PNG = "transfers-by-supplier.png"

DPI = 150
FIGURE_WIDTH = 10.0  # inches
ROW_HEIGHT = 0.32  # inches per transfer in the timeline
MAX_HEIGHT = 80.0  # inches: past this many rows' worth, rows and their labels shrink instead
ITEM_WIDTH = 30  # characters of a transfer's item in its label before it is shortened
STYLE = {"font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "figure.dpi": DPI, "savefig.dpi": DPI}
# Okabe–Ito colours (distinguishable with colour-blindness), plus hatching for grey print.
CERTAINTY_COLOURS = {Certainty.stated: "#0072B2", Certainty.reported: "#E69F00", Certainty.alleged: "#CC79A7"}
CERTAINTY_HATCHES = {Certainty.stated: "", Certainty.reported: "////", Certainty.alleged: "xxxx"}
STATEMENT_COLOUR = "#222222"
UNDATED_COLOUR = "#888888"
FADE_STEPS = 12
TRANSFER_GID = "transfer:"
UNRELEASED = "unreleased"  # the version shown on the card of a build that is not a release

# How to cite the dataset; CITATION.cff says the same (a test holds them together).
TITLE = "peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process"
AUTHORS = "The peacetrack contributors"
REPOSITORY = "https://github.com/peacetrack/peacetrack"
# Releases up to this one were published with the first card (no metadata header, a shorter
# "cite as"); a release is immutable, so their cards are rebuilt as they were published.
LAST_FIRST_EDITION = semver.Version.parse("1.0.0")
# Hugging Face's size categories, by the count of rows: (upper bound, name).
SIZE_CATEGORIES = [
    (10**3, "n<1K"),
    (10**4, "1K<n<10K"),
    (10**5, "10K<n<100K"),
    (10**6, "100K<n<1M"),
    (10**7, "1M<n<10M"),
    (10**8, "10M<n<100M"),
    (10**9, "100M<n<1B"),
]


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
    return None if pd.isna(value) else value  # type: ignore[return-value]


def drawn_text(text: str) -> str:
    """Text of the data as a figure draws it, literally: matplotlib takes text between two `$`
    for mathematics, which mangles it or fails on an unknown command. (A text without `$`
    is drawn as before.)"""
    return text.replace("$", r"\$")


def transfer_label(row: Mapping[str, object], names: Mapping[str, str]) -> str:
    supplier = names.get(row["supplier_id"], row["supplier_id"])
    recipient = names.get(row["recipient_id"], row["recipient_id"])
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
    ax: Axes, y: float, start: float, end: float, towards_end: bool, style: dict[str, str], gid: str
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
    label_size = min(STYLE["font.size"], STYLE["font.size"] * (height - 2.4) / (ROW_HEIGHT * rows))

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

        for y, row in enumerate(order.itertuples(index=False), start=1):
            if row.is_undated and y == len(order) - undated_count + 1:
                ax.axhline(y - 0.5, color=UNDATED_COLOUR, linewidth=0.8, linestyle="--")
            certainty = Certainty(row.certainty)
            style = dict(color=CERTAINTY_COLOURS[certainty], hatch=CERTAINTY_HATCHES[certainty], edgecolor="white")
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
        handles = [
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


def category_colours() -> dict[str, tuple[float, float, float]]:
    """One fixed colour per item category, in contract order, so colours mean the same in every release."""
    palette = mpl.colormaps["tab20"].colors
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


# --- the card's text -------------------------------------------------------------------------


class Markdown(str):
    """Markdown this module wrote (code spans of ids, the contract's descriptions): a table
    cell keeps its markup. Any other text is the data's, and is escaped."""


def md_cell(value: object) -> str:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return "unknown"
    return value.replace("|", "\\|") if isinstance(value, Markdown) else md_text(value)


def code(text: object) -> Markdown:
    """An id or a name of the contract as a code span."""
    return Markdown(f"`{text}`")


def md_table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def share(count: int, total: int) -> str:
    """`7 (63.6 %)`: a count with its share of the total."""
    return f"{count} ({100 * count / total:.1f} %)" if total else f"{count}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def listing(values: list[str]) -> str:
    return ", ".join(values) if values else "none"


def column_type(column: Column) -> Markdown:
    kind = f"enum `{column.enum_name}`" if column.kind is Kind.enum else column.kind.value
    if column.is_list:
        kind = f"list of {kind}"
    if column.references:
        kind += f" → {column.references}"
    if column.primary_key:
        kind += ", primary key"
    return Markdown(kind)


def date_coverage(frame: pd.DataFrame) -> list[object]:
    start, end = frame["date_start"], frame["date_end"]
    known = pd.concat([start.dropna(), end.dropna()])
    return [
        len(frame),
        known.min() if len(known) else None,
        known.max() if len(known) else None,
        int((start.notna() & end.notna()).sum()),
        int((start.isna() & end.notna()).sum()),
        int((start.notna() & end.isna()).sum()),
        int((start.isna() & end.isna()).sum()),
    ]


def enum_shares(frames: Mapping[str, pd.DataFrame], column: str, tables: tuple[str, ...]) -> str:
    values = TABLES[tables[0]].column(column).enum or ()
    rows = []
    for name in tables:
        counts = frames[name][column].astype(str).value_counts()
        rows.append([code(name), *(share(int(counts.get(v, 0)), len(frames[name])) for v in values)])
    return md_table(["table", *values], rows)


def counts_line(series: pd.Series) -> str:
    """`a: 3, b: 1`, for the values that occur, in contract order for enums."""
    counts = series.dropna().astype(str).value_counts()
    order = list(series.cat.categories) if isinstance(series.dtype, pd.CategoricalDtype) else sorted(counts.index)
    return listing([f"{v}: {counts[v]}" for v in order if v in counts.index])


def unknowns_section(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    parts = []
    for name, table in TABLES.items():
        frame = frames[name]
        rows = [
            [code(c.name), column_type(c), share(int(frame[c.name].isna().sum()), len(frame)), Markdown(c.description)]
            for c in table.columns
        ]
        parts += [
            f"### `{name}` ({plural(len(frame), 'row')})",
            "",
            table.description,
            "",
            md_table(["column", "type", "null (unknown)", "description"], rows),
            "",
        ]
    return parts


def first_edition(version: str) -> bool:
    return semver.Version.is_valid(version) and semver.Version.parse(version) <= LAST_FIRST_EDITION


def size_category(rows: int) -> str:
    return next((name for bound, name in SIZE_CATEGORIES if rows < bound), "n>1B")


def hub_header(frames: Mapping[str, pd.DataFrame]) -> list[str]:
    """The YAML header that dataset hubs (Hugging Face) read: licence, language, size, and a
    config per table naming its Parquet file beside the card. Written by hand, so that its
    bytes do not depend on a YAML library's version; nothing in it comes from the data."""
    rows = sum(len(frame) for frame in frames.values())
    configs = [line for name in TABLES for line in (f"  - config_name: {name}", f"    data_files: {name}.parquet")]
    return [
        "---",
        f'pretty_name: "{TITLE}"',
        "license: cc-by-4.0",
        "language:",
        "  - en",
        "size_categories:",
        f"  - {size_category(rows)}",
        "tags:",
        "  - armenia",
        "  - azerbaijan",
        "  - peace-process",
        "  - arms-transfers",
        "  - event-data",
        "configs:",
        *configs,
        "---",
        "",
    ]


def cite_as(version: str, release_date: str) -> list[str]:
    if first_edition(version):
        return [
            "- **Cite as:** peacetrack contributors, *peacetrack: Armenia–Azerbaijan peace process dataset*, version",
            f"  {version}, {release_date}.",
        ]
    return [
        f"- **Cite as:** {AUTHORS}, *{TITLE}*, version {version}, {release_date},",
        f"  {REPOSITORY} (see `CITATION.cff`).",
    ]


def datacard_text(frames: Mapping[str, pd.DataFrame], version: str, release_date: str) -> str:
    """DATACARD.md for these tables, after the questions of "Datasheets for Datasets" (Gebru et al.)."""
    frames = sorted_frames(frames)
    sources, actors, statements = frames["sources"], frames["actors"], frames["statements"]
    transfers, rounds, evidence = frames["military_transfers"], frames["negotiation_rounds"], frames["evidence"]
    names = actor_names(frames)
    n_sources = len(sources)
    speakers = [md_text(name) for name in sorted({names.get(s, s) for s in statements["speaker_id"]})]
    occasions = [md_text(occasion) for occasion in sorted(set(statements["occasion"].dropna()))]
    people = actors[actors["actor_type"] == "person"]
    claims = {name: frames[name] for name in CLAIM_TABLES}
    shared_canonical = {name: int(frame["canonical_id"].duplicated(keep=False).sum()) for name, frame in claims.items()}
    evidence_per_table = evidence["table_name"].astype(str).value_counts()
    undated_transfers = int((transfers["date_start"].isna() & transfers["date_end"].isna()).sum())

    lines = [
        *([] if first_edition(version) else hub_header(frames)),
        f"# peacetrack {version}: data card",
        "",
        f"Version **{version}** · release date: {release_date} · schema version {SCHEMA_VERSION}. This card and its figures",
        "are generated from the release's tables by `peacetrack report`; they are never edited by hand. Every",
        "number on it is computed from the tables of this release.",
        "",
        "peacetrack is a versioned, validated open dataset of the Armenia–Azerbaijan peace process and the",
        "military build-up around it. Every row but a source is proven by at least one verbatim quote at exact",
        "character offsets in its source text (table `evidence`).",
        "",
        "## At a glance",
        "",
        md_table(
            ["table", "rows", "one row per"],
            [[code(n), len(frames[n]), Markdown(TABLES[n].description)] for n in TABLES],
        ),
        "",
        f"![Statements and military transfers over time]({FIGURE_FOLDER}/{TIMELINE_PNG})",
        "",
        f"![Military transfers by supplier, recipient and item category]({FIGURE_FOLDER}/{TRANSFERS_PNG})",
        "",
        "## Motivation",
        "",
        "- **Purpose.** To give analysts and researchers a record of what sources report about the",
        "  Armenia–Azerbaijan peace process and the military build-up around it (who said what about whom,",
        "  which military transfers, which rounds of negotiation), where every row can be traced to the exact",
        "  words of its source, loaded in one line, checked by machine and compared across versions.",
        "- **Who made it.** The peacetrack maintainers and contributors (see `CITATION.cff` in the repository).",
        "  No funding is recorded for this release.",
        "",
        "## Composition",
        "",
        "Each row of `statements`, `military_transfers` and `negotiation_rounds` is a claim *as one source",
        "reports it*, not an established fact: when several sources report the same thing, each keeps its own",
        "row and they share a `canonical_id`. `actors` holds one row per real-world actor, whichever sources",
        "name it. Rows sharing a `canonical_id` with another row: "
        + listing([f"`{name}` {count}" for name, count in shared_canonical.items()])
        + ".",
        "",
        "### Sources",
        "",
        f"This release is coded from {plural(n_sources, 'source text')}, in "
        + listing(sorted(set(sources["language"].astype(str))))
        + f". Publisher unknown: {share(int(sources['publisher'].isna().sum()), n_sources)}; title unknown: "
        + f"{share(int(sources['title'].isna().sum()), n_sources)}; publication date unknown: "
        + f"{share(int(sources['published_on'].isna().sum()), n_sources)}.",
        "",
        md_table(
            ["source", "title", "publisher", "published", "language", "characters", "text in repository"],
            [
                [
                    code(r.source_id),
                    r.title,
                    r.publisher,
                    r.published_on,
                    r.language,
                    r.char_count,
                    "yes" if r.text_in_repo else "no",
                ]
                for r in sources.itertuples(index=False)
            ],
        ),
        "",
        "### Statements",
        "",
        f"{plural(len(statements), 'statement')} by {plural(len(speakers), 'speaker')} ({listing(speakers)}) on "
        f"{plural(len(occasions), 'recorded occasion')} ({listing(occasions)}). Kind: {counts_line(statements['kind'])}. "
        f"Topic: {counts_line(statements['topic'])}. PLOVER event type: {counts_line(statements['event_type'])}; "
        f"none fits: {share(int(statements['event_type'].isna().sum()), len(statements))}.",
        "",
        "### Military transfers",
        "",
        f"{plural(len(transfers), 'transfer')}, each one item as one source reports it (not a count of items: "
        f"the quantity is given for {share(int(transfers['quantity'].notna().sum()), len(transfers))}). "
        f"Status: {counts_line(transfers['status'])}. Item category: {counts_line(transfers['item_category'])}.",
        "",
        "How certain the source is (`certainty`: "
        + TABLES["military_transfers"].column("certainty").description
        + "):",
        "",
        md_table(
            ["certainty", "transfers"],
            [[c.value, share(int((transfers["certainty"] == c.value).sum()), len(transfers))] for c in Certainty],
        ),
        "",
        "### Negotiation rounds",
        "",
        f"{plural(len(rounds), 'round')} in {plural(rounds['process'].nunique(), 'process', 'processes')} "
        f"({listing(sorted(set(rounds['process'].astype(str))))}). Format: {counts_line(rounds['format'])}. "
        f"Mediator unknown or none: {share(int(rounds['mediator_id'].isna().sum()), len(rounds))}.",
        "",
        "### Dates",
        "",
        "Dates are intervals (`date_start` .. `date_end`, inclusive). An interval with one end missing is",
        "*open*: known to begin (or end) on a day, with the other end unknown. Nothing is dated more",
        f"precisely than its source allows. Undated transfers: {undated_transfers}.",
        "",
        md_table(
            ["table", "rows", "earliest date", "latest date", "both ends known", "open start", "open end", "undated"],
            [[code(name), *date_coverage(frame)] for name, frame in claims.items()],
        ),
        "",
        "Share of rows by date precision:",
        "",
        enum_shares(claims, "date_precision", CLAIM_TABLES),
        "",
        "Share of rows by date basis (stated by the source, or inferred by the coder; see the sources' notes):",
        "",
        enum_shares(claims, "date_basis", CLAIM_TABLES),
        "",
        "### People and sensitive content",
        "",
        f"{plural(len(people), 'person', 'people')} {'appears' if len(people) == 1 else 'appear'} as actors: "
        + listing(
            [md_text(f"{r.name} ({r.role})" if pd.notna(r.role) else r.name) for r in people.itertuples(index=False)]
        )
        + ". They appear in the role and words the sources give them. Statements are attributed as the source",
        "attributes them; the dataset makes no claim that what was said is true.",
        "",
        "## Collection process",
        "",
        "- **How rows were made.** A maintainer reads each source and codes its rows by hand in",
        "  `seeds/<source_id>/coding.yaml`, citing for every row the verbatim passage that supports it. The",
        "  build finds each passage's exact offsets in the text and refuses any row whose quote is not there.",
        f"- **Evidence.** {plural(len(evidence), 'evidence span')}: "
        + listing(
            [f"`{t}` {int(evidence_per_table.get(t, 0))}" for t in TABLES["evidence"].column("table_name").enum or ()]
        )
        + ".",
        "- **Time frame.** Publication dates of the sources: "
        + listing([md_cell(d) for d in sources["published_on"]])
        + ". The claims' dates are in the Dates table above.",
        "- **What each source's coder noted** (column `sources.notes`):",
        "",
        *[f"  - `{r.source_id}`: {md_cell(r.notes)}" for r in sources.itertuples(index=False)],
        "",
        "## Preprocessing, cleaning and labelling",
        "",
        "- Source texts are kept verbatim (Unicode NFC); nothing is corrected or translated. Offsets count",
        "  Unicode code points.",
        "- Labels: statement topics and PLOVER event types; transfer item categories, status and certainty",
        "  (after SIPRI's trade register); negotiation formats. A value the source does not give stays null",
        "  (a quantity is never guessed); the null counts below show how often.",
        "- Every release passes the project's checks: column types and enums, unique primary keys, foreign",
        "  keys, evidence for every row with quotes equal to the text at their offsets, and date intervals in",
        "  order.",
        f"- Raw data: the full text is committed to the repository for {share(int(sources['text_in_repo'].sum()), n_sources)} "
        "of the sources; every source's SHA-256 is in `sources.text_sha256`, so whoever holds the same text can",
        "  verify every offset.",
        "",
        "## Uses",
        "",
        "- **Suited to:** tracing what a source said and where; studying the rhetoric of the peace process and",
        "  reported foreign military support; joining with other datasets through `canonical_id`, actor ids and",
        "  ISO country codes.",
        f"- **Not suited to:** counting arms transfers or measuring the military balance. With "
        f"{plural(n_sources, 'source')}, this release records what "
        + ("that source reports" if n_sources == 1 else "these sources report")
        + f"; all statements come from {plural(len(speakers), 'speaker')}, so it shows "
        + ("one side's account" if len(speakers) == 1 else "the accounts of the speakers named above")
        + ", not a balanced record of events.",
        "- Rows with `certainty` other than `stated` are hedged or alleged by their source; filter on it.",
        "",
        "## Distribution",
        "",
        "- Each table as Parquet and as CSV (ISO dates, empty cell for null, lists joined with `;`), with a",
        "  Frictionless `datapackage.json` and `SHA256SUMS` in each release folder.",
        "- **Licences.** The dataset is released under CC BY 4.0 (Creative Commons Attribution 4.0",
        "  International); the code under the MIT licence.",
        "- **Copyright of source texts.** News text belongs to its publisher. Releases carry no full article,",
        "  only the short evidence quotes needed to prove each row.",
        *cite_as(version, release_date),
        "",
        "## Maintenance",
        "",
        "- Versions are semantic: MAJOR when a column or table changes incompatibly, MINOR when rows or",
        "  columns are added, PATCH for corrections. A release is immutable: corrections come as a new release,",
        "  listed in `datasets/CHANGELOG.md`.",
        "- An id, once released, keeps its meaning; a removed row is listed in the changelog.",
        "- Errors and new sources are welcome as issues or pull requests in the project's repository; every",
        "  contribution is validated by the same checks as a release.",
        "",
        "## Columns and what is unknown",
        "",
        "For every column: its type, how many rows leave it null (unknown or not applicable), and its meaning.",
        "",
        *unknowns_section(frames),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- finding a release to report on ----------------------------------------------------------

VERSION_PATTERN = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")


# --- writing ---------------------------------------------------------------------------------


def write_report(frames: dict[str, pd.DataFrame], version: str, release_date: str, folder: Path) -> list[Path]:
    """Write `folder/DATACARD.md` and `folder/figures/*.png`; return the paths written."""
    written = []
    for name, draw in FIGURES.items():
        path = folder / FIGURE_FOLDER / name
        write_atomic(path, png_bytes(draw(frames)))
        written.append(path)
    card = folder / CARD_NAME
    write_atomic(card, datacard_text(frames, version, release_date).encode("utf-8"))
    return [card, *written]
