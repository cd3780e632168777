"""Text from data (cells, file names, messages) made safe to show on a terminal."""

from __future__ import annotations

import unicodedata


def printable(value: object, keep: str = "\n\t") -> str:
    """`value` as text for a terminal: control characters (escape sequences) written out, not sent.

    The characters of `keep` (line breaks and tabs) stay; everything else of Unicode category
    Cc is shown as `\\x1b` etc. With `keep=""` the text is one line: a file name holding a
    line break cannot start a line of its own (a GitHub workflow command, `::error::`, say)."""
    text = "" if value is None else str(value)
    return "".join(c if c in keep or unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)
