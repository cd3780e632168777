"""The release's manifest files: `datapackage.json` (Frictionless Data Package v2) and `SHA256SUMS`.

Both list every file of the release with its SHA-256 and size, hashed once for both and the index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from peacetrack.files import sha256_file
from peacetrack.index import FileEntry
from peacetrack.schema import frictionless_schema
from peacetrack.tables import TABLES, Table

SUMS_FILE = "SHA256SUMS"
DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}


def folder_files(folder: Path) -> list[str]:
    """Every file under `folder`, as sorted POSIX paths relative to it."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def file_entry(folder: Path, name: str) -> FileEntry:
    return FileEntry(path=name, sha256=sha256_file(folder / name), bytes=(folder / name).stat().st_size)


def file_entries(folder: Path) -> list[FileEntry]:
    return [file_entry(folder, name) for name in folder_files(folder)]


def _resource_schema(table: Table, suffix: str) -> dict[str, Any]:
    """The table schema, its foreign keys pointing at the resources of the same format."""
    schema = frictionless_schema(table)
    for key in schema.get("foreignKeys", []):
        if key["reference"]["resource"]:
            key["reference"]["resource"] += suffix
    return schema


# The CSV resources are tables that validators check row by row. The Parquet resources carry
# the same schema but are typed `file`: frictionless 5 reads Parquet through pandas, which
# turns nullable integers into floats and lists into arrays, and it then reports no byte
# count, so as tables they would fail; as files it still checks their hash and size.
RESOURCE_FORMATS = (
    ("csv", "", "table", "text/csv"),
    ("parquet", "-parquet", "file", "application/vnd.apache.parquet"),
)


def datapackage(version: str, release_date: date, files: Mapping[str, FileEntry]) -> dict[str, Any]:
    """Frictionless Data Package (v2): a CSV and a Parquet resource per table, with hashes.

    `files` are the release's files by path, hashed once for the package, the sums and the index.
    """
    resources = []
    for name, table in TABLES.items():
        for fmt, suffix, kind, mediatype in RESOURCE_FORMATS:
            entry = files[f"{name}.{fmt}"]
            resource: dict[str, Any] = {
                "name": f"{name}{suffix}",
                "type": kind,
                "path": entry.path,
                "format": fmt,
                "mediatype": mediatype,
            }
            if fmt == "csv":
                resource["encoding"] = "utf-8"
            resource |= {
                "title": f"{name} ({fmt.upper()})",
                "description": table.description,
                "bytes": entry.bytes,
                "hash": f"sha256:{entry.sha256}",
                "schema": _resource_schema(table, suffix),
            }
            resources.append(resource)
    return {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "peacetrack",
        "title": "peacetrack: the Armenia–Azerbaijan peace process",
        "description": (
            f"Release {version} of {release_date.isoformat()}. Sources, actors, statements, military transfers "
            "and negotiation rounds of the Armenia–Azerbaijan peace process, each row proven by a verbatim "
            "quote at exact offsets in its source. Every table as CSV and as Parquet, with the same rows."
        ),
        "version": version,
        "licenses": [DATA_LICENSE],
        "keywords": ["Armenia", "Azerbaijan", "peace process", "arms transfers", "event data"],
        "resources": resources,
    }


def sha256sums(files: Iterable[FileEntry]) -> str:
    """`SHA256SUMS` of the given files, sorted by path, as `sha256sum -c` reads it."""
    return "".join(f"{entry.sha256}  {entry.path}\n" for entry in sorted(files, key=lambda e: e.path))
