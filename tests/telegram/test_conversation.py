"""The bot over the fake Bot API, in-process: language, edits in place, outcome, FAQ, storage."""

from __future__ import annotations

import pytest

from knowledge import KnowledgeBase
from tests.telegram.conftest import Harness
from tests.telegram.helpers import answer, press_shown, scenario, texts, walk


async def test_start_speaks_the_telegram_language_and_stores_it(
    harness: Harness, kb: KnowledgeBase
) -> None:
    for user_id, code, lang in ((3001, "kk-KZ", "kk"), (3002, "ru", "ru"), (3003, "en-GB", "en"),
                                (3004, "uz", kb.meta.default_language)):
        user = harness.user(user_id, code)
        await user.send("/start")
        menu = await user.wait_reply()
        flow_titles = [kb.text(flow.title, lang) for flow in kb.flows.values()]
        labels = [label for row in menu.buttons for label in row]
        assert all(any(title[:40] in label for label in labels) for title in flow_titles), labels
        async with harness.db.read() as r:
            record = await r.users.get(user_id)
            assert record is not None and record.language == lang
            assert (await r.sessions.get(user_id)) is not None


async def test_pressing_edits_in_place_and_every_query_is_answered(harness: Harness) -> None:
    alice = harness.user(3010)
    await alice.send("/start")
    menu = await alice.wait_reply()
    query = await press_shown(alice, "m:worker")
    question = await alice.wait_reply()
    assert question.message_id == menu.message_id and question.edits == 1
    assert "Question 1" in (question.text or "")
    assert alice.callback_answer(query) is not None
    # the raw text is HTML with our tags only
    assert question.parse_mode == "HTML" and "<b>" in (question.raw_text or "")


@pytest.mark.slow
async def test_an_interview_reaches_the_outcome_with_a_checklist(
    harness: Harness, kb: KnowledgeBase
) -> None:
    bob = harness.user(3020)
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    last = await walk(bob, case["flow"], case["answers"])
    assert kb.text(kb.routes[case["route"]].title, "en") in texts(bob)
    assert any("📋 Documents" in label for row in last.buttons for label in row)

    await press_shown(bob, "ck")
    sheet = await bob.wait_reply()
    assert sheet.message_id != last.message_id  # a section of its own: the result stays above
    assert "📋 Documents" in (sheet.text or "") and "0 of " in (sheet.text or "")
    toggles = [b for b in sheet.inline_buttons if b["callback_data"].startswith("ck:")]
    total = len(toggles)
    assert total >= 5 and all(b["text"].startswith("⬜") for b in toggles)

    first, second = toggles[0]["callback_data"], toggles[1]["callback_data"]
    await press_shown(bob, first)
    sheet = await bob.wait_reply()
    assert f"1 of {total} ready" in (sheet.text or "")
    await press_shown(bob, second)
    await bob.wait_reply()
    await press_shown(bob, first)  # untick
    sheet = await bob.wait_reply()
    assert f"1 of {total} ready" in (sheet.text or "")
    marks = {b["callback_data"]: b["text"][0] for b in sheet.inline_buttons}
    assert marks[first] == "⬜" and marks[second] == "✅"
    async with harness.db.read() as r:
        ticks = await r.checklists.get(bob.id, case["route"])
    assert ticks == {first[3:]: False, second[3:]: True}

    # kept per user: /checklist later shows the same ticks
    await bob.send("/checklist")
    again = await bob.wait_reply()
    assert f"1 of {total} ready" in (again.text or "") and again.message_id != sheet.message_id
    # and the main menu's "Documents" shows it too, now that there is a route
    await bob.send("/menu")
    await bob.wait_reply()
    await press_shown(bob, "docs")
    assert f"1 of {total} ready" in ((await bob.wait_reply()).text or "")


async def test_checklist_without_a_route_explains_and_forged_toggle_is_stale(
    harness: Harness,
) -> None:
    carol = harness.user(3030)
    await carol.send("/checklist")
    reply = await carol.wait_reply()
    assert "documents depend on your route" in (reply.text or "")
    await carol.press_data("ck:passport")
    await carol.wait_text("out of date")


async def test_free_text_answers_and_unanswered_questions_are_stored(harness: Harness) -> None:
    dan = harness.user(3040)
    case = scenario("Uzbek welder hired by a Kazakhstan company")
    await walk(dan, case["flow"], case["answers"][:2])  # mid-interview
    await dan.send("how much is the state fee for a work permit?")
    reply = await dan.wait_reply()
    assert any("Continue the interview" in label for row in reply.buttons for label in row)
    await dan.send("qwzx blorp frobnicate")
    await dan.wait_reply()
    async with harness.db.read() as r:
        answered = await r.events.list(kind="faq_answered", user_id=dan.id)
        unanswered = await r.unanswered.latest()
    assert [e.data["how"] for e in answered] == ["text"] and answered[0].data["faq"]
    assert any(u.text == "qwzx blorp frobnicate" and u.user_id == dan.id for u in unanswered)
    # the interview continues at the same question
    await press_shown(dan, "x")
    again = await dan.wait_reply()
    assert "Question 3" in (again.text or "")


async def test_user_text_is_escaped(harness: Harness) -> None:
    eve = harness.user(3050)
    await eve.send("<b>bold</b> & <script> " * 3)
    reply = await eve.wait_reply()  # the fake refuses invalid HTML with 400, so a reply is proof
    assert reply.text
    assert all(c.status == 200 for c in harness.api.calls_to("sendMessage"))


async def test_forged_and_stale_buttons_get_out_of_date_and_the_current_step(
    harness: Harness,
) -> None:
    fay = harness.user(3060)
    await walk(fay, "worker", [["citizenship", "other"]])
    for forged in ("a:nope:nope", "%%%", "x" * 64, "a:citizenship:eaeu"):  # the last is stale
        await fay.press_data(forged)
        reply = await fay.wait_reply()
        assert "out of date" in (reply.text or ""), forged
        assert "Question 2" in (reply.text or "")
    async with harness.db.read() as r:
        events = await r.events.list(kind="stale_button", user_id=fay.id)
    assert len(events) == 4


async def test_two_fast_presses_never_corrupt_the_session(harness: Harness) -> None:
    gus = harness.user(3070)
    await walk(gus, "worker", [])
    question = gus.keyboard_message()
    assert question is not None
    # both presses arrive together; the second is stale once the first has been applied
    harness.api.user_presses(gus, question.message_id, "a:citizenship:other")
    harness.api.user_presses(gus, question.message_id, "a:citizenship:eaeu")
    await gus.wait_text("out of date")
    async with harness.db.read() as r:
        answered = await r.events.list(kind="answered", user_id=gus.id)
        session = await r.sessions.get(gus.id)
    assert len(answered) == 1 and answered[0].data["option"] == "other"
    assert session is not None
    dialog = session.state["dialog"]  # answers are keyed by fact, one answer only
    assert list(dialog["answers"].values()) == ["other"] and dialog["node"] == "status"


async def test_language_switch_is_stored(harness: Harness, kb: KnowledgeBase) -> None:
    hal = harness.user(3080, "en")
    await hal.send("/language")
    await hal.wait_reply()
    await press_shown(hal, "l:kk")
    await hal.wait_reply()
    async with harness.db.read() as r:
        record = await r.users.get(hal.id)
    assert record is not None and record.language == "kk"
    await hal.send("/start")
    menu = await hal.wait_reply()
    worker_title = kb.text(kb.flows["worker"].title, "kk")
    assert any(worker_title[:30] in label for row in menu.buttons for label in row)


async def test_answer_by_typing_the_label(harness: Harness, kb: KnowledgeBase) -> None:
    ivy = harness.user(3090)
    await walk(ivy, "worker", [])
    node = kb.flows["worker"].nodes["citizenship"]
    label = kb.text(next(o.label for o in node.options if o.id == "other"), "en")
    await ivy.send(label)
    assert "Question 2" in ((await ivy.wait_reply()).text or "")
    assert (await answer(ivy, "status", "none")).text
