"""The `deadlines` command line: text, JSON with ISO dates, exit code 2 on bad input."""

from __future__ import annotations

import argparse
import json

import pytest

from bot import cli_deadlines
from dialogs.deadlines import DeadlineRules


def run(argv: list[str], rules: DeadlineRules) -> int:
    return cli_deadlines.main([*argv, "--today", "2026-11-25"], rules=rules)


def test_arrival_json(rules: DeadlineRules, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["arrival", "--date", "2026-03-20", "--json"], rules) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == "2026-03-30" and data["today"] == "2026-11-25"
    assert [day["day"] for day in data["skipped"]][:2] == ["2026-03-21", "2026-03-22"]


def test_human_output_in_chosen_language(
    rules: DeadlineRules, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["fee", "--notice", "10.12.2026", "--lang", "kk"], rules) == 0
    out = capsys.readouterr().out.replace("\u202f", " ").replace("\u00a0", " ")
    assert "2026 ж. 25 желтоқсан" in out and "Тәуелсіздік күні" in out


@pytest.mark.parametrize(
    ("argv", "key", "value"),
    [
        (["renewal", "--expiry", "14 марта 2027"], "latest", "2027-02-12"),
        (["quota", "--year", "2028"], "last_day", "2027-07-30"),
        (["quota"], "hire_year", 2028),
        (["eaeu", "--stays", "2026-10-01:2026-10-20,2026-11-01:"], "days_used", 45),
    ],
)
def test_each_calculator(
    rules: DeadlineRules, capsys: pytest.CaptureFixture[str], argv: list[str], key: str, value
) -> None:
    assert run([*argv, "--json"], rules) == 0
    assert json.loads(capsys.readouterr().out)[key] == value


@pytest.mark.parametrize(
    "argv",
    [
        ["arrival", "--date", "31.02.2026"],
        ["renewal", "--expiry", "someday"],
        ["quota", "--year", "1990"],
        ["eaeu", "--stays", "2026-03-01:2026-02-01"],
    ],
)
def test_bad_input_exits_2_with_one_line(
    rules: DeadlineRules, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert run(argv, rules) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1


def test_bad_input_is_reported_before_the_knowledge_base_is_read(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fail() -> DeadlineRules:
        raise AssertionError("the knowledge base must not be needed")

    monkeypatch.setattr(cli_deadlines, "load_rules", fail)
    assert cli_deadlines.main(["arrival", "--date", "31.02.2026"]) == 2


def test_broken_knowledge_base_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken() -> DeadlineRules:
        raise cli_deadlines.KnowledgeUnavailable("facts.yaml:1: broken")

    monkeypatch.setattr(cli_deadlines, "load_rules", broken)
    assert cli_deadlines.main(["quota"]) == 1
    assert "facts.yaml:1: broken" in capsys.readouterr().err


def test_register_plugs_into_a_parent_parser(rules: DeadlineRules) -> None:
    parser = argparse.ArgumentParser(prog="bot")
    cli_deadlines.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["deadlines", "arrival", "--date", "2026-03-20", "--json"])
    assert args.func is cli_deadlines.run and args.lang == "ru"
    lines: list[str] = []
    assert cli_deadlines.run(args, rules=rules, print_out=lines.append) == 0
    assert json.loads(lines[0])["start"] == "2026-03-20"
