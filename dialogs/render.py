"""Knowledge-base content → messages: questions, outcomes, answers summary, FAQ answers.

Only presentation lives here; which message to show when is decided in :mod:`dialogs.engine`.
Interface words come from gettext, everything domain-specific from the knowledge base.
"""

from __future__ import annotations

from dialogs.buttons import encode
from dialogs.i18n import translator
from dialogs.reply import Block, Button, Message, text_blocks
from dialogs.state import DialogState
from dialogs.walker import FlowWalker
from knowledge.facts import long_date
from knowledge.model import KnowledgeBase
from knowledge.schema import FaqEntry, Route, when_matches

MAX_LABEL = 60  # characters on a button before it is shortened


def short(text: str, limit: int = MAX_LABEL) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def nav_rows(lang: str, *, back: bool, summary: bool) -> list[list[Button]]:
    _ = translator(lang).gettext
    first = []
    if back:
        first.append(Button(encode("b"), _("◀ Back")))
    if summary:
        first.append(Button(encode("s"), _("Your answers")))
    second = [Button(encode("r"), _("↺ Start again")), Button(encode("menu"), _("Main menu"))]
    return [first, second]


def question_message(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, lang: str,
                     *, note: str | None = None) -> Message:
    _ = translator(lang).gettext
    node = walker.node(state.node)
    number, total = walker.progress(state)
    blocks: list[Block] = []
    if note:
        blocks.append(Block("note", note))
    blocks.append(Block("note", _("Question {number} of about {total}").format(
        number=number, total=max(total, number))))
    blocks.extend(text_blocks(kb.text(node.text, lang), "heading"))
    if node.help is not None:
        blocks.extend(text_blocks(kb.text(node.help, lang), "note"))
    rows: list[list[Button]] = []
    for option in node.options:
        label = kb.text(option.label, lang)
        if option.id == state.changing:
            label = "✓ " + label
        rows.append([Button(encode("a", state.node, option.id), short(label))])
    answered = bool(walker.answered_questions(state))
    rows += nav_rows(lang, back=answered, summary=answered)
    return Message(tuple(blocks), tuple(tuple(r) for r in rows if r))


def info_message(kb: KnowledgeBase, walker: FlowWalker, node_id: str, lang: str) -> Message:
    return Message(tuple(text_blocks(kb.text(walker.node(node_id).text, lang))))


def summary_message(kb: KnowledgeBase, walker: FlowWalker, state: DialogState,
                    lang: str) -> Message:
    _ = translator(lang).gettext
    answered = walker.answered_questions(state)
    blocks = [Block("title", _("Your answers"))]
    rows: list[list[Button]] = []
    if not answered:
        blocks.append(Block("text", _("You have not answered any question yet.")))
    for index, (node, node_id, option_id) in enumerate(answered, start=1):
        label = next((kb.text(o.label, lang) for o in node.options if o.id == option_id), option_id)
        question = short(kb.text(node.text, lang).splitlines()[0], 120)
        blocks.append(Block("item", f"{index}. {question} — {label}"))
        rows.append([Button(encode("c", node_id), short(
            _("✏️ Change {number}: {answer}").format(number=index, answer=label)))])
    rows.append([Button(encode("x"), _("Continue the interview"))])
    return Message(tuple(blocks), tuple(tuple(r) for r in rows))


def _reasons(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, lang: str) -> list[str]:
    reasons = []
    for node, _node_id, option_id in walker.answered_questions(state):
        for option in node.options:
            if option.id == option_id and option.reason is not None:
                reasons.append(kb.text(option.reason, lang))
    return reasons


def document_sections(kb: KnowledgeBase, route: Route, answers: dict[str, str],
                      extra_docs: list[str], lang: str) -> list[list[Block]]:
    """The documents that apply, one section for the worker and one for the employer."""
    _ = translator(lang).gettext
    chosen = kb.documents_for(route, answers, extra_docs)
    sections: list[list[Block]] = []
    for side, heading in (("worker", _("Documents from the worker")),
                          ("employer", _("Documents from the employer"))):
        docs = [(doc_id, d) for doc_id, d in chosen if d.prepared_by == side]
        if not docs:
            continue
        blocks = [Block("heading", heading)]
        for _doc_id, document in docs:
            text = kb.text(document.name, lang)
            if document.notes is not None:
                text += " — " + " ".join(kb.text(document.notes, lang).split())
            blocks.append(Block("item", text))
        sections.append(blocks)
    return sections


def document_blocks(kb: KnowledgeBase, route: Route, answers: dict[str, str],
                    extra_docs: list[str], lang: str) -> list[Block]:
    return [b for section in document_sections(kb, route, answers, extra_docs, lang)
            for b in section]


def outcome_messages(kb: KnowledgeBase, walker: FlowWalker, state: DialogState,
                     lang: str) -> list[Message]:
    """The result of an interview: route, why, documents, steps, fees, pitfalls, disclaimer."""
    _ = translator(lang).gettext
    node = walker.node(state.node)
    route = kb.routes[node.route or ""]
    extras = [e for e in node.extras if when_matches(e.when, state.answers)]
    extra_docs = [doc for e in extras for doc in e.documents]

    head: list[Block] = [Block("title", kb.text(route.title, lang))]
    if route.variant_of and route.variant_of in kb.routes:
        head.append(Block("note", _("A variant of: {route}").format(
            route=kb.text(kb.routes[route.variant_of].title, lang))))
    head += text_blocks(kb.text(route.summary, lang))
    head.append(Block("heading", _("Why this route")))
    head += [Block("item", reason) for reason in _reasons(kb, walker, state, lang)]
    head += text_blocks(kb.text(route.why, lang))
    for extra in extras:
        if extra.text is not None:
            head += text_blocks(kb.text(extra.text, lang))

    documents = document_sections(kb, route, state.answers, extra_docs, lang)

    steps: list[Block] = [Block("heading", _("Steps"))]
    for number, step in enumerate(route.steps, start=1):
        text = f"{number}. {' '.join(kb.text(step.text, lang).split())}"
        if step.timeline is not None:
            text += f" ({' '.join(kb.text(step.timeline, lang).split())})"
        steps.append(Block("text", text))
    for heading, value in ((_("Timeline"), route.timeline), (_("Fees"), route.fees),
                           (_("Validity and renewal"), route.validity)):
        if value is not None:
            steps.append(Block("heading", heading))
            steps += text_blocks(kb.text(value, lang))

    warnings: list[Block] = []
    if route.cannot:
        warnings.append(Block("heading", _("What cannot be done")))
        warnings += [Block("item", " ".join(kb.text(t, lang).split())) for t in route.cannot]
    if route.pitfalls:
        warnings.append(Block("heading", _("Pitfalls")))
        warnings += [Block("item", " ".join(kb.text(t, lang).split())) for t in route.pitfalls]
    warnings += source_blocks(route.sources, route.reviewed, lang)
    warnings.append(Block("note", _("Knowledge base version {version}.").format(
        version=kb.version)))
    warnings += text_blocks(kb.text(kb.meta.disclaimer, lang), "note")
    warnings.append(Block("note", _("For your exact case, talk to a consultant.")))

    buttons = [
        [Button(encode("sh"), _("📤 Share the result"))],
        [Button(encode("s"), _("Your answers")), Button(encode("b"), _("◀ Back"))],
        [Button(encode("contact"), _("Talk to a consultant"))],
        [Button(encode("r"), _("↺ Start again")), Button(encode("menu"), _("Main menu"))],
    ]
    messages = [Message(tuple(head))]
    messages += [Message(tuple(section)) for section in documents]
    messages.append(Message(tuple(steps)))
    messages.append(Message(tuple(warnings), tuple(tuple(r) for r in buttons)))
    return messages


def source_blocks(sources: list[str], reviewed, lang: str) -> list[Block]:
    _ = translator(lang).gettext
    shown = [_("the firm's guide") if s.strip().lower() == "firm guide" else s for s in sources]
    return [
        Block("note", _("Sources: {sources}").format(sources="; ".join(shown))),
        Block("note", _("Reviewed: {date}").format(
            date=long_date(reviewed, lang))),
    ]


def faq_message(kb: KnowledgeBase, entry: FaqEntry, lang: str) -> list[Block]:
    """An FAQ answer: the question it answers, the answer, its sources and review date."""
    questions = entry.questions.get(lang)
    blocks = [Block("title", questions[0] if questions else entry.id)]
    blocks += text_blocks(kb.text(entry.answer, lang))
    blocks += source_blocks(entry.sources, entry.reviewed, lang)
    return blocks


def share_message(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, lang: str,
                  today) -> list[Block]:
    """A self-contained summary of a result, to forward: route, why, key answers, documents,
    next steps, the date and the knowledge-base version. It holds no personal data: only the
    answers to the interview's questions."""
    _ = translator(lang).gettext
    node = walker.node(state.node)
    route = kb.routes[node.route or ""]
    blocks = [Block("title", kb.text(route.title, lang))]
    blocks += text_blocks(kb.text(route.summary, lang))
    reasons = _reasons(kb, walker, state, lang)
    if reasons:
        blocks.append(Block("heading", _("Why this route")))
        blocks += [Block("item", reason) for reason in reasons]
    blocks.append(Block("heading", _("Answers")))
    for question, _node_id, option_id in walker.answered_questions(state):
        label = next((kb.text(o.label, lang) for o in question.options if o.id == option_id),
                     option_id)
        blocks.append(Block("item", f"{short(kb.text(question.text, lang).splitlines()[0], 90)}"
                                    f" — {label}"))
    extras = [e for e in node.extras if when_matches(e.when, state.answers)]
    chosen = kb.documents_for(route, state.answers, [d for e in extras for d in e.documents])
    for side, heading in (("worker", _("Documents from the worker")),
                          ("employer", _("Documents from the employer"))):
        names = [kb.text(d.name, lang) for _id, d in chosen if d.prepared_by == side]
        if names:
            blocks.append(Block("heading", heading))
            blocks += [Block("item", name) for name in names]
    blocks.append(Block("heading", _("Next steps")))
    for number, step in enumerate(route.steps[:3], start=1):
        blocks.append(Block("text", f"{number}. {' '.join(kb.text(step.text, lang).split())}"))
    blocks.append(Block("note", _("Prepared on {date} · knowledge base {version}").format(
        date=long_date(today, lang), version=kb.version)))
    blocks += text_blocks(kb.text(kb.meta.disclaimer, lang), "note")
    return blocks
