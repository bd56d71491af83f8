"""Deadlines on Telegram: the calculator menu, the inline calendar (accepted by the Bot API's
rules: no blank button labels) and a picked date's result."""

from __future__ import annotations

from tests.fakeapi import FakeBotApi
from tests.telegram.helpers import press_shown


async def test_pick_an_arrival_date_in_the_calendar(harness, fake_api: FakeBotApi) -> None:
    user = harness.user(7101, language_code="en")
    await user.send("/start")
    await user.wait_reply()
    await press_shown(user, "dl")
    await user.wait_reply()
    await press_shown(user, "d:arrival")
    calendar = await user.wait_reply()
    labels = [str(b["text"]) for b in calendar.inline_buttons]
    assert all(label.strip() for label in labels)
    day = next(b["callback_data"] for b in calendar.inline_buttons
               if str(b.get("callback_data", "")).startswith("dd:arrival:"))
    await press_shown(user, day)
    result = await user.wait_reply()
    assert "Notification of arrival: by" in (result.text or "")
    assert not fake_api.unknown_methods


async def test_a_typed_date_in_kazakh(harness) -> None:
    user = harness.user(7102, language_code="kk")
    await user.send("/start")
    await user.wait_reply()
    await press_shown(user, "dl")
    await user.wait_reply()
    await press_shown(user, "d:renewal")
    await user.wait_reply()
    await user.send("31.02.2027")
    error = await user.wait_reply()
    assert "31.02.2027" in (error.text or "")
    await user.send("1 наурыз 2027")
    result = await user.wait_reply()
    # the latest day to apply is 30 days before the expiry: in January
    assert "2027" in (result.text or "") and "қаңтар" in (result.text or "")
