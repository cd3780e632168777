"""Opening files a stranger gave without following a link out of the folder being checked.

A pull request can commit a symbolic link (`article.txt -> /etc/passwd`, `seeds/x -> /`),
and a path can climb out with `..`: either would make the validator read, and its messages
echo, a file of the machine it runs on. Files are opened one path component at a time from
the folder being checked, none of them followed if it is a link, so nothing outside is read.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from peacetrack.errors import Refused

_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # NONBLOCK: a FIFO does not hang


def open_inside(path: Path, root: Path, directory: bool = False) -> int:
    """A read-only descriptor of `path`, a regular file (or a folder), reached from `root`
    component by component, no link followed. Raises Refused, or OSError (missing, say)."""
    absolute, top = Path.cwd() / path, Path.cwd() / root  # lexically: `..` is kept, to be seen
    parts = absolute.parts[len(top.parts) :]
    if absolute.parts[: len(top.parts)] != top.parts or ".." in parts:
        raise Refused(
            "outside", "has `..` in it, which may lead out of the folder being checked: give the path without it"
        )
    fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
    try:
        for index, part in enumerate(parts):
            spelled = Path(*path.parts[: len(path.parts) - len(parts) + index + 1])  # as the caller wrote it
            try:
                child = os.open(part, _FLAGS, dir_fd=fd)
            except OSError as error:
                if error.errno != errno.ELOOP:
                    raise
                where = "" if index == len(parts) - 1 else f"its folder {spelled} "
                raise Refused("symlink", f"{where}is a symbolic link: not followed") from None
            os.close(fd)
            fd = child
            if index < len(parts) - 1 and not stat.S_ISDIR(os.fstat(fd).st_mode):
                raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(spelled))
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISDIR(mode) if directory else stat.S_ISREG(mode)):
            raise Refused("not_a_file", "not a folder" if directory else "not a regular file")
        return fd
    except BaseException:
        os.close(fd)
        raise


def check_inside(path: Path, root: Path, directory: bool = False) -> None:
    """Raise as `open_inside` would: for a file another library then reads by its path."""
    os.close(open_inside(path, root, directory))


def read_inside(path: Path, root: Path, limit: int = -1) -> bytes:
    """The bytes of `path` (the first `limit` of them), opened as `open_inside` does."""
    with os.fdopen(open_inside(path, root), "rb") as file:
        return file.read(limit)


def names_inside(folder: Path, root: Path) -> list[str]:
    """The entries of `folder`, opened as `open_inside` does, sorted."""
    fd = open_inside(folder, root, directory=True)
    try:
        return sorted(os.listdir(fd))
    finally:
        os.close(fd)


def input_root(path: Path) -> Path:
    """The folder a command-line input is checked inside: the current folder, for a path in
    it (as CI passes them); else the root of the file system: every folder on the way is
    checked, as none of them is known to be the user's own."""
    cwd = Path.cwd()
    if (cwd / path).parts[: len(cwd.parts)] == cwd.parts:
        return cwd
    return Path((cwd / path).anchor)
