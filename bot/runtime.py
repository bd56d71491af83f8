"""Shared start-up for every command: load the knowledge base or refuse to start."""

from __future__ import annotations

import os
import sys

from dialogs.i18n import LANGUAGES, CatalogueMissingError, translator
from knowledge import KnowledgeBase, KnowledgeError, load_knowledge


def knowledge_dir(explicit: str | None = None) -> str | None:
    """The knowledge folder: ``--knowledge``, else ``BOT_KNOWLEDGE_DIR``, else the packaged one."""
    return explicit or os.environ.get("BOT_KNOWLEDGE_DIR") or None


def load_or_exit(explicit: str | None = None) -> KnowledgeBase:
    """Load the knowledge base and the interface catalogues; on problems print the validator's
    report (or the missing catalogue) and exit with 1."""
    try:
        kb = load_knowledge(knowledge_dir(explicit))
    except KnowledgeError as error:
        print(error.report(), file=sys.stderr)
        print("The bot will not start until these are fixed (python -m bot validate).",
              file=sys.stderr)
        raise SystemExit(1) from None
    try:
        for lang in LANGUAGES:
            translator(lang)
    except CatalogueMissingError as error:
        print(f"installation error: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    return kb
