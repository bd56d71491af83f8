"""The real ``python -m bot run`` over HTTP: users in three languages at once, free text, media,
a forged button."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from tests.e2e.process import BotProcess, query
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.helpers import press_shown, question_text, scenario, texts, walk

pytestmark = pytest.mark.e2e

CASES = {
    "ru": "Indian engineer transferred from the parent company",
    "kk": "Uzbek welder hired by a Kazakhstan company",
    "en": "Russian developer",
}


async def test_interviews_in_every_language_at_once(
    fake_api: FakeBotApi, bot: BotProcess, kb: KnowledgeBase
) -> None:
    users = {lang: FakeUser(fake_api, 7000 + n, language_code=lang)
             for n, lang in enumerate(CASES)}

    async def interview(lang: str) -> None:
        case = scenario(CASES[lang])
        user = users[lang]
        last = await walk(user, case["flow"], case["answers"])
        shown = texts(user)
        route = kb.routes[case["route"]]
        assert kb.text(route.title, lang) in shown, (lang, shown[-500:])
        assert any(label.startswith("📋") for row in last.buttons for label in row)

    await asyncio.gather(*(interview(lang) for lang in CASES))
    # every callback query was answered
    assert fake_api.callback_answers and all(
        answer is not None for answer in fake_api.callback_answers.values())


async def test_free_text_media_and_a_forged_button(
    fake_api: FakeBotApi, bot: BotProcess, tmp_path: Path, kb: KnowledgeBase
) -> None:
    ola = FakeUser(fake_api, 7100, language_code="ru")
    await ola.send("/start")
    await ola.wait_reply()
    await ola.send("сколько стоит разрешение на работу")
    answer = await ola.wait_reply()
    ((data,),) = query(tmp_path, "SELECT data FROM events WHERE user_id = ? AND "
                                 "kind = 'faq_answered'", ola.id)
    entry = kb.faq_by_id[json.loads(data)["faq"]]  # the answer the bot recorded giving ...
    first_line = kb.text(entry.answer, "ru").strip().splitlines()[0]
    assert first_line in (answer.text or "")  # ... is the one the user got
    await ola.send("qwzx blorp frobnicate")
    await ola.wait_reply()

    await walk(ola, "worker", [["citizenship", "other"]])
    await ola.send_photo(caption="my passport")
    photo_reply = await ola.wait_reply()
    await ola.send_sticker()
    sticker_reply = await ola.wait_reply()
    assert photo_reply.text == sticker_reply.text and photo_reply.buttons

    await ola.press_data("a:forged:data")
    current = (await ola.wait_reply()).text or ""
    assert question_text(kb, "worker", "status", "ru") in current
    await press_shown(ola, "a:status:none")  # still works after all that
    assert question_text(kb, "worker", "activity", "ru") in ((await ola.wait_reply()).text or "")

    kinds = dict(query(tmp_path, "SELECT kind, count(*) FROM events WHERE user_id = ? "
                                 "GROUP BY kind", ola.id))
    assert kinds.get("faq_answered") == 1 and kinds.get("media") == 2
    assert kinds.get("stale_button") == 1
    assert query(tmp_path, "SELECT text FROM unanswered WHERE user_id = ?", ola.id) == [
        ("qwzx blorp frobnicate",)]
    assert query(tmp_path, "SELECT language FROM users WHERE user_id = ?", ola.id) == [("ru",)]
