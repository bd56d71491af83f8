"""Shared results over the fake Bot API: the link after the summary, opening it as someone else
(in the shared language), and unknown or expired codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from bot.telegram.share import start_payload
from knowledge import KnowledgeBase
from tests.telegram.conftest import Harness
from tests.telegram.helpers import press_shown, scenario, walk

LINK = re.compile(r"https://t\.me/(\w+)\?start=(s_[A-Za-z0-9_-]+)")


def test_start_payload_only_takes_share_codes() -> None:
    assert start_payload("/start s_abc-DEF_1") == "s_abc-DEF_1"
    assert start_payload("/start@kzwork_bot s_x") == "s_x"
    assert start_payload("/start worker") is None
    assert start_payload("/start s_" + "a" * 63) is None  # 65 characters: not a payload
    assert start_payload("/start s_bad!") is None
    assert start_payload("/help s_abc") is None


async def _share(harness: Harness, user_id: int, lang: str = "en") -> tuple[str, str]:
    """Walk to the welder's outcome and press Share; return (link text, code)."""
    user = harness.user(user_id, lang)
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await walk(user, case["flow"], case["answers"])
    await press_shown(user, "sh")
    last = await user.wait_reply()
    match = LINK.search(last.text or "")
    assert match, last.text
    assert match.group(1) == harness.api.bot_user["username"]
    return last.text or "", match.group(2)


@pytest.mark.slow
async def test_share_sends_a_link_that_opens_the_same_result(
    harness: Harness, kb: KnowledgeBase
) -> None:
    _text, payload = await _share(harness, 4101, "kk")
    code = payload[2:]
    async with harness.db.read() as r:
        stored = await r.share_codes.get(code)
        assert stored is not None
        assert stored.payload["flow"] == "worker" and stored.payload["lang"] == "kk"
        assert stored.payload["kb_version"] == kb.version
        assert "other" in stored.payload["answers"].values()
        # no personal data in the payload: only the four keys
        assert set(stored.payload) == {"flow", "answers", "lang", "kb_version"}
        assert timedelta(days=29) < stored.expires_at - stored.created_at <= timedelta(days=30)
        kinds = [e.kind for e in await r.events.list(user_id=4101)]
        assert "share_requested" in kinds and "share_created" in kinds

    # someone else, Telegram in English, never chose a language: the shared language (kk)
    friend = harness.user(4102, "en")
    await friend.send(f"/start {payload}")
    await friend.wait_reply()
    route_title = kb.text(kb.routes["work_permit"].title, "kk")
    assert any(route_title in (m.text or "") for m in friend.messages())
    async with harness.db.read() as r:
        record = await r.users.get(4102)
        assert record is not None and record.language == "kk"
        assert [e.kind for e in await r.events.list(user_id=4102, kind="share_opened")]


@pytest.mark.slow
async def test_a_chosen_language_is_kept_when_opening_a_shared_result(
    harness: Harness, kb: KnowledgeBase
) -> None:
    _text, payload = await _share(harness, 4111, "kk")
    reader = harness.user(4112, "en")
    await reader.send("/start")
    await reader.wait_reply()
    await press_shown(reader, "lang")
    await reader.wait_reply()
    await press_shown(reader, "l:ru")
    await reader.wait_reply()
    await reader.send(f"/start {payload}")
    await reader.wait_reply()
    assert kb.text(kb.routes["work_permit"].title, "ru") in (
        "\n".join(m.text or "" for m in reader.messages()))


async def test_unknown_and_expired_codes_give_the_usual_start_with_a_note(
    harness: Harness,
) -> None:
    async with harness.db.transaction() as tx:
        old = await tx.share_codes.create(
            {"flow": "worker", "answers": {}, "lang": "en", "kb_version": "x"},
            ttl=timedelta(days=1), at=datetime.now(UTC) - timedelta(days=2))
    for user_id, payload in ((4121, "s_unknownCode123"), (4122, f"s_{old.code}")):
        user = harness.user(user_id, "en")
        await user.send(f"/start {payload}")
        reply = await user.wait_reply()
        shown = "\n".join(m.text or "" for m in user.messages())
        assert "This link is not valid or has expired" in shown, shown
        assert reply.buttons, "the usual start has the menu"


async def test_expired_share_codes_are_purged_by_the_daily_job(harness) -> None:
    import datetime as dt
    from types import SimpleNamespace

    from bot.telegram.share import purge_expired

    async with harness.db.transaction() as tx:
        old = await tx.share_codes.create({"flow": "worker"}, ttl=dt.timedelta(seconds=-1))
        fresh = await tx.share_codes.create({"flow": "worker"}, ttl=dt.timedelta(days=1))
    await purge_expired(SimpleNamespace(job=SimpleNamespace(data=harness.service)))
    async with harness.db.read() as r:
        rows = await r.share_codes._sql.all("SELECT code FROM share_codes")
    assert [row[0] for row in rows] == [fresh.code]
    assert old != fresh
    jobs = harness.app.job_queue.get_jobs_by_name("purge-share-codes")
    assert len(jobs) == 1


async def test_sharing_the_same_result_again_gives_the_same_link_and_the_cap_is_said(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#17: 200 presses on "Share" once made 200 codes; now one, and a cap the user is told of."""
    import bot.telegram.share as share

    _text, first = await _share(harness, 4111)
    user = harness.user(4111, "en")
    for _ in range(3):
        await press_shown(user, "sh")
        again = LINK.search((await user.wait_reply()).text or "")
        assert again and again.group(2) == first
    async with harness.db.read() as r:
        assert len(await r.share_codes.live_for(4111)) == 1

    monkeypatch.setattr(share, "MAX_LIVE_SHARES", 1)
    other = scenario("Russian developer")  # another result: a new link would pass the cap
    await walk(user, other["flow"], other["answers"])
    await press_shown(user, "sh")
    last = (await user.wait_reply()).text or ""
    assert "1 share link that still works" in last and not LINK.search(last)
    async with harness.db.read() as r:
        assert len(await r.share_codes.live_for(4111)) == 1
        assert await r.events.list(user_id=4111, kind="share_refused")
