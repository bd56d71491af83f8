"""Blocks → escaped HTML, split below Telegram's limit at paragraph boundaries."""

from __future__ import annotations

import html
import json
import re

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.formatting import MAX_MESSAGE_CHARS, block_html, keyboard, render_html
from dialogs.reply import Block, Button

TAG = re.compile(r"</?(b|i)>")


def test_styles_become_tags_and_every_text_is_escaped() -> None:
    blocks = [
        Block("title", "Work <permit> & visa"),
        Block("text", "Fee: 10 MCI < 20 MCI"),
        Block("item", "Passport & copy"),
        Block("note", "<script>alert(1)</script>"),
    ]
    (text,) = render_html(blocks)
    assert text == (
        "<b>Work &lt;permit&gt; &amp; visa</b>\n"
        "Fee: 10 MCI &lt; 20 MCI\n\n"
        "• Passport &amp; copy\n\n"
        "<i>&lt;script&gt;alert(1)&lt;/script&gt;</i>"
    )


def test_heading_is_bold_and_keeps_quotes_readable() -> None:
    assert block_html(Block("heading", 'He said "yes"')).text == '<b>He said "yes"</b>'


def test_long_replies_are_split_between_paragraphs() -> None:
    paragraphs = [Block("text", f"Paragraph {n}: " + "word " * 150) for n in range(20)]
    chunks = render_html(paragraphs)
    assert len(chunks) > 1
    assert all(len(chunk) <= MAX_MESSAGE_CHARS for chunk in chunks)
    # nothing lost, nothing cut inside a paragraph
    joined = "\n\n".join(chunks)
    for n in range(20):
        assert joined.count(f"Paragraph {n}: ") == 1
    for chunk in chunks:
        assert chunk.startswith("Paragraph ") and chunk.rstrip().endswith("word")


def test_a_single_giant_paragraph_is_cut_at_sentences() -> None:
    text = " ".join(f"Sentence number {n} says something & more." for n in range(400))
    chunks = render_html([Block("note", text)])
    assert len(chunks) > 1
    for chunk in chunks:
        assert len(chunk) <= MAX_MESSAGE_CHARS
        assert chunk.startswith("<i>") and chunk.endswith(".</i>")  # tags stay balanced
    plain = " ".join(html.unescape(TAG.sub("", c)) for c in chunks)
    assert plain == text


@given(st.lists(st.tuples(st.sampled_from(["title", "heading", "text", "item", "note"]),
                          st.text(min_size=1, max_size=3000)), max_size=8))
def test_any_content_gives_valid_chunks(items: list[tuple[str, str]]) -> None:
    blocks = [Block(style, text) for style, text in items]  # type: ignore[arg-type]
    for chunk in render_html(blocks):
        assert len(chunk) <= MAX_MESSAGE_CHARS
        # only our tags, balanced, and no raw "<" or "&" from the content
        without_tags = TAG.sub("", chunk)
        assert "<" not in without_tags and ">" not in without_tags
        assert chunk.count("<b>") == chunk.count("</b>")
        assert chunk.count("<i>") == chunk.count("</i>")
        assert re.search(r"&(?!(lt|gt|amp);)", without_tags) is None


def test_keyboard_uses_button_ids_as_callback_data() -> None:
    markup = keyboard([[Button("a:q:x", "Yes"), Button("a:q:y", "No")], [Button("menu", "Menu")]])
    assert markup is not None
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows == [[("Yes", "a:q:x"), ("No", "a:q:y")], [("Menu", "menu")]]
    assert keyboard([]) is None


def test_a_keyboard_serialises_like_ptbs_own_and_only_once(monkeypatch) -> None:
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    rows = [[Button("a:q:x", "Да"), Button("a:q:y", "Нет")], [Button("menu", "Меню")]]
    markup = keyboard(rows)
    plain = InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.id)
                                   for b in row] for row in rows])
    assert markup is not None and markup.to_dict() == plain.to_dict()
    assert "_as_dict" not in markup.to_dict()  # the cache never goes to Telegram
    assert markup == plain and keyboard(rows) is markup  # the same keyboard object is reused
    calls = []
    monkeypatch.setattr(InlineKeyboardMarkup, "to_dict",
                        lambda self, recursive=True: calls.append(1) or {})
    assert markup.to_dict()["inline_keyboard"][0][0]["callback_data"] == "a:q:x"
    assert calls == []  # served from the cache, PTB's serialiser is not run again


def test_pack_joins_messages_without_buttons_and_keeps_the_edit_first() -> None:
    from bot.telegram.delivery import pack
    from dialogs.reply import Block, Button, Message

    edit = Message((Block("title", "A"),), (), replace=True)
    middle = Message((Block("text", "B"),))
    last = Message((Block("text", "C"),), ((Button("menu", "Menu"),),))
    packed = pack([edit, middle, last])
    assert len(packed) == 1
    assert [b.text for b in packed[0].blocks] == ["A", "B", "C"]
    assert packed[0].replace is True and packed[0].buttons == last.buttons
    # A message with buttons ends a pack; a replacing message never joins an earlier one.
    assert len(pack([last, middle])) == 2
    assert len(pack([middle, edit])) == 2


async def test_typing_is_shown_only_when_the_work_takes_a_while() -> None:
    import asyncio

    from bot.telegram.delivery import typing

    class Bot:
        def __init__(self) -> None:
            self.actions: list[tuple[int, str]] = []

        async def send_chat_action(self, chat_id: int, action: str) -> None:
            self.actions.append((chat_id, str(action)))

    quick, slow = Bot(), Bot()
    async with typing(quick, 1, delay=0.2):
        await asyncio.sleep(0)
    await asyncio.sleep(0.3)  # the timer was cancelled: nothing fires later
    assert quick.actions == []
    async with typing(slow, 2, delay=0.01):
        await asyncio.sleep(0.1)
    assert slow.actions == [(2, "typing")]


def test_a_planned_reply_survives_the_outbox_as_it_will_be_sent() -> None:
    """What a killed process left in the outbox is sent as planned: the same texts, the same
    keyboards (inline, reply keys, their removal), as new messages (nothing to edit any more)."""
    from telegram import Bot, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

    from bot.telegram.delivery import Outgoing, from_stored, stored
    inline = keyboard([[Button("a:1", "Yes"), Button("a:2", "No")]])
    keys = ReplyKeyboardMarkup([["Share my phone"]], resize_keyboard=True)
    planned = [Outgoing("<b>Part 1</b>", None, edit=True), Outgoing("Part 2", inline),
               Outgoing("Keys", keys), Outgoing("Bye", ReplyKeyboardRemove())]
    bot = Bot("123:abc")
    back = from_stored(json.loads(json.dumps(stored(planned))), bot)
    assert [p.text for p in back] == [p.text for p in planned]
    assert not any(p.edit for p in back)
    assert back[0].markup is None
    assert isinstance(back[1].markup, InlineKeyboardMarkup)
    assert back[1].markup.to_dict() == inline.to_dict()
    assert isinstance(back[2].markup, ReplyKeyboardMarkup)
    assert back[2].markup.to_dict() == keys.to_dict()
    assert isinstance(back[3].markup, ReplyKeyboardRemove)
