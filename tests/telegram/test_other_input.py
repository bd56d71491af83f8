"""Everything that is not plain text in a private chat: media, edits, groups, /forget, profile."""

from __future__ import annotations

import pytest

from bot.storage import PERSONAL_TABLES
from bot.telegram import delivery
from tests.telegram.conftest import Harness
from tests.telegram.helpers import press_shown, scenario, walk

MEDIA_REPLY = "I can only read text messages"


@pytest.mark.slow
async def test_media_of_every_kind_gets_a_short_reply_and_keeps_the_interview(
    harness: Harness,
) -> None:
    ann = harness.user(4001)
    await walk(ann, "worker", [["citizenship", "other"]])
    senders = [ann.send_photo, ann.send_sticker, ann.send_voice, ann.send_document,
               ann.send_location, ann.send_contact]
    for send in senders:
        await send()
        reply = await ann.wait_reply()
        assert MEDIA_REPLY in (reply.text or "")
        assert any("Continue the interview" in label for row in reply.buttons for label in row)
    async with harness.db.read() as r:
        media = await r.events.list(kind="media", user_id=ann.id)
        session = await r.sessions.get(ann.id)
    assert sorted(e.data["kind"] for e in media) == sorted(
        ["photo", "sticker", "voice", "document", "location", "contact"])
    assert session is not None and session.state["dialog"]["node"] == "status"
    await press_shown(ann, "x")
    assert "Question 2" in ((await ann.wait_reply()).text or "")


async def test_an_edited_message_gets_a_reply(harness: Harness) -> None:
    ben = harness.user(4010)
    message_id = await ben.send("how long is a work permit valid")
    await ben.wait_reply()
    await ben.edit(message_id, "how long is a work permit valid?")
    reply = await ben.wait_reply()
    assert "not edits" in (reply.text or "")


async def test_in_groups_only_when_addressed(harness: Harness) -> None:
    cat = harness.user(4020)
    api = harness.api
    api.group_sends_text(cat, -5000, "how long is a work permit valid?")
    api.group_sends_text(cat, -5000, "/start")
    api.group_sends_text(cat, -5000, "/start@someone_else_bot")
    api.group_sends_text(cat, -5000, "/start@kzwork_test_bot")
    await api.wait_for(lambda: api.sent_to(-5000))
    api.group_sends_text(cat, -5000, "@kzwork_test_bot how long is a work permit valid?")
    await api.wait_for(lambda: len(api.sent_to(-5000)) >= 2)
    # One user's updates are handled in order, so when the reply to the last message is there,
    # the earlier ones have all been decided.
    replies = api.sent_to(-5000)
    assert len(replies) == 2
    assert "Hello" in (replies[0].text or "")  # /start@bot opened the menu in the group
    assert api.sent_to(cat.id) == []


@pytest.mark.slow
async def test_forget_asks_first_then_deletes_everything(harness: Harness) -> None:
    dee = harness.user(4030)
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await walk(dee, case["flow"], case["answers"])
    await press_shown(dee, "ck")
    await dee.wait_reply()
    toggle = next(b["callback_data"] for b in dee.keyboard_message().inline_buttons  # type: ignore[union-attr]
                  if b["callback_data"].startswith("ck:"))
    await press_shown(dee, toggle)
    await dee.wait_reply()
    await dee.send("qwzx blorp frobnicate")
    await dee.wait_reply()

    await dee.send("/forget")
    ask = await dee.wait_reply()
    assert "cannot be undone" in (ask.text or "")
    await press_shown(dee, "fg:no")
    assert "Main menu" in ((await dee.wait_reply()).text or "")
    assert await _rows_about(harness, dee.id) > 0

    await dee.send("/forget")
    await dee.wait_reply()
    await press_shown(dee, "fg:yes")
    done = await dee.wait_reply()
    assert "deleted" in (done.text or "")
    assert await _rows_about(harness, dee.id) == 0
    # and the bot works for them again from scratch
    await dee.send("/start")
    assert "Hello" in ((await dee.wait_reply()).text or "")


async def test_forget_leaves_no_copy_in_the_files(harness: Harness) -> None:
    """#17: the deleted rows stay neither in the -wal file (truncated after /forget: this test
    fails without it) nor in free pages of the database file (``secure_delete``, which the bot
    sets and which many SQLite builds, this one too, have on by default)."""
    eve = harness.user(4031)
    marker = "Zebracorn Quixotic 7431"  # stored as an unanswered question, with the user's name
    await eve.send("/start")
    await eve.wait_reply()
    await eve.send(marker)
    await eve.wait_reply()
    assert await _rows_about(harness, eve.id) > 0
    await harness.db.purge_wal()  # the marker's row is now in the database file itself
    assert marker.encode() in harness.db_path.read_bytes()

    await eve.send("/forget")
    await eve.wait_reply()
    await press_shown(eve, "fg:yes")
    assert "deleted" in ((await eve.wait_reply()).text or "")
    wal = harness.db_path.with_name(harness.db_path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    for path in (harness.db_path, wal):
        if path.exists():
            assert marker.encode() not in path.read_bytes(), path.name


async def _rows_about(harness: Harness, user_id: int) -> int:
    total = 0
    async with harness.db.read() as r:
        for table in PERSONAL_TABLES:
            total += await r._sql.scalar(f"SELECT count(*) FROM {table} WHERE user_id = ?",
                                         (user_id,))
    return total


async def test_commands_and_descriptions_are_set_per_language(harness: Harness) -> None:
    api = harness.api
    for lang in ("ru", "kk", "en", ""):
        names = api.commands_for(lang)
        assert names[:2] == ["start", "menu"] and "forget" in names and "checklist" in names
        assert api.descriptions.get(lang) and api.short_descriptions.get(lang)


async def test_typing_is_shown_when_work_takes_time(harness: Harness, monkeypatch) -> None:
    monkeypatch.setattr(delivery, "TYPING_DELAY", 0.0)
    eli = harness.user(4040)
    await eli.send("how long is a work permit valid?")
    await eli.wait_reply()
    assert (eli.id, "typing") in harness.api.chat_actions


async def test_in_a_group_a_press_never_edits_the_message_another_member_uses(
    harness: Harness,
) -> None:
    """#17: in a group one member's press answers with a new message; the screen stays."""
    api = harness.api
    eve, fay = harness.user(4060), harness.user(4061)
    api.group_sends_text(eve, -5060, "/start@kzwork_test_bot")
    await api.wait_for(lambda: api.sent_to(-5060))
    menu = api.sent_to(-5060)[0]
    before = menu.text
    api.user_presses(fay, menu.message_id, "m:worker", chat_id=-5060)
    await api.wait_for(lambda: len(api.sent_to(-5060)) >= 2)
    assert api.message(-5060, menu.message_id).text == before  # not edited
    assert api.message(-5060, menu.message_id).edits == 0
