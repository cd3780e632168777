"""The example CI workflow's shell steps, run for real on a scratch git repository whose pull
request adds files with hostile and non-ASCII names: nothing in a name runs, every name
reaches `peacetrack validate` intact."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from .conftest import ROOT

WORKFLOW = ROOT / "docs" / "examples" / "validate-data.yml"
BASH = shutil.which("bash")

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
IGNORED = ["README.md", "data/notes.csv", "seeds/x/notes.txt", "article.txt"]


def workflow() -> dict:
    return YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))


def steps() -> list[dict]:
    return workflow()["jobs"]["validate"]["steps"]


def named_step(name: str) -> dict:
    return next(step for step in steps() if step.get("name") == name)


def test_the_workflow_reads_the_repository_only() -> None:
    assert workflow()["permissions"] == {"contents": "read"}


def test_no_expression_is_pasted_into_a_shell_script() -> None:
    scripts = [step["run"] for step in steps() if "run" in step]
    assert scripts
    assert not [script for script in scripts if "${{" in script]


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


def fake_peacetrack(folder: Path, record: Path) -> Path:
    """A `peacetrack` that records its arguments, NUL-separated, and succeeds."""
    folder.mkdir()
    script = folder / "peacetrack"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"open({str(record)!r}, 'ab').write(b''.join(a.encode('utf-8', 'surrogateescape') + b'\\0' for a in sys.argv[1:]))\n",
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return folder


def run_steps(repo: Path, tmp_path: Path) -> tuple[list[str] | None, str]:
    """Run the workflow's two shell steps as the runner would; return what peacetrack got."""
    record = tmp_path / "argv"
    bin_folder = fake_peacetrack(tmp_path / "bin", record)
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    output = ""
    for name in ("Changed data files", "peacetrack validate"):
        step = named_step(name)
        env = {
            **os.environ,
            "PATH": f"{bin_folder}{os.pathsep}{os.environ['PATH']}",
            "RUNNER_TEMP": str(runner_temp),
            "BASE_REF": "main",
            **{key: str(value) for key, value in step.get("env", {}).items() if "${{" not in str(value)},
        }
        done = subprocess.run([BASH, "-e", "-c", step["run"]], cwd=repo, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        output += done.stdout
    if not record.exists():
        return None, output
    return [arg.decode("utf-8") for arg in record.read_bytes().split(b"\0")[:-1]], output


@pytest.mark.skipif(BASH is None or shutil.which("git") is None or shutil.which("xargs") is None, reason="needs bash, git, xargs")
def test_hostile_and_non_ascii_names_run_nothing_and_are_all_validated(tmp_path: Path) -> None:
    repo = scratch_repository(tmp_path, HOSTILE + IGNORED)
    argv, _ = run_steps(repo, tmp_path)
    assert not list(repo.rglob("PWNED*")) and not list(Path.cwd().glob("PWNED*"))
    assert argv is not None
    assert argv[:3] == ["validate", "--format", "github"]
    assert argv[3] == "--"  # a name starting with `-` is a path, not an option
    assert sorted(argv[4:]) == sorted(HOSTILE)


@pytest.mark.skipif(BASH is None or shutil.which("git") is None, reason="needs bash and git")
def test_a_pull_request_without_data_files_validates_nothing(tmp_path: Path) -> None:
    repo = scratch_repository(tmp_path, IGNORED)
    argv, output = run_steps(repo, tmp_path)
    assert argv is None
    assert "no changed data files" in output


@pytest.mark.skipif(BASH is None or shutil.which("git") is None or shutil.which("xargs") is None, reason="needs bash, git, xargs")
def test_a_changed_article_or_source_is_validated_through_its_coding_file(tmp_path: Path) -> None:
    """A pull request that changes only an article (its quotes' offsets move) or a source.yaml,
    or turns an article into a link (a type change), still has its seed validated."""
    repo = scratch_repository(tmp_path, ["seeds/a/article.txt", "seeds/b/coding.yaml"])
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")  # the above is the base now
    (repo / "seeds/a/article.txt").unlink()
    (repo / "seeds/a/article.txt").symlink_to("/etc/passwd")
    for name in ("seeds/b/article.txt", "seeds/b/source.yaml", "seeds/c/source.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("changed\n", encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "change the texts")
    argv, _ = run_steps(repo, tmp_path)
    assert argv is not None
    assert sorted(argv[4:]) == ["seeds/a/coding.yaml", "seeds/b/coding.yaml", "seeds/c/coding.yaml"]
