"""Reading a YAML file safely and with line numbers, for faults that say where.

Coding and source files come from strangers: a file is refused when it links out of the
folder being checked, is too large, is not UTF-8, or holds anchors, aliases, tags other than
YAML's own, duplicate keys, or nesting deeper than a coding file needs.

The file is parsed once, by libyaml (PyYAML's C parser), into its events; `read_yaml` builds
plain dicts and lists from them, which remember the line of each key and item (`YamlMap`,
`YamlList`). It replaced ruamel's pure-Python round-trip loader, which took 90% of a `build`
(two parses a file): at 500 sources, build went from 17× the no-checks floor (PyYAML's own C
loader and pyarrow) to 2× (`scripts/bench_scale.py`); on the seed's coding file, `read_yaml`
takes 3.4 ms where `yaml.load` with PyYAML's CSafeLoader takes 6.6 ms. libyaml reads YAML 1.1,
where `no` is a boolean and `017` octal;
the scalars are typed here by YAML 1.2's core schema instead (as ruamel read them), so a value
is read as written: `place: no` is text, and a date stays text (`when: 2024-02-30` is then a
fault of the contract at its line, not a crash of the parser).
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Literal, overload

import yaml

from peacetrack.errors import FileFault, Refused
from peacetrack.faults import MESSAGE_WIDTH, Fault, shorten
from peacetrack.links import read_inside

MAX_YAML_BYTES = 5_000_000
MAX_YAML_DEPTH = 20  # a coding file nests six levels: file, table, entry, evidence, quote, list
# Keys, values, lists and mappings: the seed's coding file of 200 rows holds some 1,000. More
# is no coding file; 5 MB of `k: v` lines would hold 600,000 and take seconds to check.
MAX_YAML_NODES = 25_000
DEEPER = f"nested more than {MAX_YAML_DEPTH} levels deep: a coding file needs far fewer"

# libyaml where PyYAML was built with it (its wheels are); its pure-Python twin otherwise.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE = "tag:yaml.org,2002:"
_STANDARD_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
# YAML 1.2's core schema, as ruamel reads it (`ruamel.yaml.resolver`, version 1.2).
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?(?:0b[0-1_]+|0o?[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)")
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
    r"|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_BASES = {"0b": 2, "0o": 8, "0x": 16}
_TYPED_STARTS = frozenset("~nNtTfF+-.0123456789")  # how a null, a boolean or a number can start
_TYPED_TAGS = {f"{_CORE}{name}" for name in ("int", "float", "bool", "null")}


class YamlMap(dict[Any, Any]):
    """A YAML mapping: a dict that knows the 1-based line of each key."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[Any, int | None] = {}


class YamlList(list[Any]):
    """A YAML sequence: a list that knows the 1-based line of each item."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[int | None] = []


def read_yaml(path: Path, root: Path) -> Any:
    """Parse YAML keeping line numbers; refuse links out of `root`, duplicate keys, anchors,
    aliases, tags and nesting deeper than a coding file needs (a deep file is a way to
    exhaust the stack of whatever reads it next)."""
    raw = seed_bytes(path, root, MAX_YAML_BYTES + 1)
    if len(raw) > MAX_YAML_BYTES:
        raise FileFault(
            Fault(
                rule="too_large",
                message=f"over {MAX_YAML_BYTES} bytes",
                file=str(path),
            )
        )
    return parse_yaml(decoded(raw, path, "utf-8-sig"), path)


def parse_yaml(text: str, path: Path) -> Any:
    """The YAML of `text` as `read_yaml` reads a file (`path` names it in faults)."""
    try:
        parser = _LOADER(text)
        try:
            return _Document(path, parser).read()
        finally:
            parser.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(str(p) for p in (error.context, error.problem) if p)
        # libyaml scans `[[[[...` ahead of the events, to its own limit of 1,000 levels
        deep = "nesting depth" in str(error.problem)
        raise FileFault(
            Fault(
                rule="yaml_depth" if deep else "yaml",
                message=DEEPER if deep else shorten(message.replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
                line=mark.line + 1 if mark else None,
            )
        ) from None
    except yaml.reader.ReaderError as error:  # libyaml's position counts bytes of the UTF-8 text
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(f"{error.reason} (character #x{error.character:04x})", MESSAGE_WIDTH),
                file=str(path),
                line=text.encode("utf-8")[: error.position].count(b"\n") + 1,
            )
        ) from None
    except yaml.YAMLError as error:
        raise FileFault(
            Fault(
                rule="yaml",
                message=shorten(str(error).replace("\n", " "), MESSAGE_WIDTH),
                file=str(path),
            )
        ) from None


class _Document:
    """One YAML document built from the parser's events, refusing what a coding file has no
    use for as soon as it comes (the parser is lazy: the rest of the file is not read)."""

    def __init__(self, path: Path, parser: Any) -> None:
        self.path, self.parser, self.count = path, parser, 0

    def refuse(self, rule: str, message: str, event: yaml.Event) -> FileFault:
        return FileFault(Fault(rule=rule, message=message, file=str(self.path), line=line_of_event(event)))

    def next(self) -> yaml.Event:
        event: yaml.Event = self.parser.get_event()
        if isinstance(event, yaml.NodeEvent):  # a scalar, a list's or mapping's start, an alias
            if event.anchor is not None:  # an alias's anchor is the name it refers to
                message = "anchors and aliases are not allowed in coding files: write values out"
                raise self.refuse("yaml_alias", message, event)
            tag = getattr(event, "tag", None)  # an alias has none
            if tag is not None and tag != "!" and tag not in _STANDARD_TAGS:
                message = f"tag {shorten(tag)!r} is not allowed in coding files: write plain values"
                raise self.refuse("yaml_tag", message, event)
            self.count += 1
            if self.count > MAX_YAML_NODES:
                message = f"over {MAX_YAML_NODES:,} keys, values and lists: split the coding over seeds, or write less"
                raise self.refuse("too_large", message, event)
        return event

    def read(self) -> Any:
        """The document's value (None for an empty file); a second document is refused."""
        self.next()  # the stream's start
        event = self.next()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        value = self.node(self.next(), 1)
        self.next()  # the document's end
        event = self.next()
        if not isinstance(event, yaml.StreamEndEvent):
            raise self.refuse("yaml", "a second document in the file: a coding file is one document", event)
        return value

    def node(self, event: yaml.Event, depth: int) -> Any:
        if isinstance(event, yaml.ScalarEvent):
            return scalar(event)
        if depth > MAX_YAML_DEPTH:
            raise self.refuse("yaml_depth", DEEPER, event)
        if isinstance(event, yaml.SequenceStartEvent):
            items = YamlList()
            while not isinstance(event := self.next(), yaml.SequenceEndEvent):
                items.lines.append(line_of_event(event))
                items.append(self.node(event, depth + 1))
            return items
        mapping = YamlMap()
        while not isinstance(event := self.next(), yaml.MappingEndEvent):
            if not isinstance(event, yaml.ScalarEvent):
                raise self.refuse("yaml", "a key must be a plain value, not a list or a mapping", event)
            key, line = scalar(event), line_of_event(event)
            if key in mapping:
                message = f"found duplicate key {shorten(key)!r} (first at line {mapping.lines[key]})"
                raise self.refuse("yaml", message, event)
            mapping.lines[key] = line
            mapping[key] = self.node(self.next(), depth + 1)
        return mapping


def line_of_event(event: yaml.Event) -> int | None:
    """1-based line where an event starts (the parser marks every one)."""
    return None if event.start_mark is None else event.start_mark.line + 1


def scalar(event: yaml.ScalarEvent) -> Any:
    """A scalar's value by YAML 1.2's core schema: a plain one (or one tagged `!!int`,
    `!!null`...) may be null, a boolean or a number; a quoted one, one tagged `!!str` or
    `!`, and a date are text as written."""
    text: str = event.value
    typed = (event.tag is None and event.implicit[0]) or event.tag in _TYPED_TAGS
    if not typed or (text and text[0] not in _TYPED_STARTS):  # most values are words: said at once
        return text
    if _NULL.fullmatch(text):
        return None
    if text in _BOOL:
        return _BOOL[text]
    digits = text.replace("_", "")
    if _INT.fullmatch(text) and digits.lstrip("+-"):
        sign, unsigned = (-1 if digits[0] == "-" else 1), digits.lstrip("+-")
        base = _BASES.get(unsigned[:2])
        return sign * (int(unsigned[2:], base) if base else int(unsigned))
    if _FLOAT.fullmatch(text):
        lowered = digits.lower()
        if lowered.endswith(".nan"):
            return math.nan
        if lowered.endswith(".inf"):
            return -math.inf if lowered.startswith("-") else math.inf
        return float(digits)
    return text


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
    """1-based line of a mapping key or sequence item read by `read_yaml`."""
    if isinstance(node, YamlMap):
        return node.lines.get(key, default) if isinstance(key, str | int | float | bool) or key is None else default
    if isinstance(node, YamlList) and isinstance(key, int) and 0 <= key < len(node.lines):
        return node.lines[key]
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
