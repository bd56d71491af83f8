"""Start links that open an interview in a language with answers already filled in.

Consultants send clients ``https://t.me/<bot>?start=<payload>``. Telegram allows at most 64
characters of ``A-Za-z0-9_-`` in the payload, so answers are packed, not spelt out:

    i-<flow>-<lang>-<answers>-<check>

* ``answers`` has one character per fact the flow records (facts in alphabetical order): the
  chosen option's position among that fact's options (alphabetical), in base 36, or ``_`` for
  "not answered";
* ``check`` is two base-36 characters of a CRC of the flow's facts and options, so a link made
  for an older knowledge base whose questions changed is refused instead of misread.

Usage::

    payload = encode_link(kb, "employer", "kk", {"citizenship_group": "other"})
    decode_link(kb, payload)   # -> LinkTarget(flow="employer", lang="kk", answers={...}) or None
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from knowledge.model import KnowledgeBase

PREFIX = "i"
PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
LANGS = ("ru", "kk", "en")


class LinkError(ValueError):
    """The requested link cannot be made (unknown flow, fact or answer, or too long)."""


@dataclass(frozen=True)
class LinkTarget:
    flow: str
    lang: str
    answers: dict[str, str]


def flow_facts(kb: KnowledgeBase, flow_id: str) -> dict[str, list[str]]:
    """Fact name → its possible answers (sorted), for every question of the flow."""
    facts: dict[str, set[str]] = {}
    for node in kb.flows[flow_id].nodes.values():
        if node.type == "question" and node.fact:
            facts.setdefault(node.fact, set()).update(o.id for o in node.options)
    return {fact: sorted(options) for fact, options in sorted(facts.items())}


def _check(facts: dict[str, list[str]]) -> str:
    text = ";".join(f"{fact}={','.join(options)}" for fact, options in facts.items())
    value = zlib.crc32(text.encode()) % (36 * 36)
    return DIGITS[value // 36] + DIGITS[value % 36]


def encode_link(kb: KnowledgeBase, flow: str, lang: str, answers: dict[str, str]) -> str:
    if flow not in kb.flows:
        raise LinkError(f"unknown flow '{flow}'; flows: {', '.join(kb.flows)}")
    if lang not in LANGS:
        raise LinkError(f"unknown language '{lang}'; use ru, kk or en")
    facts = flow_facts(kb, flow)
    packed = []
    for fact, options in facts.items():
        value = answers.get(fact)
        if value is None:
            packed.append("_")
        elif value not in options:
            raise LinkError(f"'{value}' is not an answer to '{fact}'; answers: "
                            f"{', '.join(options)}")
        elif options.index(value) >= len(DIGITS):
            raise LinkError(f"'{fact}' has too many answers to pack into a link")
        else:
            packed.append(DIGITS[options.index(value)])
    unknown = sorted(set(answers) - set(facts))
    if unknown:
        raise LinkError(f"the {flow} interview does not ask {', '.join(unknown)}; facts: "
                        f"{', '.join(facts)}")
    payload = "-".join((PREFIX, flow, lang, "".join(packed).rstrip("_") or "_", _check(facts)))
    if not PAYLOAD.match(payload):
        raise LinkError(f"the link would be {len(payload)} characters; Telegram allows 64")
    return payload


def decode_link(kb: KnowledgeBase, payload: str) -> LinkTarget | None:
    """The target of a consultant's link, or None for anything malformed or outdated."""
    if not PAYLOAD.match(payload or ""):
        return None
    parts = payload.split("-")
    if len(parts) != 5 or parts[0] != PREFIX:
        return None
    _, flow, lang, packed, check = parts
    if flow not in kb.flows or lang not in LANGS:
        return None
    facts = flow_facts(kb, flow)
    if check != _check(facts) or len(packed) > len(facts):
        return None
    answers: dict[str, str] = {}
    for char, (fact, options) in zip(packed, facts.items(), strict=False):
        if char == "_":
            continue
        index = DIGITS.find(char)
        if not 0 <= index < len(options):
            return None
        answers[fact] = options[index]
    return LinkTarget(flow, lang, answers)
