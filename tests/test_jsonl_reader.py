"""The JSON Lines reader's fast path reads a file as its careful path does, line for line."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from peacetrack.faults import Fault
from peacetrack.tables import TABLES, Table
from peacetrack.validator.readers import Chunk, jsonl
from peacetrack.validator.readers.jsonl import _arrow_chunk, _block_chunk, _json_chunks, _line_blocks

LINES = st.lists(st.sampled_from([b'{"a": 1}', b"", b"\r", b"x" * 9, b"{}"]), max_size=12)


@given(lines=LINES, end=st.sampled_from([b"", b"\n"]), per_block=st.integers(1, 4), piece=st.integers(1, 20))
def test_blocks_hold_the_lines_islice_takes(lines: list[bytes], end: bytes, per_block: int, piece: int) -> None:
    """Whatever the pieces the file is read in, each block is the next `per_block` lines as
    `itertools.islice` takes them, and its ends are where they end."""
    data = b"\n".join(lines) + end if lines else b""
    expected = []
    taken = io.BytesIO(data)
    while batch := list(itertools.islice(taken, per_block)):
        expected.append(batch)
    found = []
    for block, ends in _line_blocks(io.BytesIO(data), per_block, piece):  # a block lasts until the next
        text = bytes(block)
        starts = [0, *(int(e) + 1 for e in ends[:-1])]
        found.append([text[s : int(e) + 1] for s, e in zip(starts, ends, strict=True)])
    assert found == expected


def actors(*lines: bytes) -> tuple[memoryview, list[bytes]]:
    return memoryview(b"".join(lines)), list(lines)


def ends_of(block: memoryview) -> np.ndarray:
    ends = [i for i, byte in enumerate(bytes(block)) if byte == ord("\n")]
    return np.array(ends if bytes(block).endswith(b"\n") else [*ends, len(block)], dtype=np.int64)


@pytest.mark.parametrize("first_line", [1, 7])
def test_a_block_of_one_object_a_line_is_read_as_its_lines_are(first_line: int) -> None:
    """A byte order mark before the first line, Windows line ends, a last line without its
    newline, escapes and non-ASCII text: the same cells, lines and rows as line by line."""
    block, lines = actors(
        b'\xef\xbb\xbf{"actor_id": "x-1", "name": "\\u0259liyev \xe2\x80\x9cX\xe2\x80\x9d", "aliases": ["a", "b"]}\r\n'
        if first_line == 1
        else b'{"actor_id": "x-1", "aliases": ["a", "b"]}\r\n',
        b'{"actor_id": "x-2", "name": "", "aliases": [], "parent_id": null}\n',
        b'{"actor_id": "x-3", "role": "Mirzoyan\\n", "country": "ARM"}',
    )
    table = TABLES["actors"]
    fast = _block_chunk("f", table, block, ends_of(block), first_line, 5)
    careful = _arrow_chunk("f", table, lines, first_line, 5)
    (by_json,) = _json_chunks("f", table, lines, first_line, 5)
    assert fast is not None and careful is not None and isinstance(by_json, Chunk)
    assert fast.lines is not None and careful.lines is not None
    assert fast.data.equals(careful.data) and fast.data.equals(by_json.data)
    assert fast.lines.tolist() == careful.lines.tolist() == [first_line + i for i in range(3)]
    assert fast.first_row == 5


@pytest.mark.parametrize(
    "odd",
    [
        b"\n",
        b"\r\n",
        b' {"actor_id": "x-9"}\n',
        b'{"actor_id": "x-9"} \n',
        b'{"actor_id": "x-9"} {"actor_id": "x-8"}\n',
    ],
    ids=["blank", "blank-crlf", "space-before", "space-after", "two-objects"],
)
def test_a_block_with_a_line_that_is_not_one_object_alone_is_left_to_the_careful_path(odd: bytes) -> None:
    block, _ = actors(b'{"actor_id": "x-1"}\n', odd, b'{"actor_id": "x-2"}\n')
    assert _block_chunk("f", TABLES["actors"], block, ends_of(block), 1, 0) is None


def test_a_block_arrow_refuses_is_read_part_by_part_as_json_reads_it_line_by_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bad lines (not JSON, a key twice, a number for a text, an unknown key, a blank line)
    among good ones: the faults of their lines, then one chunk of the rows, the cells and
    their faults those of `json` a line at a time, though most parts were read by Arrow."""
    good = '{"actor_id": "x-%d", "name": "X", "actor_type": "state", "aliases": ["a"]}\n'
    lines = [good % i for i in range(1, 12)]
    lines[2] = "not json\n"
    lines[5] = '{"actor_id": "x-6", "actor_id": "x-7"}\n'
    lines[6] = '{"actor_id": 7, "name": "Y", "aliases": "Y"}\n'
    lines[8] = '{"actor_id": "x-9", "nickname": "Z"}\n'
    lines[9] = "\n"
    path = tmp_path / "actors.jsonl"
    path.write_text("".join(lines))
    table = TABLES["actors"]
    expected = list(_json_chunks(str(path), table, [line.encode() for line in lines], 1, 0))
    monkeypatch.setattr(jsonl, "PART_LINES", 2)
    parsed: list[int] = []  # the first line of each part read by `json`

    def by_json(
        file: str, table: Table, lines: list[bytes], first_line: int, first_row: int
    ) -> Iterator[Chunk | Fault]:
        parsed.append(first_line)
        return _json_chunks(file, table, lines, first_line, first_row)

    monkeypatch.setattr(jsonl, "_json_chunks", by_json)
    found = list(jsonl.read_jsonl(path, table))
    assert [f for f in found if isinstance(f, Fault)] == [f for f in expected if isinstance(f, Fault)]
    (chunk,) = [c for c in found if isinstance(c, Chunk)]
    (whole,) = [c for c in expected if isinstance(c, Chunk)]
    assert chunk.data.equals(whole.data) and chunk.faults == whole.faults and chunk.first_row == 0
    assert chunk.lines is not None and whole.lines is not None and chunk.lines.tolist() == whole.lines.tolist()
    assert len(chunk.faults) == 2 and parsed == [3, 5, 7, 9]  # lines 1-2 and 11 read by Arrow
