"""The README's "Use it from anywhere" shows what the tests run: the install command of
test_installed, the pre-commit config of test_hook, the action's inputs of test_workflow."""

from __future__ import annotations

import re

from ruamel.yaml import YAML

from .helpers import ACTION, ROOT, TAG, WORKFLOW, documented_config, load_yaml

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Use it from anywhere\n", 1)[1].split("\n## ", 1)[0]


def blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", SECTION, re.DOTALL)


def test_the_section_follows_use_the_data() -> None:
    headings = re.findall(r"^## (.+)$", README, re.MULTILINE)
    assert headings[headings.index("Use the data") + 1] == "Use it from anywhere"


def test_the_install_command_is_the_one_the_fresh_venv_test_runs() -> None:
    shell = next(block for block in blocks("sh") if "pip install" in block)
    commands = [line.split("#")[0].strip() for line in shell.splitlines()]
    assert commands == [
        f'pip install "git+https://github.com/peacetrack/peacetrack@{TAG}"',  # test_installed
        "peacetrack --version",  # test_entry_points, test_installed
        "python -m peacetrack --help",
        "peacetrack --install-completion",
    ]


def test_the_action_example_is_the_example_workflow() -> None:
    action_block, hook_block = blocks("yaml")
    shown = YAML(typ="safe").load(action_block)
    workflow = load_yaml(WORKFLOW)
    assert shown["permissions"] == workflow["permissions"]
    steps = shown["jobs"]["validate"]["steps"]
    assert steps[0] == workflow["jobs"]["validate"]["steps"][0]  # the checkout
    assert steps[1]["uses"] == "peacetrack/peacetrack@v1"
    assert set(steps[1]["with"]) <= set(load_yaml(ACTION)["inputs"])
    assert YAML(typ="safe").load(hook_block) == documented_config()
