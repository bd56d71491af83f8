"""The state of one user's conversation, serialisable to JSON for storage.

Storage keeps it as an opaque JSON document; :meth:`Session.from_json` never trusts it (a
corrupt or hand-edited row becomes a fresh session instead of an exception).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, get_args

from dialogs.i18n import LANGUAGES
from knowledge.schema import Side

AUDIENCES = get_args(Side)


@dataclass
class DialogState:
    """Where the user is in one interview."""

    flow: str
    node: str
    answers: dict[str, str] = field(default_factory=dict)  # fact -> option id
    history: list[str] = field(default_factory=list)  # nodes passed before `node`, in order
    kb_version: str = ""
    # The answer being changed, so the question can mark the current choice.
    changing: str | None = None
    # Answers given earlier to questions beyond the current one (after Back or "change"): they
    # are reused when the interview reaches those questions again, and dropped at the outcome.
    pending: dict[str, str] = field(default_factory=dict)
    # Answers filled in from what the user wrote (facts read from a message) and not confirmed
    # yet: the result is shown only after the user has seen them (#13).
    told: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Any) -> DialogState | None:
        if not isinstance(data, dict):
            return None
        try:
            state = cls(
                flow=str(data["flow"]),
                node=str(data["node"]),
                answers={str(k): str(v) for k, v in dict(data.get("answers") or {}).items()},
                history=[str(n) for n in list(data.get("history") or [])],
                kb_version=str(data.get("kb_version") or ""),
                changing=str(data["changing"]) if data.get("changing") else None,
                pending={str(k): str(v) for k, v in dict(data.get("pending") or {}).items()},
                told=[str(f) for f in list(data.get("told") or [])][:20],
            )
        except (KeyError, TypeError, ValueError):
            return None
        return state


@dataclass
class Session:
    """Everything the engine remembers about one user between messages."""

    lang: str = "ru"
    lang_chosen: bool = False  # the user picked a language (or a deep link set it)
    dialog: DialogState | None = None
    # The last route reached, for "documents" and the checklist after the interview ended.
    last_route: str | None = None
    # The side of the interview that reached it (worker or employer), for search.
    last_audience: str | None = None
    recent_questions: list[str] = field(default_factory=list)
    # A deadline calculator waiting for a typed date (arrival, fee, renewal, eaeu), if any.
    awaiting: str | None = None
    # When ``awaiting`` was set (seconds since the epoch), for the stages that expire (hand-off).
    awaiting_at: int | None = None
    # The last button pressed: a second tap on it that is out of date gets no second message.
    last_press: str | None = None
    # Facts read from the user's last message that "Check my case" would fill in:
    # {"flow": id, "answers": {fact: option}, "shown": {fact: country code}}.
    told: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        # Written out rather than dataclasses.asdict(): this runs twice per update, and asdict's
        # generic deep copy costs several times more.
        dialog = self.dialog
        return {
            "lang": self.lang,
            "lang_chosen": self.lang_chosen,
            "dialog": None if dialog is None else {
                "flow": dialog.flow,
                "node": dialog.node,
                "answers": dict(dialog.answers),
                "history": list(dialog.history),
                "kb_version": dialog.kb_version,
                "changing": dialog.changing,
                "pending": dict(dialog.pending),
                "told": list(dialog.told),
            },
            "last_route": self.last_route,
            "last_audience": self.last_audience,
            "recent_questions": list(self.recent_questions),
            "awaiting": self.awaiting,
            "awaiting_at": self.awaiting_at,
            "last_press": self.last_press,
            "told": self.told,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes | None, default_lang: str = "ru") -> Session:
        try:
            data = json.loads(text) if text else {}
        except (TypeError, ValueError):
            data = {}
        return cls.from_dict(data, default_lang)

    @classmethod
    def from_dict(cls, data: Any, default_lang: str = "ru") -> Session:
        """A session from stored data, never trusting it: anything malformed is dropped."""
        if not isinstance(data, dict):
            data = {}
        lang = data.get("lang")
        recent = data.get("recent_questions")
        awaiting = data.get("awaiting")
        last_press = data.get("last_press")
        awaiting_at = data.get("awaiting_at")
        return cls(
            lang=lang if lang in LANGUAGES else default_lang,
            lang_chosen=bool(data.get("lang_chosen")),
            dialog=DialogState.from_dict(data.get("dialog")),
            last_route=str(data["last_route"]) if data.get("last_route") else None,
            last_audience=(data.get("last_audience")
                           if data.get("last_audience") in AUDIENCES else None),
            awaiting=awaiting if isinstance(awaiting, str) and len(awaiting) <= 16 else None,
            awaiting_at=awaiting_at if type(awaiting_at) is int else None,
            last_press=last_press if isinstance(last_press, str) and len(last_press) <= 64
            else None,
            told=_told(data.get("told")),
            recent_questions=(
                [str(q)[:300] for q in recent][-5:] if isinstance(recent, list) else []
            ),
        )


def _told(data: Any) -> dict[str, Any] | None:
    """A stored reading, or None when it is not one (never trusted: the engine checks the flow
    and every answer again before using it)."""
    if not isinstance(data, dict) or not isinstance(data.get("flow"), str):
        return None
    answers = data.get("answers")
    if not isinstance(answers, dict) or len(answers) > 20:
        return None
    told: dict[str, Any] = {"flow": data["flow"][:32],
                            "answers": {str(k)[:32]: str(v)[:32] for k, v in answers.items()}}
    shown = data.get("shown")
    if isinstance(shown, dict):
        told["shown"] = {str(k)[:32]: str(v)[:2] for k, v in list(shown.items())[:5]
                         if isinstance(v, str) and len(v) == 2 and v.isalpha()}
    return told
