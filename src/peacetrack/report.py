"""The data card of a release written into a folder: DATACARD.md (`card`) and its figures (`figures`).

Both are pure functions of (frames, version, release_date), so a release's card and figures
come out the same to the byte on the same machine and library versions.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from peacetrack.card import CARD_NAME, datacard_text
from peacetrack.figures import FIGURE_FOLDER, FIGURES, png_bytes
from peacetrack.files import write_atomic


def write_report(frames: dict[str, pd.DataFrame], version: str, release_date: str, folder: Path) -> list[Path]:
    """Write `folder/DATACARD.md` and `folder/figures/*.png`; return the paths written."""
    written = []
    for name, draw in FIGURES.items():
        path = folder / FIGURE_FOLDER / name
        write_atomic(path, png_bytes(draw(frames)))
        written.append(path)
    card = folder / CARD_NAME
    write_atomic(card, datacard_text(frames, version, release_date).encode("utf-8"))
    return [card, *written]
