"""The Telegram benchmark's simulated users really use the bot (so its figures mean something):
they finish interviews, tick checklists and ask questions, and the bot never fails on them."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

from bench.telegram_bench import InstantRequest, drive, make_users, our_application, start, stop
from dialogs.engine import ChatEngine


async def test_simulated_users_walk_the_whole_mix(engine: ChatEngine, tmp_path: Path) -> None:
    errors: list[BaseException] = []
    request = InstantRequest()
    application = our_application(tmp_path / "load.sqlite3", engine, request)

    async def record(update: object, context: object) -> None:
        errors.append(context.error)  # type: ignore[attr-defined]

    application.add_error_handler(record)
    await start(application)
    try:
        rng = random.Random(7)
        users = make_users(20, rng, first_id=1_000)
        result = await drive(application, request, users, 600, sorted(engine.kb.flows), rng)
    finally:
        await stop(application)
    assert not errors
    assert len(result.latencies_ms) == 600 and result.per_second > 0
    connection = sqlite3.connect(tmp_path / "load.sqlite3")
    kinds = dict(connection.execute("SELECT kind, count(*) FROM events GROUP BY kind").fetchall())
    ticks = connection.execute("SELECT count(*) FROM checklists").fetchone()[0]
    users_stored = connection.execute("SELECT count(*) FROM users").fetchone()[0]
    connection.close()
    assert users_stored == 20
    assert kinds.get("flow_started", 0) >= 20 and kinds.get("flow_finished", 0) >= 10, kinds
    assert kinds.get("answered", 0) >= 50, kinds
    assert ticks >= 5
    assert kinds.get("faq_answered", 0) >= 20, kinds  # typed questions were answered
    assert request.calls > 600  # every update sent something
