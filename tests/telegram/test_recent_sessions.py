"""The service keeps what each recently seen user's last update stored (bot.telegram.recent):
what it remembers must always be what the database holds."""

from __future__ import annotations

import json

import pytest

from bot.storage import StorageError
from bot.storage.turns import GroupCommit
from tests.telegram.conftest import Harness
from tests.telegram.helpers import answer, press_shown


async def _on_disk(harness: Harness, user_id: int) -> tuple[str | None, dict | None]:
    async with harness.db.read() as r:
        language, record = await r.sessions.get_with_language(user_id)
    return language, None if record is None else record.state


async def _remembered(harness: Harness, user_id: int) -> tuple[str, dict] | None:
    entry = harness.service.recent._entries.get(user_id)
    return None if entry is None else (entry.language, json.loads(entry.state_json))


async def test_an_interview_is_served_from_what_the_last_update_stored(harness: Harness) -> None:
    ana = harness.user(7101, language_code="ru")
    await ana.send("/start")
    await ana.wait_reply()
    hits = harness.service.recent.hits
    await press_shown(ana, "m:worker")
    await ana.wait_reply()
    await answer(ana, "citizenship", "other")
    assert harness.service.recent.hits == hits + 2  # neither press loaded the session
    assert await _remembered(harness, ana.id) == await _on_disk(harness, ana.id)
    language, state = await _on_disk(harness, ana.id)
    assert language == "ru" and state is not None
    assert state["dialog"]["answers"] == {"citizenship_group": "other"}


async def test_forget_drops_what_was_remembered(harness: Harness) -> None:
    bo = harness.user(7102)
    await bo.send("/start")
    await bo.wait_reply()
    await press_shown(bo, "m:worker")
    await bo.wait_reply()
    await bo.send("/forget")
    await bo.wait_reply()
    await press_shown(bo, "fg:yes")
    await bo.wait_reply()
    assert await _remembered(harness, bo.id) is None
    assert await _on_disk(harness, bo.id) == (None, None)
    await bo.send("/menu")  # a new user again: nothing of the old interview comes back
    await bo.wait_reply()
    _, state = await _on_disk(harness, bo.id)
    assert state is not None and state.get("dialog") is None


async def test_a_turn_that_fails_to_commit_is_not_remembered(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    cy = harness.user(7103)
    await cy.send("/start")
    await cy.wait_reply()
    await press_shown(cy, "m:worker")
    await cy.wait_reply()
    before = await _on_disk(harness, cy.id)
    real_commit = GroupCommit.commit

    async def failing(self: GroupCommit, statements: list) -> None:
        raise StorageError("disk full (planted)")

    monkeypatch.setattr(GroupCommit, "commit", failing)
    await press_shown(cy, "a:citizenship:other")
    apology = await cy.wait_reply()
    assert "sorry" in (apology.text or "").lower()
    assert await _remembered(harness, cy.id) is None  # the answer the engine took is not kept
    assert await _on_disk(harness, cy.id) == before
    monkeypatch.setattr(GroupCommit, "commit", real_commit)
    await cy.send("/menu")
    await cy.wait_reply()
    _, state = await _on_disk(harness, cy.id)
    assert state is not None and state["dialog"]["answers"] == {}  # loaded from the database
