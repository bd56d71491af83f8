"""Each claim of SECURITY.md, checked against the real code (the Telegram Application in-process,
the storage, the logging set-up)."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage import PERSONAL_TABLES, Database
from bot.telegram.application import SERVICE_KEY
from bot.telegram.logsafe import configure_logging
from dialogs.buttons import decode
from dialogs.engine import ChatEngine
from tests.fakeapi.markup import render_text
from tests.hardening.telegram_rig import TelegramRig, replies_to

ROOT = Path(__file__).resolve().parents[2]
SECURITY = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
ADMIN = 4242
CONSULTANTS = -1009988
UNKNOWN = "I don't know the command"
OUT_OF_DATE = "out of date"


@pytest.fixture
def rig(engine: ChatEngine, tmp_path: Path) -> Iterator[TelegramRig]:
    with TelegramRig(tmp_path, engine, admin_ids=frozenset({ADMIN}),
                     consultant_chat_id=CONSULTANTS) as the_rig:
        yield the_rig


def shown(calls: list, chat_id: int) -> str:
    return "\n".join(render_text(c.text, "HTML") for c in replies_to(calls, chat_id))


def buttons(calls: list, chat_id: int) -> list[str]:
    return [b.get("callback_data", "") for c in replies_to(calls, chat_id)
            for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def finish_interview(rig: TelegramRig, user_id: int) -> list:
    """/start, the worker interview with the first answer each time, up to the outcome."""
    rig.text(user_id, "/start")
    calls = rig.press(user_id, "m:worker")
    for _ in range(30):
        answers = [d for d in buttons(calls, user_id) if d.startswith("a:")]
        if not answers:
            return calls
        calls = rig.press(user_id, answers[0])
    raise AssertionError("the interview did not end")


def rows_mentioning(path: Path, user_id: int) -> dict[str, int]:
    """Rows of every table (not only PERSONAL_TABLES) with the id in any column."""
    connection = sqlite3.connect(path)
    try:
        found = {}
        tables = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
            where = " OR ".join(f"{c} = ? OR CAST({c} AS TEXT) LIKE ?" for c in columns)
            params = [p for _ in columns for p in (user_id, f"%{user_id}%")]
            count = connection.execute(f"SELECT count(*) FROM {table} WHERE {where}",
                                       params).fetchone()[0]
            if count:
                found[table] = count
        return found
    finally:
        connection.close()


# ---- what is stored --------------------------------------------------------------------------


async def test_every_table_and_column_is_documented(tmp_path: Path) -> None:
    path = tmp_path / "schema.sqlite3"
    await (await Database.open(path)).close()
    connection = sqlite3.connect(path)
    tables = [r[0] for r in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in connection.execute(f"PRAGMA table_info({table})")]
        assert "user_id" in columns and table in PERSONAL_TABLES, table
        for column in columns:
            assert f"`{table}.{column}`" in SECURITY, f"{table}.{column} is not in SECURITY.md"
    connection.close()
    documented = set(re.findall(r"^\| `(\w+)` \|", SECURITY, re.MULTILINE))
    assert documented == set(tables)


# ---- for how long ------------------------------------------------------------------------------


async def test_share_codes_expire(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "share.sqlite3")
    try:
        async with db.transaction() as tx:
            code = await tx.share_codes.create({"flow": "worker"}, ttl=timedelta(days=30),
                                               user_id=7)
        async with db.read() as r:
            assert await r.share_codes.get(code.code) is not None
            later = code.expires_at + timedelta(seconds=1)
            assert await r.share_codes.get(code.code, at=later) is None
    finally:
        await db.close()
    assert len(code.code) >= 16  # 96 random bits, URL-safe


def test_a_shared_result_stores_answers_only(rig: TelegramRig) -> None:
    user_id = 501
    outcome = finish_interview(rig, user_id)
    assert "sh" in buttons(outcome, user_id)
    rig.press(user_id, "sh")
    connection = sqlite3.connect(rig.db_path)
    payloads = [r[0] for r in connection.execute("SELECT payload FROM share_codes")]
    connection.close()
    assert payloads
    for payload in payloads:
        assert set(json.loads(payload)) <= {"flow", "answers", "lang", "kb_version"}
        assert str(user_id) not in payload


def test_a_pending_handoff_stage_expires(rig: TelegramRig) -> None:
    def ask_then_give_contact(user_id: int, backdate: bool) -> int:
        rig.text(user_id, "/start")
        rig.press(user_id, "contact")
        rig.press(user_id, "ho:yes")
        if backdate:  # 31 minutes pass between the consent and the contact
            rig.run(rig.database._sql.run(
                "UPDATE sessions SET state = json_set(state, '$.awaiting_at', "
                "json_extract(state, '$.awaiting_at') - 1860) WHERE user_id = ?", (user_id,)))
            rig.app.bot_data["service"].recent.drop(user_id)  # read the stored session again
        rig.text(user_id, "+7 701 123 45 67")
        connection = sqlite3.connect(rig.db_path)
        try:
            return connection.execute("SELECT count(*) FROM handoffs WHERE user_id = ?",
                                      (user_id,)).fetchone()[0]
        finally:
            connection.close()

    assert ask_then_give_contact(601, backdate=False) == 1
    assert ask_then_give_contact(602, backdate=True) == 0


# ---- who can see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["/stats", "/unanswered", "/reload"])
def test_non_admins_get_the_unknown_command_reply(rig: TelegramRig, command: str) -> None:
    calls = rig.text(700, command)
    assert UNKNOWN in shown(calls, 700)
    assert all(c.chat_id == 700 for c in replies_to(calls, 700))


def test_admin_commands_work_only_for_admins_in_private(rig: TelegramRig) -> None:
    rig.text(701, "how long is a work permit valid?")
    calls = rig.text(ADMIN, "/stats")
    assert UNKNOWN not in shown(calls, ADMIN) and shown(calls, ADMIN)
    calls = rig.text(ADMIN, "/unanswered")
    assert UNKNOWN not in shown(calls, ADMIN) and shown(calls, ADMIN)
    in_group = rig.message(ADMIN, "/stats@kzwork_bench_bot")
    in_group["chat"] = {"id": -4001, "type": "supergroup", "title": "office"}
    calls = rig.feed({"message": in_group})
    assert UNKNOWN in shown(calls, -4001)


def test_nothing_goes_to_the_consultants_without_consent(rig: TelegramRig) -> None:
    user_id = 801
    finish_interview(rig, user_id)
    calls = rig.press(user_id, "contact")
    assert {"ho:yes", "ho:no"} <= set(buttons(calls, user_id))  # consent asked first
    calls += rig.press(user_id, "ho:no")
    calls += rig.text(user_id, "+7 701 123 45 67")
    assert replies_to(rig.calls, CONSULTANTS) == []
    # With consent and a contact, the card goes out (so the check above could fail).
    rig.press(user_id, "contact")
    rig.press(user_id, "ho:yes")
    rig.text(user_id, "+7 701 123 45 67")
    assert replies_to(rig.calls, CONSULTANTS)


# ---- /forget -----------------------------------------------------------------------------------


def test_forget_asks_first(rig: TelegramRig) -> None:
    user_id = 901
    finish_interview(rig, user_id)
    calls = rig.text(user_id, "/forget")
    assert {"fg:yes", "fg:no"} <= set(buttons(calls, user_id))
    rig.press(user_id, "fg:no")
    assert rows_mentioning(rig.db_path, user_id).get("sessions") == 1


def test_forget_leaves_no_trace_of_the_user(rig: TelegramRig) -> None:
    user_id = 902_345_678_901  # long, so a partial match in a text column would be telling
    outcome = finish_interview(rig, user_id)
    rig.press(user_id, "ck")
    ticks = [d for d in buttons(rig.press(user_id, "ck"), user_id) if d.startswith("ck:")]
    rig.press(user_id, ticks[0])
    if "sh" in buttons(outcome, user_id):
        rig.press(user_id, "sh")
    rig.text(user_id, "how long is a work permit valid?")
    rig.text(user_id, "qwzx blorf")  # unanswered
    rig.press(user_id, "contact")
    rig.press(user_id, "ho:yes")
    rig.text(user_id, "+7 701 123 45 67")  # a hand-off
    rig.run(_add_reminder(rig.database, user_id))
    before = rows_mentioning(rig.db_path, user_id)
    assert {"users", "sessions", "events", "checklists", "unanswered", "handoffs",
            "reminders"} <= set(before), before
    rig.text(user_id, "/forget")
    calls = rig.press(user_id, "fg:yes")
    assert "deleted" in shown(calls, user_id)
    assert rows_mentioning(rig.db_path, user_id) == {}
    service = rig.app.bot_data[SERVICE_KEY]
    assert service.recent.get(user_id) is None  # nor in the memory of recent sessions


async def _add_reminder(db: Database, user_id: int) -> None:
    async with db.transaction() as tx:
        await tx.reminders.add(user_id, "deadline", db._clock() + timedelta(days=3), {"x": 1})


# ---- validation of buttons and links -------------------------------------------------------------


def test_oversize_and_forged_callback_data_is_refused(rig: TelegramRig) -> None:
    assert decode("a:citizenship:" + "x" * 51) is None  # 65 bytes
    assert decode("a:citizenship:" + "x" * 50) is not None  # 64 bytes: well-formed (then stale)
    assert decode("a:citizenship:eaeu") is not None
    user_id = 1001
    rig.text(user_id, "/start")
    rig.press(user_id, "m:worker")

    def dialog() -> object:
        connection = sqlite3.connect(rig.db_path)
        try:
            return connection.execute("SELECT json_extract(state, '$.dialog') FROM sessions "
                                      "WHERE user_id = ?", (user_id,)).fetchone()
        finally:
            connection.close()

    before = dialog()
    for data in ("a:citizenship:" + "x" * 51, "a:citizenship:ж" * 4, "a:../../etc:x",
                 "rc:999999", "ck:not_a_document", "ho:maybe", "fg:" + "y" * 61):
        calls = rig.press(user_id, data)
        rig.assert_clean(calls)
        assert OUT_OF_DATE in shown(calls, user_id), data
        assert dialog() == before, data
    # and every button the bot sent fits Telegram's 64 bytes (assert_clean checks each one)
    rig.assert_clean(rig.calls)


@pytest.mark.parametrize("payload", ["../../etc/passwd", "x" * 65, "<script>", "i-worker-xx-0-zz",
                                     "s_unknowncode", "s_", "i-" + "0" * 40])
def test_bad_start_payloads_get_the_normal_start(rig: TelegramRig, payload: str) -> None:
    calls = rig.text(1100, f"/start {payload}")
    rig.assert_clean(calls)
    text = shown(calls, 1100)
    assert "not valid or has expired" in text
    assert "m:worker" in buttons(calls, 1100)  # the normal start menu


# ---- secrets -------------------------------------------------------------------------------------


def test_the_token_never_reaches_the_log(rig: TelegramRig, capsys: pytest.CaptureFixture,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    root, httpx = logging.getLogger(), logging.getLogger("httpx")
    saved = root.handlers[:], root.level, httpx.level
    token = rig.settings.token
    try:
        configure_logging(type(rig.settings)(**{**rig.settings.__dict__, "log_level": "DEBUG"}))
        logging.getLogger("httpx").setLevel(logging.DEBUG)  # even a chatty library is masked
        logging.getLogger("test").warning("calling https://api.telegram.org/bot%s/getMe", token)

        def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError(f"request to /bot{token}/sendMessage failed")

        rig.text(1200, "/start")
        monkeypatch.setattr(rig.app.bot_data["service"].engine, "handle", broken)
        rig.text(1200, "/menu")
        rig.errors.clear()
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        httpx.setLevel(saved[2])
    log = capsys.readouterr().err
    assert "getMe" in log and "RuntimeError" in log  # the lines were written...
    assert token not in log and token.split(":")[1] not in log  # ...masked


def test_every_test_cited_by_security_md_exists() -> None:
    cited = set(re.findall(r"`(test_\w+)`", SECURITY))
    test_def = re.compile(r"^(?:async )?def (test_\w+)", re.MULTILINE)
    defined = {name for path in (ROOT / "tests").rglob("test_*.py")
               for name in test_def.findall(path.read_text(encoding="utf-8"))}
    assert len(cited) >= 10
    assert cited <= defined, sorted(cited - defined)
