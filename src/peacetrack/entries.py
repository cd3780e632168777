"""A coding file's entry beyond its own faults: what of it is still checked, and how an actor
defined again merges.

An entry with a value at fault is not dropped: its other values are validated one by one and
the value at fault is left null (`salvaged`), so its evidence, ids and links are checked in the
same run; its fault stands for the rules on that null (`said_key`, `STANDS_FOR`), as a table
file's cell fault does. The build and the validator read coding files through `seeds`, so both
say the same.

An actor is an entity that many sources name. Defined again, by another source's coding file
(the build) or against a release (the validator), it must be the same actor: every column the
same but `aliases`, which are merged (their union, in order; `actor_extended` says what a source
adds). A changed name or type is a different meaning of a kept id (`actor_conflict`): a
correction, which a maintainer makes in the seed that defines the actor and releases as a PATCH
version with a CHANGELOG entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from difflib import get_close_matches
from functools import cache
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from peacetrack.coding import DATE_COLUMNS, Quote
from peacetrack.faults import Fault
from peacetrack.rules import EVIDENCE_REQUIRED, QUOTE_IN_EVIDENCE


def said_key(fault: Fault) -> tuple[str | None, str | None, str | None]:
    """What a fault is about, as `Coded.at_fault` holds it: that a row has no evidence, or
    none holding its quote, is about its `evidence` (a quote at fault there stands for it)."""
    about_evidence = fault.rule in (EVIDENCE_REQUIRED.name, QUOTE_IN_EVIDENCE.name)
    return fault.table, fault.row_id, "evidence" if about_evidence else fault.column


# A value at fault, left null, stands for the rules on these columns too, which a null would
# break: the dates `when:` gives, a quantity's bound, a draft's ends among the parties.
STANDS_FOR: dict[str, tuple[str, ...]] = {
    "when": (*DATE_COLUMNS, "date_basis"),
    "quantity": ("quantity_bound",),
    "parties": ("sender_id", "receiver_id"),
}


@cache
def _field_type(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotation: Any = info.annotation
    return TypeAdapter(Annotated[annotation, *info.metadata] if info.metadata else annotation)


QUOTE_TYPE: TypeAdapter[Any] = TypeAdapter(Quote)


def _valid(adapter: TypeAdapter[Any], value: Any) -> Any:
    try:
        return adapter.validate_python(value)
    except ValidationError:
        return None


def salvaged(model: type[BaseModel], merged: dict[str, Any], at_fault: set[str]) -> BaseModel:
    """An entry with faults, all but them: its other fields validated one by one, those at
    fault null (a required one too: its fault is said), and of its evidence the quotes that
    are quotes (None in place of the others, so each keeps its place and YAML line)."""
    values: dict[str, Any] = {}
    for name in model.model_fields:
        if name == "evidence" and name in at_fault:
            given = merged.get(name)
            values[name] = [_valid(QUOTE_TYPE, item) for item in given] if isinstance(given, list) else []
        elif name in at_fault:
            values[name] = None
        elif name in merged:
            values[name] = _valid(_field_type(model, name), merged[name])
    return model.model_construct(**values)


def meant_field(key: str, fields: Mapping[str, Any]) -> list[str]:
    """The field an unknown key of an entry was meant to be: `when` for a date column it
    computes, else the nearest name, if near enough (`speakr_id`, `wen`)."""
    return ["when"] if key in DATE_COLUMNS and "when" in fields else get_close_matches(key, list(fields), 1, 0.8)


def merged_actor(defined: Mapping[str, Any], again: Mapping[str, Any]) -> tuple[list[str], list[str]]:
    """An actor defined again, by another source or against a release: the columns that differ
    (none may but aliases: an id keeps its meaning, and a changed name is a correction) and the
    aliases it adds, in order. Build and validator both merge actors by this one definition."""
    differs = [c for c in again if c != "aliases" and c in defined and again[c] != defined[c]]
    return differs, [a for a in again.get("aliases") or [] if a not in (defined.get("aliases") or [])]
