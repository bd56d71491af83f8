"""kill -9 mid-interview loses nothing: after a restart the user continues at the same question
with the earlier answers intact, and a press sent while the bot was down is handled."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from tests.e2e.process import BotProcess, query
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.helpers import answer, press_shown, question_text, walk

pytestmark = pytest.mark.e2e


async def test_sigkill_mid_interview_then_continue(
    fake_api: FakeBotApi, tmp_path: Path, kb: KnowledgeBase
) -> None:
    bot = BotProcess(fake_api, tmp_path)
    aru = FakeUser(fake_api, 8001, language_code="kk")
    await bot.start()
    try:
        await walk(aru, "worker", [["citizenship", "other"], ["status", "none"]])
        shown = aru.keyboard_message()
        assert shown is not None
        assert question_text(kb, "worker", "activity", "kk") in (shown.text or "")
        await bot.kill()

        # While the bot is down the user presses the next answer on the question they see.
        await press_shown(aru, "a:activity:employee")
        await bot.start()
        after = await aru.wait_reply(timeout=15)
        assert question_text(kb, "worker", "category", "kk") in (after.text or "")
        assert after.message_id == shown.message_id  # the same message, edited in place

        # The earlier answers are intact: the summary lists all three, in Kazakh.
        await aru.send("/answers")
        summary = (await aru.wait_reply()).text or ""
        nodes = kb.flows["worker"].nodes
        for node, option in (("citizenship", "other"), ("status", "none"),
                             ("activity", "employee")):
            label = next(o.label for o in nodes[node].options if o.id == option)
            assert kb.text(label, "kk") in summary, (node, summary)
        await press_shown(aru, "x")  # "continue the interview": the same question again
        assert question_text(kb, "worker", "category", "kk") in ((await aru.wait_reply()).text
                                                                  or "")
        await answer(aru, "category", "cat4")  # and it goes on
    finally:
        await bot.kill()
    ((state,),) = query(tmp_path, "SELECT state FROM sessions WHERE user_id = ?", aru.id)
    assert sorted(json.loads(state)["dialog"]["answers"].values()) == sorted(
        ["other", "none", "employee", "cat4"])
    assert fake_api.token.split(":")[1] not in bot.log()
