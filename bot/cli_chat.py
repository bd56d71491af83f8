"""``python -m bot chat [--lang ru|kk|en] [--jsonl]``: the engine in a terminal or as JSON lines."""

from __future__ import annotations

import argparse
import sys

from bot.console import run_console, run_jsonl
from bot.runtime import load_or_exit
from dialogs.engine import ChatEngine


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("chat", help="chat with the bot in the terminal")
    parser.add_argument("--lang", choices=("ru", "kk", "en"), help="interface language")
    parser.add_argument("--jsonl", action="store_true", help="JSON lines on stdin/stdout")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    engine = ChatEngine(load_or_exit(args.knowledge))
    session = engine.new_session(args.lang)
    if args.lang:
        session.lang_chosen = True
    if args.jsonl:
        run_jsonl(engine, session, sys.stdin, sys.stdout)
    else:
        run_console(engine, session, sys.stdin, sys.stdout)
    return 0
