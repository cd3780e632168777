"""Finding the id to link to (`peacetrack find`): actors by name and alias, and rows of every
table by their words (summaries, items, quotes, notes, outcomes, places), in the latest
release and in the local seeds, so that a coder links a new row to an existing one
(`canonical_id`, a foreign key) without reading other people's YAML.

Matching ignores case and accents: both sides are case folded and decomposed (NFKD) with
their combining marks dropped, and a few letters that do not decompose are spelt as English
spells them (Azerbaijani `ə`, `ı`): "Aliyev" finds "Əliyev". Every text column is searched,
and the id, canonical_id and part_of (a search for a transfer's id finds its batches); an evidence
quote is reported as the row it proves.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from peacetrack import data
from peacetrack.errors import CallError, DataError
from peacetrack.seeds import read_seeds
from peacetrack.tables import TABLES, Kind, Table

# Letters NFKD leaves whole, as English spells them in names.
SPELT = str.maketrans({"ə": "a", "ı": "i", "ø": "o", "ł": "l", "đ": "d", "ħ": "h"})
EXCERPT = 80  # characters of a value shown around a match


@dataclass(frozen=True)
class Hit:
    """A row holding the words looked for: the field that holds them (its words first, then its
    evidence, then its ids), an excerpt of it, and `where` the row is (a release, the seeds)."""

    table: str
    id: str
    canonical_id: str | None
    field: str
    excerpt: str
    where: list[str]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def folded(text: str) -> tuple[str, list[int]]:
    """`text` case folded, without accents, its runs of whitespace one space; and for each
    character of it, the offset in `text` it comes from."""
    out: list[str] = []
    origins: list[int] = []
    for offset, char in enumerate(text):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            pieces = " "
        else:
            pieces = "".join(
                c for c in unicodedata.normalize("NFKD", char.casefold()) if not unicodedata.combining(c)
            ).translate(SPELT)
        out.append(pieces)
        origins += [offset] * len(pieces)
    return "".join(out), origins


LINKS = ("canonical_id", "part_of")  # ids naming a row of the same table: a search for one finds its kin


def searched_columns(table: Table) -> list[str]:
    """The columns of words, then the id, canonical_id and part_of (not the foreign keys to
    other tables: every statement of a speaker would match the speaker's name)."""
    ids = [table.primary_key, *(c.name for c in table.columns if c.name in LINKS)]
    return [c.name for c in table.columns if c.kind is Kind.text and c.name not in ids] + ids


def search_frames(frames: Mapping[str, pd.DataFrame], words: str, where: str) -> Iterator[Hit]:
    """The first field of each row of `frames` holding `words` (already folded), in the order
    of `searched_columns`, its evidence between its words and its ids."""
    proven: dict[tuple[str, str], str] = {}  # the first evidence quote holding the words, by row
    if "evidence" in frames:
        evidence = frames["evidence"]
        for owner, row_id, quote in zip(evidence["table_name"], evidence["row_id"], evidence["quote"], strict=True):
            excerpt = _excerpt(quote, words) if isinstance(quote, str) else None
            if excerpt is not None:
                proven.setdefault((str(owner), str(row_id)), excerpt)
    for name, frame in frames.items():
        if name == "evidence":
            continue
        table = TABLES[name]
        columns = [c for c in searched_columns(table) if c in frame.columns]
        for record in frame.to_dict("records"):
            row_id = str(record[table.primary_key])
            canonical = record.get("canonical_id")
            found = None
            for column in columns:
                if column == table.primary_key and (name, row_id) in proven:
                    found = ("evidence", proven[(name, row_id)])
                    break
                excerpt = next(filter(None, (_excerpt(v, words) for v in _texts(record.get(column)))), None)
                if excerpt is not None:
                    found = (column, excerpt)
                    break
            if found is not None:
                yield Hit(name, row_id, canonical if isinstance(canonical, str) else None, *found, [where])


def _texts(value: object) -> list[str]:
    """A cell's text values: itself, or the items of a list (aliases)."""
    if isinstance(value, str):
        return [value]
    if value is not None and not isinstance(value, float) and hasattr(value, "__iter__"):
        return [str(v) for v in value if isinstance(v, str)]
    return []


def _excerpt(value: str, words: str) -> str | None:
    """`value` around the first place it holds `words`, on one line; None where it holds none."""
    text, origins = folded(value)
    at = text.find(words)
    if at < 0:
        return None
    start, end = origins[at], origins[at + len(words) - 1] + 1
    first = max(start - max(EXCERPT - (end - start), 0) // 2, 0)
    last = min(max(first + EXCERPT, end), len(value))
    first = max(min(first, last - EXCERPT), 0)  # the width used up to the end of the value
    shown = " ".join(value[first:last].split())
    return ("…" if first > 0 else "") + shown + ("…" if last < len(value) else "")


def find(
    text: str, seeds: Path | None, tables: list[str] | None = None, release: str | None = None
) -> tuple[list[Hit], list[str]]:
    """Rows holding `text`, in the release (the latest by default) and the seeds, and notes on
    what could not be searched (no release at hand, no seeds folder). CallError: no words, or
    a table the contract has not."""
    words = folded(text)[0].strip()
    if not words:
        raise CallError("give the words to find")
    unknown = [name for name in tables or () if name not in TABLES]
    if unknown:
        raise CallError(f"unknown table {unknown[0]!r}: one of {', '.join(TABLES)}")
    names = tables or list(TABLES)
    notes: list[str] = []
    hits: list[Hit] = []
    try:
        entry = data.find_release(release)
        frames = data.load_all(entry.version, tables=list(dict.fromkeys([*names, "evidence"])))
        hits += search_frames(_wanted(frames, names), words, f"release {entry.version}")
    except DataError as error:
        notes.append(f"release not searched: {error}")
    if seeds is not None:
        if seeds.is_dir():
            hits += search_frames(_wanted(read_seeds(seeds).frames(), names), words, "seeds")
        else:
            notes.append(f"seeds not searched: no folder {seeds}")
    return merged(hits), notes


def merged(hits: list[Hit]) -> list[Hit]:
    """One hit per row, in table and id order, naming every place the row is; the last one's
    field and excerpt (the seeds', which may have changed the release's row)."""
    rows: dict[tuple[str, str], Hit] = {}
    for hit in hits:
        known = rows.get((hit.table, hit.id))
        rows[(hit.table, hit.id)] = hit if known is None else replace(hit, where=known.where + hit.where)
    order = {name: i for i, name in enumerate(TABLES)}
    return sorted(rows.values(), key=lambda h: (order[h.table], h.id))


def describe(hits: list[Hit]) -> str:
    """Hits as lines for a person: the row, then the field that holds the words."""
    lines = []
    for hit in hits:
        canonical = f"  canonical_id {hit.canonical_id}" if hit.canonical_id not in (None, hit.id) else ""
        lines.append(f"{hit.table} {hit.id}{canonical}  ({', '.join(hit.where)})")
        lines.append(f"    {hit.field}: {hit.excerpt}")
    return "\n".join(lines)


def _wanted(frames: Mapping[str, pd.DataFrame], names: list[str]) -> dict[str, pd.DataFrame]:
    """The frames of the tables asked for, and the evidence of their rows (all of it when
    evidence is asked for)."""
    wanted = {name: frames[name] for name in names if name != "evidence"}
    evidence = frames["evidence"]
    if "evidence" not in names:
        evidence = evidence[evidence["table_name"].astype(object).isin(names)]
    return wanted | {"evidence": evidence}
