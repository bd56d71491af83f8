"""``python -m bot ask [--lang L] [--json] [QUESTION]``: answer FAQ questions from the shell.

Without QUESTION, reads one question per line from stdin. With ``--json`` each answer is one
line: ``{"answer": <the text a user would see, or null>, "matches": [{"id", "score",
"question", "answer"}, ...]}``.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot.runtime import load_or_exit
from dialogs.engine import ChatEngine, UserInput
from dialogs.render import faq_message
from dialogs.reply import plain_text


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ask", help="answer FAQ questions")
    parser.add_argument("question", nargs="*", help="the question (default: one per stdin line)")
    parser.add_argument("--lang", choices=("ru", "kk", "en"), default=None)
    parser.add_argument("--json", action="store_true", help="one JSON object per question")
    parser.add_argument("--knowledge", metavar="DIR", help="knowledge folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    kb = load_or_exit(args.knowledge)
    engine = ChatEngine(kb)
    lang = args.lang or kb.meta.default_language
    questions = [" ".join(args.question)] if args.question else (line for line in sys.stdin)
    for question in questions:
        question = question.strip()
        if not question:
            continue
        result = engine.search.search(question, lang)
        if args.json:
            matches = [
                {
                    "id": m.id,
                    "score": round(m.score, 1),
                    "question": m.question,
                    "answer": kb.text(kb.faq_by_id[m.id].answer, lang),
                }
                for m in result.matches[:3]
                if m.id in kb.faq_by_id
            ]
            answer = None
            if result.kind == "answer" and matches:
                answer = plain_text(faq_message(kb, kb.faq_by_id[result.matches[0].id], lang))
            print(json.dumps({"answer": answer, "matches": matches}, ensure_ascii=False))
        else:
            session = engine.new_session(lang)
            for message in engine.handle(session, UserInput(text=question)).messages:
                print(message.text)
            print()
    return 0
