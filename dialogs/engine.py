"""The chat engine: one user's input (a text or a button press) → a reply, updating the session.

Telegram, the console and the JSON-lines chat all drive this one class::

    engine = ChatEngine(load_knowledge())
    session = engine.new_session(lang_hint="kk")
    reply = engine.handle(session, UserInput(text="/start"))
    reply = engine.handle(session, UserInput(press=reply.messages[-1].buttons[0][0].id))

The engine is pure and synchronous: no I/O. What should be stored besides the session (statistics,
questions the bot could not answer) comes back as ``reply.events`` for the adapter to persist in
the same transaction as the session.

Every input is checked against the current state. A button that does not belong to it (from an
old message, after a restart or a knowledge-base change, or forged) never raises: the user gets
"this menu is out of date" and their current step.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from dialogs import outcome, render
from dialogs.buttons import Press, decode, encode
from dialogs.deadline_chat import DeadlineChat
from dialogs.deadlines import today_kz
from dialogs.deadlines.clock import now_kz
from dialogs.deadlines.format import format_day
from dialogs.handoff import HandoffChat
from dialogs.i18n import LANGUAGES, language_name, normalise_language, translator
from dialogs.inline import InlineAnswer, inline_answers
from dialogs.links import decode_link
from dialogs.records import NoRecords, UserRecords
from dialogs.reply import Block, Button, Message, plain_text
from dialogs.search import FaqSearch, SearchResult, UserCase
from dialogs.situation import SituationReader
from dialogs.state import Session
from dialogs.turn import EngineReply, Event, UserInput
from dialogs.walker import FlowWalker, StaleAnswer
from knowledge.facts import long_date
from knowledge.model import KnowledgeBase

logger = logging.getLogger(__name__)

MAX_TEXT = 1000  # characters of free text we search; longer messages get a polite note
CHECKLIST_AIM = 1500  # characters of the checklist message (each tick edits it)
START_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class ChatEngine:
    def __init__(
        self,
        kb: KnowledgeBase,
        search: FaqSearch | None = None,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        today: Callable[[], dt.date] = today_kz,
        reminders: bool = False,
    ):
        self.kb = kb
        self.reminders = reminders
        self.handoff = HandoffChat(now=now, contacts=self._contact)  # dialogs.handoff
        self.deadlines = DeadlineChat(kb, today)
        self.situation = SituationReader(kb.situations, kb.flows)
        # one reader for both: its country index is a good part of the search's memory
        self.search = search or FaqSearch.for_knowledge(kb, reader=self.situation)
        self.walkers = {flow_id: FlowWalker(flow) for flow_id, flow in kb.flows.items()}
        self.smalltalk = {entry.id: entry for entry in kb.smalltalk}
        self.now = now

    # --- sessions -------------------------------------------------------------------------------

    def new_session(self, lang_hint: str | None = None) -> Session:
        default = self.kb.meta.default_language
        return Session(lang=normalise_language(lang_hint, default))

    def resume(self, session: Session) -> str | None:
        """Make a stored session fit this knowledge base; return a note for the user, if any.

        After a reload the interview continues at the same question when it still exists,
        with the answers that still fit; otherwise it restarts gently. A stored state that does
        not agree with its own answers (tampered or corrupt) is rebuilt from the answers.
        """
        dialog = session.dialog
        if dialog is None:
            return None
        _ = translator(session.lang).gettext
        walker = self.walkers.get(dialog.flow)
        if walker is None:
            session.dialog = None
            return _("The guide was updated and this interview no longer exists. "
                     "Please choose again from the menu.")
        step = walker.start(self.kb.version, {**dialog.pending, **dialog.answers}, dialog.told)
        rebuilt = step.state
        consistent = (rebuilt.node == dialog.node and rebuilt.history == dialog.history
                      and rebuilt.answers == dialog.answers)
        if consistent and dialog.kb_version == self.kb.version:
            return None
        rebuilt.changing = dialog.changing if consistent else None
        session.dialog = rebuilt
        if dialog.kb_version != self.kb.version and rebuilt.node != dialog.node:
            return _("The guide was updated, so some questions changed. "
                     "Your answers that still apply are kept.")
        return None

    # --- input ----------------------------------------------------------------------------------

    def handle(self, session: Session, user_input: UserInput,
               records: UserRecords | None = None) -> EngineReply:
        """Answer one input. Never raises: a bug becomes an apology and the session is unchanged.

        ``records`` is what the adapter stores about the user besides the session (checklist
        ticks); what the turn changes in it comes back as ``reply.events``."""
        before = session.to_json()
        try:
            return self._handle(session, user_input, records or NoRecords())
        except Exception:  # the last line of defence; the log has the details
            logger.exception("engine failed on %r", user_input.press or "<text>")
            restored = Session.from_json(before)
            for name in vars(restored):
                setattr(session, name, getattr(restored, name))
            _ = translator(session.lang).gettext
            reply = EngineReply(self.reminders)
            reply.add([Block("text", _("Sorry, something went wrong on my side. Your answers "
                                       "are safe; please try again or use /menu."))],
                      self.continue_rows(session))
            reply.events.append(Event("engine_error", {}))
            return reply

    def _handle(self, session: Session, user_input: UserInput,
                records: UserRecords) -> EngineReply:
        reply = EngineReply(self.reminders)
        reply.records = records
        reply.handoff = user_input.handoff
        note = self.resume(session)
        if note:
            reply.add([Block("note", note)])
        if user_input.contact is not None:
            session.last_press = None
            if not self.handoff.shared(session, user_input.contact, reply):
                notice = self.not_text(session, "contact")  # a contact nobody asked for
                reply.messages += notice.messages
                reply.events += notice.events
        elif user_input.press is not None:
            repeated = user_input.press == session.last_press
            self._press(session, user_input.press, reply)
            session.last_press = user_input.press
            if repeated and any(e.kind == "stale_button" for e in reply.events):
                # A double tap: the first tap was answered; a second "out of date" message
                # would only bury it (#17). The adapter still answers the button's spinner.
                reply.messages.clear()
                reply.events[:] = [Event("repeated_press", {})]
        else:
            session.last_press = None
            self._text(session, user_input.text or "", reply)
        return reply

    def wants_records(self, user_input: UserInput) -> bool:
        """Whether this input shows a screen that reads the user's records (the checklist), so
        the adapter loads them for the turn; other turns need no storage trip."""
        if user_input.press is not None:
            press = decode(user_input.press)
            return press is not None and (press.kind in ("ck", "docs", "rc", "rm") or (
                press.kind == "contact" and user_input.handoff))
        words = (user_input.text or "").split(maxsplit=1)
        return bool(words) and words[0].split("@", 1)[0].lower() in ("/checklist", "/reminders")

    def _text(self, session: Session, text: str, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        text = text.strip()
        if session.awaiting == "forget":
            session.awaiting = None  # anything else typed keeps the data
        if self.handoff.text(session, text, reply):
            return
        if not text:
            reply.add([Block("text", _("Please type your question, or choose from the menu."))],
                      self._menu_rows(session))
            return
        if text.startswith("/"):
            session.awaiting = None
            self._command(session, text, reply)
            return
        if len(text) > MAX_TEXT:
            reply.add(
                [Block("text", _("Your message is too long for me ({count} characters). Please "
                                 "ask one question in a sentence or two.").format(
                                     count=len(text)))],
                self.continue_rows(session),
            )
            reply.events.append(Event("too_long", {"length": len(text)}))
            return
        if session.awaiting and self.deadlines.text(session, text, reply):
            return
        if self._typed_answer(session, text, reply):
            return
        self._faq(session, text, reply)

    def _typed_answer(self, session: Session, text: str, reply: EngineReply) -> bool:
        """A typed text equal to a button label of the current question answers it."""
        dialog = session.dialog
        if dialog is None:
            return False
        node = self.walkers[dialog.flow].node(dialog.node)
        if node.type != "question":
            return False
        wanted = text.casefold().strip(" .!")
        for option in node.options:
            if self.kb.text(option.label, session.lang).casefold().strip(" .!") == wanted:
                self._answer(session, dialog.node, option.id, reply, replace=False)
                return True
        return False

    def _command(self, session: Session, text: str, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        command, _sep, argument = text[1:].partition(" ")
        command = command.split("@", 1)[0].lower()  # /start@my_bot in groups
        argument = argument.strip()
        if command == "start":
            self._start(session, argument, reply)
        elif command == "menu":
            self._main_menu(session, reply)
        elif command == "help":
            self._help(session, reply)
        elif command in ("restart",):
            if session.dialog is not None:
                self._begin(session, session.dialog.flow, reply, replace=False)
            else:
                self._main_menu(session, reply)
        elif command == "cancel":
            had_dialog = session.dialog is not None
            session.dialog = None
            reply.add([Block("text", _("Interview stopped. Your answers were cleared.")
                             if had_dialog else _("Nothing to cancel."))],
                      self._menu_rows(session))
        elif command in ("language", "lang"):
            self._language_picker(session, reply)
        elif command == "answers":
            self._summary(session, reply)
        elif command == "back":
            self._back(session, reply, replace=False)
        elif command == "checklist":
            self._checklist(session, reply, None)
        elif command == "reminders":
            self._reminders(session, reply)
        elif command == "forget":
            self._forget_question(session, reply)
        else:
            reply.add([Block("text", _("I don't know the command /{command}.").format(
                command=command[:32])), Block("text", _("Try /menu or /help."))],
                self._menu_rows(session))

    def _press(self, session: Session, data: str, reply: EngineReply) -> None:
        press = decode(data)
        if press is None:
            self._stale(session, reply)
            return
        if press.kind == "noop":
            return  # a calendar header: nothing to do (Telegram still answers the callback)
        if press.kind == "fg":  # before the pending question is cleared: it is the check
            if not self._on_forget(session, press, reply):
                self._stale(session, reply)
            return
        if press.kind == "ho":  # the same: consent is valid only while it is the question
            if not self.handoff.press(session, press.args[0], reply):
                self._stale(session, reply)
            return
        if press.kind not in ("dm", "noop"):
            session.awaiting = None  # any other button leaves a pending question
        handlers: dict[str, Callable[[Session, Press, EngineReply], bool | None]] = {
            "a": self._on_answer,
            "b": lambda s, p, r: self._back(s, r, replace=True),
            "r": self._on_restart,
            "s": lambda s, p, r: self._summary(s, r),
            "c": self._on_change,
            "x": lambda s, p, r: self._current_step(s, r),
            "m": self._on_flow,
            "f": self._on_faq,
            "nq": self._on_not_what_i_asked,
            "l": self._on_language,
            "menu": lambda s, p, r: self._main_menu(s, r),
            "topics": lambda s, p, r: self._topics(s, r),
            "t": self._on_topic,
            "docs": lambda s, p, r: self._checklist(s, r, None),
            "ck": lambda s, p, r: self._checklist(s, r, p.args[0] if p.args else None),
            "o": self._on_section,
            "rc": self._on_cancel_reminder,
            "lang": lambda s, p, r: self._language_picker(s, r),
            "help": lambda s, p, r: self._help(s, r),
            "contact": lambda s, p, r: self._on_contact(s, r),
            "sh": lambda s, p, r: self._share(s, r),
            "dl": self._on_deadlines,
            "d": lambda s, p, r: self.deadlines.open(s, p.args[0], r),
            "dm": lambda s, p, r: self.deadlines.month(s, p.args[0], p.args[1], r),
            "dd": lambda s, p, r: self.deadlines.pick(s, p.args[0], p.args[1], r),
            "rm": lambda s, p, r: self.deadlines.remind(s, p.args[0], p.args[1], r),
            "sc": self._on_check_case,
            "tc": self._on_told_confirmed,
        }
        handler = handlers.get(press.kind)
        if handler is None or handler(session, press, reply) is False:
            self._stale(session, reply)

    # --- the interview -------------------------------------------------------------------------

    def _walker(self, session: Session) -> FlowWalker | None:
        if session.dialog is None:
            return None
        return self.walkers.get(session.dialog.flow)

    def _begin(self, session: Session, flow_id: str, reply: EngineReply, *, replace: bool,
               answers: dict[str, str] | None = None, told: list[str] | None = None) -> None:
        walker = self.walkers[flow_id]
        step = walker.start(self.kb.version, answers, told)
        session.dialog = step.state
        reply.events.append(Event("flow_started", {"flow": flow_id}))
        at_outcome = walker.node(step.state.node).type == "outcome"
        if step.state.told and not at_outcome:  # what was read from the message, with ✏️
            message = render.told_message(self.kb, walker, step.state, session.lang,
                                          (session.told or {}).get("shown", {}), final=False)
            reply.add(message.blocks, message.buttons)
        self._show(session, step.new_info, reply, replace=replace, reached=True)

    def _show(self, session: Session, new_info: tuple[str, ...], reply: EngineReply, *,
              replace: bool, note: str | None = None, reached: bool = False) -> None:
        """Show the info nodes just passed, then the current question or the outcome."""
        walker = self._walker(session)
        assert walker is not None and session.dialog is not None
        for node_id in new_info:
            message = render.info_message(self.kb, walker, node_id, session.lang)
            reply.add(message.blocks)
        state = session.dialog
        node = walker.node(state.node)
        if node.type == "outcome" and state.told:
            # answers read from the user's message are never silently final: they are shown,
            # each with its ✏️, and the result comes after "That's right"
            if note:
                reply.add([Block("note", note)])
            message = render.told_message(self.kb, walker, state, session.lang,
                                          (session.told or {}).get("shown", {}), final=True)
            reply.add(message.blocks, message.buttons, replace=replace and not new_info)
            return
        if node.type == "outcome":
            if note:
                reply.add([Block("note", note)])
            result = outcome.outcome_of(self.kb, walker, state)
            assert result is not None
            reply.add(outcome.head_blocks(self.kb, walker, state, result, session.lang),
                      self._outcome_rows(session, result), replace=replace and not new_info)
            if reached:  # shown again (continue, a stale button) is not finished again
                reply.events.append(Event("flow_finished", {"flow": state.flow,
                                                            "route": node.route}))
            session.last_route = node.route
            session.last_audience = walker.flow.audience
            return
        message = render.question_message(self.kb, walker, state, session.lang, note=note)
        reply.add(message.blocks, message.buttons, replace=replace and not new_info)

    def _answer(self, session: Session, node_id: str, option_id: str, reply: EngineReply, *,
                replace: bool) -> bool:
        walker = self._walker(session)
        if walker is None or session.dialog is None:
            return False
        try:
            step = walker.answer(session.dialog, node_id, option_id)
        except StaleAnswer:
            return False
        session.dialog = step.state
        reply.events.append(Event("answered", {"flow": step.state.flow, "node": node_id,
                                               "option": option_id}))
        self._show(session, step.new_info, reply, replace=replace, reached=True)
        return True

    def _on_check_case(self, session: Session, press: Press, reply: EngineReply) -> bool:
        """"Check my case": the interview the user's message belongs to, with what it said
        filled in (only answers that are still options of their questions)."""
        told = session.told
        if not told or told.get("flow") not in self.walkers:
            return False
        walker = self.walkers[told["flow"]]
        questions = {node.fact: node for node in walker.flow.nodes.values()
                     if node.type == "question" and node.fact}
        answers = {fact: option for fact, option in told["answers"].items()
                   if fact in questions and option in {o.id for o in questions[fact].options}}
        if not answers:
            return False
        self._begin(session, told["flow"], reply, replace=False, answers=answers,
                    told=list(answers))
        reply.events.append(Event("situation_used", {"flow": told["flow"],
                                                     "filled": len(session.dialog.told)
                                                     if session.dialog else 0}))
        return True

    def _on_told_confirmed(self, session: Session, press: Press, reply: EngineReply) -> bool:
        """"That's right": the answers read from the message are the user's own now."""
        dialog = session.dialog
        walker = self._walker(session)
        if dialog is None or walker is None or not dialog.told:
            return False
        dialog.told = []
        self._show(session, (), reply, replace=True, reached=True)
        return True

    def _on_answer(self, session: Session, press: Press, reply: EngineReply) -> bool:
        return self._answer(session, press.args[0], press.args[1], reply, replace=True)

    def _back(self, session: Session, reply: EngineReply, *, replace: bool) -> None:
        walker = self._walker(session)
        if walker is None or session.dialog is None:
            self._main_menu(session, reply)
            return
        step = walker.back(session.dialog)
        session.dialog = step.state
        self._show(session, (), reply, replace=replace)

    def _on_restart(self, session: Session, press: Press, reply: EngineReply) -> None:
        if session.dialog is None:
            self._main_menu(session, reply)
        else:
            self._begin(session, session.dialog.flow, reply, replace=False)

    def _on_change(self, session: Session, press: Press, reply: EngineReply) -> bool:
        walker = self._walker(session)
        if walker is None or session.dialog is None:
            return False
        try:
            step = walker.change(session.dialog, press.args[0])
        except StaleAnswer:
            return False
        session.dialog = step.state
        self._show(session, (), reply, replace=True)
        return True

    def _outcome_rows(self, session: Session, result: outcome.Outcome) -> list[list[Button]]:
        """Under the first message of a result: a button per section, the calculators of the
        route, change an answer, share, a consultant, and the way out."""
        _ = translator(session.lang).gettext
        labels = {"docs": _("📋 Documents"), "steps": _("🪜 Steps and timeline"),
                  "fees": _("💰 Fees"), "pitfalls": _("⚠️ Pitfalls"), "family": _("👪 Family"),
                  "about": _("ℹ️ Your case in detail"), "sources": _("📚 Sources")}
        sections = [Button(encode("ck") if name == "docs" else encode("o", name), labels[name])
                    for name in outcome.available_sections(self.kb, result, session.lang)]
        rows = [sections[i:i + 2] for i in range(0, len(sections), 2)]
        rows.append([Button(encode("o", "all"), _("📄 Send everything"))])
        rows += [[Button(encode("d", calc), "⏰ " + self.deadlines.title(calc, session.lang))]
                 for calc in self.deadlines.for_route(result.route.id)]
        rows.append([Button(encode("s"), _("✏️ Change an answer")),
                     Button(encode("sh"), _("📤 Share"))])
        rows.append([Button(encode("contact"), _("Talk to a consultant"))])
        rows.append([Button(encode("b"), _("◀ Back")), Button(encode("r"), _("↺ Start again")),
                     Button(encode("menu"), _("Main menu"))])
        return rows

    def _result_rows(self, session: Session) -> list[list[Button]]:
        """Under a section: back to the result (when the interview is still at it)."""
        _ = translator(session.lang).gettext
        walker = self._walker(session)
        if walker is not None and session.dialog is not None and \
                walker.node(session.dialog.node).type == "outcome":
            return [[Button(encode("x"), _("◀ Back to the result")),
                     Button(encode("menu"), _("Main menu"))]]
        return self.continue_rows(session)

    def _on_section(self, session: Session, press: Press, reply: EngineReply) -> bool:
        result = outcome.session_outcome(self.kb, self.walkers, session)
        name = press.args[0]
        if result is None or (name not in outcome.SECTIONS and name != "all"):
            return False
        lang = session.lang
        if name == "all":  # every section, one message each: for consultants and printing
            walker, state = self._walker(session), session.dialog
            at = walker is not None and state is not None and state.node in walker.flow.nodes \
                and walker.node(state.node).type == "outcome"
            messages = outcome.everything(self.kb, result, lang, walker if at else None, state)
            for index, blocks in enumerate(messages):
                last = index == len(messages) - 1
                reply.add(blocks, self._result_rows(session) if last else ())
            reply.events.append(Event("result_sent_whole", {"route": result.route.id}))
            return True
        blocks = outcome.section_blocks(self.kb, result, name, lang)
        if not blocks:
            return False
        if name == "sources":
            blocks += outcome.footer_blocks(self.kb, lang)
        parts = outcome.parts(blocks)
        page = press.args[1] if len(press.args) > 1 else "1"
        if not page.isdigit() or not 1 <= int(page) <= len(parts):
            return False  # a forged or out-of-date part
        number = int(page)
        title = outcome.title_blocks(self.kb, result.route, lang)[:1]
        rows = self._result_rows(session)
        if len(parts) > 1:
            _ = translator(lang).gettext
            title.append(Block("note", _("Part {number} of {total}").format(
                number=number, total=len(parts))))
            turn = []
            if number > 1:
                turn.append(Button(encode("o", name, str(number - 1)), _("◀ Previous part")))
            if number < len(parts):
                turn.append(Button(encode("o", name, str(number + 1)), _("Next part ▶")))
            rows = [turn, *rows]
        # Turning a part edits the message in place; opening a section sends a new one.
        reply.add([*title, *parts[number - 1]], rows, replace=len(press.args) > 1)
        return True

    def _checklist(self, session: Session, reply: EngineReply, document: str | None) -> bool:
        """The Documents section: the result's documents as a checklist (✅/⬜), by who
        prepares them, with a toggle for each; ticks come from the user's records."""
        _ = translator(session.lang).gettext
        result = outcome.session_outcome(self.kb, self.walkers, session)
        if result is None:
            if document is not None:
                return False
            reply.add([Block("text", _("The documents depend on your route. Answer a few "
                                       "questions and I will list them for you."))],
                      self._menu_rows(session))
            return True
        route = result.route.id
        ticks = dict(reply.records.ticks(route))
        if document is not None:
            if document not in {doc_id for doc_id, _doc in result.documents}:
                return False
            ticks[document] = not ticks.get(document, False)
            reply.events.append(Event("checklist_ticked", {
                "route": route, "document": document, "done": ticks[document]}))
        lang = session.lang
        # One message, as every tick edits it, that fits a phone: the notes shrink to their
        # first sentence, then go, when the list would be longer than CHECKLIST_AIM; then
        # "📝 What each document needs" shows them in full (the Documents section, in parts).
        for notes, short in ((True, False), (True, True), (False, False)):
            blocks, rows = self._checklist_blocks(result, ticks, lang, notes, short)
            if len(plain_text(blocks)) <= CHECKLIST_AIM:
                break
        if (not notes or short) and any(document_.notes for _id, document_ in result.documents):
            rows.append([Button(encode("o", "docs"), _("📝 What each document needs"))])
        reply.add(blocks, rows + self._result_rows(session), replace=document is not None)
        return True

    def _checklist_blocks(self, result: outcome.Outcome, ticks: dict[str, bool], lang: str,
                          notes: bool, short: bool) -> tuple[list[Block], list[list[Button]]]:
        _ = translator(lang).gettext
        done = sum(1 for doc_id, _doc in result.documents if ticks.get(doc_id))
        blocks = [Block("title", _("📋 Documents")),
                  Block("text", self.kb.text(result.route.title, lang)),
                  Block("note", _("{done} of {total} ready").format(
                      done=done, total=len(result.documents)))]
        rows: list[list[Button]] = []
        headings = outcome.side_headings(result.audience, lang)
        for side, docs in outcome.by_side(result):
            blocks.append(Block("heading", headings[side]))
            for doc_id, document_ in docs:
                mark = "✅" if ticks.get(doc_id) else "⬜"
                blocks.append(Block("text", f"{mark} " + outcome.document_text(
                    self.kb, document_, lang, notes=notes and outcome.with_notes(result, side),
                    short=short)))
                rows.append([Button(encode("ck", doc_id), render.short(
                    f"{mark} {self.kb.text(document_.name, lang)}"))])
        if result.documents:
            blocks.append(Block("note", _("Press a document to mark it ready or not ready.")))
        else:
            blocks.append(Block("text", _("This route needs no documents from you.")))
        return blocks, rows

    def _reminders(self, session: Session, reply: EngineReply, *, note: str | None = None,
                   cancelled: int | None = None) -> None:
        """/reminders: the pending reminders, each with a cancel button."""
        _ = translator(session.lang).gettext
        lang = session.lang
        pending = [r for r in reply.records.reminders() if r.id != cancelled]
        blocks = [Block("note", note)] if note else []
        blocks.append(Block("title", _("My reminders")))
        rows: list[list[Button]] = []
        if not pending:
            blocks.append(Block("text", _("You have no reminders. To set one, count a deadline "
                                          "in the Deadlines menu and press “🔔 Remind me”.")
                                if self.reminders else
                                _("This chat cannot send reminders; on Telegram the bot "
                                  "reminds you of your deadlines.")))
        for number, pending_ in enumerate(pending, 1):
            title = (self.deadlines.title(pending_.calculator, lang)
                     if pending_.calculator in self.kb.deadlines else pending_.title)
            local = now_kz(pending_.at)
            blocks.append(Block("text", _("{number}. {title}: deadline {date}; reminder on "
                                          "{day} at {time}.").format(
                number=number, title=title, date=format_day(pending_.due, lang),
                day=format_day(local.date(), lang), time=local.strftime("%H:%M"))))
            rows.append([Button(encode("rc", str(pending_.id)),
                                _("✖ Cancel reminder {number}").format(number=number))])
        if self.deadlines.available:
            rows.append([Button(encode("dl"), _("◀ Deadlines")),
                         Button(encode("menu"), _("Main menu"))])
        else:
            rows.append([Button(encode("menu"), _("Main menu"))])
        reply.add(blocks, rows, replace=cancelled is not None)

    def _on_cancel_reminder(self, session: Session, press: Press, reply: EngineReply) -> bool:
        """Cancel one of the user's own pending reminders (any other id is out of date)."""
        wanted = press.args[0]
        found = next((r for r in reply.records.reminders() if str(r.id) == wanted), None)
        if found is None:
            return False
        reply.events.append(Event("reminder_cancelled", {"id": found.id,
                                                         "calculator": found.calculator}))
        self._reminders(session, reply, cancelled=found.id,
                        note=translator(session.lang).gettext("Reminder cancelled."))
        return True

    def _forget_question(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        session.awaiting = "forget"  # the answer buttons are valid only right after this
        reply.add(
            [Block("title", _("Delete my data")),
             Block("text", _("This deletes everything the bot stores about you: language, "
                             "interview answers, checklist and questions. It cannot be undone."))],
            [[Button(encode("fg", "yes"), _("Yes, delete everything")),
              Button(encode("fg", "no"), _("No, keep it"))]],
        )

    def _on_forget(self, session: Session, press: Press, reply: EngineReply) -> bool:
        """``fg:yes`` deletes only when /forget has just asked (a stale or forged press is
        "out of date"); the adapter deletes the stored rows on ``user_forgotten``."""
        if session.awaiting != "forget" or press.args[0] not in ("yes", "no"):
            return False
        session.awaiting = None
        _ = translator(session.lang).gettext
        if press.args[0] == "no":
            self._main_menu(session, reply)
            return True
        fresh = self.new_session(self.kb.meta.default_language)
        for name in vars(fresh):
            setattr(session, name, getattr(fresh, name))
        reply.add([Block("text", _("Done: everything the bot stored about you is deleted. "
                                   "Send /start to begin again."))], replace=True)
        reply.events.append(Event("user_forgotten", {}))
        return True

    def _share(self, session: Session, reply: EngineReply) -> bool:
        walker = self._walker(session)
        if walker is None or session.dialog is None:
            return False
        state = session.dialog
        if walker.node(state.node).type != "outcome":
            return False
        _ = translator(session.lang).gettext
        reply.add([Block("note", _("Forward the next message to share this result."))])
        result = outcome.outcome_of(self.kb, walker, state)
        assert result is not None
        reply.add(outcome.share_blocks(self.kb, walker, state, result, session.lang,
                                       self.deadlines.today(),
                                       render.answer_lines(self.kb, walker, state, session.lang)))
        reply.events.append(Event("share_requested", {
            "flow": state.flow, "answers": dict(state.answers), "lang": session.lang}))
        return True

    def open_answers(self, session: Session, flow: str, answers: dict[str, str],
                     lang: str | None = None, kb_version: str | None = None) -> EngineReply:
        """Open an interview with answers filled in (a shared result or a consultant's link);
        a result shared from another `kb_version` of the guide says so first."""
        reply = EngineReply(self.reminders)
        if flow not in self.walkers:
            self._main_menu(session, reply, intro=True)
            return reply
        if lang in LANGUAGES:
            session.lang, session.lang_chosen = lang, True
        if kb_version is not None and kb_version != self.kb.version:
            _ = translator(session.lang).gettext
            reply.add([Block("note", _("The guide has been updated since this result was "
                                       "shared; the answers were applied to the current "
                                       "version."))])
        self._begin(session, flow, reply, replace=False, answers=answers)
        return reply

    def share_link(self, session: Session, reply: EngineReply, link: str,
                   expires: dt.date) -> None:
        """After a shared summary: the link that opens the same result, and until when."""
        _ = translator(session.lang).gettext
        reply.add([Block("text", _("Or send this link: it opens the same result in the bot. It "
                                   "works until {date}.").format(
                                       date=long_date(expires, session.lang))),
                   Block("text", link)])

    def share_refused(self, session: Session, reply: EngineReply, live: int) -> None:
        """The person already has as many working share links as the adapter keeps."""
        tr = translator(session.lang)
        reply.add([Block("text", tr.ngettext(
            "You already have {count} share link that still works, the most the bot keeps for "
            "one person. Forward the result above instead, or share again when older links "
            "expire.",
            "You already have {count} share links that still work, the most the bot keeps for "
            "one person. Forward the result above instead, or share again when older links "
            "expire.", live).format(count=live))])

    def _on_deadlines(self, session: Session, press: Press, reply: EngineReply) -> bool:
        if not self.deadlines.available:
            return False
        self.deadlines.menu(session, reply)
        return True

    def _on_flow(self, session: Session, press: Press, reply: EngineReply) -> bool:
        if press.args[0] not in self.walkers:
            return False
        self._begin(session, press.args[0], reply, replace=True)
        return True

    def _summary(self, session: Session, reply: EngineReply) -> None:
        walker = self._walker(session)
        if walker is None or session.dialog is None:
            _ = translator(session.lang).gettext
            reply.add([Block("text", _("You are not in an interview right now."))],
                      self._menu_rows(session))
            return
        message = render.summary_message(self.kb, walker, session.dialog, session.lang)
        reply.add(message.blocks, message.buttons)

    def _current_step(self, session: Session, reply: EngineReply, note: str | None = None) -> None:
        if self._walker(session) is None:
            if note:
                reply.add([Block("note", note)])
            self._main_menu(session, reply)
            return
        self._show(session, (), reply, replace=False, note=note)

    def inline_answers(self, query: str, lang: str) -> list[InlineAnswer]:
        """Answers for inline mode (``@bot question`` in any chat): see :mod:`dialogs.inline`."""
        return inline_answers(self.kb, self.search, query, lang)

    def reminder(self, calculator: str, due: dt.date, stored_title: str, lang: str,
                 today: dt.date | None = None) -> Message:
        """The reminder the adapter sends before a deadline on `due` (the days left counted
        from `today`, by default the engine's)."""
        return self.deadlines.reminder_message(calculator, due, stored_title, lang,
                                               today or self.deadlines.today())

    def invalid_link(self, session: Session) -> EngineReply:
        """A deep link that is not valid or has expired: a note and the usual start."""
        session.last_press = None  # any other input ends a double tap
        reply = EngineReply(self.reminders)
        self._start(session, "", reply, invalid=True)
        return reply

    def not_text(self, session: Session, what: str, *, edited: bool = False) -> EngineReply:
        """A message the bot cannot read: a photo, a sticker, a voice message (``what``), or an
        edited text (``edited``): say what it reads, keep the user where they are."""
        session.last_press = None
        _ = translator(session.lang).gettext
        reply = EngineReply(self.reminders)
        text = (_("I only read new messages, not edits. Please send your corrected message "
                  "again.") if edited else
                _("I can only read text messages. Please type your question in words, or use "
                  "the buttons."))
        reply.add([Block("text", text)], self.continue_rows(session))
        reply.events.append(Event("edited" if edited else "media", {"kind": what}))
        return reply

    def stale(self, session: Session) -> EngineReply:
        """"This menu is out of date" and the current step: for a button the adapter checked
        against its own records (a reminder that no longer exists)."""
        reply = EngineReply(self.reminders)
        self._stale(session, reply)
        return reply

    def _stale(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        reply.events.append(Event("stale_button", {}))
        self._current_step(session, reply, note=_("This menu is out of date. Here is where "
                                                  "you are now."))

    # --- menus ----------------------------------------------------------------------------------

    def _menu_rows(self, session: Session) -> list[list[Button]]:
        _ = translator(session.lang).gettext
        rows: list[list[Button]] = []
        if session.dialog is not None:
            rows.append([Button(encode("x"), _("Continue the interview"))])
        for flow_id, flow in self.kb.flows.items():
            rows.append([Button(encode("m", flow_id), render.short(
                self.kb.text(flow.title, session.lang)))])
        rows.append([Button(encode("topics"), _("Ask a question")),
                     Button(encode("docs"), _("Documents"))])
        if self.deadlines.available:
            rows.append([Button(encode("dl"), _("Deadlines"))])
        rows.append([Button(encode("contact"), _("Talk to a consultant"))])
        rows.append([Button(encode("lang"), _("Language")), Button(encode("help"), _("Help"))])
        return rows

    def continue_rows(self, session: Session) -> list[list[Button]]:
        _ = translator(session.lang).gettext
        if session.dialog is not None:
            return [[Button(encode("x"), _("Continue the interview"))],
                    [Button(encode("menu"), _("Main menu"))]]
        return [[Button(encode("menu"), _("Main menu"))]]

    def _main_menu(self, session: Session, reply: EngineReply, intro: bool = False) -> None:
        _ = translator(session.lang).gettext
        blocks = []
        if intro:
            blocks.append(Block("title", _("Hello! I help foreigners and employers find the legal "
                                           "way to work in Kazakhstan.")))
            blocks.append(Block("text", _("Answer a few questions and I will tell you which "
                                          "route applies, which documents each side needs, the "
                                          "steps, timelines and fees. You can also just type a "
                                          "question at any time.")))
        else:
            blocks.append(Block("title", _("Main menu")))
        blocks.append(Block("text", _("What would you like to do?")))
        reply.add(blocks, self._menu_rows(session))

    def _start(self, session: Session, payload: str, reply: EngineReply, *,
               invalid: bool = False) -> None:
        """``/start`` with its deep-link payload; a payload that opens nothing, or `invalid` (a
        link the adapter found expired), gets a note and the usual start."""
        _ = translator(session.lang).gettext
        if payload and START_PAYLOAD.match(payload) and self._deep_link(session, payload, reply):
            return
        if payload or invalid:
            reply.add([Block("note", _("This link is not valid or has expired, so here is "
                                       "the usual start."))])
        if session.dialog is not None:
            reply.add([Block("text", _("Welcome back! Your interview is saved; continue where "
                                       "you stopped, or choose something else."))],
                      self._menu_rows(session))
            return
        self._main_menu(session, reply, intro=True)

    def _deep_link(self, session: Session, payload: str, reply: EngineReply) -> bool:
        """``/start <flow>``, ``/start <flow>-<lang>``, ``/start lang-<lang>``, or a consultant's
        link with answers filled in (:mod:`dialogs.links`)."""
        target = decode_link(self.kb, payload)
        if target is not None:
            session.lang, session.lang_chosen = target.lang, True
            self._begin(session, target.flow, reply, replace=False, answers=target.answers)
            return True
        head, _sep, tail = payload.partition("-")
        if head == "lang" and tail in LANGUAGES:
            session.lang, session.lang_chosen = tail, True
            self._main_menu(session, reply, intro=True)
            return True
        if head in self.walkers and (not tail or tail in LANGUAGES):
            if tail:
                session.lang, session.lang_chosen = tail, True
            self._begin(session, head, reply, replace=False)
            return True
        return False

    def _help(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        blocks = [
            Block("title", _("How to use this bot")),
            Block("item", _("Choose in the menu whether you are an employer or a foreigner and "
                            "answer a few questions; the result lists the documents, steps, "
                            "timelines and fees.")),
            Block("item", _("Type a question in your own words at any time, in Russian, Kazakh "
                            "or English.")),
            Block("item", _("◀ Back returns to the previous question; “Your answers” lets you "
                            "change any answer without starting again.")),
            Block("item", _("Commands: /menu, /restart, /cancel, /language, /help.")),
        ]
        if self.reminders:
            blocks.append(Block("item", _("/reminders lists your deadline reminders.")))
        blocks += render.text_blocks(self.kb.text(self.kb.meta.disclaimer, session.lang), "note")
        reply.add(blocks, self._menu_rows(session))

    def _language_picker(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        rows = [[Button(encode("l", lang), language_name(lang)) for lang in LANGUAGES]]
        reply.add([Block("text", _("Choose your language:"))], rows)

    def _on_language(self, session: Session, press: Press, reply: EngineReply) -> bool:
        lang = press.args[0]
        if lang not in LANGUAGES:
            return False
        session.lang, session.lang_chosen = lang, True
        _ = translator(lang).gettext
        reply.add([Block("note", _("Language: {name}").format(name=language_name(lang)))])
        if session.dialog is not None:
            self._current_step(session, reply)
        else:
            self._main_menu(session, reply)
        return True

    def _on_contact(self, session: Session, reply: EngineReply) -> None:
        """"Talk to a consultant": the hand-off where the adapter can pass a case on (private
        chats only: it sends personal data), else the firm's contacts."""
        if reply.handoff:
            self.handoff.offer(session, reply)
        else:
            self._contact(session, reply)

    def _contact(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        blocks = [Block("title", _("Talk to a consultant"))]
        blocks += render.text_blocks(self.kb.text(self.kb.meta.contacts, session.lang))
        blocks += [Block("item", render.office_line(self.kb, office, session.lang))
                   for office in self.kb.meta.offices]
        reply.add(blocks, self.continue_rows(session))

    # --- FAQ ------------------------------------------------------------------------------------

    def _topics(self, session: Session, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        used = {entry.topic for entry in self.kb.faq}
        # In the order the admins wrote the titles in meta.yaml, then any without a title.
        topics = [t for t in self.kb.meta.topics if t in used]
        topics += sorted(used - set(topics))
        rows = [[Button(encode("t", topic), render.short(self.topic_title(topic, session.lang)))]
                for topic in topics]
        rows.append([Button(encode("menu"), _("Main menu"))])
        reply.add([Block("text", _("Type your question in your own words, or choose a topic:"))],
                  rows)

    def topic_title(self, topic: str, lang: str) -> str:
        titles = self.kb.meta.topics or {}
        return self.kb.text(titles[topic], lang) if topic in titles else topic.replace("_", " ")

    def _on_topic(self, session: Session, press: Press, reply: EngineReply) -> bool:
        _ = translator(session.lang).gettext
        entries = [e for e in self.kb.faq if e.topic == press.args[0]]
        if not entries:
            return False
        rows = [[Button(encode("f", e.id), render.short(e.questions.get(session.lang)[0]))]
                for e in entries]
        rows.append([Button(encode("topics"), _("◀ Topics")), Button(encode("menu"),
                                                                      _("Main menu"))])
        reply.add([Block("title", self.topic_title(press.args[0], session.lang))], rows,
                  replace=True)
        return True

    def _on_faq(self, session: Session, press: Press, reply: EngineReply) -> bool:
        entry = self.kb.faq_by_id.get(press.args[0])
        if entry is None:
            return False
        reply.add(render.faq_message(self.kb, entry, session.lang), self.continue_rows(session))
        reply.events.append(Event("faq_answered", {"faq": entry.id, "how": "button"}))
        return True

    def _read_situation(self, session: Session, text: str) -> tuple[list[Block], list[Button]]:
        """Facts the message states, kept for "Check my case" (outside an interview in
        progress): the note and the button to add to the reply, or nothing."""
        session.told = None
        dialog = session.dialog
        walker = self._walker(session)
        if dialog is not None and walker is not None and walker.node(dialog.node).type != \
                "outcome":
            return [], []
        facts = self.situation.read(text)
        found = self.situation.interview(facts)
        if found is None:
            return [], []
        flow, answers = found
        walker = self.walkers[flow]
        if not walker.answered_questions(walker.start(self.kb.version, answers).state):
            return [], []  # nothing it says is on the interview's way from its first question
        session.told = {"flow": flow, "answers": answers,
                        "shown": self.situation.shown(flow, facts)}
        tr = translator(session.lang)
        note = tr.ngettext(
            "I can check your case with what you wrote: {count} answer is filled in, I will ask "
            "only what is missing.",
            "I can check your case with what you wrote: {count} answers are filled in, I will "
            "ask only what is missing.", len(answers)).format(count=len(answers))
        return [Block("note", note)], [Button(encode("sc"), tr.gettext("🧭 Check my case"))]

    def _faq(self, session: Session, text: str, reply: EngineReply) -> None:
        _ = translator(session.lang).gettext
        told_blocks, told_buttons = self._read_situation(session, text)
        told_rows = [told_buttons] if told_buttons else []
        result: SearchResult = self.search.search(text, session.lang, case=_case(session))
        session.recent_questions = [*session.recent_questions, text[:300]][-5:]
        best = result.best_score
        if result.kind == "smalltalk" and result.smalltalk_id in self.smalltalk:
            entry = self.smalltalk[result.smalltalk_id]
            reply.add(render.text_blocks(self.kb.text(entry.reply, session.lang)),
                      self.continue_rows(session) if session.dialog else self._menu_rows(session))
            return
        if result.kind == "answer" and result.matches:
            entry = self.kb.faq_by_id[result.matches[0].id]
            blocks = render.faq_message(self.kb, entry, session.lang)
            rows = self.continue_rows(session)
            other = result.query_lang
            if other and other != session.lang and other in LANGUAGES:
                blocks.append(Block("note", translator(other).gettext(
                    "You wrote in {language}. Switch the bot to this language?").format(
                    language=language_name(other))))
                rows = [[Button(encode("l", other), "→ " + language_name(other))], *rows]
            rows = [[Button(encode("nq", entry.id), _("Not what I asked"))], *rows]
            second = [m for m in result.also if m.id in self.kb.faq_by_id]
            if second:  # a second question in the same message: one tap away
                blocks.append(Block("note", _("You also asked:")))
                rows = [[Button(encode("f", m.id), render.short(
                    self.kb.faq_by_id[m.id].questions.get(session.lang)[0]))]
                    for m in second] + rows
            reply.add(blocks + told_blocks, told_rows + rows)
            reply.events.append(Event("faq_answered", {"faq": entry.id, "how": "text",
                                                       "score": best}))
            return
        if result.kind == "suggest" and result.matches:
            rows = [[Button(encode("f", m.id), render.short(
                self.kb.faq_by_id[m.id].questions.get(session.lang)[0]))]
                for m in result.matches[:3] if m.id in self.kb.faq_by_id]
            rows += self.continue_rows(session)
            reply.add([Block("text", _("I am not sure I understood. Did you mean one of "
                                       "these?")), *told_blocks], told_rows + rows)
            reply.events.append(self._unanswered(session, text, "suggest", best))
            return
        rows = [[Button(encode("topics"), _("Browse topics"))]]
        rows += [[Button(encode("m", flow_id), render.short(self.kb.text(flow.title,
                                                                          session.lang)))]
                 for flow_id, flow in self.kb.flows.items() if session.dialog is None]
        rows += [[Button(encode("contact"), _("Talk to a consultant"))]]
        rows += self.continue_rows(session)
        if told_rows:  # a described situation without a question: the interview is the answer
            reply.add(told_blocks, told_rows + rows)
            reply.events.append(Event("situation_read", {"flow": session.told["flow"]}
                                      if session.told else {}))
            return
        reply.add([Block("text", _("Sorry, I have no answer to that yet. Try other words, "
                                   "answer the interview questions, or ask a consultant."))],
                  rows)
        reply.events.append(self._unanswered(session, text, "none", best))

    def _on_not_what_i_asked(self, session: Session, press: Press, reply: EngineReply) -> bool:
        """The user says the direct answer missed: the question goes to the unanswered list
        (``/unanswered``) and the other entries that came close are offered. Checked against the
        state: only the answer the user's last question got can be disowned."""
        _ = translator(session.lang).gettext
        if not session.recent_questions:
            return False
        text = session.recent_questions[-1]
        result = self.search.search(text, session.lang, limit=4, case=_case(session))
        if result.kind != "answer" or not result.matches or result.matches[0].id != press.args[0]:
            return False
        others = [m for m in result.matches[1:] if m.id in self.kb.faq_by_id][:3]
        rows = [[Button(encode("f", m.id), render.short(
            self.kb.faq_by_id[m.id].questions.get(session.lang)[0]))] for m in others]
        rows += [[Button(encode("topics"), _("Browse topics"))],
                 [Button(encode("contact"), _("Talk to a consultant"))]]
        rows += self.continue_rows(session)
        reply.add([Block("text", _("Thank you, I have noted the question for our consultants. "
                                   "Perhaps one of these?") if others else
                           _("Thank you, I have noted the question for our consultants."))],
                  rows)
        reply.events.append(self._unanswered(session, text, "not_this", result.best_score))
        return True

    def _unanswered(self, session: Session, text: str, kind: str, best: float | None) -> Event:
        return Event("unanswered", {"text": text[:MAX_TEXT], "lang": session.lang, "kind": kind,
                                    "best_score": best, "at": self.now().isoformat()})


def _case(session: Session) -> UserCase:
    """What the interview has learnt of the user, for search to rank their own case first."""
    return UserCase(session.last_route, session.last_audience)
