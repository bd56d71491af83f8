"""Telegram failing: 429, 500, timeouts, 403, refused edits, and our own exceptions."""

from __future__ import annotations

import logging
import time

import pytest

from tests.telegram.conftest import Harness
from tests.telegram.helpers import eventually, press_shown


async def test_429_waits_retry_after_then_delivers(harness: Harness) -> None:
    ada = harness.user(5001)
    harness.api.fail_next("sendMessage", "429", retry_after=1)
    started = time.monotonic()
    await ada.send("/start")
    reply = await ada.wait_reply(timeout=6)
    assert "Hello" in (reply.text or "")
    assert time.monotonic() - started >= 1.0
    assert [c.status for c in harness.api.calls_to("sendMessage")] == [429, 200]


async def test_a_burst_of_429s_still_delivers(harness: Harness) -> None:
    """#17: five 429s in a row once ended in an apology; the answer must still arrive."""
    al = harness.user(5011)
    harness.api.fail_next("sendMessage", "429", retry_after=1, count=5)
    await al.send("/start")
    reply = await al.wait_reply(timeout=15)
    assert "Hello" in (reply.text or "")
    assert [c.status for c in harness.api.calls_to("sendMessage")] == [429] * 5 + [200]
    assert len(al.messages()) == 1


async def test_an_edit_failing_with_5xx_becomes_a_new_message(harness: Harness) -> None:
    """#17: after the retries, a 5xx on editMessageText shows the next step as a new message,
    not an apology."""
    ed = harness.user(5012)
    await ed.send("/start")
    menu = await ed.wait_reply()
    harness.api.fail_next("editMessageText", "500", count=100)
    await press_shown(ed, "m:worker")
    question = await ed.wait_reply(timeout=8)
    assert question.message_id != menu.message_id and "Question 1" in (question.text or "")
    assert "went wrong" not in "".join(m.text or "" for m in ed.messages())


@pytest.mark.parametrize("fault", ["500", "timeout"])
async def test_5xx_and_timeouts_are_retried(harness: Harness, fault: str) -> None:
    bo = harness.user(5002)
    harness.api.fail_next("sendMessage", fault, hold=1.5)
    await bo.send("/start")
    reply = await bo.wait_reply(timeout=8)
    assert "Hello" in (reply.text or "")
    assert len(bo.messages()) == 1  # delivered once
    statuses = [c.status for c in harness.api.calls_to("sendMessage")]
    assert statuses[-1] == 200 and len(statuses) >= 2


async def test_a_403_marks_the_user_blocked_and_writing_again_unblocks(harness: Harness) -> None:
    cy = harness.user(5003)
    await cy.send("/start")
    await cy.wait_reply()
    harness.api.fail_next("sendMessage", "403")
    await cy.send("/help")
    await eventually(lambda: _blocked(harness, cy.id))
    assert any(c.status == 403 for c in harness.api.calls_to("sendMessage"))
    await cy.send("/menu")  # a user who writes has unblocked the bot
    await cy.wait_reply()
    assert not await _blocked(harness, cy.id)


async def test_blocking_the_bot_is_recorded_from_my_chat_member(harness: Harness) -> None:
    di = harness.user(5004)
    await di.send("/start")
    await di.wait_reply()
    await di.block()
    await eventually(lambda: _blocked(harness, di.id))


async def _blocked(harness: Harness, user_id: int) -> bool:
    async with harness.db.read() as r:
        record = await r.users.get(user_id)
    return bool(record and record.blocked)


async def test_an_edit_refused_as_too_old_becomes_a_new_message(harness: Harness) -> None:
    ed = harness.user(5005)
    await ed.send("/start")
    menu = await ed.wait_reply()
    harness.api.fail_next("editMessageText", "400", description="message can't be edited")
    await press_shown(ed, "m:worker")
    question = await ed.wait_reply()
    assert question.message_id != menu.message_id and "Question 1" in (question.text or "")


async def test_message_is_not_modified_is_ignored(harness: Harness, caplog) -> None:
    fi = harness.user(5006)
    await fi.send("/start")
    menu = await fi.wait_reply()
    harness.api.fail_next(
        "editMessageText", "400",
        description="message is not modified: specified new message content and reply markup "
        "are exactly the same as a current content and reply markup of the message",
    )
    query = await press_shown(fi, "m:worker")
    await harness.api.wait_for(lambda: harness.api.calls_to("editMessageText"))
    await harness.api.wait_for(lambda: fi.callback_answer(query) is not None)
    assert [m.message_id for m in fi.messages()] == [menu.message_id]  # no new message
    assert "went wrong" not in "".join(m.text or "" for m in fi.messages())


async def test_an_exception_is_logged_with_context_and_the_user_gets_an_apology(
    harness: Harness, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    gil = harness.user(5007, "en")
    await gil.send("/start")
    await gil.wait_reply()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(harness.service.engine, "handle", broken)
    with caplog.at_level(logging.ERROR):
        await gil.send("/menu")
        reply = await gil.wait_reply()
    assert "Sorry, something went wrong" in (reply.text or "")
    record = next(r for r in caplog.records if "failed" in r.getMessage())
    assert f"user {gil.id}" in record.getMessage() and "engine exploded" in record.getMessage()
    assert harness.api.token.split(":")[1] not in caplog.text
    # nothing half-done was stored: the session is the one from before
    async with harness.db.read() as r:
        events = await r.events.list(user_id=gil.id)
    assert all(e.kind != "answered" for e in events)
