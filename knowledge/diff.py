"""What changed between two knowledge bases, by section and id (for ``/reload``'s report).

Usage::

    changes = diff(old_kb, new_kb)      # [SectionChange(section, added, removed, changed), ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from knowledge.model import KnowledgeBase
from knowledge.problems import Problem

SECTIONS = ("routes", "flows", "faq", "documents", "facts")


@dataclass(frozen=True)
class SectionChange:
    section: str
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class ReloadOutcome:
    old_version: str
    new_version: str | None  # None when the reload was refused
    problems: list[Problem] = field(default_factory=list)
    changes: list[SectionChange] = field(default_factory=list)


def _items(kb: KnowledgeBase, section: str) -> dict[str, Any]:
    return dict(kb.faq_by_id) if section == "faq" else dict(getattr(kb, section))


def diff(old: KnowledgeBase, new: KnowledgeBase) -> list[SectionChange]:
    """What changed per section, by id (a changed entry is one whose content differs)."""
    changes = []
    for section in SECTIONS:
        before, after = _items(old, section), _items(new, section)
        changes.append(SectionChange(
            section,
            added=sorted(set(after) - set(before)),
            removed=sorted(set(before) - set(after)),
            changed=sorted(key for key in set(before) & set(after) if before[key] != after[key]),
        ))
    return changes
