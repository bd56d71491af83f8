"""Consultant links (/start payloads with answers filled in) and shared results."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dialogs.engine import ChatEngine
from dialogs.links import LinkError, decode_link, encode_link, flow_facts
from dialogs.testing import ChatDriver
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)
ROOT = Path(__file__).resolve().parents[2]


def test_round_trip_for_every_single_answer_of_every_flow() -> None:
    for flow in KB.flows:
        for fact, options in flow_facts(KB, flow).items():
            for option in options:
                payload = encode_link(KB, flow, "kk", {fact: option})
                assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
                assert decode_link(KB, payload).answers == {fact: option}


def test_a_link_opens_the_interview_in_kazakh_for_an_english_user_with_answers() -> None:
    payload = encode_link(KB, "employer", "kk", {"employer_type": "company",
                                                  "citizenship_group": "other"})
    chat = ChatDriver(ENGINE, lang="en")
    chat.send(f"/start {payload}")
    assert chat.session.lang == "kk"
    assert chat.session.dialog.flow == "employer"
    assert chat.session.dialog.answers == {"employer_type": "company",
                                           "citizenship_group": "other"}
    assert chat.session.dialog.node not in ("registered", KB.flows["employer"].start)


@pytest.mark.parametrize("payload", ["i-employer-kk-_11-zz", "i-nope-kk-1-aa", "i-employer-de-1-aa",
                                     "i-employer-kk-9999999999999999-l0", "x" * 65, "i--", ""])
def test_a_bad_or_outdated_link_is_a_normal_start_with_a_note(payload: str) -> None:
    assert decode_link(KB, payload) is None
    chat = ChatDriver(ENGINE, lang="en")
    chat.send(f"/start {payload}".strip())
    assert chat.session.dialog is None


@pytest.mark.parametrize(("answers", "message"), [
    ({"pets": "cat"}, "does not ask pets"),
    ({"family": "grandma"}, "'grandma' is not an answer to 'family'"),
])
def test_link_errors_are_precise(answers: dict, message: str) -> None:
    with pytest.raises(LinkError, match=message):
        encode_link(KB, "worker", "ru", answers)


@pytest.mark.slow
def test_the_link_command() -> None:
    env = {**os.environ, "BOT_USERNAME": "kzwork_bot"}
    env.pop("TELEGRAM_BOT_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot", "link", "--lang", "kk", "--flow", "employer",
         "--answer", "citizenship_group=other"], cwd=ROOT, env=env, capture_output=True,
        text=True, check=False)
    assert result.returncode == 0, result.stderr
    link = result.stdout.strip()
    assert link.startswith("https://t.me/kzwork_bot?start=i-employer-kk-")
    target = decode_link(KB, link.split("start=")[1])
    assert target.answers == {"citizenship_group": "other"}
    bad = subprocess.run(
        [sys.executable, "-m", "bot", "link", "--flow", "employer", "--answer", "x"], cwd=ROOT,
        env=env, capture_output=True, text=True, check=False)
    assert bad.returncode == 2 and "FACT=VALUE" in bad.stderr


def test_share_gives_a_self_contained_message_and_an_event() -> None:
    chat = ChatDriver(ENGINE, lang="en")
    chat.send("/start")
    chat.press_id("m:worker")
    chat.press_id("a:citizenship:eaeu")
    chat.press_id("a:family:none")
    reply = chat.press("Share")
    text = chat.text()
    assert KB.text(KB.routes["eaeu"].title, "en") in text
    assert "Answers" in text and "What to do next" in text
    assert f"knowledge base {KB.version}" in text
    event = next(e for e in reply.events if e.kind == "share_requested")
    assert event.data == {"flow": "worker", "answers": chat.session.dialog.answers, "lang": "en"}


def test_open_answers_shows_the_same_result() -> None:
    chat = ChatDriver(ENGINE, lang="ru")
    reply = ENGINE.open_answers(chat.session, "worker", {"citizenship_group": "eaeu",
                                                        "family": "none"}, "en")
    assert chat.session.last_route == "eaeu"
    assert KB.text(KB.routes["eaeu"].title, "en") in reply.messages[0].text
