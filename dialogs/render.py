"""Knowledge-base content → messages: questions, the answers summary, FAQ answers (results:
:mod:`dialogs.outcome`).

Only presentation lives here; which message to show when is decided in :mod:`dialogs.engine`.
Interface words come from gettext, everything domain-specific from the knowledge base.
"""

from __future__ import annotations

from dialogs import outcome
from dialogs.buttons import encode
from dialogs.i18n import translator
from dialogs.reply import Block, Button, Message, text_blocks
from dialogs.situation import country_name
from dialogs.state import DialogState
from dialogs.walker import FlowWalker
from knowledge.model import KnowledgeBase
from knowledge.schema import FaqEntry, Node, Office

MAX_LABEL = 60  # characters on a button before it is shortened


def office_line(kb: KnowledgeBase, office: Office, lang: str) -> str:
    """"Address, city · phone · e-mail · hours": only what the admins filled in."""
    place = ", ".join(kb.text(part, lang) for part in (office.address, office.city)
                      if part is not None)
    rest = [office.phone, office.email, office.hours and kb.text(office.hours, lang)]
    return " · ".join([place, *(part for part in rest if part)])


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
    number, low, high = walker.progress(state)
    blocks: list[Block] = []
    if note:
        blocks.append(Block("note", note))
    # The most questions still possible from these answers: it only falls as the user answers.
    blocks.append(Block("note", (_("Question {number} of {total}") if low == high else
                                 _("Question {number} of up to {total}")).format(
        number=number, total=high)))
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


def option_label(kb: KnowledgeBase, node: Node, option_id: str, lang: str) -> str:
    """The label of the answer ``option_id`` of the question ``node`` (its id if unknown)."""
    return next((kb.text(o.label, lang) for o in node.options if o.id == option_id), option_id)


def answer_lines(kb: KnowledgeBase, walker: FlowWalker, state: DialogState,
                 lang: str) -> list[str]:
    """"Question — answer" for every answer on the current path (the shared summary)."""
    lines = []
    for question, _node_id, option_id in walker.answered_questions(state):
        label = option_label(kb, question, option_id, lang)
        lines.append(f"{short(kb.text(question.text, lang).splitlines()[0], 90)} — {label}")
    return lines


def summary_message(kb: KnowledgeBase, walker: FlowWalker, state: DialogState,
                    lang: str) -> Message:
    _ = translator(lang).gettext
    answered = walker.answered_questions(state)
    blocks = [Block("title", _("Your answers"))]
    rows: list[list[Button]] = []
    if not answered:
        blocks.append(Block("text", _("You have not answered any question yet.")))
    for index, (node, node_id, option_id) in enumerate(answered, start=1):
        label = option_label(kb, node, option_id, lang)
        question = short(kb.text(node.text, lang).splitlines()[0], 120)
        blocks.append(Block("item", f"{index}. {question} — {label}"))
        rows.append([Button(encode("c", node_id), short(
            _("✏️ Change {number}: {answer}").format(number=index, answer=label)))])
    rows.append([Button(encode("x"), _("Continue the interview"))])
    return Message(tuple(blocks), tuple(tuple(r) for r in rows))


def told_message(kb: KnowledgeBase, walker: FlowWalker, state: DialogState, lang: str,
                 shown: dict[str, str], *, final: bool) -> Message:
    """The answers taken from the user's message, each with a ✏️ to change it; ``final``:
    before the result, with "That's right" to see it. ``shown``: question facts whose answer is
    a country's name (ISO code), not the option's label."""
    _ = translator(lang).gettext
    blocks = [Block("text", _("Before the result, please check what I took from your message:")
                    if final else _("From your message I took these answers:"))]
    rows: list[list[Button]] = []
    answered = [(node, node_id, option_id, True)
                for node, node_id, option_id in walker.answered_questions(state)]
    # answers to questions further on: used when the interview gets there (no ✏️ until then)
    answered += [(node, node_id, state.pending[node.fact], False)
                 for node_id, node in walker.flow.nodes.items()
                 if node.type == "question" and node.fact in state.pending]
    for node, node_id, option_id, on_path in answered:
        if node.fact not in state.told:
            continue
        label = option_label(kb, node, option_id, lang)
        if node.fact in shown:
            label = country_name(shown[node.fact], lang, kb.situations.countries.display)
        question = short(kb.text(node.text, lang).splitlines()[0], 120)
        blocks.append(Block("item", f"• {question} — {label}"))
        if on_path:
            rows.append([Button(encode("c", node_id), short(
                _("✏️ Change: {answer}").format(answer=label)))])
    if final:
        rows.append([Button(encode("tc"), _("✅ That's right, show the result"))])
    return Message(tuple(blocks), tuple(tuple(r) for r in rows))


def faq_message(kb: KnowledgeBase, entry: FaqEntry, lang: str) -> list[Block]:
    """An FAQ answer: the question it answers, the answer, its sources and review date."""
    questions = entry.questions.get(lang)
    blocks = [Block("title", questions[0] if questions else entry.id)]
    blocks += text_blocks(kb.text(entry.answer, lang))
    blocks += outcome.source_blocks(kb, entry.sources, entry.reviewed, lang, limit=3)
    return blocks
