"""Make docs/review.png, the README's picture of `peacetrack review`: the review page of the
seed's machine draft, a drafted transfer clicked so that its spans are marked.

The seed's article and source.yaml are copied to a temporary folder (never its coding.yaml:
the page shows what the machine drafted), drafted there (`peacetrack draft`), and the page is
opened in Debian's Chromium as the tests open it (tests/browser.py). Run from the repository:

    python scripts/screenshot_review.py [--seed seeds/<source_id>] [--out docs/review.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from peacetrack.draft import draft_seed
from peacetrack.review import write_review
from peacetrack.tables import ARTICLE, DRAFT_FILE, SOURCE_FILE

ROOT = Path(__file__).resolve().parents[1]
CLICKED = ".row.t-military_transfers"  # the first drafted transfer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=Path, default=ROOT / "seeds" / "aliyev-milli-majlis-2024-09-23")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "review.png")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # tests/browser.py: the browser as the tests launch it
    from tests.browser import chromium, open_file

    seed, out = args.seed.resolve(), args.out.resolve()
    with tempfile.TemporaryDirectory(prefix="peacetrack-screenshot-") as scratch:
        os.chdir(scratch)  # the page names the file as seeds/<source_id>/coding.draft.yaml
        folder = Path("seeds") / seed.name
        folder.mkdir(parents=True)
        for name in (ARTICLE, SOURCE_FILE):
            (folder / name).write_bytes((seed / name).read_bytes())
        draft_seed(folder)
        page_path = write_review(folder, DRAFT_FILE, Path("review.html"))
        with chromium() as browser:
            opened = open_file(browser, page_path)
            opened.page.click(CLICKED)
            if opened.errors:
                raise SystemExit(f"the page logged errors: {opened.errors}")
            opened.page.screenshot(path=out)
    print(out)


if __name__ == "__main__":
    main()
