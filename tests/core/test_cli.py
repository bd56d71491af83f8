"""The command line as a shell user meets it: its name, --version, a closed pipe, and
BOT_KNOWLEDGE_DIR for ``validate``."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from bot.cli import EXIT_BROKEN_PIPE, build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def run_bot(*args: str, env: dict[str, str] | None = None, stdout: int = subprocess.PIPE
            ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, text=True,
                          stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=60,
                          check=False)


def test_version_names_the_installed_distribution(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"kzwork {version('kzwork')}"


def test_help_names_the_command_the_user_typed() -> None:
    assert build_parser().format_usage().startswith("usage: kzwork ")
    shown = run_bot("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("usage: python -m bot "), shown


@pytest.mark.slow
def test_a_reader_that_goes_away_ends_the_command_quietly() -> None:
    # `kzwork ask ... | head -1` where head has already exited: no BrokenPipeError traceback.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = run_bot("ask", "--lang", "en", "work permit", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE
    assert done.stderr == ""


@pytest.mark.slow
def test_validate_reads_bot_knowledge_dir(tmp_path: Path) -> None:
    env = {**os.environ, "BOT_KNOWLEDGE_DIR": str(tmp_path)}  # an empty folder: no meta.yaml
    checked = run_bot("validate", env=env)
    assert checked.returncode == 1
    assert str(tmp_path / "meta.yaml") in checked.stdout + checked.stderr
    explicit = run_bot("validate", str(ROOT / "knowledge" / "base"), env=env)
    assert explicit.returncode == 0, explicit.stdout + explicit.stderr


@pytest.mark.slow
def test_an_env_file_fills_in_what_the_environment_does_not_set(tmp_path: Path) -> None:
    env_file = tmp_path / "bot.env"
    env_file.write_text(f"# settings\nBOT_KNOWLEDGE_DIR={tmp_path}\n", encoding="utf-8")
    env = {**os.environ, "BOT_ENV_FILE": str(env_file)}
    env.pop("BOT_KNOWLEDGE_DIR", None)
    from_file = run_bot("validate", env=env)
    assert from_file.returncode == 1 and str(tmp_path / "meta.yaml") in from_file.stdout
    environment_wins = run_bot("validate", env={
        **env, "BOT_KNOWLEDGE_DIR": str(ROOT / "knowledge" / "base")})
    assert environment_wins.returncode == 0, environment_wins.stdout
    missing = run_bot("validate", env={**env, "BOT_ENV_FILE": str(tmp_path / "nope.env")})
    assert missing.returncode == 2
    assert missing.stderr == f"configuration error: BOT_ENV_FILE: {tmp_path / 'nope.env'} " \
                             "is not a file\n"
