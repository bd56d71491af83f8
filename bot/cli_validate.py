"""``python -m bot validate [DIR] [--stale DAYS]``: check the knowledge base like the bot does."""

from __future__ import annotations

import argparse
import datetime as dt

from bot.runtime import knowledge_dir
from knowledge import check_knowledge
from knowledge.clock import today_kz
from knowledge.stale import (
    changed_since_review,
    stale_entries,
    unfilled_offices,
    unofficial_entries,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("validate", help="check the YAML knowledge base")
    parser.add_argument("directory", nargs="?",
                        help="knowledge folder (default: BOT_KNOWLEDGE_DIR, else the packaged one)")
    parser.add_argument(
        "--stale",
        type=int,
        metavar="DAYS",
        help="also list entries whose reviewed: date is older than DAYS days, and those "
             "marked unofficial: (no official source)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kb, problems = check_knowledge(knowledge_dir(args.directory))
    if problems:
        for problem in problems:
            print(problem)
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} in the knowledge base.")
        return 1
    assert kb is not None
    print(
        f"OK: knowledge base {kb.version}: {len(kb.routes)} routes, {len(kb.flows)} flows, "
        f"{len(kb.documents)} documents, {len(kb.faq)} FAQ entries, {len(kb.facts)} facts."
    )
    changed = changed_since_review(kb, today_kz())
    for line in changed:
        print(f"note: {line}: read it again and update reviewed:")
    for line in unfilled_offices(kb):
        print(f"note: {line} in meta.yaml: fill it in, users see only what is there")
    if args.stale is not None:
        cutoff = today_kz() - dt.timedelta(days=args.stale)
        old = stale_entries(kb, cutoff)
        for line in old:
            print(line)
        print(f"{len(old)} entr{'ies' if len(old) != 1 else 'y'} not reviewed since {cutoff}.")
        exceptions = unofficial_entries(kb)
        for line in exceptions:
            print(line)
        print(f"{len(exceptions)} entr{'ies' if len(exceptions) != 1 else 'y'} without an "
              "official source (unofficial:).")
    return 0
