"""Reloading the knowledge base while the bot runs (``/reload``), safely.

The folder the bot started from (BOT_KNOWLEDGE_DIR, else the packaged base) is read and fully
validated again (``knowledge.check_knowledge``, the same checks as ``python -m bot validate``),
off the event loop. With any problem nothing changes: the running base stays and the admin gets
the problem list (``file:line: field: message``). Without problems a new engine is built over the
new base (FAQ index included) and swapped in with one assignment: updates already being answered
finish on the old engine, the next ones use the new one. Sessions survive: the engine's
``resume()`` moves each interview to the same question when it still exists, or restarts it
gently with a note.

Usage::

    outcome = await reload_knowledge(service)
    outcome.problems or outcome.changes
"""

from __future__ import annotations

import asyncio

from bot.telegram.service import BotService
from dialogs.engine import ChatEngine
from knowledge import KnowledgeBase, check_knowledge
from knowledge.diff import ReloadOutcome, diff


def rebuild(engine: ChatEngine, kb: KnowledgeBase) -> ChatEngine:
    """A new engine over ``kb`` with the running engine's clock and options."""
    return ChatEngine(kb, now=engine.now, today=engine.deadlines.today,
                      reminders=engine.reminders)


class Reloader:
    def __init__(self, service: BotService) -> None:
        self.service = service
        self._lock = asyncio.Lock()  # two admins at once: one reload after the other

    async def reload(self) -> ReloadOutcome:
        async with self._lock:
            running = self.service.engine
            folder = self.service.settings.knowledge_dir or running.kb.directory
            kb, problems = await asyncio.to_thread(check_knowledge, folder)
            if problems or kb is None:
                return ReloadOutcome(running.kb.version, None, problems=problems)
            engine = await asyncio.to_thread(rebuild, running, kb)
            self.service.replace_engine(engine)
            return ReloadOutcome(running.kb.version, kb.version, changes=diff(running.kb, kb))
