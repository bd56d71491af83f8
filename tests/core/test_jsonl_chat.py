"""``python -m bot chat --jsonl`` as a script drives it: a worker interview from /start to an
outcome in each language, with Back and Change answer, and bad input lines that do not end the
session."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
KB = load_knowledge()


class JsonlChat:
    def __init__(self, lang: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--jsonl", "--lang", lang],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )

    def send(self, line: str) -> list[dict]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        out = []
        while True:
            raw = self.process.stdout.readline()
            assert raw, "the chat process ended unexpectedly"
            obj = json.loads(raw)
            if obj["type"] == "ready":
                return out
            out.append(obj)

    def text(self, payload: dict) -> list[dict]:
        return self.send(json.dumps(payload, ensure_ascii=False))

    def close(self) -> int:
        assert self.process.stdin
        self.process.stdin.close()
        return self.process.wait(timeout=10)


def buttons(messages: list[dict]) -> dict[str, str]:
    return {b["id"]: b["label"] for m in messages for row in m["buttons"] for b in row}


def joined(messages: list[dict]) -> str:
    return "\n".join(m["text"] for m in messages)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_worker_interview_with_back_and_change(lang: str) -> None:
    flow = KB.flows["worker"]
    chat = JsonlChat(lang)
    try:
        menu = chat.text({"text": "/start"})
        assert "m:worker" in buttons(menu)
        question = chat.text({"press": "m:worker"})
        assert KB.text(flow.nodes["citizenship"].text, lang).split("\n")[0] in joined(question)
        chat.text({"press": "a:citizenship:other"})
        chat.text({"press": "a:status:none"})
        # Back returns to the previous question, and the previous answer is marked.
        back = chat.text({"press": "b"})
        assert any(label.startswith("✓ ") for label in buttons(back).values())
        chat.text({"press": "a:status:none"})
        chat.text({"press": "a:activity:employee"})
        chat.text({"press": "a:category:cat4"})
        result = chat.text({"press": "a:family:none"})
        text = joined(result)
        assert KB.text(KB.routes["work_permit"].title, lang) in text
        first_step = next(s for s in KB.routes["work_permit"].steps
                          if s.who in (None, "both", "worker"))  # the worker's first step
        assert KB.text(first_step.text, lang).split()[0] in text
        assert len(result) == 1 and len(text) <= 1000  # one phone-sized message, then sections
        assert {"ck", "o:steps", "o:all"} <= set(buttons(result))
        # Change the citizenship answer from the summary: the EAEU route, no new questions.
        summary = chat.text({"press": "s"})
        assert "c:citizenship" in buttons(summary)
        chat.text({"press": "c:citizenship"})
        changed = chat.text({"press": "a:citizenship:eaeu"})
        assert KB.text(KB.routes["eaeu"].title, lang) in joined(changed)
        # A bad line gets an error object and the session goes on.
        assert chat.send("{not json")[0]["type"] == "error"
        assert chat.send('{"press": 5}')[0]["type"] == "error"
        assert chat.send('{"text": "a", "press": "b"}')[0]["type"] == "error"
        assert chat.text({"press": "s"})[0]["type"] == "message"
    finally:
        assert chat.close() == 0


def test_checklist_reminders_and_forget_over_json_lines() -> None:
    """The screens that read what is stored about a user work in the JSON-lines chat too."""
    chat = JsonlChat("en")
    try:
        chat.text({"text": "/start"})
        for press in ("m:worker", "a:citizenship:other", "a:status:none",
                      "a:activity:employee", "a:category:cat4", "a:family:none"):
            chat.text({"press": press})
        sheet = chat.text({"text": "/checklist"})
        toggles = [i for i in buttons(sheet) if i.startswith("ck:")]
        assert toggles and "0 of " in joined(sheet)
        ticked = chat.text({"press": toggles[0]})
        assert "1 of " in joined(ticked) and buttons(ticked)[toggles[0]].startswith("✅")
        assert "My reminders" in joined(chat.text({"text": "/reminders"}))
        question = chat.text({"text": "/forget"})
        assert "fg:yes" in buttons(question)
        assert "deleted" in joined(chat.text({"press": "fg:yes"}))
        # everything is gone: no route, so no checklist; a second fg:yes is out of date
        assert not [i for i in buttons(chat.text({"text": "/checklist"})) if i.startswith("ck")]
        assert "deleted" not in joined(chat.text({"press": "fg:yes"}))
    finally:
        assert chat.close() == 0
