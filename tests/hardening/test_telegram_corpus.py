"""The bad-input corpus (tests/hardening/corpus/texts.json and the forged buttons) through the real
Telegram handlers: every text gets a clear reply that Telegram would accept, every forged button
says the menu is out of date, and no handler raises."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dialogs.engine import ChatEngine
from tests.fakeapi.markup import render_text
from tests.hardening.telegram_rig import TelegramRig, replies_to
from tests.hardening.test_bad_input_corpus import CASES, FORGED

OUT_OF_DATE = "out of date"


@pytest.fixture(scope="module")
def rig(engine: ChatEngine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TelegramRig]:
    with TelegramRig(tmp_path_factory.mktemp("corpus"), engine) as the_rig:
        yield the_rig


@pytest.mark.parametrize("number", range(len(CASES)),
                         ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_each_text_gets_a_clear_reply(rig: TelegramRig, number: int) -> None:
    user_id = 100 + number
    rig.text(user_id, "/start")
    calls = rig.text(user_id, CASES[number]["text"])
    rig.assert_clean(calls)
    replies = replies_to(calls, user_id)
    assert replies, CASES[number]
    assert all(render_text(c.text, "HTML").strip() for c in replies)


@pytest.mark.parametrize("number", range(len(CASES)),
                         ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_each_text_as_an_edit_and_as_a_group_message_is_handled(rig: TelegramRig,
                                                               number: int) -> None:
    user_id = 1_000 + number
    message = rig.message(user_id, CASES[number]["text"])
    rig.assert_clean(rig.feed({"edited_message": {**message, "edit_date": message["date"]}}))
    group = {**message, "chat": {"id": -500 - number, "type": "supergroup", "title": "g"}}
    rig.assert_clean(rig.feed({"message": group}))


@pytest.mark.parametrize("data", FORGED)
def test_each_forged_button_says_out_of_date(rig: TelegramRig, data: str) -> None:
    user_id = 5_000 + FORGED.index(data)
    rig.text(user_id, "/start")
    calls = rig.press(user_id, data)
    rig.assert_clean(calls)
    assert any(call.method == "answerCallbackQuery" for call in calls)  # the spinner stops
    shown = "\n".join(render_text(c.text, "HTML") for c in replies_to(calls, user_id))
    assert OUT_OF_DATE in shown, (data, shown)


@pytest.mark.parametrize("data", FORGED)
def test_a_forged_button_changes_nothing_stored(rig: TelegramRig, data: str) -> None:
    user_id = 6_000 + FORGED.index(data)
    rig.text(user_id, "/start")
    rig.press(user_id, "m:worker")

    async def state() -> tuple[object, object]:
        async with rig.database.read() as r:
            session = await r.sessions.get(user_id)
            ticks = await r.checklists.get(user_id, "work_permit")
        assert session is not None
        return session.state.get("dialog"), ticks

    before = rig.run(state())
    rig.press(user_id, data)
    assert rig.run(state()) == before
