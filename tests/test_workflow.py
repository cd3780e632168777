"""The GitHub Action (action.yml, scripts/action.sh, peacetrack.action) and the example workflow
that uses it, run for real on a scratch git repository whose pull request adds files with
hostile and non-ASCII names: nothing in a name runs, every name reaches `peacetrack validate`
intact, and what cannot be done is annotated."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peacetrack import action
from peacetrack.action import DATA_FILE
from peacetrack.cli import app

from .helpers import ACTION, HOOKS, HOSTILE, WORKFLOW, git, load_yaml, scratch_repository

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

IGNORED = [
    "README.md",
    "data/notes.csv",
    "seeds/x/notes.txt",
    "article.txt",
]  # an article outside a seed is no seed file


def test_the_workflow_reads_the_repository_only_and_uses_the_action() -> None:
    workflow = load_yaml(WORKFLOW)
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["validate"]["steps"]
    assert {"uses": "peacetrack/peacetrack@v1"} in [{"uses": s["uses"]} for s in steps if "uses" in s]
    checkout = next(step for step in steps if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # the action compares with the pull request's base


def test_the_action_pastes_no_expression_into_a_shell() -> None:
    action = load_yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) == {"paths", "against", "format"}
    steps = action["runs"]["steps"]
    assert [step["run"] for step in steps] == ['bash "$ACTION_PATH/scripts/action.sh"']
    assert steps[0]["env"]["ACTION_PATH"] == "${{ github.action_path }}"


def test_the_hook_and_the_action_pick_the_same_files() -> None:
    (hook,) = load_yaml(HOOKS)
    assert hook["files"] == DATA_FILE.pattern


def run_action(
    repo: Path, tmp_path: Path, python: str = sys.executable, **inputs: str
) -> subprocess.CompletedProcess[str]:
    """`python -m peacetrack.action` as the action's step runs it on a pull request."""
    env = {
        **os.environ,
        "GITHUB_BASE_REF": "main",
        "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
        **{f"INPUT_{name.upper()}": value for name, value in inputs.items()},
    }
    return subprocess.run([python, "-m", "peacetrack.action"], cwd=repo, env=env, capture_output=True, text=True)


def run_action_here(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], **inputs: str
) -> subprocess.CompletedProcess[str]:
    """`peacetrack.action.main()` in this process, in `repo`, with the step's environment: what
    `python -m peacetrack.action` does less the interpreter's start (which run_action keeps
    proving). Its `peacetrack validate` still runs in a process of its own; capfd takes both outputs."""
    monkeypatch.chdir(repo)
    monkeypatch.setenv("GITHUB_BASE_REF", "main")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "step-summary.md"))
    for name, value in inputs.items():
        monkeypatch.setenv(f"INPUT_{name.upper()}", value)
    capfd.readouterr()
    code = action.main()
    out, err = capfd.readouterr()
    return subprocess.CompletedProcess([], code, out, err)


def validated_files(stdout: str) -> set[str]:
    return {fault["file"] for fault in json.loads(stdout)["faults"]}


@needs_git
def test_hostile_and_non_ascii_names_run_nothing_and_are_all_validated(tmp_path: Path) -> None:
    repo = scratch_repository(tmp_path, HOSTILE + IGNORED)
    done = run_action(repo, tmp_path, FORMAT="json")
    assert done.returncode == 2, done.stderr  # each file holds `x`: some cannot be read
    assert not list(tmp_path.rglob("PWNED*")) and not list(Path.cwd().glob("PWNED*"))
    files = validated_files(done.stdout)
    # Each name, intact, is a path (a `-` too): a fault names it or its folder's source.yaml.
    assert {str(Path(name).parent) for name in files} == {str(Path(name).parent) for name in HOSTILE}


@needs_git
def test_a_pull_request_without_data_files_validates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    repo = scratch_repository(tmp_path, IGNORED)
    done = run_action_here(repo, tmp_path, monkeypatch, capfd)
    assert (done.returncode, done.stdout) == (0, "no changed data files\n")


@needs_git
def test_the_paths_input_is_validated_instead_of_the_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    repo = scratch_repository(tmp_path, ["data/actors.csv", "data/evidence.csv", "café/sources.csv"])
    done = run_action_here(
        repo,
        tmp_path,
        monkeypatch,
        capfd,
        FORMAT="json",
        AGAINST="2.0.0",
        PATHS="café/sources.csv\n\ndata/actors.csv\n",
    )
    assert validated_files(done.stdout) == {"café/sources.csv", "data/actors.csv"}


@needs_git
@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"AGAINST": "9.9.9"}, "cannot find release '9.9.9'"),
        ({"FORMAT": "yaml"}, "unknown format 'yaml'"),
    ],
)
def test_a_wrong_call_is_annotated(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    inputs: dict[str, str],
    message: str,
) -> None:
    repo = scratch_repository(tmp_path, ["data/actors.csv"])
    done = run_action_here(repo, tmp_path, monkeypatch, capfd, **inputs)
    assert done.returncode == 2
    assert any(line.startswith("::error ") and message in line for line in done.stdout.splitlines()), done.stdout


@needs_git
def test_outside_a_pull_request_without_paths_the_action_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    repo = scratch_repository(tmp_path, ["data/actors.csv"])
    monkeypatch.chdir(repo)
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    capfd.readouterr()
    assert action.main() == 2
    assert capfd.readouterr().out.startswith("::error title=peacetrack validate::not a pull request")


def test_validate_annotates_an_unknown_table(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("id\n", encoding="utf-8")
    done = CliRunner().invoke(app, ["validate", "--table", "nope", "--format", "github", str(rows)])
    assert done.exit_code == 2
    assert done.stdout.startswith("::error title=peacetrack validate::unknown table 'nope'")


@needs_git
def test_a_changed_article_or_source_is_validated_through_its_coding_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
    with monkeypatch.context() as here:
        here.chdir(repo)
        listed = action.changed_data_files("main")
    assert listed == ["seeds/a/coding.yaml", "seeds/b/coding.yaml", "seeds/c/coding.yaml"]
    done = run_action(repo, tmp_path, FORMAT="json")
    assert {"seeds/a/coding.yaml", "seeds/c/coding.yaml"} <= validated_files(done.stdout)
    assert "root:" not in done.stdout


@needs_git
def test_a_committed_draft_is_validated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request that commits a `coding.draft.yaml` has it checked, so rows still marked
    draft cannot land unreviewed."""
    repo = scratch_repository(tmp_path, ["seeds/a/coding.yaml"])
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    (repo / "seeds/a/coding.draft.yaml").write_text("actors: []\n", encoding="utf-8")
    git(repo, "add", "--all")
    git(repo, "commit", "-q", "-m", "a draft")
    with monkeypatch.context() as here:
        here.chdir(repo)
        assert action.changed_data_files("main") == ["seeds/a/coding.draft.yaml"]
