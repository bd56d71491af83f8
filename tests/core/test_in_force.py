"""Rules that change on a date: the version in force today is shown, the validator checks the
periods, and `validate` names the entries to read again once a date has passed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dialogs import outcome
from dialogs.engine import ChatEngine
from dialogs.testing import ChatDriver
from knowledge import check_knowledge, load_knowledge
from knowledge.stale import changed_since_review

DATED_ANSWER = """    answer:
      - until: 2026-06-30
        ru: Старое правило.
        kk: Ескі ереже.
        en: The old rule.
      - from: 2026-07-01
        ru: Новое правило.
        kk: Жаңа ереже.
        en: The new rule.
"""
DATED_STEP = """  - from: 2026-07-01
    text: {ru: Зарегистрироваться, kk: Тіркелу, en: Register within 30 days}
"""


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def dated_base(kb_copy: Path, answer: str = DATED_ANSWER) -> Path:
    edit(kb_copy / "faq" / "general.yaml", """    answer:
      ru: Обычно 12 месяцев.
      kk: Әдетте 12 ай.
      en: Usually 12 months.
""", answer)
    edit(kb_copy / "routes" / "permit.yaml", "fees:", DATED_STEP + "fees:")
    return kb_copy


def test_the_text_in_force_on_the_day_is_shown(kb_copy: Path) -> None:
    folder = dated_base(kb_copy)
    for day, expected, step_shown in ((dt.date(2026, 6, 30), "The old rule.", False),
                                      (dt.date(2026, 7, 1), "The new rule.", True)):
        kb = load_knowledge(folder, today=lambda day=day: day)
        chat = ChatDriver(ChatEngine(kb), lang="en")
        chat.send("How long is a work permit valid?")
        assert expected in chat.text()
        chat.send("/start")
        chat.press("I am a worker")
        chat.press_id("a:citizenship:other")
        chat.press_id("a:family:none")
        result = outcome.outcome_of(kb, chat.engine.walkers["worker"], chat.session.dialog)
        steps = [kb.text(s.text, "en") for s in result.steps]
        assert ("Register within 30 days" in steps) is step_shown, day


def test_a_gap_or_an_overlap_between_versions_is_reported_with_its_line(kb_copy: Path) -> None:
    folder = dated_base(kb_copy, DATED_ANSWER.replace("from: 2026-07-01", "from: 2026-07-05"))
    kb, problems = check_knowledge(folder)
    assert kb is None
    text = "\n".join(map(str, problems))
    assert "general.yaml" in text
    assert "the day after the previous version's until: 2026-06-30" in text


def test_validate_names_an_entry_whose_rule_changed_since_its_review(kb_copy: Path) -> None:
    kb = load_knowledge(dated_base(kb_copy))  # reviewed 2026-11-25, changed 2026-07-01
    lines = changed_since_review(kb, dt.date(2026, 12, 6))
    assert "faq wp_validity: a rule changed on 2026-07-01, reviewed 2026-11-25" not in lines
    assert changed_since_review(kb, dt.date(2026, 6, 1)) == []
    later = load_knowledge(dated_base_later(kb_copy))
    assert any(line.startswith("faq wp_validity: a rule changed on 2027-01-01")
               for line in changed_since_review(later, dt.date(2027, 2, 1)))


def dated_base_later(kb_copy: Path) -> Path:
    edit(kb_copy / "faq" / "general.yaml", "until: 2026-06-30", "until: 2026-12-31")
    edit(kb_copy / "faq" / "general.yaml", "from: 2026-07-01", "from: 2027-01-01")
    return kb_copy
