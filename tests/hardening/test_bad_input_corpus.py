"""The bad-input corpus (tests/hardening/corpus/): hostile and broken texts, button data and YAML
files. Every case gets a clear reply or a clear error; nothing crashes."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.console import run_jsonl
from dialogs.engine import ChatEngine
from knowledge import check_knowledge, load_knowledge

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = json.loads((HERE / "corpus" / "texts.json").read_text(encoding="utf-8"))["cases"]
YAML_CASES = sorted((HERE / "corpus" / "yaml").glob("*.yaml"))
FORGED = ["", " ", "a", "a:", "a::", "a:citizenship", "a:citizenship:", "a:citizenship:eaeu:x",
          "a:../../x:y", "a:citizenship:<b>", "c:", "c:" + "x" * 62, "m:", "m:worker:extra",
          "f:", "f:../etc", "l:", "l:xx", "l:RU", "menu:1", "x:1", "ck:zz", "😀", "\x00",
          "a:" + "я" * 30, "b" * 64, "b" * 65, "{}", "null", "a:citizenship:eaeu\n"]
ENGINE = ChatEngine(load_knowledge())


def run_lines(lines: list[str]) -> list[dict]:
    out = io.StringIO()
    run_jsonl(ENGINE, ENGINE.new_session("ru"), lines, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) + len(FORGED) + len(YAML_CASES) >= 100
    kinds = {case["kind"] for case in CASES}
    assert {"control", "rtl", "markup_injection", "sql_template_injection", "long"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[f"{c['kind']}-{i}" for i, c in enumerate(CASES)])
def test_each_text_gets_a_clear_reply(case: dict) -> None:
    output = run_lines([json.dumps({"text": case["text"]})])
    assert output[-1] == {"type": "ready"}
    messages = [o for o in output if o["type"] == "message"]
    assert messages, output
    assert all(m["text"].strip() for m in messages)


@pytest.mark.parametrize("data", FORGED)
def test_each_forged_button_says_out_of_date(data: str) -> None:
    output = run_lines([json.dumps({"text": "/start"}), json.dumps({"press": data})])
    after = output[output.index({"type": "ready"}) + 1:]
    text = "\n".join(o["text"] for o in after if o["type"] == "message")
    assert "устарело" in text or "устарел" in text or "out of date" in text, text


@pytest.mark.slow
def test_the_whole_corpus_through_the_real_jsonl_process() -> None:
    lines = [json.dumps({"text": c["text"]}) for c in CASES]
    lines += [json.dumps({"press": d}) for d in FORGED]
    lines += ["not json", "[1, 2]", '{"text": 5}', '{"other": "x"}', "\ud800".encode(
        "utf-8", "surrogatepass").decode("utf-8", "replace")]
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", "--jsonl", "--lang", "en"], cwd=ROOT,
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120,
        encoding="utf-8", check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    output = [json.loads(line) for line in result.stdout.splitlines()]
    assert sum(o["type"] == "ready" for o in output) == len(lines)
    assert sum(o["type"] == "error" for o in output) == 5


@pytest.mark.parametrize("bad", YAML_CASES, ids=[p.name for p in YAML_CASES])
def test_each_broken_yaml_file_gets_a_precise_error(bad: Path, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb_small", kb)
    target = kb / "faq" / bad.name
    shutil.copy(bad, target)
    loaded, problems = check_knowledge(kb)
    assert loaded is None
    mine = [p for p in problems if p.file.endswith(bad.name)]
    assert mine, problems
    for problem in mine:
        assert problem.line >= 1 and problem.message
        assert "Traceback" not in problem.message


def test_a_yaml_bomb_through_the_validator_command(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(ROOT / "tests" / "fixtures" / "kb_small", kb)
    shutil.copy(HERE / "corpus" / "yaml" / "bomb.yaml", kb / "faq" / "bomb.yaml")
    result = subprocess.run([sys.executable, "-m", "bot", "validate", str(kb)], cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1
    assert "aliases (*name) are not allowed" in result.stdout
    assert "Traceback" not in result.stderr
