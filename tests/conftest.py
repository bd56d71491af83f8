"""Shared fixtures: the small test knowledge base, the real one, engines and chat drivers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from dialogs.engine import ChatEngine
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase, load_knowledge

ROOT = Path(__file__).resolve().parent.parent
SMALL_KB = ROOT / "tests" / "fixtures" / "kb_small"
LANGS = ("ru", "kk", "en")

# A developer's ./.env (their real token, say) must reach neither the tests nor the commands they
# start; a test of the file itself names its own.
os.environ["BOT_ENV_FILE"] = os.devnull


@pytest.fixture(scope="session")
def small_kb() -> KnowledgeBase:
    return load_knowledge(SMALL_KB)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The shipped knowledge base."""
    return load_knowledge()


@pytest.fixture(scope="session")
def small_engine(small_kb: KnowledgeBase) -> ChatEngine:
    return ChatEngine(small_kb)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> ChatEngine:
    return ChatEngine(kb)


@pytest.fixture
def small_chat(small_engine: ChatEngine) -> ChatDriver:
    return ChatDriver(small_engine, lang="en")


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the small knowledge base, for planting mistakes."""
    target = tmp_path / "kb"
    shutil.copytree(SMALL_KB, target)
    return target
