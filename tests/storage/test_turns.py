"""Database.turn(): the unit of work of a user's update, and the group commit behind it."""

from __future__ import annotations

import asyncio

import pytest

from bot.storage import Database, StorageError


async def _turn(db: Database, user_id: int, *, bad: bool = False) -> None:
    async with db.turn() as tx:
        await tx.sessions.get_with_language(user_id)
        await tx.users.touch(user_id)
        await tx.sessions.save(user_id, {"node": f"q{user_id}"}, "kb1")
        await tx.events.add("answer", user_id=user_id)
        if bad:
            await tx._sql.write("INSERT INTO no_such_table VALUES (1)")


async def _stored(db: Database, user_id: int) -> dict[str, object] | None:
    async with db.read() as r:
        record = await r.sessions.get(user_id)
    return None if record is None else record.state


async def test_a_turn_commits_like_a_transaction(db: Database) -> None:
    await _turn(db, 1)
    assert await _stored(db, 1) == {"node": "q1"}
    async with db.read() as r:
        assert (await r.users.get(1)) is not None
        assert [e.kind for e in await r.events.list(user_id=1)] == ["answer"]


async def test_turns_waiting_together_share_one_commit(db: Database) -> None:
    release = asyncio.Event()

    async def hold_the_database() -> None:
        async with db.transaction() as tx:
            await tx.users.get(0)  # the lock is taken and a transaction is open
            await release.wait()

    holder = asyncio.create_task(hold_the_database())
    await asyncio.sleep(0.01)
    batches = db.group_commit.batches
    turns = [asyncio.create_task(_turn(db, user_id)) for user_id in (1, 2, 3)]
    await asyncio.sleep(0.01)
    assert not any(t.done() for t in turns)  # nobody reads inside another unit's transaction
    release.set()
    await asyncio.gather(holder, *turns)
    assert db.group_commit.batches == batches + 1
    assert [await _stored(db, u) for u in (1, 2, 3)] == [{"node": "q1"}, {"node": "q2"},
                                                          {"node": "q3"}]


async def test_a_failing_turn_is_rolled_back_alone(db: Database) -> None:
    release = asyncio.Event()

    async def hold_the_database() -> None:
        async with db.transaction() as tx:
            await tx.users.get(0)
            await release.wait()

    holder = asyncio.create_task(hold_the_database())
    await asyncio.sleep(0.01)
    turns = [asyncio.create_task(_turn(db, user_id, bad=user_id == 2)) for user_id in (1, 2, 3)]
    await asyncio.sleep(0.01)
    release.set()
    results = await asyncio.gather(holder, *turns, return_exceptions=True)
    assert results[0] is None and results[1] is None and results[3] is None
    assert isinstance(results[2], StorageError)
    assert await _stored(db, 1) == {"node": "q1"}
    assert await _stored(db, 2) is None  # nothing of the failed turn, not even its first writes
    assert await _stored(db, 3) == {"node": "q3"}
    async with db.read() as r:
        assert await r.users.get(2) is None


async def test_a_read_after_its_own_writes_upgrades_the_turn(db: Database) -> None:
    async with db.turn() as tx:
        await tx.checklists.set_done(5, "work_permit", "passport")
        assert await tx.checklists.get(5, "work_permit") == {"passport": True}
        assert tx._sql.holding  # type: ignore[attr-defined]
    async with db.read() as r:
        assert await r.checklists.get(5, "work_permit") == {"passport": True}


async def test_an_upgraded_turn_that_fails_rolls_back_and_frees_the_lock(db: Database) -> None:
    with pytest.raises(ZeroDivisionError):
        async with db.turn() as tx:
            await tx.users.touch(6)
            assert await tx.checklists.clear(6) == 0  # a row count: upgrades
            1 / 0  # noqa: B018 - the failure in the middle of an update
    async with db.read() as r:
        assert await r.users.get(6) is None
    await asyncio.wait_for(_turn(db, 7), timeout=2)  # the lock was released
    assert await _stored(db, 7) == {"node": "q7"}


async def test_a_turn_that_fails_before_its_commit_writes_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.turn() as tx:
            await tx.users.touch(8)
            await tx.sessions.save(8, {"node": "q"}, "kb1")
            raise RuntimeError("the engine failed")
    await _turn(db, 9)
    async with db.read() as r:
        assert await r.users.get(8) is None
    assert await _stored(db, 8) is None


async def test_units_do_not_nest_in_a_turn(db: Database) -> None:
    with pytest.raises(RuntimeError, match="already open"):
        async with db.turn(), db.read():
            pass
