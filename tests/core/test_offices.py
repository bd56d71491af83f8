"""The firm's offices are admin-filled data: users see what is filled, validate notes the gaps."""

from __future__ import annotations

import shutil
from pathlib import Path

from dialogs.engine import ChatEngine
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase, load_knowledge
from knowledge.loader import DEFAULT_DIR
from knowledge.stale import unfilled_offices


def test_the_contacts_show_what_is_filled_and_validate_notes_the_rest(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(DEFAULT_DIR, base)
    meta = base / "meta.yaml"
    text = meta.read_text(encoding="utf-8")
    first = ('  - address: {ru: "пр. Достык, 52/2", kk: "Достық даңғылы, 52/2", '
             'en: "52/2 Dostyk Avenue"}')
    filled = text.replace(first, first + '\n    city: {ru: "Алматы", kk: "Алматы", en: "Almaty"}'
                          '\n    phone: "+7 727 000 00 00"', 1)
    assert filled != text
    meta.write_text(filled, encoding="utf-8")
    kb = load_knowledge(base)
    chat = ChatDriver(ChatEngine(kb), "en")
    chat.send("/menu")
    chat.press("Talk to a consultant")
    shown = chat.text()
    assert "52/2 Dostyk Avenue, Almaty · +7 727 000 00 00" in shown
    assert "16 Nazhimedenov Street\n" in shown + "\n"  # not filled: the address alone
    notes = unfilled_offices(kb)
    assert not any("Достык" in line for line in notes)
    assert any(line.startswith("office 2 (ул. Нажимеденова, 16): no city, no phone")
               for line in notes)


def test_the_shipped_offices_invent_nothing(kb: KnowledgeBase) -> None:
    # The guide gives street addresses only: no phone may appear until an admin fills it in.
    assert all(office.phone is None and office.email is None for office in kb.meta.offices)
