"""Hand-off to a consultant over the fake Bot API: consent, contact (button, typed, invalid),
the card in the consultants' chat, retries of a failed delivery, the report to admins, and the
engine's contacts when no chat is configured."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot.config import Settings
from bot.telegram.application import build_application
from bot.telegram.handoff import HANDOFF_KEY, Handoff
from dialogs.contact import looks_like_contact, parse_contact, shared_phone
from dialogs.engine import ChatEngine
from knowledge import KnowledgeBase
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.conftest import Harness, running
from tests.telegram.helpers import eventually, press_shown, scenario, walk

CONSULTANTS = -1009001
ADMIN = 9900


@contextlib.asynccontextmanager
async def configured_harness(api: FakeBotApi, engine: ChatEngine, tmp_path: Path,
                             **settings: object) -> AsyncIterator[Harness]:
    """The in-process bot (as the ``harness`` fixture) with extra settings."""
    base = Settings(token=api.token, base_url=api.base_url, db_path=tmp_path / "bot.sqlite3")
    app = build_application(replace(base, **settings), engine, read_timeout=1.0, backoff=0.05)
    async with running(app, api, base.db_path) as harness:
        yield harness


@pytest.fixture
async def desk(fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path
               ) -> AsyncIterator[Harness]:
    """The bot with a consultants' group and one admin, both known to the fake."""
    fake_api.group_sends_text(FakeUser(fake_api, 9901), CONSULTANTS, "hello team")
    admin = FakeUser(fake_api, ADMIN)
    fake_api._register_user(admin)
    async with configured_harness(fake_api, engine, tmp_path, consultant_chat_id=CONSULTANTS,
                                  admin_ids=frozenset({ADMIN})) as harness:
        harness.app.bot_data[HANDOFF_KEY].delays = (0.2, 0.2)
        yield harness


async def _status(desk: Harness, user_id: int, status: str) -> bool:
    async with desk.db.read() as r:
        return [h.status for h in await r.handoffs.for_user(user_id)] == [status]


async def _consented(desk: Harness, user_id: int, lang: str) -> FakeUser:
    """A user who started the bot and agreed to pass their request on (asked for a contact)."""
    user = FakeUser(desk.api, user_id, language_code=lang)
    await user.send("/start")
    await user.wait_reply()
    await _consent(user)
    return user


def consultant_texts(api: FakeBotApi) -> list[str]:
    return [m.text or "" for m in api.sent_to(CONSULTANTS)]


def test_contact_validation() -> None:
    assert parse_contact("+7 701 123-45-67").kind == "phone"  # type: ignore[union-attr]
    assert parse_contact(" name.surname+kz@mail.example.com ").kind == "email"  # type: ignore[union-attr]
    for bad in ("87011234567", "+7701", "+1234567890123456", "a@b", "a@b..kz", "hi there",
                "+7 701 (123) 45", "x@-a.kz"):
        assert parse_contact(bad) is None, bad
    assert looks_like_contact("87011234567") and looks_like_contact("a@b")
    assert not looks_like_contact("how long is a work permit valid?")
    assert shared_phone("77010000000") == "+77010000000"


async def _consent(user: FakeUser) -> None:
    await user.send("/menu")
    await user.wait_reply()
    await press_shown(user, "contact")
    consent = await user.wait_reply()
    assert [b["callback_data"] for b in consent.inline_buttons] == ["ho:yes", "ho:no"]
    await press_shown(user, "ho:yes")
    ask = await user.wait_reply()
    assert ask.reply_markup and ask.reply_markup["keyboard"][0][0]["request_contact"] is True


@pytest.mark.slow
async def test_shared_contact_posts_the_card_and_confirms(desk: Harness,
                                                           kb: KnowledgeBase) -> None:
    user = FakeUser(desk.api, 6001, language_code="en", first_name="Aigerim",
                    username="aigerim_k")
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await walk(user, case["flow"], case["answers"])
    await user.send("how long is a work permit valid")
    await user.wait_reply()
    await _consent(user)
    await user.send_contact()
    await desk.api.wait_for(lambda: consultant_texts(desk.api), message="for the card ")
    await eventually(lambda: _status(desk, 6001, "sent"))
    card = consultant_texts(desk.api)[0]
    lang = kb.meta.default_language
    for expected in ("Aigerim", "@aigerim_k", "6001", "+77010000000", "English",
                     kb.text(kb.routes["work_permit"].title, lang),
                     "how long is a work permit valid"):
        assert expected in card, (expected, card)
    confirmation = await user.wait_text("+77010000000")
    assert confirmation.reply_markup is None  # the contact keyboard is removed
    async with desk.db.read() as r:
        [record] = await r.handoffs.for_user(6001)
        assert record.status == "sent" and record.attempts == 1


async def test_typed_contact_invalid_then_valid(desk: Harness) -> None:
    user = await _consented(desk, 6002, "ru")
    await user.send("8 701 123")
    hint = await user.wait_reply()
    assert "+7 701 123 45 67" in (hint.text or "") and not consultant_texts(desk.api)
    await user.send("client@example.kz")
    await desk.api.wait_for(lambda: consultant_texts(desk.api), message="for the card ")
    assert "client@example.kz" in consultant_texts(desk.api)[0]


async def test_a_question_instead_of_a_contact_ends_the_handoff(desk: Harness) -> None:
    user = await _consented(desk, 6003, "en")
    await user.send("how long is a work permit valid")
    await user.wait_reply()
    shown = "\n".join(m.text or "" for m in user.messages())
    assert "nothing was sent to a consultant" in shown
    # later, a phone number is just text for the FAQ, not a hand-off
    await user.send("+7 701 123 45 67")
    await user.wait_reply()
    assert not consultant_texts(desk.api)
    async with desk.db.read() as r:
        assert await r.handoffs.for_user(6003) == []


async def test_declining_shows_the_contacts_from_the_knowledge_base(
    desk: Harness, kb: KnowledgeBase
) -> None:
    user = FakeUser(desk.api, 6004, language_code="en")
    await user.send("/start")
    await user.wait_reply()
    await press_shown(user, "contact")
    await user.wait_reply()
    await press_shown(user, "ho:no")
    reply = await user.wait_reply()
    first_line = kb.text(kb.meta.contacts, "en").strip().splitlines()[0]
    assert first_line.lstrip("- ") in (reply.text or "")


async def test_a_failed_delivery_is_retried(desk: Harness) -> None:
    user = await _consented(desk, 6005, "en")
    desk.api.blocked.add(CONSULTANTS)  # the first post fails (the user's reply does not)
    await user.send("+7 701 000 11 22")
    await user.wait_text("+7 701 000 11 22")  # the user is told at once

    async def failed_once() -> bool:
        async with desk.db.read() as r:
            return [h.attempts for h in await r.handoffs.for_user(6005)] == [1]

    await eventually(failed_once)
    desk.api.blocked.discard(CONSULTANTS)
    await desk.api.wait_for(lambda: consultant_texts(desk.api), timeout=5,
                            message="for the retried card ")
    await eventually(lambda: _status(desk, 6005, "sent"))
    async with desk.db.read() as r:
        [record] = await r.handoffs.for_user(6005)
        assert record.attempts == 2 and record.last_error is None


async def test_after_the_last_attempt_admins_get_the_request(desk: Harness) -> None:
    user = await _consented(desk, 6006, "en")
    desk.api.blocked.add(CONSULTANTS)  # the bot was removed from the group: every attempt 403
    await user.send("+7 701 000 33 44")
    await desk.api.wait_for(lambda: len(desk.api.sent_to(ADMIN)) >= 2, timeout=5,
                            message="for the admin report ")
    await eventually(lambda: _status(desk, 6006, "failed"))
    report = "\n".join(m.text or "" for m in desk.api.sent_to(ADMIN))
    assert "Forbidden" in report and "+7 701 000 33 44" in report  # the error and the card
    async with desk.db.read() as r:
        [record] = await r.handoffs.for_user(6006)
        assert record.status == "failed" and record.attempts == 3
        assert record.last_error and "Forbidden" in record.last_error


async def test_pending_requests_are_delivered_after_a_restart(desk: Harness) -> None:
    async with desk.db.transaction() as tx:
        handoff_id = await tx.handoffs.add(6007, {"card": ["<b>left over</b>"], "lang": "en"})
    handoff: Handoff = desk.app.bot_data[HANDOFF_KEY]
    await handoff.resume_pending()
    assert "left over" in consultant_texts(desk.api)
    async with desk.db.read() as r:
        assert (await r.handoffs.get(handoff_id)).status == "sent"  # type: ignore[union-attr]


async def test_without_a_chat_the_engine_shows_the_contacts(harness: Harness,
                                                            kb: KnowledgeBase) -> None:
    user = harness.user(6008)
    await user.send("/start")
    await user.wait_reply()
    await press_shown(user, "contact")
    reply = await user.wait_reply()
    assert "Do you agree" not in (reply.text or "")
    first_line = kb.text(kb.meta.contacts, "en").strip().splitlines()[0]
    assert first_line.lstrip("- ") in (reply.text or "")


async def test_a_request_interrupted_while_posting_is_posted_again_marked_as_a_repeat(
    desk: Harness, kb: KnowledgeBase
) -> None:
    """#17 point 9: a kill between the post and its record; after the restart the card comes
    again, saying it may be a repeat, and is then recorded as sent."""
    async with desk.db.transaction() as tx:
        handoff_id = await tx.handoffs.add(6009, {"card": ["<b>mid-post</b>"], "lang": "en"})
        await tx.handoffs.mark_posting(handoff_id)  # the old process died here, posting
    handoff: Handoff = desk.app.bot_data[HANDOFF_KEY]
    await handoff.resume_pending()
    texts = consultant_texts(desk.api)
    note = next(t for t in texts if f"№ {handoff_id}" in t or f"no. {handoff_id}" in t)
    assert texts.index(note) < texts.index(next(t for t in texts if "mid-post" in t))
    async with desk.db.read() as r:
        assert (await r.handoffs.get(handoff_id)).status == "sent"  # type: ignore[union-attr]


async def test_the_thank_you_goes_out_before_the_card_is_posted(desk: Harness) -> None:
    user = await _consented(desk, 6010, "en")
    await user.send("+7 701 000 55 66")
    await user.wait_text("+7 701 000 55 66")
    await desk.api.wait_for(lambda: consultant_texts(desk.api), message="for the card ")
    sends = [str(c.params.get("chat_id")) for c in desk.api.calls_to("sendMessage")]
    assert sends.index(str(user.id)) < sends.index(str(CONSULTANTS)), sends
