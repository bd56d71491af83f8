"""The values FAQ search hands to the dialog engine, and the shapes of what it indexes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

ResultKind = Literal["answer", "suggest", "none", "smalltalk"]


@dataclass(frozen=True)
class Match:
    """One FAQ entry found for a query.

    `question` is the entry's question variant that matched best (the one to show as "this answers:
    …"), `lang` the language of that variant; `score` is 0–100.
    """

    id: str
    score: float
    question: str
    lang: str


@dataclass(frozen=True)
class SearchResult:
    """What to do with a free-text message.

    - ``answer``: answer ``matches[0]`` directly (more matches may follow as "see also");
    - ``suggest``: not sure; offer ``matches`` (at most 3) as "Did you mean…" buttons;
    - ``none``: nothing close; say so and offer to rephrase, the interview or a consultant;
    - ``smalltalk``: a greeting, thanks or chit-chat; reply with ``smalltalk_id``'s reply.

    `query_lang` is the language the query seems to be written in (``None`` when unclear), so the
    engine can offer to switch when it differs from the interface language.
    """

    kind: ResultKind
    matches: tuple[Match, ...]
    query_lang: str | None
    smalltalk_id: str | None = None
    also: tuple[Match, ...] = ()
    """A second question in the same message ("how much is it? and can my wife come?"), when a
    sentence of its own clearly asks about another entry than ``matches[0]``."""

    @property
    def best_score(self) -> float | None:
        return self.matches[0].score if self.matches else None


@dataclass(frozen=True)
class UserCase:
    """What the interview has learnt about the user, for ranking the entries of their own case
    first: the route it reached and the side they are on (``worker`` or ``employer``)."""

    route: str | None = None
    audience: str | None = None


NO_CASE = UserCase()
"""A user who has not been through the interview (or a message from outside the chat)."""


class FaqEntryLike(Protocol):
    """An FAQ entry as the knowledge loader gives it (only what search reads)."""

    @property
    def id(self) -> str: ...
    @property
    def questions(self) -> Mapping[str, Sequence[str]]: ...
    @property
    def keywords(self) -> Mapping[str, Sequence[str]]: ...


class SmalltalkLike(Protocol):
    """A small-talk entry: a greeting, thanks... and the phrases that trigger it."""

    @property
    def id(self) -> str: ...
    @property
    def phrases(self) -> Mapping[str, Sequence[str]]: ...
