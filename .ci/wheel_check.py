"""CI: the wheel as a user gets it, away from the checkout.

Builds the wheel with the locked build tools (run this with the project's .venv python, which
has them), checks that it carries the knowledge base and the compiled catalogues, installs it
with its locked dependencies into a new virtual environment outside the repository, and from a
folder outside the repository runs ``kzwork --version``, ``kzwork validate`` and a short chat in
Kazakh and in Russian. Exits non-zero with one line naming the first thing that is wrong.

Usage::

    .venv/bin/python .ci/wheel_check.py        # `make wheel-check`
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import tomllib
import venv
import zipfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "kk", "en")


class CheckFailed(Exception):
    pass


def run(*args: object, cwd: Path, env: dict[str, str] | None = None, stdin: str = "") -> str:
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, input=stdin, text=True,
                          capture_output=True, timeout=600, check=False)
    if done.returncode != 0:
        raise CheckFailed(f"{' '.join(map(str, args))} exited {done.returncode}: "
                          f"{(done.stderr or done.stdout).strip()[-2000:]}")
    return done.stdout


def check_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    wanted = ["knowledge/base/meta.yaml", "knowledge/README.md",
              *(f"dialogs/locales/{lang}/LC_MESSAGES/messages.mo" for lang in LANGUAGES)]
    missing = [name for name in wanted if name not in names]
    if missing:
        raise CheckFailed(f"{wheel.name} lacks {', '.join(missing)}")
    strays = sorted(n for n in names if n.startswith(("tests/", "bench/", "locales/")))
    if strays:
        raise CheckFailed(f"{wheel.name} carries files that are not the product: {strays[:3]}")


def translated(lang: str, msgid: str) -> str:
    with (ROOT / "locales" / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        message = read_po(handle, locale=lang).get(msgid)
    if message is None or not message.string:
        raise CheckFailed(f"{msgid!r} has no {lang} translation in the catalogue")
    return str(message.string)


def chat(kzwork: Path, lang: str, cwd: Path, env: dict[str, str]) -> None:
    """/start, then the worker interview's first question, through ``kzwork chat --jsonl``."""
    lines = [json.dumps({"text": "/start"}), json.dumps({"press": "m:worker"})]
    out = run(kzwork, "chat", "--jsonl", "--lang", lang, cwd=cwd, env=env,
              stdin="\n".join(lines) + "\n")
    replies = [json.loads(line) for line in out.splitlines()]
    errors = [r for r in replies if r["type"] == "error"]
    messages = [r for r in replies if r["type"] == "message"]
    if errors or len(messages) < 2:
        raise CheckFailed(f"chat in {lang}: {errors or replies}")
    labels = {b["label"] for m in messages for row in m["buttons"] for b in row}
    expected = translated(lang, "Ask a question")  # an interface string: it comes from the .mo
    if expected not in labels:
        raise CheckFailed(f"chat in {lang}: no {expected!r} button (English catalogue?): "
                          f"{sorted(labels)}")


def main() -> int:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    with tempfile.TemporaryDirectory(prefix="kzwork-wheel-") as tmp_name:
        tmp = Path(tmp_name)
        run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-build-isolation", "--no-deps",
            "-w", tmp / "dist", ROOT, cwd=ROOT)
        (wheel,) = (tmp / "dist").glob("kzwork-*.whl")
        check_contents(wheel)
        venv.create(tmp / "venv", with_pip=True)
        python = tmp / "venv" / "bin" / "python"
        run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
            "-c", ROOT / "requirements.lock", wheel, cwd=tmp)
        kzwork = tmp / "venv" / "bin" / "kzwork"
        # Outside the checkout, with nothing of it on the path and no settings of the machine.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("BOT_", "TELEGRAM_", "PYTHON", "VIRTUAL_ENV"))}
        env["BOT_ENV_FILE"] = os.devnull
        home = tmp / "home"
        home.mkdir()
        shown = run(kzwork, "--version", cwd=home, env=env).strip()
        if shown != f"kzwork {version}":
            raise CheckFailed(f"kzwork --version says {shown!r}, not 'kzwork {version}'")
        run(kzwork, "validate", cwd=home, env=env)
        for lang in ("kk", "ru"):
            chat(kzwork, lang, home, env)
        print(f"wheel check: {wheel.name} installs outside the checkout; --version, validate "
              "and chat in kk and ru work")
    return 0


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except CheckFailed as failure:
        print(f"wheel check failed: {failure}", file=sys.stderr)
        raise SystemExit(1) from None
