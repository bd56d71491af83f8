"""Property tests: any sequence of engine operations (answers, back, change, restart, menus,
free text, with valid and random ids) keeps a valid state and always yields a reply."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs.buttons import decode
from dialogs.engine import ChatEngine, UserInput
from dialogs.state import Session
from knowledge import load_knowledge

KB = load_knowledge()
ENGINE = ChatEngine(KB)
IDS = sorted({node for flow in KB.flows.values() for node in flow.nodes}
             | {o.id for flow in KB.flows.values() for n in flow.nodes.values() for o in n.options})
FIXED = ["b", "r", "s", "x", "menu", "topics", "docs", "lang", "help", "contact", "l:kk", "l:en",
         "l:ru", *(f"m:{flow}" for flow in KB.flows)]

valid_press = st.sampled_from(FIXED)
answer_press = st.builds(lambda n, o: f"a:{n}:{o}", st.sampled_from(IDS), st.sampled_from(IDS))
change_press = st.builds(lambda n: f"c:{n}", st.sampled_from(IDS))
random_press = st.text(max_size=70)
texts = st.one_of(
    st.sampled_from(["/start", "/menu", "/restart", "/cancel", "/back", "/answers", "/help",
                     "/language", "/start worker-kk", "/start nope", "привет", "квота",
                     "razreshenie na rabotu", "рұқсат", "rdjnf"]),
    st.text(max_size=300),
)
operation = st.one_of(
    valid_press.map(lambda p: UserInput(press=p)),
    answer_press.map(lambda p: UserInput(press=p)),
    change_press.map(lambda p: UserInput(press=p)),
    random_press.map(lambda p: UserInput(press=p)),
    texts.map(lambda t: UserInput(text=t)),
)


def assert_valid(session: Session) -> None:
    assert session.lang in ("ru", "kk", "en")
    dialog = session.dialog
    if dialog is None:
        return
    flow = KB.flows[dialog.flow]
    assert dialog.node in flow.nodes
    assert all(node in flow.nodes for node in dialog.history)
    recorded = {flow.nodes[n].fact: flow.nodes[n] for n in dialog.history
                if flow.nodes[n].type == "question"}
    for fact, option in dialog.answers.items():
        assert fact in recorded, (fact, dialog)
        assert option in {o.id for o in recorded[fact].options}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=1, max_size=25), st.sampled_from(["ru", "kk", "en"]))
def test_any_sequence_keeps_a_valid_state_and_always_replies(ops, lang) -> None:
    session = ENGINE.new_session(lang)
    for op in ops:
        reply = ENGINE.handle(session, op)
        # silent only for a second tap on a button that is already out of date
        assert reply.messages or [e.kind for e in reply.events] == ["repeated_press"], op
        for message in reply.messages:
            assert message.text.strip()
            for row in message.buttons:
                for button in row:
                    assert decode(button.id) is not None
                    assert len(button.id.encode()) <= 64
                    assert button.label.strip()
        assert_valid(session)
        session = Session.from_json(session.to_json())  # as storage would


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_a_stored_session_of_any_text_loads(text) -> None:
    session = Session.from_json(text)
    assert session.lang in ("ru", "kk", "en")
    reply = ENGINE.handle(session, UserInput(text="/menu"))
    assert reply.messages


junk = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.sampled_from(IDS),
                 st.lists(st.sampled_from(IDS), max_size=5),
                 st.dictionaries(st.sampled_from(IDS), st.sampled_from(IDS), max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({
    "lang": junk, "lang_chosen": junk, "last_route": junk, "last_audience": junk,
    "recent_questions": junk,
    "dialog": st.fixed_dictionaries({
        "flow": st.one_of(st.sampled_from(sorted(KB.flows)), junk),
        "node": junk, "answers": junk, "history": junk, "kb_version": junk,
        "changing": junk, "pending": junk,
    }),
}), operation)
def test_a_tampered_stored_session_never_breaks_the_engine(data, op) -> None:
    import json

    session = Session.from_json(json.dumps(data))
    reply = ENGINE.handle(session, op)
    assert reply.messages
    assert_valid(session)
