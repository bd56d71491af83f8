"""``python -m bot stats`` and ``python -m bot unanswered``: the reports over a database filled
here, drop-off by the last question answered, the YAML export, and a missing database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from bot import cli, stats
from bot.storage import Database

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=40)


async def _fill(path: Path) -> None:
    async with await Database.open(path) as db, db.transaction() as tx:
        for user_id, lang in ((1, "ru"), (2, "kk"), (3, "en")):
            await tx.users.set_language(user_id, lang, at=OLD)
        await tx.users.touch(1, at=NOW)
        # user 1 finished the worker interview
        await tx.events.add("flow_started", user_id=1, data={"flow": "worker"}, at=OLD)
        await tx.events.add("answered", user_id=1, data={"flow": "worker", "node": "citizenship",
                                                        "option": "eaeu"}, at=OLD)
        await tx.events.add("flow_finished", user_id=1, data={"flow": "worker", "route": "eaeu"},
                            at=OLD)
        # user 2 stopped after the citizenship question 40 days ago, then restarted and
        # stopped before answering anything, also long ago
        await tx.events.add("flow_started", user_id=2, data={"flow": "worker"}, at=OLD)
        await tx.events.add("answered", user_id=2, data={"flow": "worker", "node": "citizenship",
                                                        "option": "other"}, at=OLD)
        await tx.events.add("flow_started", user_id=2, data={"flow": "employer"}, at=OLD)
        # user 3 is answering right now
        await tx.events.add("flow_started", user_id=3, data={"flow": "worker"}, at=NOW)
        for _ in range(2):
            await tx.events.add("faq_answered", user_id=3, data={"faq": "arrival_notice",
                                                                "how": "text", "score": 80.5})
        await tx.events.add("faq_answered", user_id=1, data={"faq": "arrival_notice",
                                                            "how": "button"})
        for user_id in (1, 2):
            await tx.unanswered.add("Можно ли платить налоги криптой?", "ru", user_id=user_id)
        await tx.unanswered.add("old question", "en", user_id=3, at=NOW - timedelta(days=60))


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "bot.sqlite3"
    asyncio.run(_fill(path))
    for name in ("TELEGRAM_BOT_TOKEN", "BOT_KNOWLEDGE_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_DB_PATH", str(path))
    return path


async def test_collect_counts_and_dropoff(database: Path) -> None:
    async with await Database.open(database) as db:
        figures = await stats.collect(db)
    assert figures.users_total == 3 and figures.by_language == {"ru": 1, "kk": 1, "en": 1}
    assert figures.active_7 == 1 and figures.active_30 == 1
    assert figures.started == {"worker": 3, "employer": 1}
    assert figures.finished == {"worker": 1} and figures.routes == {"eaeu": 1}
    assert figures.dropoff == {("worker", "citizenship"): 1, ("employer", ""): 1}
    assert figures.in_progress == 1
    assert figures.faq == {"arrival_notice": 3}
    assert figures.unanswered_total == 3 and figures.unanswered_30 == 2


def test_stats_command(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["stats"]) == 0
    out = capsys.readouterr().out
    assert "Users: 3 (blocked the bot: 0)" in out
    assert "Active in the last 7 days: 1; in the last 30 days: 1" in out
    assert "started 3, finished 1" in out
    assert "before the first answer: 1" in out and "after “" in out
    assert "Unanswered questions: 3 (2 in the last 30 days)." in out


@pytest.mark.slow
def test_unanswered_command_and_export(database: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "drafts.yaml"
    assert cli.main(["unanswered", "--export", str(target)]) == 0
    out = capsys.readouterr().out
    assert "2 👤 [ru] Можно ли платить налоги криптой?" in out
    drafts = yaml.safe_load(target.read_text(encoding="utf-8"))["faq"]
    assert [d["id"] for d in drafts] == ["new_1", "new_2"]
    assert drafts[0]["questions"]["ru"] == ["Можно ли платить налоги криптой?"]
    assert drafts[1]["questions"]["en"] == ["old question"]
    assert all(d["answer"] == {"ru": "", "kk": "", "en": ""} for d in drafts)
    assert cli.main(["unanswered", "--export", "-", "--limit", "1"]) == 0
    assert yaml.safe_load(capsys.readouterr().out)["faq"][0]["id"] == "new_1"


def test_missing_database_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BOT_DB_PATH", str(tmp_path / "nothing.sqlite3"))
    assert cli.main(["stats"]) == 2
    assert "no database at" in capsys.readouterr().err
    assert not (tmp_path / "nothing.sqlite3").exists()
