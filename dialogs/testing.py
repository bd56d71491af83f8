"""A test double for conversations: send texts and press buttons by their label.

Modelled on aiogram-dialog's ``test_tools``::

    chat = ChatDriver(ChatEngine(kb), lang="en")
    chat.send("/start")
    chat.press("I am a worker")         # by label (exact, else the only one containing it)
    chat.press_id("a:citizenship:eaeu")  # or by button id
    assert "EAEU" in chat.text()
"""

from __future__ import annotations

from dialogs.engine import ChatEngine, EngineReply, UserInput
from dialogs.records import MemoryRecords
from dialogs.reply import Button
from dialogs.state import Session


class ButtonNotFound(AssertionError):
    pass


class ChatDriver:
    def __init__(self, engine: ChatEngine, lang: str = "en", session: Session | None = None,
                 *, handoff: bool = False):
        self.engine = engine
        self.handoff = handoff  # as an adapter with a consultants' chat, in a private chat
        self.session = session or engine.new_session(lang)
        self.session.lang = lang
        self.replies: list[EngineReply] = []
        self.records = MemoryRecords()  # checklist ticks, as the adapter would store them

    @property
    def last(self) -> EngineReply:
        return self.replies[-1]

    def send(self, text: str) -> EngineReply:
        return self._handle(UserInput(text=text, handoff=self.handoff))

    def press_id(self, button_id: str) -> EngineReply:
        return self._handle(UserInput(press=button_id, handoff=self.handoff))

    def walk(self, flow: str, answers: list[list[str]]) -> EngineReply:
        """/start, choose the interview, press each [node, option] answer by its id."""
        self.send("/start")
        reply = self.press_id(f"m:{flow}")
        for node, option in answers:
            reply = self.press_id(f"a:{node}:{option}")
        return reply

    def share_contact(self, phone: str) -> EngineReply:
        """The "share my phone number" key (Telegram sends the number as a contact)."""
        return self._handle(UserInput(contact=phone, handoff=self.handoff))

    def press(self, label: str) -> EngineReply:
        return self.press_id(self.find(label).id)

    def buttons(self) -> list[Button]:
        """The buttons of the last reply, top to bottom."""
        return [b for m in self.last.messages for row in m.buttons for b in row]

    def find(self, label: str) -> Button:
        buttons = self.buttons()
        exact = [b for b in buttons if b.label == label]
        if exact:
            return exact[0]
        partial = [b for b in buttons if label.casefold() in b.label.casefold()]
        if len(partial) == 1:
            return partial[0]
        labels = ", ".join(repr(b.label) for b in buttons)
        raise ButtonNotFound(f"no single button {label!r} among {labels}")

    def text(self) -> str:
        """All text of the last reply."""
        return "\n\n".join(m.text for m in self.last.messages)

    def _handle(self, user_input: UserInput) -> EngineReply:
        reply = self.engine.handle(self.session, user_input, self.records)
        self.records.apply(reply.events)
        # The session must survive storage at every step, as it does on Telegram.
        self.session = Session.from_json(self.session.to_json())
        self.replies.append(reply)
        return reply
