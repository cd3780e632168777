"""Text of the data written into Markdown (the data card, the validator's step summary) as
text: it may not end a table cell, open a code span, emphasis, a link or an image, hold HTML
or an entity, or start a new block."""

from __future__ import annotations

# `_` is left alone: within a word (`date_end`) it is no emphasis, and cards already
# released hold it unescaped, byte for byte.
_ESCAPES = str.maketrans(
    {"\\": "\\\\", "|": "\\|", "`": "\\`", "*": "\\*", "[": "\\[", "]": "\\]", "<": "&lt;", "&": "&amp;"}
    | dict.fromkeys("\n\r\u2028\u2029", " ")
)


def md_text(value: object) -> str:
    """A value of the data as Markdown text that reads as the value."""
    return str(value).translate(_ESCAPES)
