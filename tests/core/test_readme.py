"""The README stays true: it documents every setting and every command."""

from __future__ import annotations

from pathlib import Path

from bot.cli import build_parser
from bot.config import describe

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_environment_variable_is_documented() -> None:
    for line in describe().splitlines()[2:]:
        variable = line.split("|")[1].strip()
        assert variable in README, variable
    assert describe() in README, "regenerate the table: python -m bot.config"


def test_every_command_is_documented() -> None:
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name in commands:
        assert f"`{name}" in README or f"· `{name}" in README, name


def test_the_two_fresh_machine_commands() -> None:
    assert "make run" in README and "make test" in README
