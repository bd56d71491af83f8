"""Admin commands over the fake Bot API: only admins, /stats, /unanswered with its YAML drafts,
/reload with a broken file (nothing changes) and a good one (swapped, changes reported, an
interview in progress continues)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.telegram.admin import admin_command, preformatted
from dialogs.engine import ChatEngine
from knowledge import DEFAULT_DIR, KnowledgeBase
from tests.fakeapi import FakeBotApi, FakeUser
from tests.telegram.conftest import Harness
from tests.telegram.helpers import answer, press_shown, scenario, walk
from tests.telegram.test_handoff import configured_harness

ADMIN = 9800


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR, target)
    return target


@pytest.fixture
async def office(fake_api: FakeBotApi, engine: ChatEngine, tmp_path: Path,
                 kb_dir: Path) -> AsyncIterator[Harness]:
    async with configured_harness(fake_api, engine, tmp_path, admin_ids=frozenset({ADMIN}),
                                  knowledge_dir=kb_dir) as harness:
        yield harness


def test_admin_command_names() -> None:
    assert admin_command("/stats") == "stats"
    assert admin_command("/Reload@kzwork_bot now") == "reload"
    assert admin_command("/start") is None and admin_command("stats") is None
    assert admin_command("/") is None


def test_preformatted_keeps_lines_and_limits() -> None:
    text = "".join(f"  - line {i} <&>\n" for i in range(600))
    chunks = preformatted(text, limit=1000)
    assert len(chunks) > 1 and all(len(c) <= 1000 for c in chunks)
    assert all(c.startswith("<pre>") and c.endswith("</pre>") for c in chunks)
    assert "&lt;&amp;&gt;" in chunks[0]


async def test_others_get_the_unknown_command_reply(office: Harness) -> None:
    for index, command in enumerate(("/stats", "/reload", "/unanswered")):
        user = office.user(7001 + index)
        await user.send(command)
        reply = await user.wait_reply()
        shown = "\n".join(m.text or "" for m in user.messages())
        assert f"I don't know the command {command}" in shown, shown
        assert "Statistics" not in (reply.text or "")


async def test_an_admin_command_is_answered_by_the_admin_handler_alone(office: Harness) -> None:
    admin = office.user(ADMIN, "en")
    await admin.send("/stats")
    reply = await admin.wait_reply()
    assert "Statistics" in (reply.text or "")
    await admin.send("/help")  # the next reply, so a late engine answer to /stats would show
    await admin.wait_reply()
    shown = "\n".join(m.text or "" for m in admin.messages())
    assert "I don't know the command" not in shown, shown


@pytest.mark.slow
async def test_stats_count_users_interviews_faq_and_unanswered(office: Harness,
                                                               kb: KnowledgeBase) -> None:
    worker = office.user(7010, "ru")
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await walk(worker, case["flow"], case["answers"])
    await worker.send("как долго действует разрешение на работу")
    await worker.wait_reply()
    quitter = office.user(7011, "kk")
    await quitter.send("/start")
    await quitter.wait_reply()
    await press_shown(quitter, f"m:{case['flow']}")
    await quitter.wait_reply()
    await answer(quitter, *case["answers"][0])
    await quitter.send("zzzz qqqq xxxx")
    await quitter.wait_reply()

    admin = office.user(ADMIN, "en")
    await admin.send("/stats")
    reply = await admin.wait_reply()
    text = reply.text or ""
    assert "Statistics" in text and "Users: 2" in text, text
    assert "ru: 1" in text and "kk: 1" in text
    flow_title = kb.text(kb.flows[case["flow"]].title, "en")
    assert f"{flow_title[:40]}" in text and "started 2, finished 1" in text, text
    assert kb.text(kb.routes["work_permit"].title, "en")[:40] in text
    assert "In progress now: 1" in text  # the quitter stopped a moment ago
    assert "Unanswered questions: 1" in text


async def test_unanswered_lists_and_exports_yaml(office: Harness) -> None:
    for index in range(2):
        asker = office.user(7020 + index, "ru")
        await asker.send("можно ли оплатить патент криптовалютой")
        await asker.wait_reply()
    admin = office.user(ADMIN, "en")
    await admin.send("/unanswered")
    await admin.wait_reply()
    messages = admin.messages()
    assert "2 👤 [ru] можно ли оплатить патент криптовалютой" in (messages[-2].text or "")
    draft = yaml.safe_load(messages[-1].text or "")
    [entry] = draft["faq"]
    assert entry["questions"]["ru"] == ["можно ли оплатить патент криптовалютой"]
    assert entry["answer"] == {"ru": "", "kk": "", "en": ""}
    assert entry["sources"] == [] and entry["id"] == "new_1"


@pytest.mark.slow
async def test_reload_refuses_a_broken_base_and_takes_a_good_one(
    office: Harness, kb_dir: Path, kb: KnowledgeBase
) -> None:
    admin = office.user(ADMIN, "en")
    client = office.user(7030, "en")
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await client.send("/start")
    await client.wait_reply()
    await press_shown(client, f"m:{case['flow']}")
    await client.wait_reply()
    await answer(client, *case["answers"][0])  # in the middle of the interview

    faq_file = kb_dir / "faq" / "arrival.yaml"
    good = faq_file.read_text(encoding="utf-8")
    faq_file.write_text(good.replace("    topic: arrival\n", "    topic: [arrival\n", 1),
                        encoding="utf-8")
    await admin.send("/reload")
    refused = await admin.wait_reply()
    assert "was not reloaded" in (refused.text or "")
    assert "arrival.yaml:" in (refused.text or "")  # file:line
    assert office.service.kb.version == kb.version

    # the bot answers as before
    await client.send("how long is a work permit valid")
    assert (await client.wait_reply()).text

    edited = good.replace("о каждом приехавшем иностранце", "о любом приехавшем иностранце", 1)
    assert edited != good, "the phrase this test edits is no longer in arrival.yaml"
    faq_file.write_text(edited, encoding="utf-8")
    meta = kb_dir / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace(
        f'version: "{kb.version}"', 'version: "2099.01.01-1"', 1), encoding="utf-8")
    await admin.send("/reload")
    done = await admin.wait_reply()
    assert f"{kb.version} → 2099.01.01-1" in (done.text or ""), done.text
    assert "FAQ: ~1: arrival_notice" in (done.text or "")
    assert office.service.kb.version == "2099.01.01-1"
    assert office.service.engine.kb is office.service.kb

    # the interview in progress continues at the same question
    await press_shown(client, "x")
    question = await client.wait_reply()
    node, option = case["answers"][1]
    assert any(b["callback_data"] == f"a:{node}:{option}" for b in question.inline_buttons)
    await answer(client, node, option)
    async with office.db.read() as r:
        session = await r.sessions.get(7030)
        assert session is not None and session.kb_version == "2099.01.01-1"
        assert session.state["dialog"]["answers"]


async def test_a_consultant_link_in_kazakh_for_an_english_telegram(
    office: Harness, kb: KnowledgeBase
) -> None:
    from dialogs.links import encode_link

    payload = encode_link(kb, "employer", "kk", {})
    user = FakeUser(office.api, 7040, language_code="en")
    await user.send(f"/start {payload}")
    await user.wait_reply()
    async with office.db.read() as r:
        record = await r.users.get(7040)
        assert record is not None and record.language == "kk"


async def test_admins_see_the_admin_commands_in_their_own_command_menu(
        office: Harness, fake_api: FakeBotApi) -> None:
    from bot.telegram.application import publish_profile

    admin = office.user(ADMIN)
    await admin.send("/start")  # Telegram knows the chat only once the admin has written
    await admin.wait_reply()
    await publish_profile(office.app, "ru", admin_ids=frozenset({ADMIN}))
    scoped = {key: [c["command"] for c in commands]
              for key, commands in fake_api.commands.items() if '"chat"' in key[0]}
    assert scoped, fake_api.commands.keys()
    assert all(str(ADMIN) in key[0] for key in scoped)
    for names in scoped.values():
        assert {"reload", "stats", "unanswered", "start"} <= set(names)
    assert "reload" not in fake_api.commands_for("kk")  # everyone else: no admin commands


def test_near_identical_unanswered_questions_are_one_row() -> None:
    import datetime as dt

    from bot.faq_drafts import grouped
    from bot.storage import UnansweredSummary

    at = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    rows = [
        UnansweredSummary("сколько стоит разрешение?", "ru", "none", 3, at, 10.0),
        UnansweredSummary("скока стоит разрешение", "ru", "none", 2, at, None),
        UnansweredSummary("сколько стоит разрешение", "kk", "none", 1, at, None),
        UnansweredSummary("где купить сим-карту", "ru", "none", 4, at, None),
    ]
    result = grouped(rows)
    assert [(r.text, r.lang, r.count) for r in result] == [
        ("сколько стоит разрешение?", "ru", 5),
        ("где купить сим-карту", "ru", 4),
        ("сколько стоит разрешение", "kk", 1),
    ]
    assert result[0].best_score == 10.0
