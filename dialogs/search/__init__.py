"""Free-text FAQ search: typos, transliteration, Kazakh without Kazakh letters, wrong keyboard
layout, and questions in any of ru/kk/en whatever the interface language.

Usage::

    from dialogs.search import FaqSearch
    search = FaqSearch.for_knowledge(kb)                 # once at start and on /reload
    result = search.search("razreshenie na rabotu", lang="en")
    if result.kind == "answer":
        entry_id = result.matches[0].id

See ``index.py`` for how queries are scored and ``policy.py`` for when the bot answers.
"""

from .index import FaqSearch, Tuning
from .log import LoggedQuestion, MemoryQuestionLog, QuestionLog, record_if_unsure
from .model import NO_CASE, Match, SearchResult, UserCase
from .policy import Thresholds, decide

__all__ = [
    "NO_CASE",
    "FaqSearch",
    "LoggedQuestion",
    "Match",
    "MemoryQuestionLog",
    "QuestionLog",
    "SearchResult",
    "Thresholds",
    "Tuning",
    "UserCase",
    "decide",
    "record_if_unsure",
]
