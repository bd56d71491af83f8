"""Reading Bot API request parameters the way Telegram does.

PTB 22 posts ``application/x-www-form-urlencoded`` bodies (``multipart/form-data`` when a file is
attached) in which every non-string value is JSON-encoded: ``chat_id=123``,
``reply_markup={"inline_keyboard": ...}``, ``text`` as is. Other clients send JSON bodies or query
strings. ``read_params`` accepts all of them and returns typed values.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

INT_PARAMS = frozenset(
    {
        "chat_id",
        "message_id",
        "offset",
        "limit",
        "timeout",
        "user_id",
        "cache_time",
        "max_connections",
        "from_chat_id",
        "reply_to_message_id",
        "message_thread_id",
    }
)
JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "allowed_updates",
        "results",
        "entities",
        "caption_entities",
        "link_preview_options",
        "reply_parameters",
        "message_ids",
        "button",
        "media",
    }
)
BOOL_PARAMS = frozenset(
    {
        "show_alert",
        "disable_notification",
        "protect_content",
        "drop_pending_updates",
        "is_personal",
        "allow_sending_without_reply",
    }
)


class BadParams(ValueError):
    """A parameter could not be decoded; becomes a 400 Bad Request."""


def coerce(name: str, value: Any) -> Any:
    """Turn a form-encoded string into the type Telegram expects for ``name``."""
    if not isinstance(value, str):
        return value
    if name in JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError as exc:
            raise BadParams(f"can't parse {name} JSON object") from exc
    if name in INT_PARAMS:
        stripped = value.strip()
        if stripped.lstrip("-").isdigit():
            return int(stripped)
        return value  # e.g. chat_id "@channelname"
    if name in BOOL_PARAMS:
        return value.strip().lower() in ("true", "1")
    return value


async def read_params(request: web.Request) -> dict[str, Any]:
    """All parameters of a request: query string plus JSON, form or multipart body."""
    raw: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError as exc:
                raise BadParams("can't parse JSON body") from exc
            if not isinstance(body, dict):
                raise BadParams("JSON body must be an object")
            raw.update(body)
        elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    raw[key] = {"filename": value.filename, "size": len(value.file.read())}
                else:
                    raw[key] = value
    return {key: coerce(key, value) for key, value in raw.items()}
