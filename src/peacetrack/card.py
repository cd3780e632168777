"""The data card's text, DATACARD.md: a Jinja2 template filled from a release's tables alone.

The prose is in `templates/DATACARD.md.j2`; the functions here compute what it shows, one
section each. Everything is a pure function of (frames, version, release_date): no clock, no
paths, no environment, so a release's card comes out the same to the byte.

Data stays text: the template is Markdown (no HTML escaping), and every value it prints
passes through `md_text` unless it is `Markdown` this module built, whose data parts were
escaped when it was built. The environment's `finalize` does this for every `{{ ... }}`, so a
template cannot forget it.

The module is longer than most (about 500 lines): one small function per section of the card,
each beside the Markdown helpers that keep the data text; splitting them would split that rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, TypeAlias

import jinja2
import pandas as pd
import semver

from peacetrack.enums import Certainty
from peacetrack.figures import (
    FIGURE_FOLDER,
    TIMELINE_PNG,
    TRANSFERS_PNG,
    actor_names,
    as_date,
    canonical_rows,
    round_counts,
    sorted_frames,
)
from peacetrack.markdown import md_text
from peacetrack.schema import vocabularies as schema_vocabularies
from peacetrack.tables import CLAIM_TABLES, SCHEMA_VERSION, TABLES, Column, Kind

CARD_NAME = "DATACARD.md"
TEMPLATE = "DATACARD.md.j2"
UNRELEASED = "unreleased"  # the version shown on the card of a build that is not a release
# How many values of each column are null, per table, where they are known without the values.
NullCounts: TypeAlias = Mapping[str, Mapping[str, int]]

# How to cite the dataset; CITATION.cff says the same (a test holds them together).
TITLE = "peacetrack: a versioned, validated dataset of the Armenia–Azerbaijan peace process"
AUTHORS = "The peacetrack contributors"
REPOSITORY = "https://github.com/peacetrack/peacetrack"
# Releases up to this one were published with the first card (no metadata header, a shorter
# "cite as"); a release is immutable, so their cards are rebuilt as they were published.
LAST_FIRST_EDITION = semver.Version.parse("1.0.0")
LISTED_TRANSFERS = 100  # up to this many transfers, the card lists each; beyond, the files do
# How a quantity reads by its `quantity_bound` (exact where the release has no such column).
QUANTITY_WORDS = {
    "exact": "{}",
    "lower_bound": "at least {}",
    "upper_bound": "up to {}",
    "approximate": "≈ {}",
}
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


# --- Markdown of the data ------------------------------------------------------------------


class Markdown(str):
    """Markdown this module wrote (code spans of ids, the contract's descriptions, tables of
    escaped cells): printed as it is. Any other text is the data's, and is escaped."""


def as_markdown(value: object) -> str:
    """What the template prints for `{{ value }}`: Markdown as it is, anything else as text."""
    return value if isinstance(value, Markdown) else md_text(value)


def is_null(value: object) -> bool:
    """None, NaN, NA or NaT: `pd.isna` of one cell (a list is a value, never null)."""
    cell: Any = value  # pandas-stubs has no overload of isna for `object`
    return value is None or (not isinstance(value, list | tuple) and bool(pd.isna(cell)))


def md_cell(value: object) -> str:
    if is_null(value):
        return "unknown"
    return value.replace("|", "\\|") if isinstance(value, Markdown) else md_text(value)


def cell(value: object) -> Markdown:
    """A value of the data as a table cell or list item: escaped, `unknown` for null."""
    return Markdown(md_cell(value))


def code(text: object) -> Markdown:
    """An id or a name of the contract as a code span."""
    return Markdown(f"`{text}`")


def md_table(header: list[str], rows: list[list[object]]) -> Markdown:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_cell(v) for v in row) + " |" for row in rows]
    return Markdown("\n".join(lines))


def share(count: int, total: int) -> str:
    """`7 (63.6 %)`: a count with its share of the total."""
    return f"{count} ({100 * count / total:.1f} %)" if total else f"{count}"


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def listing(values: Sequence[str]) -> str:
    """`a, b, c` (or `none`): text, escaped where it is printed."""
    return ", ".join(values) if values else "none"


def markdown_listing(values: list[Markdown]) -> Markdown:
    """`a, b, c` (or `none`) of Markdown, each part escaped already."""
    return Markdown(listing(values))


def yes_no(flag: object) -> str:
    return "yes" if flag else "no"


def null_share(series: pd.Series) -> str:
    return share(int(series.isna().sum()), len(series))


def column_type(column: Column) -> Markdown:
    kind = f"enum `{column.enum_name}`" if column.kind is Kind.enum else column.kind.value
    if column.is_list:
        kind = f"list of {kind}"
    if column.references:
        kind += f" → {column.references}"
    if column.primary_key:
        kind += ", primary key"
    return Markdown(kind)


def text_counts(series: pd.Series) -> pd.Series:
    """How many rows hold each value, by its text, for the values that occur (nulls left out).
    A categorical is counted by its codes, not turned into a million strings first: on the
    statements of scripts/bench_report.py that is 6 ms a column instead of 235 ms, and 3 s of
    CPU less for the card."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        counts = series.value_counts(sort=False)
        counts = counts[counts > 0]
        return pd.Series(counts.to_numpy(), index=counts.index.astype(str))
    return series.dropna().astype(str).value_counts()


def counts_line(series: pd.Series) -> str:
    """`a: 3, b: 1`, for the values that occur, in contract order for enums."""
    counts = text_counts(series)
    order = list(series.cat.categories) if isinstance(series.dtype, pd.CategoricalDtype) else sorted(counts.index)
    return listing([f"{v}: {counts[v]}" for v in order if v in counts.index])


def first_edition(version: str) -> bool:
    return semver.Version.is_valid(version) and semver.Version.parse(version) <= LAST_FIRST_EDITION


def size_category(rows: int) -> str:
    return next((name for bound, name in SIZE_CATEGORIES if rows < bound), "n>1B")


# --- the card's sections, one function each -------------------------------------------------


def hub_header(frames: Mapping[str, pd.DataFrame]) -> Markdown:
    """The YAML header that dataset hubs (Hugging Face) read: licence, language, size, and a
    config per table naming its Parquet file beside the card. Written by hand, so that its
    bytes do not depend on a YAML library's version; nothing in it comes from the data."""
    rows = sum(len(frame) for frame in frames.values())
    configs = [line for name in TABLES for line in (f"  - config_name: {name}", f"    data_files: {name}.parquet")]
    lines = [
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
    ]
    return Markdown("\n".join(lines))


def at_a_glance(frames: Mapping[str, pd.DataFrame]) -> Markdown:
    return md_table(
        ["table", "rows", "one row per"],
        [[code(n), len(frames[n]), Markdown(TABLES[n].description)] for n in TABLES],
    )


def sharing_rows(frame: pd.DataFrame, key: str) -> int:
    """How many rows share their `canonical_id` with another row. By the contract a row whose
    canonical id is not its own id (`key`) shares it (rule `canonical_id`), and ids are unique,
    so a row whose canonical id is its own shares it only with one of those few others: looking
    those up took 0.05 s on the million statements of scripts/bench_report.py, where hashing
    every canonical id to find its duplicates took 0.5 s."""
    canonical = frame["canonical_id"]
    other = (canonical != frame[key]).to_numpy(dtype=bool)
    return int(other.sum()) + int(canonical[~other].isin(canonical[other]).sum())


def shared_canonical(frames: Mapping[str, pd.DataFrame]) -> Markdown:
    """Per claim table, how many rows share a `canonical_id` with another row."""
    counts = {name: sharing_rows(frames[name], TABLES[name].primary_key) for name in CLAIM_TABLES}
    return markdown_listing([Markdown(f"`{name}` {count}") for name, count in counts.items()])


def sources_section(sources: pd.DataFrame) -> dict[str, Any]:
    rows = list(sources.itertuples(index=False))
    return {
        "count": len(sources),
        "languages": listing(sorted(set(sources["language"].astype(str)))),
        "publisher_unknown": null_share(sources["publisher"]),
        "title_unknown": null_share(sources["title"]),
        "published_unknown": null_share(sources["published_on"]),
        "text_in_repo": share(int(sources["text_in_repo"].sum()), len(sources)),
        "published_on": markdown_listing([cell(day) for day in sources["published_on"]]),
        "notes": [(r.source_id, cell(r.notes)) for r in rows],
        "table": md_table(
            ["source", "title", "publisher", "published", "language", "characters", "text in repository"],
            [
                [
                    code(r.source_id),
                    r.title,
                    r.publisher,
                    r.published_on,
                    r.language,
                    r.char_count,
                    yes_no(r.text_in_repo),
                ]
                for r in rows
            ],
        ),
    }


def statements_section(frames: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    statements, names = frames["statements"], actor_names(frames)
    # each distinct value once before Python sees it: a million rows hold a handful of speakers
    speakers = [cell(name) for name in sorted({names.get(s, s) for s in statements["speaker_id"].unique()})]
    occasions = [cell(occasion) for occasion in sorted(set(statements["occasion"].dropna().unique()))]
    return {
        "count": len(statements),
        "speaker_count": len(speakers),
        "speakers": markdown_listing(speakers),
        "occasion_count": len(occasions),
        "occasions": markdown_listing(occasions),
        "kind": counts_line(statements["kind"]),
        "topic": counts_line(statements["topic"]),
        "event_type": counts_line(statements["event_type"]),
        "no_event_type": null_share(statements["event_type"]),
    }


def transfers_section(transfers: pd.DataFrame) -> dict[str, Any]:
    return {
        "count": len(transfers),
        "with_quantity": share(int(transfers["quantity"].notna().sum()), len(transfers)),
        "status": counts_line(transfers["status"]),
        "item_category": counts_line(transfers["item_category"]),
        "undated": int((transfers["date_start"].isna() & transfers["date_end"].isna()).sum()),
        "certainty_meaning": Markdown(TABLES["military_transfers"].column("certainty").description),
        "certainty": md_table(
            ["certainty", "transfers"],
            [[c.value, share(int((transfers["certainty"] == c.value).sum()), len(transfers))] for c in Certainty],
        ),
    }


def quantity_text(quantity: object, bound: object) -> str:
    """A quantity as its source gives it: `24`, `at least 20`, `up to 50`, `≈ 30`; `unknown`."""
    if is_null(quantity):
        return "unknown"
    return QUANTITY_WORDS[str(bound) if not is_null(bound) else "exact"].format(f"{int(str(quantity)):,}")


def date_text(row: Any) -> str:
    """A row's date as the source gives it (EDTF), or its interval where there is no such column."""
    edtf = getattr(row, "date_edtf", None)
    if not is_null(edtf):
        return str(edtf)
    start, end = as_date(row.date_start), as_date(row.date_end)
    if start is None and end is None:
        return "unknown"
    return f"{start.isoformat() if start else '..'}/{end.isoformat() if end else '..'}" if start != end else str(start)


def transfer_pairs(transfers: pd.DataFrame, names: Mapping[str, str]) -> Markdown:
    """Every supplier → recipient pair: its transfers (rows sharing a canonical id once), rows, categories."""
    one = canonical_rows(transfers, "transfer_id")
    pairs = transfers.assign(pair=transfers["supplier_id"].astype(str) + " " + transfers["recipient_id"].astype(str))
    firsts = one.assign(pair=one["supplier_id"].astype(str) + " " + one["recipient_id"].astype(str))
    counts, rows = firsts["pair"].value_counts(), pairs["pair"].value_counts()
    categories = dict(list(firsts.groupby("pair", sort=False)["item_category"]))
    order = sorted(counts.index, key=lambda pair: (-counts[pair], pair))
    table: list[list[object]] = []
    for pair in order:
        supplier, recipient = pair.split(" ")
        category = counts_line(categories[pair])
        table.append(
            [
                f"{names.get(supplier, supplier)} → {names.get(recipient, recipient)}",
                int(counts[pair]),
                int(rows[pair]),
                category,
            ]
        )
    return md_table(["supplier → recipient", "transfers", "rows", "item categories (transfers)"], table)


def transfer_list(transfers: pd.DataFrame, names: Mapping[str, str]) -> Markdown | None:
    """Every transfer (rows sharing a canonical id as one), with each source's quantity and date
    as the source gives them; None beyond LISTED_TRANSFERS transfers."""
    one = canonical_rows(transfers, "transfer_id")
    if len(one) > LISTED_TRANSFERS:
        return None
    transfers = transfers.sort_values("transfer_id", kind="stable", ignore_index=True)
    bounds = (
        transfers["quantity_bound"] if "quantity_bound" in transfers.columns else pd.Series(None, index=transfers.index)
    )
    said = transfers.assign(
        quantity_said=[quantity_text(q, b) for q, b in zip(transfers["quantity"], bounds, strict=True)],
        date_said=[date_text(row) for row in transfers.itertuples(index=False)],
    ).groupby("canonical_id", sort=False, observed=True)
    quantities = said["quantity_said"].agg(lambda values: "; ".join(dict.fromkeys(values)))
    dates = said["date_said"].agg(lambda values: "; ".join(dict.fromkeys(values)))
    rows: list[Any] = list(one.sort_values("canonical_id", kind="stable").itertuples(index=False))
    table: list[list[object]] = [
        [
            code(r.canonical_id),
            r.item,
            f"{names.get(r.supplier_id, r.supplier_id)} → {names.get(r.recipient_id, r.recipient_id)}",
            r.status,
            quantities[r.canonical_id],
            dates[r.canonical_id],
            r.sources,
        ]
        for r in rows
    ]
    header = ["transfer (canonical id)", "item", "supplier → recipient", "status", "quantity", "date", "sources"]
    return md_table(header, table)


def vocabularies(frames: Mapping[str, pd.DataFrame]) -> list[dict[str, object]]:
    """Each vocabulary of the contract (`schema.vocabularies`), every value with its one-line
    definition and how many rows of the columns using it have it."""
    sections: list[dict[str, object]] = []
    for enum_name, definitions in schema_vocabularies().items():
        columns = [(t, c.name) for t, table in TABLES.items() for c in table.columns if c.enum_name == enum_name]
        counts = Counter[str]()
        for t, c in columns:
            for value, count in text_counts(frames[t][c]).items():
                counts[str(value)] += int(count)
        rows: list[list[object]] = [
            [code(value), Markdown(definition), int(counts.get(value, 0))] for value, definition in definitions.items()
        ]
        sections.append(
            {
                "name": enum_name,
                "columns": markdown_listing([code(f"{t}.{c}") for t, c in columns]),
                "table": md_table(["value", "definition", "rows"], rows),
            }
        )
    return sections


def rounds_section(rounds: pd.DataFrame) -> dict[str, Any]:
    return {
        "count": len(rounds),
        "rounds": int(round_counts(canonical_rows(rounds, "round_id")).sum()),
        "process_count": rounds["process"].nunique(),
        "processes": listing(sorted(set(rounds["process"].astype(str)))),
        "format": counts_line(rounds["format"]),
        "no_mediator": null_share(rounds["mediator_id"]),
    }


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


def enum_shares(frames: Mapping[str, pd.DataFrame], column: str, tables: tuple[str, ...]) -> Markdown:
    values = TABLES[tables[0]].column(column).enum or ()
    rows: list[list[object]] = []
    for name in tables:
        counts = text_counts(frames[name][column])
        rows.append([code(name), *(share(int(counts.get(v, 0)), len(frames[name])) for v in values)])
    return md_table(["table", *values], rows)


def dates_section(frames: Mapping[str, pd.DataFrame]) -> dict[str, Markdown]:
    return {
        "coverage": md_table(
            ["table", "rows", "earliest date", "latest date", "both ends known", "open start", "open end", "undated"],
            [[code(name), *date_coverage(frames[name])] for name in CLAIM_TABLES],
        ),
        "precision": enum_shares(frames, "date_precision", CLAIM_TABLES),
        "basis": enum_shares(frames, "date_basis", CLAIM_TABLES),
    }


def people(actors: pd.DataFrame) -> Markdown:
    """The people among the actors, each with the role the sources give them."""
    persons: list[Any] = list(actors[actors["actor_type"] == "person"].itertuples(index=False))
    return markdown_listing([cell(r.name if is_null(r.role) else f"{r.name} ({r.role})") for r in persons])


def evidence_counts(evidence: pd.DataFrame) -> Markdown:
    per_table = text_counts(evidence["table_name"])
    tables = TABLES["evidence"].column("table_name").enum or ()
    return markdown_listing([Markdown(f"`{t}` {int(per_table.get(t, 0))}") for t in tables])


def columns_section(frames: Mapping[str, pd.DataFrame], nulls: NullCounts) -> list[dict[str, object]]:
    """Per table: its columns, their types, how often each is null (as `nulls` says, where it
    does), and what each means."""
    sections: list[dict[str, object]] = []
    for name, table in TABLES.items():
        frame, known = frames[name], nulls.get(name, {})
        rows: list[list[object]] = [
            [
                code(c.name),
                column_type(c),
                share(known[c.name] if c.name in known else int(frame[c.name].isna().sum()), len(frame)),
                Markdown(c.description),
            ]
            for c in table.columns
        ]
        sections.append(
            {
                "name": name,
                "rows": plural(len(frame), "row"),
                "description": Markdown(table.description),
                "columns": md_table(["column", "type", "null (unknown)", "description"], rows),
            }
        )
    return sections


# --- the card ------------------------------------------------------------------------------


@cache
def environment() -> jinja2.Environment:
    """Templates of this package, for Markdown: no HTML escaping, but `as_markdown` on every value."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("peacetrack", "templates"),
        autoescape=False,
        finalize=as_markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["plural"] = plural
    return env


def card_context(
    frames: Mapping[str, pd.DataFrame], version: str, release_date: str, nulls: NullCounts | None = None
) -> dict[str, Any]:
    """What the template shows; the tables it lists rows of sorted by their keys (row order
    changes nothing), the others only counted."""
    frames = {**frames, **sorted_frames(frames, ("sources", "actors"))}
    return {
        "version": version,
        "release_date": release_date,
        "schema_version": SCHEMA_VERSION,
        "first_edition": first_edition(version),
        "hub_header": hub_header(frames),
        "figures": {"folder": FIGURE_FOLDER, "timeline": TIMELINE_PNG, "transfers": TRANSFERS_PNG},
        "glance": at_a_glance(frames),
        "shared_canonical": shared_canonical(frames),
        "sources": sources_section(frames["sources"]),
        "statements": statements_section(frames),
        "transfers": transfers_section(frames["military_transfers"]),
        "transfer_pairs": transfer_pairs(frames["military_transfers"], actor_names(frames)),
        "transfer_list": transfer_list(frames["military_transfers"], actor_names(frames)),
        "listed_transfers": LISTED_TRANSFERS,
        "vocabularies": vocabularies(frames),
        "rounds": rounds_section(frames["negotiation_rounds"]),
        "dates": dates_section(frames),
        "people": people(frames["actors"]),
        "people_count": int((frames["actors"]["actor_type"] == "person").sum()),
        "evidence_count": len(frames["evidence"]),
        "evidence": evidence_counts(frames["evidence"]),
        "tables": columns_section(frames, nulls or {}),
        "cite": {"title": TITLE, "authors": AUTHORS, "repository": REPOSITORY},
    }


def datacard_text(
    frames: Mapping[str, pd.DataFrame], version: str, release_date: str, nulls: NullCounts | None = None
) -> str:
    """DATACARD.md for these tables, after the questions of "Datasheets for Datasets" (Gebru et
    al.). `nulls` (table → column → count) stands for the frames' own null counts where given."""
    text = environment().get_template(TEMPLATE).render(card_context(frames, version, release_date, nulls))
    return text.rstrip("\n") + "\n"
