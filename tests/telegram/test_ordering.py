"""Updates of one user run one after another, in order; different users run in parallel."""

from __future__ import annotations

import asyncio
import datetime as dt

from telegram import Chat, Message, Update, User

from bot.telegram.ordering import PerUserUpdateProcessor, ordering_key

NOW = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)


def update(update_id: int, user_id: int) -> Update:
    user = User(user_id, "U", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, NOW, chat, from_user=user, text="x"))


async def test_one_users_updates_are_sequential_and_in_order() -> None:
    processor = PerUserUpdateProcessor(16)
    log: list[str] = []

    async def work(name: str, pause: float) -> None:
        log.append(f"{name} start")
        await asyncio.sleep(pause)
        log.append(f"{name} end")

    async with processor:
        await asyncio.gather(
            processor.process_update(update(1, 5), work("first", 0.05)),
            processor.process_update(update(2, 5), work("second", 0.0)),
            processor.process_update(update(3, 5), work("third", 0.0)),
        )
    assert log == ["first start", "first end", "second start", "second end",
                   "third start", "third end"]
    assert processor.active_keys == 0  # locks are dropped when idle


async def test_different_users_overlap() -> None:
    processor = PerUserUpdateProcessor(16)
    running: set[int] = set()
    overlap: list[int] = []

    async def work(user_id: int) -> None:
        running.add(user_id)
        await asyncio.sleep(0.05)
        overlap.append(len(running))
        running.discard(user_id)

    async with processor:
        await asyncio.gather(*(processor.process_update(update(i, 100 + i), work(i))
                               for i in range(5)))
    assert max(overlap) == 5


async def test_a_failing_update_does_not_block_the_next_one() -> None:
    processor = PerUserUpdateProcessor(4)
    done: list[int] = []

    async def boom() -> None:
        raise RuntimeError("handler failed")

    async def fine() -> None:
        done.append(1)

    async with processor:
        results = await asyncio.gather(
            processor.process_update(update(1, 9), boom()),
            processor.process_update(update(2, 9), fine()),
            return_exceptions=True,
        )
    assert isinstance(results[0], RuntimeError) and done == [1]


def test_key_falls_back_to_chat_then_update() -> None:
    assert ordering_key(update(1, 5)) == ("user", 5)
    assert ordering_key(Update(77)) == ("update", 77)
