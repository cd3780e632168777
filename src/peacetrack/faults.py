"""A fault: one thing wrong in the data, located as precisely as the input allows.

Every rule, on every path (build, coding files, table files, release), reports what it finds
as `Fault`s, so a contributor reads the same words and the same rule name wherever a fault
was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from peacetrack.terminal import printable

Severity = Literal["error", "warning"]
VALUE_WIDTH = 80
MESSAGE_WIDTH = 200  # of a library's error message: it may quote the file it failed on


def shorten(value: object, width: int = VALUE_WIDTH) -> str:
    text = str(value)
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass(frozen=True, kw_only=True)
class Fault:
    """One thing wrong, located as precisely as the input allows. Made by keyword only: five
    fields in a row of strings are too easily swapped."""

    rule: str
    message: str
    table: str | None = None  # None: the fault is the whole file's
    row_id: str | None = None
    column: str | None = None
    value: str | None = None
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None
    position: int | None = None  # the row's position in its frame, before a line is known

    def located(self, file: str | None, line: int | None) -> Fault:
        return self.but(file=file, line=line)

    def but(self, **changes: object) -> Fault:
        """A copy with `changes`: `dataclasses.replace` without its checks, some twenty times
        faster, as faults are made by the ten thousand."""
        if not changes.keys() <= self.__dict__.keys():
            raise TypeError(f"Fault has no field {min(changes.keys() - self.__dict__.keys())!r}")
        copy = object.__new__(Fault)
        copy.__dict__.update(self.__dict__, **changes)
        return copy

    def __str__(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line) if p is not None)
        what = " ".join(
            p
            for p in (self.table, self.row_id and f"row {self.row_id!r}", self.column and f"column {self.column!r}")
            if p
        )
        value = f" (value: {self.value!r})" if self.value is not None else ""
        # One line, no escape sequence: a file or folder name is the contributor's to choose.
        return printable(
            f"{where + ': ' if where else ''}{self.severity}: {what}: {self.message}{value} [{self.rule}]", keep=""
        )
