"""What more than one test file uses: the repository's paths, releases made from the seed, scratch
git repositories, a tagged copy of this checkout, and a local HTTP mirror.

Fixtures (which pytest hands to a test by its argument's name) are in conftest.py; plain
functions and constants are here, imported by name (`from .helpers import write_release`).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import cache, partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import filelock
import pandas as pd
from ruamel.yaml import YAML
from typer.testing import CliRunner

from peacetrack.index import ReleaseEntry, ReleaseIndex, read_index, release_folder, write_index
from peacetrack.release import check_new_version, publish_release, release_lock

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_ID = "aliyev-milli-majlis-2024-09-23"
SEED_ARTICLE = SEEDS / SEED_ID / "article.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DATASETS = ROOT / "datasets"
RELEASE_DATE = "2026-11-27"
PYPROJECT_VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
TAG = f"v{PYPROJECT_VERSION}"  # as the release process tags the toolkit
WORKFLOW = ROOT / "docs" / "examples" / "validate-data.yml"
ACTION = ROOT / "action.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"

runner = CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- releases -----------------------------------------------------------------------------------

# Where folders made once for the whole run are kept (set by conftest.py's `shared_folders`):
# one folder for every pytest-xdist worker, so that each release is drawn once, not once a worker.
SHARED: list[Path] = []


def shared_folder(name: str, make: Callable[[Path], object]) -> Path:
    """`make(folder)` run once for the whole test run, whichever worker asks first; the others
    wait for it and get the same folder. The folder is read-only by agreement: copy it to change it.
    It is made in place (a virtual environment cannot move), and is done once `make` returns."""
    (base,) = SHARED  # conftest.py's session fixture sets it
    folder, done = base / name, base / f"{name}.done"
    with filelock.FileLock(base / f"{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed to make it
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


@cache
def seed_frames() -> dict[str, pd.DataFrame]:
    """The seed's tables as `build` makes them (shared: copy a frame before changing it)."""
    from peacetrack.seeds import build_tables

    build = build_tables(SEEDS)
    assert build.ok, build.errors
    return build.frames


def frames_fingerprint(frames: dict[str, pd.DataFrame]) -> str:
    """The same for frames with the same columns, types and cells (which give the same release)."""
    digest = hashlib.sha256()
    for name in sorted(frames):
        frame = frames[name]
        digest.update(f"{name}\n{frame.dtypes.to_dict()}\n".encode())
        digest.update(frame.astype(str).to_csv().encode())
    return digest.hexdigest()[:16]


def write_release(
    data_dir: Path,
    version: str = "1.0.0",
    release_date: str = RELEASE_DATE,
    frames: dict[str, pd.DataFrame] | None = None,
) -> ReleaseEntry:
    """Publish the seed's tables (or `frames`) as release `version` under `data_dir`, as
    `publish_release` does (data card and figures included).

    A release is a function of its tables, version and date, so each one is published once per
    run (in a shared folder) and copied in: what `data_dir` gets is the same bytes and index entry.
    """
    frames = seed_frames() if frames is None else frames
    inputs = hashlib.sha256(version.encode()).hexdigest()  # stands for the seeds' hash
    day = date.fromisoformat(release_date)

    def publish(root: Path) -> None:
        publish_release(frames, version, day, root, inputs)

    published = shared_folder(f"release-{version}-{release_date}-{frames_fingerprint(frames)}", publish)
    (entry,) = read_index(published).releases
    with release_lock(data_dir):  # as publish_release: refuse a version released before
        index = read_index(data_dir)
        check_new_version(data_dir, index, version)
        shutil.copytree(release_folder(published, version), release_folder(data_dir, version))
        write_index(data_dir, ReleaseIndex(releases=(*index.releases, entry)))
    return entry


def changelog(root: Path, *entries: tuple[str, str]) -> None:
    """`root/CHANGELOG.md` with an entry for each (version, date)."""
    root.mkdir(parents=True, exist_ok=True)
    body = "".join(f"## [{version}] - {day}\n\n### Added\n\n- Rows.\n\n" for version, day in entries)
    (root / "CHANGELOG.md").write_text(f"# Changelog\n\n## [Unreleased]\n\n{body}", encoding="utf-8")


def card_without_figures(
    frames: object, version: str, release_date: str, folder: Path, null_counts: object = None
) -> list[Path]:
    """A stand-in for `report.write_report`: a data card with no figures (drawing them takes
    seconds), for tests that are not about the card."""
    from peacetrack.files import write_atomic

    path = folder / "DATACARD.md"
    write_atomic(path, f"# peacetrack {version} ({release_date})\n")
    return [path]


def seed_without_text(seeds: Path, char_start: int) -> Path:
    """A seed folder whose text is not in the repository (`text_in_repo: false`: only its hash
    and length), coding one actor quoted at `char_start`; returns its coding.yaml."""
    text = "Minister Ada Lovelace met the envoy."
    folder = seeds / "no-text-source"
    folder.mkdir(parents=True)
    (folder / "source.yaml").write_text(
        f"language: en\ntext_in_repo: false\ntext_sha256: {hashlib.sha256(text.encode()).hexdigest()}\nchar_count: {len(text)}\n"
    )
    (folder / "coding.yaml").write_text(
        "actors:\n  - actor_id: ada-lovelace\n    name: Ada Lovelace\n    actor_type: person\n"
        f"    evidence:\n      - quote: Ada Lovelace\n        char_start: {char_start}\n"
    )
    return folder / "coding.yaml"


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def documented_config() -> Any:
    """The `.pre-commit-config.yaml` shown in the comment atop .pre-commit-hooks.yaml."""
    lines = HOOKS.read_text(encoding="utf-8").splitlines()
    example = [line.removeprefix("#") for line in lines[1:] if line.startswith("#   ")]
    return YAML(typ="safe").load("\n".join(example))


# --- git repositories ---------------------------------------------------------------------------

# Each would run a command if a name were pasted into a shell; each must be validated.
HOSTILE = [
    "seeds/$(touch PWNED-dollar)/coding.yaml",
    "seeds/`touch PWNED-backtick`/coding.yaml",
    "seeds/;touch PWNED-semicolon;/coding.yaml",
    "seeds/café/coding.yaml",
    "seeds/Əliyev Ilham/coding.yaml",
    "seeds/Հայաստան/coding.yaml",
    "seeds/line\nbreak/coding.yaml",
    "seeds/tab\there/coding.yaml",
    "seeds/'quote\"s/coding.yaml",
    "--help/statements.csv",
    "-x/evidence.jsonl",
    "data/actors.csv",
    "data/*/military_transfers.parquet",
]


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


def scratch_repository(tmp_path: Path, added: list[str]) -> Path:
    """A repository with `origin/main` and a HEAD that adds `added` (each with some bytes)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "ci@example.org")
    git(repo, "config", "user.name", "CI")
    (repo / "base.txt").write_text("base\n", encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-q", "-b", "pull-request")
    for name in added:
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x\n")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "pull request")
    return repo


def checkout_files() -> list[str]:
    """This checkout's files as git sees them: committed, and changed or new but not ignored."""
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        capture_output=True,
        check=True,
    ).stdout
    return [os.fsdecode(name) for name in listed.split(b"\0") if name]


def tagged_copy(folder: Path) -> Path:
    """`folder/peacetrack`: a repository of this checkout (its committed files and its changes)
    with one commit, tagged TAG as the release process tags the toolkit."""
    source = folder / "peacetrack"
    if (ROOT / ".git").exists():
        for name in checkout_files():
            path = ROOT / name
            if path.is_file():
                target = source / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    else:  # an unpacked sdist
        shutil.copytree(
            ROOT, source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", ".*_cache", "build", "dist")
        )
    git(source, "init", "-q", "-b", "main")
    git(source, "add", "--all")
    git(source, "-c", "user.email=ci@example.org", "-c", "user.name=CI", "commit", "-q", "-m", "snapshot")
    git(source, "tag", TAG)
    return source


# --- a mirror on 127.0.0.1 ------------------------------------------------------------------------

SERVER_LIFETIME_SECONDS = 30
CLOSED_PORT_URL = "http://127.0.0.1:9/"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class CutHandler(QuietHandler):
    """Promises the whole file in Content-Length, sends half, and hangs up."""

    def do_GET(self) -> None:
        body = Path(self.translate_path(self.path)).read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body[: len(body) // 2])
        self.wfile.flush()
        self.after_half()
        self.close_connection = True

    def after_half(self) -> None:
        """What the server does once half the file is sent: here, nothing (it hangs up)."""


@contextmanager
def serve(folder: Path, handler: type[SimpleHTTPRequestHandler] = QuietHandler) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (on a free port) until the block ends (or, at the latest, for 30 seconds)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    watchdog = threading.Timer(SERVER_LIFETIME_SECONDS, server.shutdown)
    watchdog.daemon = True
    thread.start()
    watchdog.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        watchdog.cancel()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def cached_files(cache: Path) -> list[str]:
    """The files in the cache, without the lock files that keep two downloads apart."""
    return sorted(p.relative_to(cache).as_posix() for p in cache.rglob("*") if p.is_file() and p.suffix != ".lock")
