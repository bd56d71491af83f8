"""The command line: ``python -m bot <command>`` (also installed as ``kzwork``).

Usage::

    python -m bot validate [DIR] [--stale DAYS]   # check the knowledge base; exit 1 on errors
    python -m bot chat [--lang ru|kk|en]          # talk to the bot in the terminal
    python -m bot chat --jsonl                    # the same over JSON lines, for scripts
    python -m bot ask [--lang L] [--json] [QUESTION]   # one-shot FAQ answers
    python -m bot graph [FLOW]                    # a Mermaid diagram of an interview
    python -m bot run [--webhook]                 # the Telegram bot
    python -m bot link --flow F --lang L [--answer fact=value ...]   # a start link for a client
    python -m bot deadlines arrival --date D ...  # deadline calculators

    python -m bot healthcheck                     # settings, knowledge, database, Bot API
    python -m bot backup FILE                     # copy the database (safe while running)
    kzwork --version                              # the installed version

Exit codes: 0 success, 1 the knowledge base has errors, 2 bad usage or configuration, 130
interrupted (Ctrl+C), 141 the reader of the output went away (``kzwork ask ... | head``).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version

from bot.config import ConfigError, load_env_file

# Sub-command modules, each with ``register(subparsers)`` that sets ``func`` on its parser.
COMMAND_MODULES = (
    "bot.cli_validate",
    "bot.cli_chat",
    "bot.cli_ask",
    "bot.cli_graph",
    "bot.cli_run",
    "bot.cli_deadlines",
    "bot.cli_link",
    "bot.cli_admin",
    "bot.cli_health",
)


EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what `yes | head` gives


def installed_version() -> str:
    try:
        return version("kzwork")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown (not installed)"


def build_parser(prog: str = "kzwork") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Kazakhstan work-authorisation assistant (Telegram bot and tools).",
    )
    parser.add_argument("--version", action="version",
                        version=f"kzwork {installed_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:  # a command that is not part of this build
                continue
            raise
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, prog: str = "kzwork") -> int:
    """The ``kzwork`` command (``python -m bot`` passes its own name as ``prog``)."""
    try:
        parser = build_parser(prog)
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        try:
            load_env_file()  # ./.env or BOT_ENV_FILE, under what the environment already sets
        except ConfigError as error:
            print(f"configuration error: {error}", file=sys.stderr)
            return 2
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader closed the pipe: stop quietly. Point stdout at /dev/null so the flush at
        # exit does not raise a second time (the recipe of the signal module's documentation).
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
