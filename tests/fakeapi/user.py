"""``FakeUser``: a Telegram user driving the bot through the fake server, one line per turn.

Usage::

    alice = FakeUser(api, 1001, language_code="kk", first_name="Aigerim")
    await alice.send("/start")
    reply = await alice.wait_reply()
    await alice.press("English")          # the button with this label in the latest keyboard
    assert "work permit" in (await alice.wait_reply()).text
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fakeapi.server import ChatMessage, FakeBotApi


class FakeUser:
    """A private-chat user (chat id = user id) with Telegram's user fields."""

    def __init__(
        self,
        api: FakeBotApi,
        id: int,
        *,
        language_code: str | None = "en",
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
    ) -> None:
        self.api = api
        self.id = id
        self.language_code = language_code
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self._seen_version = api.chat_version(id)

    # ---- acting ------------------------------------------------------------------------------

    async def send(self, text: str) -> int:
        """Write a message (``/command`` included); returns its message id."""
        self._mark()
        return self.api.user_sends_text(self, text)

    async def press(self, label: str) -> str:
        """Press the button labelled ``label`` in the latest bot message that has a keyboard.

        Exact label first, then a unique case-insensitive substring. For an inline keyboard a
        callback query is sent (its id is returned); for a reply keyboard the label is sent as
        text (the message id is returned, as a string).
        """
        message = self.keyboard_message()
        if message is None:
            raise AssertionError(f"user {self.id}: no bot message with a keyboard to press")
        labels = [text for row in message.buttons for text in row]
        chosen = label if label in labels else None
        if chosen is None:
            matches = [text for text in labels if label.casefold() in text.casefold()]
            if len(matches) != 1:
                raise AssertionError(
                    f"user {self.id}: button {label!r} not found (or ambiguous) in message "
                    f"{message.message_id}; labels: {labels}"
                )
            chosen = matches[0]
        self._mark()
        if "inline_keyboard" in (message.reply_markup or {}):
            data = message.callback_data(chosen)
            if data is None:
                raise AssertionError(f"button {chosen!r} has no callback_data (a URL button?)")
            return self.api.user_presses(self, message.message_id, data)
        return str(self.api.user_sends_text(self, chosen))

    async def press_data(self, callback_data: str, message_id: int | None = None) -> str:
        """Press a button with arbitrary (possibly forged) data under a bot message."""
        if message_id is None:
            latest = self.keyboard_message() or self.last_message()
            if latest is None:
                raise AssertionError(f"user {self.id}: no bot message to press under")
            message_id = latest.message_id
        self._mark()
        return self.api.user_presses(self, message_id, callback_data)

    async def send_photo(self, caption: str | None = None) -> int:
        self._mark()
        return self.api.user_sends_photo(self, caption)

    async def send_sticker(self, emoji: str = "👍") -> int:
        self._mark()
        return self.api.user_sends_sticker(self, emoji)

    async def send_voice(self) -> int:
        self._mark()
        return self.api.user_sends_voice(self)

    async def send_document(self, file_name: str = "passport.pdf") -> int:
        self._mark()
        return self.api.user_sends_document(self, file_name)

    async def send_location(self) -> int:
        self._mark()
        return self.api.user_sends_location(self)

    async def send_contact(self) -> int:
        self._mark()
        return self.api.user_sends_contact(self)

    async def edit(self, message_id: int, text: str) -> None:
        self._mark()
        self.api.user_edits_message(self, message_id, text)

    async def inline(self, query: str) -> str:
        return self.api.inline_query(self, query)

    async def block(self) -> None:
        self.api.user_blocks_bot(self)

    # ---- looking -----------------------------------------------------------------------------

    def messages(self) -> list[ChatMessage]:
        """The bot's visible messages in this chat, oldest first."""
        return self.api.sent_to(self.id)

    def last_message(self) -> ChatMessage | None:
        messages = self.messages()
        return messages[-1] if messages else None

    def keyboard_message(self) -> ChatMessage | None:
        """The latest bot message that carries a keyboard."""
        for message in reversed(self.messages()):
            if message.buttons:
                return message
        return None

    def callback_answer(self, query_id: str) -> dict[str, Any] | None:
        """What the bot answered to a button press (None if not answered yet)."""
        return self.api.callback_answers.get(query_id)

    async def wait_reply(self, timeout: float = 5.0, *, settle: float = 0.15) -> ChatMessage:
        """Wait until the bot sends, edits or deletes something after the user's last action,
        then until it has been quiet for ``settle`` seconds; return the latest bot message."""
        mark = self._seen_version
        await self.api.wait_for(
            lambda: self.api.chat_version(self.id) > mark,
            timeout,
            message=f"for a reply to user {self.id} ",
        )
        await self._settle(settle)
        self._seen_version = self.api.chat_version(self.id)
        message = self.last_message()
        assert message is not None, f"user {self.id}: the bot's messages were all deleted"
        return message

    async def wait_text(self, fragment: str, timeout: float = 5.0) -> ChatMessage:
        """Wait for a bot message in this chat whose text contains ``fragment``."""

        def find() -> ChatMessage | None:
            for message in reversed(self.messages()):
                if message.text and fragment in message.text:
                    return message
            return None

        found = await self.api.wait_for(find, timeout, message=f"for {fragment!r} ")
        self._seen_version = self.api.chat_version(self.id)
        return found

    def _mark(self) -> None:
        self._seen_version = self.api.chat_version(self.id)

    async def _settle(self, quiet: float) -> None:
        version = self.api.chat_version(self.id)
        while True:
            await asyncio.sleep(quiet)
            current = self.api.chat_version(self.id)
            if current == version:
                return
            version = current
