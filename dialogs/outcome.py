"""An interview's result in layers: a short first message, then one section per button.

The first message fits a phone screen (about 1,000 characters): the route, why it applies (from
the answers), the next things to do with their deadlines, and a button for each section that has
something to say: Documents (the checklist), Steps and timeline, Fees, Pitfalls, Family, About
the route, Sources. "Send everything" gives all sections at once (for consultants).

Every text is picked for the reader: the interview's ``audience`` (worker or employer) chooses
the steps, pitfalls and per-reader texts written for them (:func:`knowledge.schema.for_reader`).

One function gives an outcome's documents, :func:`documents`, used by every screen that lists
them (the Documents section, the checklist, the share summary, "Send everything", the hand-off).

Usage::

    result = outcome_of(kb, walker, state)          # None when the state is not at an outcome
    blocks = head_blocks(kb, walker, state, result, lang)
    blocks = section_blocks(kb, result, "fees", lang)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

from dialogs.i18n import translator
from dialogs.reply import Block, text_blocks
from dialogs.state import DialogState, Session
from dialogs.walker import FlowWalker
from knowledge.facts import long_date
from knowledge.model import KnowledgeBase
from knowledge.schema import (
    AudienceText,
    Document,
    Extra,
    NamedSource,
    Route,
    Source,
    Step,
    for_reader,
    official,
    shown_to,
    source_url,
    when_matches,
)

# The sections of a result, in the order of their buttons; "docs" is the checklist.
SECTIONS: tuple[str, ...] = ("docs", "steps", "fees", "pitfalls", "family", "about", "sources")
HEAD_LIMIT = 1000  # characters of the first message
SECTION_AIM = 1500
"""Characters a section's message aims at: a longer section comes in parts ("Part 1 of 2")."""
SMALL_PART = 400  # a last part shorter than this joins the one before it
NEXT_STEPS = 3  # steps shown in the first message, when they fit


@dataclass(frozen=True)
class Outcome:
    """What a result shows, worked out once from the route, the answers and the reader."""

    route: Route
    audience: str | None  # "worker" | "employer" | None (both)
    answers: Mapping[str, str]
    extras: tuple[Extra, ...]  # the outcome's extras that apply to the answers
    documents: tuple[tuple[str, Document], ...]
    today: dt.date  # rules with from:/until: are shown when in force on this day

    @property
    def steps(self) -> list[Step]:
        return [s for s in self.route.steps
                if shown_to(s.who, self.audience) and s.in_force(self.today)]

    def points(self, items: list[AudienceText]) -> list[AudienceText]:
        """The ``cannot`` or ``pitfalls`` items for this reader, in force today."""
        return [t for t in items if shown_to(t.who, self.audience) and t.in_force(self.today)]


def outcome_of(kb: KnowledgeBase, walker: FlowWalker, state: DialogState) -> Outcome | None:
    node = walker.node(state.node)
    if node.type != "outcome" or node.route not in kb.routes:
        return None
    route = kb.routes[node.route]
    extras = tuple(e for e in node.extras if when_matches(e.when, state.answers))
    return Outcome(route, walker.flow.audience, dict(state.answers), extras,
                   tuple(documents(kb, route, state.answers, extras)), kb.today())


def session_outcome(kb: KnowledgeBase, walkers: Mapping[str, FlowWalker],
                    session: Session) -> Outcome | None:
    """The result the user last reached (``session.last_route``), with their answers: at the
    outcome itself, or later (after a free-text question, or from the main menu)."""
    route = kb.routes.get(session.last_route or "")
    if route is None:
        return None
    dialog = session.dialog
    walker = walkers.get(dialog.flow) if dialog else None
    if dialog is None or walker is None:
        return Outcome(route, None, {}, (), tuple(documents(kb, route, {}, ())), kb.today())
    if dialog.node in walker.flow.nodes:
        result = outcome_of(kb, walker, dialog)
        if result is not None and result.route.id == route.id:
            return result
    answers = dict(dialog.answers)
    return Outcome(route, walker.flow.audience, answers, (),
                   tuple(documents(kb, route, answers, ())), kb.today())


def documents(kb: KnowledgeBase, route: Route, answers: Mapping[str, str],
              extras: tuple[Extra, ...] | list[Extra]) -> list[tuple[str, Document]]:
    """The documents of a result: the route's and its outcome extras', those the answers need."""
    return kb.documents_for(route, dict(answers), [d for e in extras for d in e.documents])


def side_headings(audience: str | None, lang: str) -> dict[str, str]:
    """Headings of the two document lists, written to the reader."""
    _ = translator(lang).gettext
    if audience == "worker":
        return {"worker": _("Documents you prepare"),
                "employer": _("Documents your employer prepares")}
    if audience == "employer":
        return {"worker": _("Documents the worker prepares"),
                "employer": _("Documents you prepare")}
    return {"worker": _("Documents from the worker"),
            "employer": _("Documents from the employer")}


def by_side(result: Outcome) -> list[tuple[str, list[tuple[str, Document]]]]:
    """The documents grouped by who prepares them, the reader's own first."""
    sides = ["worker", "employer"]
    if result.audience == "employer":
        sides.reverse()
    groups = [(side, [(i, d) for i, d in result.documents if d.prepared_by == side])
              for side in sides]
    return [(side, docs) for side, docs in groups if docs]


def document_blocks(kb: KnowledgeBase, result: Outcome, side: str, lang: str) -> list[Block]:
    """The documents one side prepares, with their notes, under the reader's heading."""
    docs = dict(by_side(result)).get(side, [])
    if not docs:
        return []
    return [Block("heading", side_headings(result.audience, lang)[side]),
            *[Block("item", document_text(kb, d, lang)) for _i, d in docs]]


def with_notes(result: Outcome, side: str) -> bool:
    """The checklist gives the notes of the reader's own documents; the other side's are
    named only (they prepare them), so the list fits one phone message."""
    return result.audience in (None, side)


def document_text(kb: KnowledgeBase, document: Document, lang: str, notes: bool = True,
                  short: bool = False) -> str:
    """The document's name, with its notes (``short``: their first sentence) when ``notes``."""
    text = kb.text(document.name, lang)
    if notes and document.notes is not None:
        note = " ".join(kb.text(document.notes, lang).split())
        text += " — " + (first_sentence(note) if short else note)
    return text


def first_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text`` (at most ``limit`` characters, then "…")."""
    end = next((i + 1 for i in range(20, len(text)) if text[i] in ".!?"
                and (i + 1 == len(text) or text[i + 1] == " ")), len(text))
    sentence = text[:end]
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


def step_blocks(kb: KnowledgeBase, number: int, step: Step, lang: str) -> list[Block]:
    """"N. What to do (when)", and the step's own ``- `` list as items under it."""
    parts = text_blocks(kb.text(step.text, lang)) or [Block("text", "")]
    head = f"{number}. {parts[0].text}"
    if step.timeline is not None:
        head += f" ({' '.join(kb.text(step.timeline, lang).split())})"
    return [Block("text", head), *parts[1:]]


def reasons(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, lang: str) -> list[str]:
    """Why the route applies, one line per answer that decided it."""
    found = []
    for node, _node_id, option_id in walker.answered_questions(state):
        for option in node.options:
            if option.id == option_id and option.reason is not None:
                found.append(kb.text(option.reason, lang))
    return found


def title_blocks(kb: KnowledgeBase, route: Route, lang: str) -> list[Block]:
    _ = translator(lang).gettext
    blocks = [Block("title", kb.text(route.title, lang))]
    parent = kb.routes.get(route.variant_of or "")
    if parent is not None:
        blocks.append(Block("note", _("A variant of the route “{route}”").format(
            route=kb.text(parent.title, lang))))
    return blocks


def why_blocks(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, result: Outcome,
               lang: str) -> list[Block]:
    """"Why this route": a line per answer that decided it, else the route's summary."""
    _ = translator(lang).gettext
    why = reasons(kb, walker, state, lang)
    if why:
        return [Block("heading", _("Why this route")), *[Block("item", r) for r in why]]
    return [Block("heading", _("Why this route")),
            *text_blocks(kb.text(for_reader(result.route.summary, result.audience), lang))]


def head_blocks(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, result: Outcome,
                lang: str, limit: int = HEAD_LIMIT) -> list[Block]:
    """The first message: the route, why (the answers' reasons, else the summary), the next
    steps that fit within ``limit`` characters, and the disclaimer. What the outcome adds for
    these answers opens the "Your case in detail" section (:func:`section_blocks`)."""
    _ = translator(lang).gettext
    blocks = title_blocks(kb, result.route, lang) + why_blocks(kb, walker, state, result, lang)
    steps = [Block("heading", _("What to do next"))]
    more = Block("note", _("All steps: “Steps and timeline” below."))
    disclaimer = text_blocks(kb.text(kb.meta.disclaimer, lang), "note")
    shown = 0
    for number, step in enumerate(result.steps[:NEXT_STEPS], start=1):
        lines = step_blocks(kb, number, step, lang)
        if number > 1 and _length([*blocks, *steps, *lines, more, *disclaimer]) > limit:
            break
        steps += lines
        shown = number
    if len(result.steps) > shown:
        steps.append(more)
    return blocks + steps + disclaimer


def _length(blocks: list[Block]) -> int:
    from dialogs.reply import plain_text

    return len(plain_text(blocks))


def parts(blocks: list[Block], aim: int = SECTION_AIM) -> list[list[Block]]:
    """A section's blocks in parts of about `aim` characters, cut between blocks, never right
    after a heading; a short last part joins the one before it."""
    cut: list[list[Block]] = [[]]
    size = 0
    for block in blocks:
        length = len(block.text) + 1
        if cut[-1] and size + length > aim and cut[-1][-1].style != "heading":
            cut.append([])
            size = 0
        cut[-1].append(block)
        size += length
    if len(cut) > 1 and _length(cut[-1]) < SMALL_PART:
        cut[-2:] = [cut[-2] + cut[-1]]
    return cut


def section_blocks(kb: KnowledgeBase, result: Outcome, name: str, lang: str) -> list[Block]:
    """One section of a result (empty when it has nothing to say)."""
    _ = translator(lang).gettext
    route, audience = result.route, result.audience
    if name == "docs":
        return [b for side, _docs in by_side(result)
                for b in document_blocks(kb, result, side, lang)]
    if name == "steps":
        blocks = [Block("heading", _("Steps and timeline"))]
        blocks += [b for n, s in enumerate(result.steps, start=1)
                   for b in step_blocks(kb, n, s, lang)]
        for heading, value in ((_("Timeline"), route.timeline),
                               (_("Validity and renewal"), route.validity)):
            if value is not None:
                blocks.append(Block("heading", heading))
                blocks += text_blocks(kb.text(for_reader(value, audience), lang))
        return blocks
    if name == "fees":
        if route.fees is None:
            return []
        return [Block("heading", _("Fees")),
                *text_blocks(kb.text(for_reader(route.fees, audience), lang))]
    if name == "pitfalls":
        blocks = []
        cannot = result.points(route.cannot)
        pitfalls = result.points(route.pitfalls)
        if cannot:
            blocks.append(Block("heading", _("What cannot be done")))
            blocks += [Block("item", " ".join(kb.text(t, lang).split())) for t in cannot]
        if pitfalls:
            blocks.append(Block("heading", _("Pitfalls")))
            blocks += [Block("item", " ".join(kb.text(t, lang).split())) for t in pitfalls]
        return blocks
    if name == "family":
        texts = [e.text for e in result.extras if e.text is not None and e.section == "family"]
        if route.family is None and not texts:
            return []
        blocks = [Block("heading", _("Family"))]
        if route.family is not None:
            blocks += text_blocks(kb.text(for_reader(route.family, audience), lang))
        for text in texts:
            blocks += text_blocks(kb.text(text, lang))
        return blocks
    if name == "about":
        blocks = []
        notes = [e.text for e in result.extras if e.text is not None and e.section == "result"]
        if notes:
            blocks.append(Block("heading", _("For your answers")))
            for text in notes:
                blocks += text_blocks(kb.text(text, lang))
        return [*blocks, Block("heading", _("About this route")),
                *text_blocks(kb.text(for_reader(route.summary, audience), lang)),
                *text_blocks(kb.text(for_reader(route.why, audience), lang))]
    if name == "sources":
        return source_blocks(kb, route.sources, route.reviewed, lang)
    raise KeyError(name)


def source_blocks(kb: KnowledgeBase, sources: list[Source], reviewed: dt.date, lang: str,
                  limit: int | None = None) -> list[Block]:
    """"Sources" as a short named list, official acts first, each name a link; at most
    ``limit`` of them (an FAQ answer), then the review date."""
    _ = translator(lang).gettext
    domains = kb.meta.official_domains
    def rank(source: Source) -> int:  # official acts, then other pages, the firm's guide last
        url = source_url(source)
        return 0 if official(url, domains) else 1 if url or isinstance(source, NamedSource) else 2
    ordered = sorted(sources, key=rank)
    shown = ordered if limit is None else ordered[:limit]
    blocks = [Block("heading", _("Sources"))]
    blocks += [Block("item", source_label(s, lang), source_url(s)) for s in shown]
    if len(ordered) > len(shown):
        blocks.append(Block("note", _("…and {count} more.").format(
            count=len(ordered) - len(shown))))
    blocks.append(Block("note", _("Reviewed: {date}").format(date=long_date(reviewed, lang))))
    return blocks


def source_label(source: Source, lang: str) -> str:
    """A source's name for users: "Title — Issuer, date", the site of a bare URL, or the
    firm's guide."""
    _ = translator(lang).gettext
    if isinstance(source, NamedSource):
        tail = ", ".join(p for p in (source.issuer, source.date and long_date(source.date, lang))
                         if p)
        return f"{source.title} — {tail}" if tail else source.title
    url = source_url(source)
    if url is None:
        return _("the firm's guide") if source.strip().lower() == "firm guide" else source
    return (urlparse(url).hostname or url).removeprefix("www.")


def footer_blocks(kb: KnowledgeBase, lang: str) -> list[Block]:
    """Under the last section: the version, the disclaimer, the consultant."""
    _ = translator(lang).gettext
    return [Block("note", _("Knowledge base version {version}.").format(version=kb.version)),
            *text_blocks(kb.text(kb.meta.disclaimer, lang), "note"),
            Block("note", _("For your exact case, talk to a consultant."))]


def available_sections(kb: KnowledgeBase, result: Outcome, lang: str) -> list[str]:
    return [name for name in SECTIONS if section_blocks(kb, result, name, lang)]


def everything(kb: KnowledgeBase, result: Outcome, lang: str, walker: FlowWalker | None = None,
               state: DialogState | None = None) -> list[list[Block]]:
    """The whole result, one message per section ("Send everything", golden files): the first
    message's layer, the documents one message per side (with all their
    notes they do not fit one), the other sections, and the footer under the last."""
    if walker is not None and state is not None:
        messages = [head_blocks(kb, walker, state, result, lang, limit=10 ** 6)]
    else:
        messages = [title_blocks(kb, result.route, lang)]
    messages += [document_blocks(kb, result, side, lang) for side, _docs in by_side(result)]
    messages += [section_blocks(kb, result, name, lang)
                 for name in available_sections(kb, result, lang) if name != "docs"]
    messages[-1] = [*messages[-1], *footer_blocks(kb, lang)]
    return messages


def share_blocks(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, result: Outcome,
                 lang: str, today, answers_line) -> list[Block]:
    """A self-contained summary of a result, to forward: the first message's layer (route, why,
    next steps), the key answers, the documents (the same list as every other screen), the date
    and the knowledge-base version. It holds no personal data: only the interview's answers."""
    _ = translator(lang).gettext
    blocks = title_blocks(kb, result.route, lang) + why_blocks(kb, walker, state, result, lang)
    blocks.append(Block("heading", _("Answers")))
    blocks += [Block("item", line) for line in answers_line]
    headings = side_headings(result.audience, lang)
    for side, docs in by_side(result):
        blocks.append(Block("heading", headings[side]))
        blocks += [Block("item", kb.text(d.name, lang)) for _i, d in docs]
    blocks.append(Block("heading", _("What to do next")))
    blocks += [b for n, s in enumerate(result.steps[:NEXT_STEPS], start=1)
               for b in step_blocks(kb, n, s, lang)]
    blocks.append(Block("note", _("Prepared on {date} · knowledge base {version}").format(
        date=long_date(today, lang), version=kb.version)))
    blocks += text_blocks(kb.text(kb.meta.disclaimer, lang), "note")
    return blocks
