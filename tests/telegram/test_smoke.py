"""First contact: /start in the user's Telegram language, a press edits in place."""

from __future__ import annotations

from tests.telegram.conftest import Harness


async def test_start_and_press(harness: Harness) -> None:
    alice = harness.user(2001, "en")
    await alice.send("/start")
    menu = await alice.wait_reply()
    assert "Hello" in (menu.text or "")
    print(menu.raw_text, menu.buttons)
