"""The drafting assistant: a machine's first coding of an article, every row with its evidence,
for a person to review (`peacetrack draft`, `peacetrack review`).

`draft_seed` reads a seed's article, finds its actors, statements, transfers and rounds, and
writes them as `coding.draft.yaml` beside it: never coding.yaml, never over an earlier draft
unless asked, atomically. Before the file is put in place it is read back as the build reads
a coding file (on a copy of the seed in a temporary folder); a fault other than rule `draft`
is the drafter's own error, raised, so that no broken draft is ever written.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from peacetrack.draft.article import DraftError, read_article

__all__ = ["DraftError", "draft_seed", "drafted_counts"]


def draft_seed(folder: Path, *, replace: bool = False) -> Path:
    """Write the draft coding of the seed `folder` (`seeds/<source_id>/`) and return its path.
    Raises DraftError: no article, an unreadable file, a draft already there (without
    `replace`), or a draft that does not read back as a coding file."""
    from peacetrack.draft.actors import article_actors, other_codings
    from peacetrack.draft.rounds import propose_rounds
    from peacetrack.draft.statements import propose_statements
    from peacetrack.draft.transfers import propose_transfers
    from peacetrack.draft.writer import draft_yaml
    from peacetrack.files import write_atomic
    from peacetrack.tables import DRAFT_FILE

    if folder.is_symlink() or not folder.is_dir():
        raise DraftError(f"{folder}: no such seed folder (a folder, not a link: seeds/<source_id>/)")
    target = folder / DRAFT_FILE
    if target.is_symlink():
        raise DraftError(f"{target}: is a symbolic link: not written through")
    if target.exists() and not replace:
        raise DraftError(f"{target}: a draft is there already: review it, or pass --replace to draft anew")
    article = read_article(folder)
    codings = other_codings(folder)
    actors = article_actors(article, folder, codings)
    proposals = propose_statements(article, actors)
    proposals += propose_transfers(article, actors)
    proposals += propose_rounds(article, actors)
    text = draft_yaml(article, actors, proposals, taken_ids(codings))
    _check_reads_back(folder, text, set(actors.known))
    write_atomic(target, text)
    return target


def taken_ids(codings: list[Any]) -> set[tuple[str, str]]:
    """(table, id) of the rows of the latest release at hand and of the other seeds' coding
    files (`codings`), which a draft's new rows must not reuse (a released id keeps its
    meaning; two seeds' rows of one id are refused by the build)."""
    from peacetrack.draft.actors import released_table
    from peacetrack.tables import TABLES

    taken = set()
    for table in ("statements", "military_transfers", "negotiation_rounds"):
        key = TABLES[table].primary_key
        taken |= {(table, str(row[key])) for row in released_table(table, [key])}
        for document in codings:
            entries = document.get(table) if isinstance(document, dict) else None
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get(key), str):
                    taken.add((table, entry[key]))
    return taken


def _check_reads_back(folder: Path, text: str, known_ids: set[str]) -> None:
    """Read the draft as the build reads a coding file, on a copy of the seed: every entry
    must take its row's model, every quote be found, every id be unique, and every actor a
    row names be written or known (the release's, another seed's: the validator checks those
    against them); its only faults are then `draft`. The rules across rows, on frames, are left
    to `validate` and to the tests, which draft every fixture article and validate the draft:
    they import pandas and took 0.8 s of a draft's 2.2 s."""
    from peacetrack.draft.writer import ACTOR_COLUMNS, ACTOR_LISTS
    from peacetrack.rules import DRAFT
    from peacetrack.seeds import Coded, SeedReader
    from peacetrack.tables import ARTICLE, DRAFT_FILE, SOURCE_FILE

    with tempfile.TemporaryDirectory(prefix="peacetrack-draft-") as scratch:
        copy = Path(scratch) / folder.name
        copy.mkdir()
        for name in (ARTICLE, SOURCE_FILE):
            (copy / name).write_bytes((folder / name).read_bytes())
        (copy / DRAFT_FILE).write_text(text, encoding="utf-8")
        coded = Coded()
        SeedReader(copy, coded, Path(scratch), coding_file=DRAFT_FILE).read()
    wrong = [
        f"line {f.line}: rule {f.rule}: {f.message}"
        for f in coded.faults
        if f.severity == "error" and f.rule != DRAFT.name
    ]
    actors = known_ids | {row["actor_id"] for row in coded.rows["actors"]}
    for table, rows in coded.rows.items():
        for row in rows:
            named = [row.get(c) for c in ACTOR_COLUMNS] + [i for c in ACTOR_LISTS for i in row.get(c) or []]
            wrong += [
                f"{table}: an actor {actor!r} no entry defines" for actor in named if actor and actor not in actors
            ]
    if wrong:
        raise DraftError(
            f"internal error: the draft of {folder.name} does not read back as a coding file "
            f"({len(wrong)} faults; the first: {wrong[0]}); nothing was written"
        )


def drafted_counts(path: Path) -> Counter[str]:
    """Entries per table of a draft file, for the command line's summary."""
    import re

    counts: Counter[str] = Counter()
    table = None
    for line in path.read_text(encoding="utf-8").splitlines():
        top = re.match(r"^([a-z_]+):", line)
        if top:
            table = top[1]
        elif table and re.match(r"^  - [a-z_]+_id:", line):
            counts[table] += 1
    return counts
