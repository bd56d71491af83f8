"""``python -m bot link --lang kk --flow employer [--answer fact=value ...]``: a start link for a
client that opens the bot in that language and interview, with the given answers filled in.

The bot's username comes from ``BOT_USERNAME`` or, when ``TELEGRAM_BOT_TOKEN`` is set, from
Telegram (getMe). ``--list`` shows the facts and answers each interview accepts.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from bot.runtime import load_or_exit
from dialogs.links import LinkError, encode_link, flow_facts


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("link", help="make a start link for a client")
    parser.add_argument("--flow", help="interview: worker, employer, ...")
    parser.add_argument("--lang", choices=("ru", "kk", "en"), default="ru")
    parser.add_argument("--answer", action="append", default=[], metavar="FACT=VALUE",
                        help="an answer to fill in (repeatable)")
    parser.add_argument("--list", action="store_true", help="list facts and answers per flow")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder")
    parser.set_defaults(func=run)


def _username() -> str | None:
    username = os.environ.get("BOT_USERNAME", "").strip().lstrip("@")
    if username:
        return username
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "").strip()
    if not token:
        return None
    from telegram import Bot

    async def ask() -> str | None:
        base = os.environ.get("TELEGRAM_BASE_URL") or "https://api.telegram.org/bot"
        async with Bot(token, base_url=base) as bot:
            return (await bot.get_me()).username

    try:
        return asyncio.run(ask())
    except Exception as error:  # network or token trouble: say so in one line
        print(f"cannot ask Telegram for the bot's username: {type(error).__name__}",
              file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    kb = load_or_exit(args.knowledge)
    if args.list or not args.flow:
        for flow_id in kb.flows:
            print(f"{flow_id}:")
            for fact, options in flow_facts(kb, flow_id).items():
                print(f"  {fact} = {' | '.join(options)}")
        return 0 if args.list else 2
    answers: dict[str, str] = {}
    for item in args.answer:
        fact, sep, value = item.partition("=")
        if not sep or not fact or not value:
            print(f"--answer takes FACT=VALUE, not {item!r}", file=sys.stderr)
            return 2
        answers[fact.strip()] = value.strip()
    try:
        payload = encode_link(kb, args.flow, args.lang, answers)
    except LinkError as error:
        print(error, file=sys.stderr)
        return 2
    username = _username()
    if not username:
        print("set BOT_USERNAME (or TELEGRAM_BOT_TOKEN) to make a t.me link; the start "
              f"payload is: {payload}", file=sys.stderr)
        return 2
    print(f"https://t.me/{username}?start={payload}")
    return 0
