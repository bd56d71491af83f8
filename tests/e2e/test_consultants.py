"""The real ``python -m bot run`` for consultants and admins: a consultant's link in Kazakh for
an English Telegram, a shared result opened by someone else, an inline query, a hand-off whose
first delivery fails, and /reload with a broken then a good YAML file (plus the reports in
Telegram and on the command line over the same database)."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from knowledge import DEFAULT_DIR, KnowledgeBase
from tests.e2e.process import BotProcess, bot_env, python_m_bot, query, until
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.helpers import press_shown, scenario, walk

pytestmark = pytest.mark.e2e

CONSULTANTS = -1007001
ADMIN = 7900
SHARE_LINK = re.compile(r"https://t\.me/\w+\?start=(s_[A-Za-z0-9_-]+)")


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


@pytest.fixture
async def desk(fake_api: FakeBotApi, tmp_path: Path, kb_dir: Path) -> AsyncIterator[BotProcess]:
    """The bot with a consultants' group (known to the fake), an admin and a copied base."""
    fake_api.group_sends_text(FakeUser(fake_api, 7901), CONSULTANTS, "good morning")
    process = BotProcess(fake_api, tmp_path, BOT_CONSULTANT_CHAT_ID=str(CONSULTANTS),
                         BOT_ADMIN_IDS=str(ADMIN), BOT_KNOWLEDGE_DIR=str(kb_dir))
    await process.start()
    try:
        yield process
    finally:
        await process.kill()


async def test_links_sharing_inline_and_a_handoff_that_fails_once(
    fake_api: FakeBotApi, desk: BotProcess, tmp_path: Path, kb: KnowledgeBase
) -> None:
    # a consultant's link (python -m bot link) opens the bot in Kazakh for an English Telegram
    code, out, err = await python_m_bot(
        bot_env(None, tmp_path, BOT_USERNAME=fake_api.bot_user["username"]),
        "link", "--lang", "kk", "--flow", "employer")
    assert code == 0, err
    payload = out.strip().rsplit("start=", 1)[1]
    client = FakeUser(fake_api, 7101, language_code="en")
    await client.send(f"/start {payload}")
    first = await client.wait_reply(timeout=10)
    employer = kb.flows["employer"]
    question = kb.text(employer.nodes[employer.start].text, "kk").splitlines()[0]
    assert question in "\n".join(m.text or "" for m in client.messages()), first.text
    assert query(tmp_path, "SELECT language FROM users WHERE user_id = 7101") == [("kk",)]

    # a shared result opens the same route for someone else
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    sharer = FakeUser(fake_api, 7102, language_code="ru")
    await walk(sharer, case["flow"], case["answers"], timeout=10)
    await press_shown(sharer, "sh")
    link = SHARE_LINK.search((await sharer.wait_reply(timeout=10)).text or "")
    assert link, sharer.last_message()
    friend = FakeUser(fake_api, 7103, language_code="en")
    await friend.send(f"/start {link.group(1)}")
    await friend.wait_reply(timeout=10)
    title = kb.text(kb.routes[case["route"]].title, "ru")
    assert any(title in (m.text or "") for m in friend.messages())

    # inline mode
    query_id = await friend.inline("work permit")
    await fake_api.wait_for(lambda: fake_api.inline_answers.get(query_id), timeout=10,
                            message="for the inline answer ")
    results = fake_api.inline_answers[query_id] or []
    assert 1 <= len(results) <= 5 and all(r["id"] in kb.faq_by_id for r in results)

    # hand-off: the first post to the consultants' chat fails and is retried
    await sharer.send("/menu")
    await sharer.wait_reply(timeout=10)
    await press_shown(sharer, "contact")
    await sharer.wait_reply(timeout=10)
    await press_shown(sharer, "ho:yes")
    await sharer.wait_reply(timeout=10)
    fake_api.blocked.add(CONSULTANTS)  # the first post fails; the user's "thank you" does not
    await sharer.send("+7 701 555 66 77")
    await sharer.wait_text("+7 701 555 66 77", timeout=10)
    await until(lambda: query(tmp_path, "SELECT status, attempts FROM handoffs")
                == [("pending", 1)], timeout=5)
    fake_api.blocked.discard(CONSULTANTS)
    card = await fake_api.wait_for(
        lambda: [m for m in fake_api.sent_to(CONSULTANTS) if "+7 701 555 66 77" in (m.text or "")],
        timeout=10, message="for the card ")
    assert kb.text(kb.routes[case["route"]].title, kb.meta.default_language) in card[0].text
    await until(lambda: query(tmp_path, "SELECT status, attempts FROM handoffs")
                == [("sent", 2)], timeout=5)


async def test_reload_keeps_answering_on_a_broken_file_then_swaps(
    fake_api: FakeBotApi, desk: BotProcess, tmp_path: Path, kb_dir: Path, kb: KnowledgeBase
) -> None:
    admin = FakeUser(fake_api, ADMIN, language_code="en")
    client = FakeUser(fake_api, 7201, language_code="en")
    await client.send("how long is a work permit valid")
    before = (await client.wait_reply(timeout=10)).text

    faq_file = kb_dir / "faq" / "arrival.yaml"
    good = faq_file.read_text(encoding="utf-8")
    faq_file.write_text(good + "\n  - id: [broken\n", encoding="utf-8")
    await admin.send("/reload")
    refused = await admin.wait_reply(timeout=20)
    assert "was not reloaded" in (refused.text or "") and "arrival.yaml:" in (refused.text or "")
    await client.send("how long is a work permit valid")
    assert (await client.wait_reply(timeout=10)).text == before

    faq_file.write_text(good, encoding="utf-8")
    meta = kb_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        f'version: "{kb.version}"', 'version: "2099.12.31-9"', 1), encoding="utf-8")
    await admin.send("/reload")
    done = await admin.wait_reply(timeout=20)
    assert f"{kb.version} → 2099.12.31-9" in (done.text or "")

    # the reports, in Telegram and from the command line on the same database
    await client.send("qwzx vbnm plkj")
    await client.wait_reply(timeout=10)
    await admin.send("/stats")
    report = (await admin.wait_reply(timeout=10)).text or ""
    assert "Users: 1" in report and "Unanswered questions: 1" in report  # admins are not users
    code, out, err = await python_m_bot(bot_env(None, tmp_path), "unanswered", "--export", "-")
    assert code == 0, err
    assert "qwzx vbnm plkj" in out and "faq:" in out
