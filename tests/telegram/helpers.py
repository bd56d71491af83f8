"""Helpers shared by the in-process and end-to-end Telegram tests: press real buttons, walk the
named interview scenarios of ``tests/data/scenarios.yaml``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import yaml

from knowledge import KnowledgeBase
from tests.fakeapi import ChatMessage, FakeUser

SCENARIOS = Path(__file__).resolve().parents[1] / "data" / "scenarios.yaml"


def scenarios() -> list[dict[str, Any]]:
    return yaml.safe_load(SCENARIOS.read_text(encoding="utf-8"))["scenarios"]


def scenario(name: str) -> dict[str, Any]:
    return next(s for s in scenarios() if s["name"] == name)


def label_of(message: ChatMessage, callback_data: str) -> str:
    """The label of the button with this callback data (AssertionError if it is not shown)."""
    for button in message.inline_buttons:
        if button.get("callback_data") == callback_data:
            return str(button["text"])
    labels = [b.get("callback_data") for b in message.inline_buttons]
    raise AssertionError(f"no button {callback_data!r} in message {message.message_id}: {labels}")


async def press_shown(user: FakeUser, callback_data: str) -> str:
    """Press the visible button with this callback data under the latest keyboard."""
    message = user.keyboard_message()
    assert message is not None, "no keyboard to press"
    label_of(message, callback_data)  # it must really be on screen
    return await user.press_data(callback_data, message.message_id)


async def answer(user: FakeUser, node: str, option: str, timeout: float = 5.0) -> ChatMessage:
    await press_shown(user, f"a:{node}:{option}")
    return await user.wait_reply(timeout)


async def walk(user: FakeUser, flow: str, answers: list[list[str]],
               timeout: float = 5.0) -> ChatMessage:
    """/start, choose the interview, press each answer; returns the last message."""
    await user.send("/start")
    await user.wait_reply(timeout)
    await press_shown(user, f"m:{flow}")
    reply = await user.wait_reply(timeout)
    for node, option in answers:
        reply = await answer(user, node, option, timeout)
    return reply


def texts(user: FakeUser) -> str:
    return "\n".join(m.text or "" for m in user.messages())


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0,
                     interval: float = 0.02) -> None:
    """Wait until the async ``check`` is true (for state written after the reply was sent)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        await asyncio.sleep(interval)


def question_text(kb: KnowledgeBase, flow: str, node: str, lang: str) -> str:
    """The first line of a question as the user sees it (to recognise it in any language)."""
    return kb.text(kb.flows[flow].nodes[node].text, lang).strip().splitlines()[0]
