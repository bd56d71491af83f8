"""The YAML knowledge base: its schema, loader and validator.

Usage::

    from knowledge import load_knowledge
    kb = load_knowledge()          # raises KnowledgeError listing every problem
    print(kb.version, len(kb.faq))

Admins: see knowledge/README.md.
"""

from knowledge.loader import DEFAULT_DIR, check_knowledge, load_knowledge
from knowledge.model import KnowledgeBase
from knowledge.problems import KnowledgeError, Problem

__all__ = [
    "DEFAULT_DIR",
    "KnowledgeBase",
    "KnowledgeError",
    "Problem",
    "check_knowledge",
    "load_knowledge",
]
