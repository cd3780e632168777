"""Reading a YAML file safely and with line numbers, for faults that say where.

Coding and source files come from strangers: a file is refused when it links out of the
folder being checked, is too large, is not UTF-8, or holds anchors, aliases or nesting deeper
than a coding file needs. Lines of keys and items come from ruamel's round-trip nodes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal, overload

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

from peacetrack.errors import FileFault, Refused
from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.links import read_inside

MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 20  # a coding file nests six levels: file, table, entry, evidence, quote, list
# Keys, values and punctuation: the seed's coding file of 200 rows holds some 2,000. The parser
# takes about 0.1 ms a token, more as a mapping grows: 5 MB of `k: v` lines would take minutes.
MAX_YAML_TOKENS = 50_000


class DatesAsText(RoundTripConstructor):
    """Reads a YAML date as the text written: `when: 2024-02-30` is then a fault of the
    contract at its line (no such day), where ruamel would raise on constructing it."""


DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", DatesAsText.construct_yaml_str)

_OPENING = (FlowMappingStartToken, FlowSequenceStartToken, BlockMappingStartToken, BlockSequenceStartToken)
_CLOSING = (FlowMappingEndToken, FlowSequenceEndToken, BlockEndToken)


def read_yaml(path: Path, root: Path) -> Any:
    """Parse YAML keeping line numbers; refuse links out of `root`, duplicate keys, anchors,
    aliases and nesting deeper than a coding file needs (the pure-Python parser recurses,
    and slows down with depth: a deep file would take minutes or crash)."""
    raw = seed_bytes(path, root, MAX_YAML_BYTES + 1)
    if len(raw) > MAX_YAML_BYTES:
        raise FileFault(
            Fault(
                rule="too_large",
                message=f"over {MAX_YAML_BYTES} bytes",
                file=str(path),
            )
        )
    text = decoded(raw, path, "utf-8-sig")
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = DatesAsText

    def refuse(rule: str, message: str, token: Any) -> FileFault:
        return FileFault(
            Fault(
                rule=rule,
                message=message,
                file=str(path),
                line=token.start_mark.line + 1,
            )
        )

    try:
        depth = 0
        for count, token in enumerate(yaml.scan(text)):
            if count == MAX_YAML_TOKENS:
                raise refuse(
                    "too_large",
                    f"over {MAX_YAML_TOKENS:,} keys, values and brackets: split the coding over seeds, or write less",
                    token,
                )
            if isinstance(token, AliasToken | AnchorToken):
                raise refuse(
                    "yaml_alias", "anchors and aliases are not allowed in coding files: write values out", token
                )
            depth += isinstance(token, _OPENING) - isinstance(token, _CLOSING)
            if depth > MAX_YAML_DEPTH:
                raise refuse(
                    "yaml_depth", f"nested more than {MAX_YAML_DEPTH} levels deep: a coding file needs far fewer", token
                )
        return yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p)
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(message.replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except YAMLError as error:
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(str(error).replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
            )
        ) from None


def line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


@overload
def seed_bytes(path: Path, root: Path, limit: int = -1, *, missing_ok: Literal[False] = False) -> bytes: ...
@overload
def seed_bytes(path: Path, root: Path, limit: int = -1, *, missing_ok: Literal[True]) -> bytes | None: ...
def seed_bytes(path: Path, root: Path, limit: int = -1, *, missing_ok: bool = False) -> bytes | None:
    """The bytes of a seed's file (its first `limit`), never through a link out of `root`; a
    FileFault says why it cannot be read. With `missing_ok`, a missing file is None."""
    try:
        return read_inside(path, root, limit)
    except Refused as refused:
        raise FileFault(Fault(rule=refused.rule, message=refused.message, file=str(path))) from None
    except OSError as error:
        if missing_ok and isinstance(error, FileNotFoundError | NotADirectoryError):
            return None
        raise FileFault(Fault(rule="unreadable", message=f"cannot read: {error.strerror}", file=str(path))) from None


def decoded(raw: bytes, path: Path, encoding: str = "utf-8") -> str:
    """The text of a seed's file, or a FileFault at the line where it stops being UTF-8."""
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileFault(
            Fault(rule="encoding", message=not_utf8(raw, error), file=str(path), line=line_of(raw, error.start))
        ) from None


def not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    """Where bytes stop being UTF-8: byte of the file and of its line, counting from 1."""
    line_start = raw.rfind(b"\n", 0, error.start) + 1
    return f"not UTF-8 at byte {error.start + 1} (byte {error.start - line_start + 1} of its line): save it as UTF-8"


def key_line(node: Any, key: Any, default: int | None) -> int | None:
    """1-based line of a mapping key or sequence item in a round-trip node."""
    try:
        if isinstance(node, CommentedMap) and key in node:
            return node.lc.key(key)[0] + 1
        if isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
            return node.lc.item(key)[0] + 1
    except (KeyError, TypeError, AttributeError):
        pass
    return default


def locate(node: Any, loc: tuple[Any, ...], default: int | None) -> int | None:
    """The line of the deepest part of `loc` found in `node`."""
    line = default
    for part in loc:
        line = key_line(node, part, line)
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return line
