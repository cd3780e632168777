"""A seed's article as the drafter reads it: its text, its publication date, and the spans of
its paragraphs and sentences.

The files are read as the build reads them (`seeds.read_article`, `yamlfile.read_yaml`): no
link out of the seeds folder is followed, the text must be UTF-8, and a fault says which file
and why. Sentences come from syntok, which keeps a hard-wrapped line and a closing quotation
mark inside their sentence and gives each token's offset (pysbd, tried first, cuts at every
line break of a wrapped text and splits `else.”` after the full stop).
"""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import ValidationError

from peacetrack.coding import SourceFile
from peacetrack.draft.model import Article, Span
from peacetrack.errors import FileFault, PeacetrackError
from peacetrack.seeds import read_article as read_text
from peacetrack.tables import ARTICLE, SOURCE_FILE
from peacetrack.yamlfile import read_yaml

BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")
LINE_BREAK = re.compile(r"\n\s*")
# A block whose lines run longer than this (by their median) is not hard-wrapped: each of its
# lines is a paragraph, as in a text copied from a page without blank lines between them.
WRAP_WIDTH = 150


class DraftError(PeacetrackError):
    """A seed that cannot be drafted (no article, an unreadable file, a draft already there),
    or a draft that does not read back as a coding file; the message says which and why."""


def read_article(folder: Path) -> Article:
    """The article of the seed folder `folder`, with its paragraphs and sentences."""
    root = folder.parent
    try:
        text = read_text(folder / ARTICLE, root)
        source = read_yaml(folder / SOURCE_FILE, root)
    except FileFault as error:
        raise DraftError(f"{error.fault.file}: {error.fault.message}") from None
    if text is None:
        raise DraftError(f"{folder / ARTICLE}: no such file: a draft is made from the article's text")
    try:
        published_on = SourceFile.model_validate(source if source is not None else {}).published_on
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the file"
        raise DraftError(f"{folder / SOURCE_FILE}: {where}: {first['msg']}") from None
    return Article(folder.name, text, published_on, paragraphs(text), sentences(text))


def paragraphs(text: str) -> list[Span]:
    """Blank-line separated blocks, without the whitespace around them: a line break inside
    a block is a hard wrap, not a new paragraph, unless the block's lines are too long to be
    wrapped (then each line is a paragraph)."""
    spans = []
    for block in _blocks(text, BLANK_LINES, Span(0, len(text))):
        lines = _blocks(text, LINE_BREAK, block)
        widths = sorted(line.end - line.start for line in lines[:-1])
        wrapped = not widths or widths[len(widths) // 2] <= WRAP_WIDTH
        spans += [block] if wrapped else lines
    return spans


def _blocks(text: str, separator: re.Pattern[str], within: Span) -> list[Span]:
    """The parts of `within` between separators, stripped of whitespace, empty ones left out."""
    spans, start = [], within.start
    for gap in [*separator.finditer(text, within.start, within.end), None]:
        end = within.end if gap is None else gap.start()
        part = text[start:end]
        stripped = part.strip()
        if stripped:
            first = start + part.index(stripped[0])
            spans.append(Span(first, first + len(stripped)))
        if gap is not None:
            start = gap.end()
    return spans


def sentences(text: str) -> list[Span]:
    """The sentences of each paragraph, by syntok, as exact spans of `text`."""
    from syntok import segmenter

    spans = []
    for paragraph in paragraphs(text):
        block = text[paragraph.start : paragraph.end]
        for part in segmenter.analyze(block):
            for sentence in part:
                first, last = sentence[0], sentence[-1]
                spans.append(Span(paragraph.start + first.offset, paragraph.start + last.offset + len(last.value)))
    return spans
