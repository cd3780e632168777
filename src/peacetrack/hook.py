"""The pre-commit hook's entry (.pre-commit-hooks.yaml): `python -m peacetrack.hook [--against
VERSION] FILE...`.

pre-commit appends the staged file names after the hook's `args`, and a name may start with
`-` (`-x/evidence.jsonl`): `peacetrack validate` would read it as an option. So the options are
taken from the front only, each as two arguments (`--against`, `1.0.0`), and every argument
after them is a path, handed on after `--`.
"""

from __future__ import annotations

import sys

OPTIONS = ("--against", "--format", "--table", "--max-faults")  # of `peacetrack validate`


def validate_argv(argv: list[str]) -> list[str]:
    """`peacetrack validate` arguments: the leading options, then `--` and the paths."""
    options: list[str] = []
    while len(argv) >= 2 and argv[0] in OPTIONS:
        options += argv[:2]
        argv = argv[2:]
    return ["validate", *options, "--", *argv]


def main() -> None:
    from peacetrack.__main__ import main as run

    run(validate_argv(sys.argv[1:]))


if __name__ == "__main__":
    main()
