"""A loopback fake of the Telegram Bot API plus a user-side helper, for end-to-end tests.

from tests.fakeapi import FakeBotApi, FakeUser
"""

from tests.fakeapi.server import ChatMessage, FakeBotApi, RecordedCall, TgUser
from tests.fakeapi.user import FakeUser

__all__ = ["ChatMessage", "FakeBotApi", "FakeUser", "RecordedCall", "TgUser"]
