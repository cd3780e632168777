"""What contributed rows are checked against: a release, and the source texts at hand.

The release is found as `load` finds it (its files checked against their published hashes)
or given as a folder, and read as Arrow data: pandas is loaded only for the few rows a rule on
frames needs. The texts are seeds/<source_id>/article.txt next to an input or in ./seeds,
used only when their hash is the released source's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from peacetrack.errors import DataError, PeacetrackError, Refused, Unreadable
from peacetrack.evidence import sha256_text
from peacetrack.faults import Fault
from peacetrack.links import check_inside, input_root, names_inside
from peacetrack.tables import ARTICLE, CODING_FILES, SCHEMA_VERSION, TABLES, arrow_schema
from peacetrack.validator.readers.chunks import reading_fault


def load_release(against: str | os.PathLike[str] | None) -> tuple[dict[str, pa.Table], list[Fault]]:
    """The release to check against: a version or `latest` (None: latest), found as `load`
    finds it, or a folder of Parquet tables given as a path (`./1.0.0` for one named so)."""
    from peacetrack.index import is_release_name

    if against is not None and not is_release_name(str(against)):
        if not Path(against).is_dir():
            message = f"--against {str(against)[:80]!r}: neither a release version (or latest) nor a folder"
            raise Unreadable(reading_fault(str(against)[:80], None, "release", message))
        folder = Path(os.path.abspath(against))  # `..` taken out by its name: each folder on the way is then checked
        try:
            for name in TABLES:  # a table may be a link to a file of the machine: none is followed
                check_inside(folder / f"{name}.parquet", input_root(folder))
        except Refused as refused:
            message = f"cannot read the release: {refused.message}"
            raise Unreadable(reading_fault(str(folder), None, refused.rule, message)) from None
        except OSError:
            pass  # read_tables says what is missing
    else:  # found as `load` finds it: its files are checked against their published hashes, links refused
        try:
            folder = _release_path(None if against is None else str(against))
        except (PeacetrackError, OSError) as error:  # no release at hand, or one that does not verify
            if against is None:
                message = f"no release to check against ({error}): keys are checked within the input only"
                return {}, [reading_fault(None, None, "no_release", message, severity="warning")]
            message = f"cannot find release {against!r}: {error}"
            raise Unreadable(reading_fault(str(against), None, "release", message)) from None
    try:
        return read_release(folder), []
    except (OSError, pa.ArrowException, KeyError) as error:  # a table missing, corrupt or without a column
        raise Unreadable(reading_fault(str(folder), None, "release", f"cannot read the release: {error}")) from None


def read_release(folder: Path) -> dict[str, pa.Table]:
    """Every table of a release folder, from its Parquet files, in the contract's columns and
    Arrow types (as `tablefiles.read_tables` reads them into frames). `ParquetFile`, not
    `read_table`, which goes through pyarrow.dataset and so imports pandas (0.7 s)."""
    return {
        name: pq.ParquetFile(folder / f"{name}.parquet")
        .read()
        .select([c.name for c in table.columns])
        .cast(arrow_schema(table))
        for name, table in TABLES.items()
    }


def _release_path(version: str | None) -> Path:
    """The verified tables' folder of a release, found as `load` finds it. Rows are checked
    against a release of the contract's schema: another major's columns are not the input's."""
    from peacetrack.data import table_folder  # written beside this module; imported only when asked

    release, folder = table_folder(version)
    if release.schema_version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
        raise DataError(
            f"release {release.version} has schema {release.schema_version}; contributed rows are "
            f"checked against a release of schema {SCHEMA_VERSION}: give --against latest or such a version"
        )
    return folder


def find_texts(inputs: Iterable[tuple[Path, Path]], sources: pa.Table | None) -> tuple[dict[str, str], list[Fault]]:
    """Source texts at hand: seeds/<source_id>/article.txt next to an input (an input and
    the folder it is checked inside), or in ./seeds. None is reached through a link.

    A text whose hash differs from the released source row is not the same text: not used.
    The seed folder of a coding file given is left to that file's reading.
    """
    from peacetrack.errors import FileFault

    inputs, cwd = list(inputs), Path.cwd()
    candidates = [(Path("seeds"), cwd)] + [(p.parent / "seeds", root) for p, root in inputs]
    candidates += [(p.parent.parent, root) for p, root in inputs if p.name in CODING_FILES]
    folders = {cwd / folder: (folder, root) for folder, root in reversed(candidates)}  # each once
    coded = {cwd / p.parent for p, _ in inputs if p.name in CODING_FILES}
    known = (
        {}
        if sources is None
        else dict(zip(*(map(str, sources[c].to_pylist()) for c in ("source_id", "text_sha256")), strict=True))
    )
    texts: dict[str, str] = {}
    faults: list[Fault] = []
    for folder, root in (folders[key] for key in sorted(folders)):
        try:
            names = names_inside(folder, root)
        except Refused as refused:
            if refused.rule != "not_a_file":  # a file named seeds is no seeds folder: not ours
                faults.append(reading_fault(str(folder), None, refused.rule, refused.message))
            continue
        except OSError:
            continue
        for name in names:
            article = folder / name / ARTICLE
            if name.startswith(".") or name in texts or cwd / folder / name in coded:
                continue
            from peacetrack.seeds import read_article  # a seeds folder at hand: the build's reader

            try:
                text = read_article(article, root)
            except FileFault as error:
                faults.append(error.fault)
                continue
            if text is None:
                continue
            if name in known and sha256_text(text) != known[name]:
                faults.append(
                    Fault(
                        table="sources",
                        row_id=name,
                        column="text_sha256",
                        rule="text_mismatch",
                        message="this text differs from the released source's text_sha256: not used to verify evidence",
                        file=str(article),
                        severity="warning",
                    )
                )
                continue
            texts[name] = text
    return texts, faults
