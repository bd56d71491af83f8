"""`deadlines` on the command line: Kazakhstan business-day deadlines, in text or JSON.

Usage::

    python -m bot deadlines arrival --date 2026-03-20 [--json] [--lang kk]
    python -m bot deadlines fee --notice 10.12.2026
    python -m bot deadlines renewal --expiry "14 марта 2027"
    python -m bot deadlines quota [--year 2028]
    python -m bot deadlines eaeu --stays 2026-01-10:2026-02-20,2026-10-01: [--on 2026-11-25]

Every command also takes ``--today DATE`` to pin the clock (default: today in Kazakhstan).
Dates may be typed in any form :func:`dialogs.deadlines.parsing.parse_date` reads. ``--json``
prints the result with ISO 8601 dates. Bad input exits with 2 and one line on stderr; a broken
knowledge base exits with 1.

`bot.cli` calls :func:`register`; :func:`main` runs this module on its own
(``python -m bot.cli_deadlines arrival --date 2026-03-20``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from dialogs.deadlines import (
    DeadlineInputError,
    DeadlineRules,
    Result,
    arrival_deadline,
    eaeu_stay,
    fee_deadline,
    quota_deadline,
    renewal_window,
    to_json_dict,
    today_kz,
)
from dialogs.deadlines.format import describe_error, format_result
from dialogs.deadlines.parsing import (
    PREFER_BY_CALCULATOR,
    DateLimits,
    check_hire_year,
    parse_date,
    parse_stays,
)

LANGUAGES = ("ru", "kk", "en")
EXIT_BAD_INPUT = 2
EXIT_BAD_KNOWLEDGE = 1
# The pinned clock (--today) may be any date, so no plausibility window applies to it.
_ANY_DATE = DateLimits(max_past_years=100, max_future_years=100)


class KnowledgeUnavailable(RuntimeError):
    """The knowledge base could not be loaded, so there are no rules to count with."""


def load_rules() -> DeadlineRules:
    """Build the rules from the knowledge base (validated by the project's loader)."""
    from knowledge import KnowledgeError, load_knowledge  # the base is only read when needed

    try:
        return DeadlineRules.from_knowledge(load_knowledge())
    except (KnowledgeError, KeyError, ValueError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise KnowledgeUnavailable(first_line) from error


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--lang", choices=LANGUAGES, default="ru", help="language (default ru)")
    parser.add_argument("--json", action="store_true", help="print JSON with ISO 8601 dates")
    parser.add_argument("--today", help="pretend today is this date (default: Kazakhstan today)")


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Add the ``deadlines`` command and its sub-commands to ``subparsers``."""
    parser = subparsers.add_parser(
        "deadlines",
        help="deadlines by Kazakhstan's business-day calendar",
        description="Deadlines by Kazakhstan's business-day calendar.",
    )
    commands = parser.add_subparsers(dest="deadline", required=True, metavar="CALCULATOR")

    arrival = commands.add_parser("arrival", help="notification of arrival, from the entry date")
    arrival.add_argument("--date", required=True, help="date of entry")
    fee = commands.add_parser("fee", help="permit fee, from the decision notice")
    fee.add_argument("--notice", required=True, help="date the decision notice was received")
    renewal = commands.add_parser("renewal", help="permit renewal window, from the expiry date")
    renewal.add_argument("--expiry", required=True, help="permit expiry date")
    quota = commands.add_parser("quota", help="quota application deadline")
    quota.add_argument("--year", type=int, help="hiring year (default: the next one still open)")
    eaeu = commands.add_parser("eaeu", help="EAEU stay: days used and left in the window")
    eaeu.add_argument(
        "--stays", required=True, help="ENTRY:EXIT,... (leave EXIT empty while still in KZ)"
    )
    eaeu.add_argument("--on", help="count the window ending on this date (default: today)")
    for command in (arrival, fee, renewal, quota, eaeu):
        _add_common(command)
    parser.set_defaults(func=run)
    return parser


def _read_input(args: argparse.Namespace, today: date) -> dict[str, Any]:
    """Parse what the user typed, before the knowledge base is touched."""
    lang, command = args.lang, args.deadline

    def typed(text: str) -> date:
        return parse_date(text, lang, today=today, prefer=PREFER_BY_CALCULATOR[command])

    if command == "arrival":
        return {"entry": typed(args.date)}
    if command == "fee":
        return {"notice": typed(args.notice)}
    if command == "renewal":
        return {"expiry": typed(args.expiry)}
    if command == "quota":
        year = None if args.year is None else check_hire_year(args.year, today=today)
        return {"hire_year": year}
    on = typed(args.on) if args.on else today
    return {"stays": parse_stays(args.stays, lang, today=on), "on": on}


def _calculate(command: str, given: dict[str, Any], rules: DeadlineRules, today: date) -> Result:
    if command == "arrival":
        return arrival_deadline(given["entry"], rules, today)
    if command == "fee":
        return fee_deadline(given["notice"], rules, today)
    if command == "renewal":
        return renewal_window(given["expiry"], rules, today)
    if command == "quota":
        return quota_deadline(rules, today, hire_year=given["hire_year"])
    return eaeu_stay(given["stays"], rules, given["on"])


def run(
    args: argparse.Namespace,
    *,
    rules: DeadlineRules | None = None,
    print_out: Callable[[str], None] = print,
) -> int:
    """Run one ``deadlines`` command; return the exit code."""
    try:
        today = today_kz()
        if args.today:
            today = parse_date(
                args.today, args.lang, today=today, prefer="nearest", limits=_ANY_DATE
            )
        given = _read_input(args, today)
        result = _calculate(args.deadline, given, rules or load_rules(), today)
    except DeadlineInputError as error:
        print(describe_error(error, args.lang), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KnowledgeUnavailable as error:
        print(f"knowledge base: {error}", file=sys.stderr)
        return EXIT_BAD_KNOWLEDGE
    if args.json:
        print_out(json.dumps(to_json_dict(result), ensure_ascii=False, indent=2))
    else:
        print_out(format_result(result, args.lang))
    return 0


def main(argv: Sequence[str] | None = None, *, rules: DeadlineRules | None = None) -> int:
    """Run ``deadlines`` without the rest of the bot's command line (tests, early use)."""
    parser = argparse.ArgumentParser(prog="deadlines")
    commands = parser.add_subparsers(dest="command", required=True)
    register(commands)
    args = parser.parse_args(["deadlines", *(sys.argv[1:] if argv is None else argv)])
    return run(args, rules=rules)


if __name__ == "__main__":
    raise SystemExit(main())
