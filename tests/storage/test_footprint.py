"""Per-user footprint: a typical active user must cost at most 4 KB on disk.

The full benchmark (100,000 users) belongs to bench/; this test keeps the schema honest with
1,000 users carrying a realistic amount of state each.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.storage import Database

USERS = 1000
BUDGET_BYTES = 4096


def _session(user_id: int) -> dict[str, object]:
    # A worker interview midway: a dozen answers and the path taken, as the engine might keep.
    answers = {f"q{i}": f"ответ_{i % 4}" for i in range(12)}
    return {
        "flow": "worker",
        "node": "q12",
        "lang": "ru",
        "answers": answers,
        "history": [f"q{i}" for i in range(12)],
        "started": 1764061200 + user_id,
    }


async def test_typical_user_fits_in_four_kilobytes(tmp_path: Path) -> None:
    path = tmp_path / "footprint.sqlite3"
    db = await Database.open(path)
    try:
        for batch in range(0, USERS, 250):
            async with db.transaction() as tx:
                for user_id in range(batch, batch + 250):
                    await tx.users.touch(user_id)
                    await tx.users.set_language(user_id, "ru")
                    await tx.sessions.save(user_id, _session(user_id), "2026-11-25")
                    for doc in range(8):
                        await tx.checklists.set_done(user_id, "work_permit", f"doc_{doc}")
                    for step in range(15):
                        await tx.events.add("answer", user_id=user_id, data={"n": f"q{step}"})
                    await tx.reminders.add(
                        user_id, "deadline", db._clock() + timedelta(days=10), {"fact": "wp_ext"}
                    )
                    await tx.share_codes.create(
                        {"route": "work_permit", "answers": {"q1": "UZ"}},
                        ttl=timedelta(days=30),
                        user_id=user_id,
                    )
                    await tx.unanswered.add("как продлить разрешение", "ru", user_id=user_id)
        await db._sql.run("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        await db.close()
    per_user = path.stat().st_size / USERS
    print(f"footprint: {per_user:.0f} bytes per user")  # shown with pytest -s
    assert per_user <= BUDGET_BYTES
