"""The shape of every knowledge-base file, as pydantic models.

Pydantic checks types, required fields and unknown (misspelt) fields; the cross-file checks
(references, the flow graph, placeholders) are in :mod:`knowledge.checks`. The models are
frozen: a loaded knowledge base is shared by every conversation and never changes in place; a
reload builds a new one.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

# Length is not limited here: the validator checks the full button data against 64 bytes.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Lang = Literal["ru", "kk", "en"]
LANGUAGES: tuple[str, ...] = ("ru", "kk", "en")
Side = Literal["worker", "employer"]
"""The two sides of a hire: who reads a text, prepares a document, goes through an interview."""
Who = Literal["worker", "employer", "both"]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class _PerLanguage(Model):
    """Read-only mapping access (``text["kk"]``, ``.items()``) for per-language models."""

    def __getitem__(self, lang: str) -> Any:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return getattr(self, lang)

    def keys(self) -> tuple[str, ...]:
        return LANGUAGES

    def items(self) -> list[tuple[str, Any]]:
        return [(lang, getattr(self, lang)) for lang in LANGUAGES]


class LocalText(_PerLanguage):
    """One text in every language.

    The languages are optional here so that a missing translation is reported by
    :mod:`knowledge.checks` with its line, while the rest of the file is still checked.
    """

    ru: NonEmpty | None = None
    kk: NonEmpty | None = None
    en: NonEmpty | None = None

    def get(self, lang: str) -> str:
        return getattr(self, lang)


class InForce(Model):
    """``from:`` and ``until:`` (both inclusive, both optional): when a rule applies. The bot
    shows what is in force today in Kazakhstan (:mod:`knowledge.clock`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    valid_from: dt.date | None = Field(default=None, alias="from")
    valid_until: dt.date | None = Field(default=None, alias="until")

    def in_force(self, today: dt.date) -> bool:
        return ((self.valid_from is None or self.valid_from <= today)
                and (self.valid_until is None or today <= self.valid_until))


class DatedText(LocalText, InForce):
    """One version of a text, for the period it names (a rule that changes on a date)."""


# A text that changes on a date: a list of versions, each with from:/until:.
Dated = LocalText | list[DatedText]


def version_for(text: Dated | None, today: dt.date) -> LocalText | None:
    """The version of ``text`` in force on ``today``: else the latest that has started, else
    the first (the validator reports gaps)."""
    if not isinstance(text, list):
        return text
    if not text:
        return None
    for version in text:
        if version.in_force(today):
            return version
    started = [v for v in text if v.valid_from is None or v.valid_from <= today]
    return started[-1] if started else text[0]


class AudienceText(LocalText, InForce):
    """A text with the reader it is written for: ``who: worker`` or ``who: employer``; without
    ``who`` it is for both (an item of ``cannot`` or ``pitfalls``); ``from:``/``until:`` when it
    applies only for a period."""

    who: Who = "both"


class ByAudience(Model):
    """One text written twice, once for each reader: the interview's audience picks one."""

    worker: Dated
    employer: Dated


# A route text: one text for both readers (or its dated versions), or one per reader.
Addressed = LocalText | list[DatedText] | ByAudience


def for_reader(text: Addressed | None, audience: str | None) -> Dated | None:
    """The text for ``audience`` (``worker``/``employer``; None: the worker's, as the worker's
    text is the one everybody can act on)."""
    if isinstance(text, ByAudience):
        return text.employer if audience == "employer" else text.worker
    return text


def shown_to(who: str | None, audience: str | None) -> bool:
    """Whether a text meant for ``who`` is shown to a reader of ``audience`` (None: everyone)."""
    return audience is None or who in (None, "both", audience)


class LocalList(_PerLanguage):
    """A list of short texts per language (question variants, keywords, phrases)."""

    # "90" or 2026 typed as a keyword is still a word to match, not a type error.
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    ru: list[NonEmpty] | None = None
    kk: list[NonEmpty] | None = None
    en: list[NonEmpty] | None = None

    def get(self, lang: str) -> list[str]:
        return getattr(self, lang) or []

    def __getitem__(self, lang: str) -> list[str]:
        if lang not in LANGUAGES:
            raise KeyError(lang)
        return self.get(lang)

    def items(self) -> list[tuple[str, list[str]]]:
        return [(lang, self.get(lang)) for lang in LANGUAGES]


class NamedSource(Model):
    """A source as users see it: "Rules for registering immigrants — MIA, 17.11.2025"."""

    title: NonEmpty  # the act's or page's name, in the language it is published in
    issuer: NonEmpty | None = None  # who issued it: "MIA of Kazakhstan", "EAEU"
    date: dt.date | None = None  # the act's date (not when we read it)
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None


# A source: named (preferred), or a bare URL, or "firm guide".
Source = NonEmpty | NamedSource


def source_url(source: Source) -> str | None:
    if isinstance(source, NamedSource):
        return source.url
    return source.strip() if source.strip().startswith(("http://", "https://")) else None


def official(url: str | None, domains: list[str]) -> bool:
    """Whether ``url`` is on one of the official ``domains`` (or a subdomain of one)."""
    host = (urlparse(url).hostname or "").lower() if url else ""
    return any(host == d or host.endswith("." + d) for d in (d.lower() for d in domains))


class Reviewed(Model):
    """Fields every sourced entry carries so admins know what to re-check."""

    sources: list[Source] = Field(min_length=1)
    reviewed: dt.date
    review: str | None = None
    unofficial: NonEmpty | None = None
    """Why no official act is among the sources (an exception, listed by ``validate --stale``);
    without it, a route or FAQ entry needs at least one source on an official domain."""


# A condition on recorded answers: fact name → allowed value(s). Every fact must match.
When = dict[Id, Id | list[Id]]


def when_matches(when: When | None, answers: dict[str, str]) -> bool:
    """True when every fact named in ``when`` has one of its listed values in ``answers``."""
    if not when:
        return True
    for fact, allowed in when.items():
        values = allowed if isinstance(allowed, list) else [allowed]
        if answers.get(fact) not in values:
            return False
    return True


# --- meta.yaml --------------------------------------------------------------------------------


class UnitForms(_PerLanguage):
    """A unit's words by CLDR plural category (one/few/many/other) in each language."""

    ru: dict[Literal["zero", "one", "two", "few", "many", "other"], NonEmpty]
    kk: dict[Literal["zero", "one", "two", "few", "many", "other"], NonEmpty]
    en: dict[Literal["zero", "one", "two", "few", "many", "other"], NonEmpty]

    def get(self, lang: str) -> dict[str, str]:
        return getattr(self, lang)


class Office(Model):
    """One office of the firm, as admins fill it in: the bot shows what is filled and never
    guesses the rest; ``validate`` notes what is still empty."""

    address: LocalText
    city: LocalText | None = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+\d[\d ()-]{6,20}$")] | None = None
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")] | None = None
    hours: LocalText | None = None


class Meta(Model):
    version: NonEmpty
    reviewed: dt.date
    languages: list[Lang]
    default_language: Lang
    mci_fact: Id
    disclaimer: LocalText
    contacts: LocalText  # the heading and anything general ("Our offices:")
    offices: list[Office] = Field(default_factory=list)
    units: dict[Id, UnitForms]
    mci_template: LocalText
    topics: dict[Id, LocalText] = Field(default_factory=dict)  # FAQ topic titles
    official_domains: list[NonEmpty] = Field(default_factory=list)
    """Where official acts are published (adilet.zan.kz, gov.kz, ...): every route and FAQ
    entry cites at least one source there, or says in ``unofficial:`` why not."""
    addressing: dict[Side, LocalList] = Field(default_factory=dict)
    """Phrases that speak to one reader ("your employee", "your employer will"): the validator
    flags a route text shown to the other reader that contains one."""

    @field_validator("languages")
    @classmethod
    def _all_languages(cls, value: list[str]) -> list[str]:
        missing = [lang for lang in LANGUAGES if lang not in value]
        if missing:
            raise ValueError(f"must list ru, kk and en (missing: {', '.join(missing)})")
        return value


# --- facts/*.yaml -----------------------------------------------------------------------------

FactType = Literal[
    "number", "percent", "money", "money_by_year", "mci", "duration", "date", "text"
]
DurationUnit = Literal["days", "calendar_days", "working_days", "full_days", "months", "years"]


class Fact(Model):
    type: FactType
    value: Any
    unit: DurationUnit | None = None
    sources: list[NonEmpty] = Field(min_length=1)
    reviewed: dt.date | None = None
    review: str | None = None
    note: str | None = None


class FactsFile(Model):
    facts: dict[Id, Fact]


# --- documents.yaml ---------------------------------------------------------------------------


class Document(Reviewed):
    name: LocalText
    prepared_by: Side
    notes: LocalText | None = None
    when: When | None = None


class DocumentsFile(Model):
    documents: dict[Id, Document]


# --- routes/*.yaml ----------------------------------------------------------------------------


class Step(InForce):
    text: LocalText
    timeline: LocalText | None = None
    who: Who | None = None


class Route(Reviewed):
    id: Id
    variant_of: Id | None = None
    title: LocalText
    summary: Addressed
    why: Addressed
    steps: list[Step] = Field(min_length=1)
    timeline: Addressed | None = None
    fees: Addressed | None = None
    validity: Addressed | None = None
    family: Addressed | None = None  # what the family needs (the "Family" section)
    documents: list[Id] = Field(default_factory=list)
    cannot: list[AudienceText] = Field(default_factory=list)
    pitfalls: list[AudienceText] = Field(default_factory=list)


# --- flows/*.yaml -----------------------------------------------------------------------------


class Rule(Model):
    when: When | None = None
    goto: Id


Next = Id | list[Rule]


class Option(Model):
    id: Id
    label: LocalText
    reason: LocalText | None = None
    next: Next | None = None


class Extra(Model):
    when: When | None = None
    section: Literal["result", "family"] = "result"
    """Where the text goes: the first message of the result, or the Family section."""
    text: LocalText | None = None
    documents: list[Id] = Field(default_factory=list)


class Node(Model):
    type: Literal["question", "info", "outcome"]
    # question
    fact: Id | None = None
    text: LocalText | None = None
    help: LocalText | None = None
    options: list[Option] = Field(default_factory=list)
    # question and info
    next: Next | None = None
    # outcome
    route: Id | None = None
    extras: list[Extra] = Field(default_factory=list)


class Flow(Model):
    id: Id
    audience: Side | None = None
    """Who goes through this interview: its outcomes show the texts written for this reader."""
    title: LocalText
    description: LocalText
    start: Id
    nodes: dict[Id, Node] = Field(min_length=1)


# --- deadlines.yaml ---------------------------------------------------------------------------

CalculatorId = Literal["arrival", "fee", "renewal", "quota", "eaeu"]
CALCULATORS: tuple[str, ...] = ("arrival", "fee", "renewal", "quota", "eaeu")


class Calculator(Model):
    title: LocalText  # the menu button
    prompt: LocalText  # what to type or pick ("When did you enter Kazakhstan?")
    routes: list[Id] = Field(default_factory=list)  # offered on the outcomes of these routes


class DeadlinesFile(Model):
    calculators: dict[CalculatorId, Calculator]


# --- faq/*.yaml and smalltalk.yaml ------------------------------------------------------------


class FaqEntry(Reviewed):
    id: Id
    topic: Id
    questions: LocalList
    keywords: LocalList = Field(default_factory=LocalList)
    answer: Dated
    routes: list[Id] = Field(default_factory=list)
    """The routes whose users this answer is written for (an EAEU worker's family, a
    residence-permit holder's work): for a user the interview has put on a route, search ranks
    the entries of that route first and those of other routes lower. Empty: for everyone."""
    audience: Side | None = None
    """Whose question this answers, when only one side asks it (the employer's documents, the
    worker's family): after the interview, search ranks the entries of the user's side first
    and those of the other side lower. Empty: both ask it."""


class FaqFile(Model):
    faq: list[FaqEntry]


class Smalltalk(Model):
    id: Id
    phrases: LocalList
    reply: LocalText


class SmalltalkFile(Model):
    smalltalk: list[Smalltalk]


# --- situations.yaml: facts read from a described situation -----------------------------------


class SituationNegation(Model):
    before: LocalList = Field(default_factory=LocalList)
    after: LocalList = Field(default_factory=LocalList)
    boundaries: LocalList = Field(default_factory=LocalList)


class SituationAsking(Model):
    """Words that make a phrase the subject of a question, not a statement: "что такое ВНЖ",
    "the difference between ... a residence permit", "қандас мәртебесін қалай алуға": such a
    phrase says nothing (the person asked about the status, they did not say they have it)."""

    before: LocalList = Field(default_factory=LocalList)
    after: LocalList = Field(default_factory=LocalList)


class SituationLanguageWords(Model):
    before: LocalList = Field(default_factory=LocalList)
    after: LocalList = Field(default_factory=LocalList)


class SituationCountries(Model):
    names: dict[str, list[NonEmpty]] = Field(default_factory=dict)
    """ISO 3166-1 alpha-2 code -> names, demonyms and adjectives beyond CLDR's territory names."""
    display: dict[str, dict[Lang, NonEmpty]] = Field(default_factory=dict)
    """ISO code -> the name shown to the user where CLDR's is not the one people use here
    (CLDR's Russian "Киргизия" for Kyrgyzstan)."""
    groups: dict[Id, list[str]] = Field(default_factory=dict)
    """citizenship group -> its countries' codes; every other country is in `other`."""
    skip: list[str] = Field(default_factory=list)
    common_words: list[NonEmpty] = Field(default_factory=list)
    citizen_words: LocalList = Field(default_factory=LocalList)
    origin_words: LocalList = Field(default_factory=LocalList)
    """Words that make a country where the person comes from ("из Китая", "from China"), so
    theirs, unless a company word stands next to it ("фирма из Германии")."""
    company_words: LocalList = Field(default_factory=LocalList)
    place_words: LocalList = Field(default_factory=LocalList)
    """Words right before a country that make it a place, not a citizenship ("in Malaysia")."""
    language_words: SituationLanguageWords = Field(default_factory=SituationLanguageWords)
    destination_words: SituationLanguageWords = Field(default_factory=SituationLanguageWords)
    """Words right before (``before``) or after (``after``) a country's name that make it where
    the person goes or works ("в Польшу", "work visa for Germany", "Korea visa"): a question
    about another country than Kazakhstan, which the FAQ search weighs as likely off-topic."""
    asked_words: LocalList = Field(default_factory=LocalList)
    """Words right after a country (up to two words on) that make the country the subject of
    a question, not the person's: "Армения входит в ЕАЭС?", "Is Armenia part of the EAEU?"."""
    """Words right before (``before``) or after (``after``) a country's adjective that make it
    a language, not a citizenship ("do you speak Chinese", "на китайском", "қытай тілі")."""


class SituationSignal(Model):
    id: Id
    phrases: LocalList
    all: dict[Id, Id] = Field(default_factory=dict)
    worker: dict[Id, Id] = Field(default_factory=dict)
    employer: dict[Id, Id] = Field(default_factory=dict)
    negated: dict[Id, Id] | None = None
    weak: bool = False
    cancels: list[Id] = Field(default_factory=list)
    """Facts left unread when this signal is read: the husband of "my husband works here" is the
    worker the writer came with, not family coming along."""
    weight: int = Field(default=1, ge=1, le=9)
    """How much this signal counts when the words of both sides are in one message: the person
    an action is done to ("transferring me", "меня назначают") is the worker, however often
    "our company" is said."""
    unless_wished: bool = False
    """A phrase of this signal shortly after one of the `wishes:` words says nothing of the
    worker: "I work as a cashier" says the person is employed, "I want to work as a cashier"
    does not (an employer's "we want to hire a cook" still names the post)."""


class SituationCombine(Model):
    fact: Id
    values: list[Id] = Field(min_length=2)
    gives: Id


class SituationAnswer(Model):
    question: Id
    """The interview's fact (the `fact:` of one of its questions)."""
    fact: Id
    values: dict[Id, Id] | None = None
    when: dict[Id, Id] = Field(default_factory=dict)
    show_country: bool = False
    """Show the country read (its name in the user's language) as this answer, not the
    option's label ("Kyrgyzstan" rather than "Russia, Belarus, Armenia, Kyrgyzstan")."""


class SituationInterview(Model):
    role: Id
    answers: list[SituationAnswer]


class SituationsFile(Model):
    negation: SituationNegation = Field(default_factory=SituationNegation)
    asking: SituationAsking = Field(default_factory=SituationAsking)
    wishes: LocalList = Field(default_factory=LocalList)
    """Words that make what follows a wish, not the case ("хочу", "want to"): see
    `SituationSignal.unless_wished`."""
    countries: SituationCountries = Field(default_factory=SituationCountries)
    signals: list[SituationSignal] = Field(default_factory=list)
    combine: list[SituationCombine] = Field(default_factory=list)
    interviews: dict[Id, SituationInterview] = Field(default_factory=dict)
