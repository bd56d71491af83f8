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

Exit codes: 0 success, 1 the knowledge base has errors, 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

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
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Kazakhstan work-authorisation assistant (Telegram bot and tools).",
    )
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130
