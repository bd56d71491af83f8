"""Fixtures for the fake Bot API's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

# `tests.fakeapi` is imported by absolute name; make the repository root importable however
# pytest is started (plain `pytest`, `python -m pytest`, --import-mode=importlib).
from tests.fakeapi.server import FakeBotApi


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api
    # A test that made the bot call a method the fake does not know should fail loudly.
    assert not api.unknown_methods, f"unknown Bot API methods called: {api.unknown_methods}"
