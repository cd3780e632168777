"""Text from data (cells, file names, messages) made safe to show on a terminal."""

from __future__ import annotations

import unicodedata


def printable(value: object) -> str:
    """`value` as text for a terminal: control characters (escape sequences) written out, not sent.

    Line breaks and tabs stay; everything else of Unicode category Cc is shown as `\\x1b` etc."""
    text = "" if value is None else str(value)
    return "".join(c if c in "\n\t" or unicodedata.category(c) != "Cc" else repr(c)[1:-1] for c in text)
