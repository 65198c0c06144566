"""The README's promises that code can check."""

import re

from conftest import ROOT

from api.settings import documented


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    commands = [line.split("#")[0].strip() for line in lines[:8] if line.startswith("make ")]
    assert commands == ["make run", "make test"]


def test_readme_documents_every_setting_with_its_default():
    readme = (ROOT / "README.md").read_text()
    for variable, default, _doc in documented():
        row = re.search(rf"^\| `{variable}` \| ([^|]+) \|", readme, re.M)
        assert row, f"{variable} is missing from the README's configuration table"
        shown = row.group(1).strip()
        assert shown == (f"`{default}`" if default else "(empty)"), variable


def test_ci_runs_make_test_and_nothing_else():
    lines = [
        line
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert lines == ["make test"]
