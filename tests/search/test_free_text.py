"""Free text as people write it: long messages, two questions in one, the user's own case, and
floors on the blind held-out sets (``tests/search/heldout/``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from bench.fit_ranker import OPENED
from dialogs.buttons import decode
from dialogs.engine import ChatEngine
from dialogs.search import NO_CASE, FaqSearch, UserCase
from dialogs.search.heldout import Tally, evaluate_heldout, load_heldout
from dialogs.search.ranker import FEATURES, MATCH_FEATURES, Model, leads, sentences
from dialogs.testing import ChatDriver
from knowledge import KnowledgeBase


@pytest.fixture(scope="module")
def search(kb: KnowledgeBase) -> FaqSearch:
    return FaqSearch.for_knowledge(kb)


def test_context_words_do_not_sink_a_question(search: FaqSearch) -> None:
    # The examples: one concrete word (a city, a job) used to turn an answer into "none".
    for short, long in [
        ("Сколько стоит разрешение?", "Сколько стоит разрешение для сварщика?"),
        ("can my wife work?", "can my wife work in Almaty?"),
    ]:
        assert search.search(short, "ru").kind == "answer", short
        result = search.search(long, "ru")
        assert result.kind in ("answer", "suggest"), long
        assert result.matches[0].id == search.search(short, "ru").matches[0].id, long


def test_a_long_message_with_a_greeting_and_a_story_finds_its_entry(search: FaqSearch) -> None:
    message = ("Здравствуйте! Меня зовут Азиз, я из Ташкента, работаю поваром в кафе в "
               "Шымкенте уже второй месяц, хозяин хороший. Подскажите пожалуйста, на какой "
               "срок выдают разрешение на работу иностранцу? Спасибо заранее")
    result = search.search(message, "ru")
    assert result.kind in ("answer", "suggest"), result  # the old search said "none"
    assert result.matches[0].id == "renew_validity"


def test_sentences_split_a_message_and_keep_it_whole() -> None:
    pieces = sentences("Салем! Мен Ташкенттен келдим. Рұқсат қанша тұрады?")
    assert pieces[0] == "Салем! Мен Ташкенттен келдим. Рұқсат қанша тұрады?"
    assert "Рұқсат қанша тұрады" in pieces
    assert sentences("квота") == ["квота"]


def test_two_questions_in_one_message_offer_the_second(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, lang="ru")
    chat.send("/start")
    chat.send("Добрый день. Мы строительная компания в Актау, берём сварщика из Турции. "
              "Сколько стоит разрешение на работу? А жена и дети могут приехать с ним?")
    presses = [decode(b.id) for b in chat.buttons()]
    offered = {p.args[0] for p in presses if p is not None and p.kind == "f"}
    assert "Вы также спросили:" in chat.text()
    assert "family_visa" in offered


def test_a_single_question_offers_no_second(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, lang="ru")
    chat.send("/start")
    chat.send("Сколько стоит разрешение на работу?")
    assert "Вы также спросили:" not in chat.text()


def test_the_users_route_ranks_their_own_case_first(search: FaqSearch) -> None:
    question = "ВРП-сыз мұнда қанша уақыт тұра аламын?"
    features = search.features(question, UserCase("eaeu"))
    own = FEATURES.index("own_route")
    eaeu = search.entry_ids.index("eaeu_stay_limit")
    assert features[eaeu, own] == 1.0
    assert search.features(question)[eaeu, own] == 0.0
    ranked = search.ranking(question, UserCase("eaeu"))
    assert ranked[0] == "eaeu_stay_limit", ranked


def test_the_plain_view_seconds_the_entry_nearest_as_written(search: FaqSearch) -> None:
    nearest = FEATURES.index("nearest")
    message = "Добрый день, сколько стоит разрешение на работу для сварщика из Турции?"
    features = search.features(message)
    entry, lead = search.ranker.nearest_entry(message)
    assert search.entry_ids[entry] == "fee_amount"
    assert features[entry, nearest] == pytest.approx(lead) and 0 < lead <= 1
    assert (features[:, nearest] > 0).sum() == 1  # one entry, the nearest, gets the feature
    # A lone word is as near to the short variants of several entries: no second opinion.
    assert not search.features("разрешение")[:, nearest].any()


def test_leads_say_how_far_each_entry_is_from_the_best_other() -> None:
    values = np.array([[0.9, 0.2], [0.5, 0.2], [0.1, 0.0]])
    # the best is ahead of the runner-up; the others are behind the best; a tie leads nobody
    assert np.allclose(leads(values), [[0.4, 0.0], [-0.4, 0.0], [-0.8, -0.2]])
    assert np.allclose(leads(np.array([[0.3, 0.0]])), [[0.3, 0.0]])  # one entry: nothing beside


def test_an_entry_that_stands_out_gets_its_lead_as_features(search: FaqSearch) -> None:
    x = search.features("how long is a work permit valid")
    first = FEATURES.index(f"{MATCH_FEATURES[0]}_ahead")
    ahead, behind = x[:, first:first + len(MATCH_FEATURES)], x[:, first + len(MATCH_FEATURES):]
    best = search.entry_ids.index(search.search("how long is a work permit valid", "en")
                                  .matches[0].id)
    assert (ahead >= 0).all() and (behind <= 0).all()
    assert ahead[best].sum() > 10 * -behind[best].sum()  # far ahead by most, near by the rest
    assert np.allclose(ahead - (-behind), leads(x[:, :len(MATCH_FEATURES)]))


def test_the_engine_passes_the_case_the_interview_found(engine: ChatEngine,
                                                        monkeypatch) -> None:
    chat = ChatDriver(engine, lang="ru")
    chat.send("/start")
    seen = []
    original = engine.search.search

    def spy(query, lang, limit=3, case=NO_CASE):
        seen.append(case)
        return original(query, lang, limit, case)

    monkeypatch.setattr(engine.search, "search", spy)
    chat.send("сколько стоит разрешение?")
    chat.session.last_route, chat.session.last_audience = "eaeu", "worker"
    chat.send("а сколько я могу тут находиться пока РВП не сделаю?")
    assert seen == [NO_CASE, UserCase("eaeu", "worker")]


def test_the_users_side_ranks_the_answers_written_for_it_first(search: FaqSearch) -> None:
    """An employer's "our side" is the employer's documents, a worker's family is the worker's:
    the FAQ's ``audience`` and the side of the interview the user went through."""
    question = "какие документы с нашей стороны нужны?"
    own, other = FEATURES.index("own_audience"), FEATURES.index("other_audience")
    employer = search.features(question, UserCase("work_permit", "employer"))
    docs, family = (search.entry_ids.index(i) for i in ("docs_employer", "family_documents"))
    assert (employer[docs, own], employer[family, other]) == (1.0, 1.0)
    assert not search.features(question)[:, own:other + 1].any()  # no interview, no side
    weights = Model.load().weights
    assert weights["other_audience"] < 0 <= weights["own_audience"]
    assert search.ranking(question, UserCase("work_permit", "employer"))[0] == "docs_employer"


def test_the_model_file_names_every_feature() -> None:
    model = Model.load()
    assert set(model.weights) == set(FEATURES)
    assert {"answer", "margin", "floor"} <= set(model.thresholds)
    # trained on the dev sets and the sealed sets already opened, never on one still sealed
    splits = {source.rsplit("_", 1)[0] for source in model.trained_on}
    assert model.trained_on and splits <= {"old-dev", "dev", "devoff", *OPENED}, splits
    assert "sealed7" not in OPENED and "sealed7" not in splits


# -- the blind held-out dev sets (the ranker is fitted on them: floors, not figures) -----------

def test_held_out_dev_sets_are_complete() -> None:
    items = load_heldout("dev")
    assert {i.lang for i in items} == {"ru", "kk", "en"}
    assert len(items) >= 300
    assert sum(i.kind == "long" for i in items) >= len(items) // 2 - 15
    assert sum(i.kind == "offtopic" for i in items) >= 45


def _tallies(search: FaqSearch, split: str) -> tuple[Tally, Tally, Tally]:
    """On-topic, long and off-topic tallies of a held-out split, as the user would see them."""
    tallies = evaluate_heldout(
        lambda item: search.search(item.query, item.lang, case=item.case), load_heldout(split))
    return tallies["all", "on-topic"], tallies["all", "long"], tallies["all", "offtopic"]


def test_held_out_dev_floors(search: FaqSearch) -> None:
    on_topic, long, off = _tallies(search, "dev")
    assert on_topic.share(on_topic.direct_right) >= 0.50, on_topic.failures[:20]
    assert on_topic.share(on_topic.direct_right + on_topic.in_suggestions) >= 0.82
    assert on_topic.share(on_topic.wrong_direct) <= 0.04
    assert long.share(long.none) <= 0.08
    assert off.share(off.offtopic_direct) <= 0.10


@dataclass(frozen=True)
class Floors:
    """A little under what the set gave when it was opened (None: not checked for that set)."""

    right: float  # on-topic answered directly and right, at least
    found: float  # on-topic answered or offered, at least
    wrong: float  # on-topic wrong direct answers, at most
    off: float  # off-topic answered directly, at most
    long_none: float | None = None  # long messages with no answer, at most
    long_right: float | None = None  # long messages answered directly and right, at least
    off_total: int | None = None  # off-topic messages in the set


SEALED_FLOORS = {
    # Opened once, on 2026-12-06, for the final figures (on-topic: 52% answered right, 85% with
    # the right entry answered or offered, 3% wrong direct, 6% none; off-topic 4% answered).
    "sealed": Floors(0.48, 0.80, 0.04, 0.08, long_none=0.10),
    # Written blind on 2026-12-06 after the first sealed set had been opened, and opened once the
    # same day for the longer variant lists and the refitted ranker (on-topic: 52% answered
    # right, 89% answered or offered, 2.7% wrong direct, 6% none; off-topic 0% answered; ranking
    # first 82% against the TF-IDF baseline's 72%).
    "sealed2": Floors(0.48, 0.85, 0.04, 0.05, long_none=0.08, off_total=45),
    # Written blind on 2026-12-07 (needs list regenerated from the current answers) and opened
    # once the same day for the plain-view "nearest" feature and the calibration with the
    # off-topic dev sets (on-topic: 59.7% answered right, 88.3% answered or offered, 2.7% wrong
    # direct, 6% none; long 53.9% right; off-topic 1.7% answered; ranking first 84% against the
    # TF-IDF baseline's 68%; the design before it, in the same opening: 54.7% / 88.3% / 2.0% /
    # 6.3%).
    "sealed3": Floors(0.56, 0.85, 0.035, 0.05, long_none=0.10, long_right=0.50, off_total=60),
    # Written blind on 2026-12-07 and opened once, later that day, for the ranker fitted on the
    # opened sets and the variants added for their misses (on-topic: 63.0% answered right, 93.0%
    # answered or offered, 1.7% wrong direct, 4.0% none; long 55.2% right; off-topic 10.0%
    # answered, over the 5% target; the morning's search on it: 60.0% / 90.3% / 3.0% / 4.3%,
    # off-topic 6.7%).
    "sealed4": Floors(0.60, 0.90, 0.03, 0.12, long_none=0.07, long_right=0.52, off_total=60),
    # Written blind on 2026-12-07 and opened once, that evening, for the ranker's "abroad" and
    # "kz_citizen" features and sealed4 as training data (on-topic: 75.3% answered right, 94.7%
    # answered or offered, 2.3% wrong direct, 1.3% none; long 72.7% right; off-topic 8.3%
    # answered, over the 5% target; the morning's search on it: 68.7% / 94.7% / 3.0%).
    # Trained on since: with the side features (2026-12-08) 81.7% right, 3.3% wrong (10 of 300).
    "sealed5": Floors(0.72, 0.92, 0.035, 0.10, long_right=0.69, off_total=60),
    # Written blind on 2026-12-07 from a brief regenerated from that day's answers, opened once,
    # later that day, for the ranker's lead features and sealed5 as training data (on-topic:
    # 71.3% answered right, 93.0% answered or offered, 3.7% wrong direct, over the 3% target,
    # 1.7% none; long 66.1% right, 2.4% none; short 82.9%; follow-ups 60.0%, 20% wrong; off-topic
    # 0% answered; the ranker before the change, in the same opening: 65.3% / 93.7% / 2.7%).
    "sealed6": Floors(0.69, 0.91, 0.045, 0.05, long_none=0.05, long_right=0.63, off_total=60),
    # Written blind on 2026-12-08 by three new helpers, opened once the same night for the side
    # features (``audience``), the case features' lighter penalty and sealed6 as training data
    # (on-topic: 74.0% answered right, 95.7% answered or offered, 2.0% wrong direct, 1.0% none;
    # long 63.0% right; short 92.4%; follow-ups 70.0%, 3.3% wrong; off-topic 3.3% answered; the
    # ranker before the change, in the same opening: 73.0% / 95.3% / 2.3%, follow-ups 66.7% /
    # 6.7% wrong, off-topic 5.0%).
    "sealed7": Floors(0.72, 0.94, 0.03, 0.05, long_none=0.04, long_right=0.60, off_total=60),
}
"""Regression floors on the blind sealed sets. sealed to sealed6 are the ranker's training data
(``bench.fit_ranker.OPENED``): their floors are regression checks; sealed7 is not trained on."""


@pytest.mark.parametrize("split", sorted(SEALED_FLOORS))
def test_held_out_sealed_floors(search: FaqSearch, split: str) -> None:
    floors = SEALED_FLOORS[split]
    on_topic, long, off = _tallies(search, split)
    assert on_topic.total == 300
    if floors.off_total is not None:
        assert off.total == floors.off_total
    assert on_topic.share(on_topic.direct_right) >= floors.right
    if floors.long_right is not None:
        assert long.share(long.direct_right) >= floors.long_right
    assert on_topic.share(on_topic.direct_right + on_topic.in_suggestions) >= floors.found
    assert on_topic.share(on_topic.wrong_direct) <= floors.wrong
    if floors.long_none is not None:
        assert long.share(long.none) <= floors.long_none
    assert off.share(off.offtopic_direct) <= floors.off


def test_work_in_another_country_is_not_answered_directly(search: FaqSearch,
                                                          kb: KnowledgeBase) -> None:
    # the ranker's "abroad" and "kz_citizen" weigh against every entry; without the countries of
    # situations.yaml the same message is answered with the visa entry
    query = "how do I get a work visa for Germany as IT specialist"
    assert search.search(query, "en").kind != "answer"
    assert FaqSearch.build(kb.faq, kb.smalltalk).search(query, "en").kind == "answer"


def test_not_what_i_asked_records_the_question_and_offers_the_others(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, lang="en")
    chat.send("/start")
    chat.send("how long is a work permit valid")
    answered = [decode(b.id) for b in chat.buttons() if b.label == "Not what I asked"]
    assert answered and answered[0].args[0] == "renew_validity"
    reply = chat.press("Not what I asked")
    assert "noted the question" in chat.text()
    events = [e for e in reply.events if e.kind == "unanswered"]
    assert events and events[0].data["kind"] == "not_this"
    assert events[0].data["text"] == "how long is a work permit valid"
    assert "Talk to a consultant" in [b.label for b in chat.buttons()]


def test_a_forged_not_what_i_asked_is_stale(engine: ChatEngine) -> None:
    chat = ChatDriver(engine, lang="en")
    chat.send("/start")
    chat.send("how long is a work permit valid")
    reply = chat.press_id("nq:fee_amount")  # not the entry that was answered
    assert not [e for e in reply.events if e.kind == "unanswered"]
    assert "out of date" in chat.text()


def test_zero_width_characters_do_not_defeat_the_faq(search: FaqSearch) -> None:
    plain = search.search("how long is a work permit valid", "en")
    hidden = search.search("how lo\u200bng is a wo\u200brk per\u200dmit va\u2060lid", "en")
    assert hidden.kind == plain.kind == "answer"
    assert hidden.matches[0].id == plain.matches[0].id


def test_the_bench_reads_the_routes_and_sides_the_bot_uses(kb: KnowledgeBase) -> None:
    """make bench builds its search from the YAML files: with each entry's routes and side, so
    the follow-up figures are the bot's (without them, own_route never fired in the bench)."""
    from dialogs.search.devset import load_faq

    records = {r.id: r for r in load_faq()}
    routed = [e for e in kb.faq if e.routes]
    assert routed and all(records[e.id].routes == tuple(e.routes) for e in routed)
    sided = [e for e in kb.faq if e.audience]
    assert {e.audience for e in sided} == {"worker", "employer"}
    assert all(records[e.id].audience == e.audience for e in sided)


def test_the_writers_list_of_needs_is_every_entry_without_its_figures(kb: KnowledgeBase) -> None:
    from bench.needs import SUMMARY_CHARS, needs

    lines = needs()
    assert [line.split(" ", 2)[1] for line in lines] == [e.id for e in kb.faq]
    assert all(len(line.split("): ", 1)[1]) <= SUMMARY_CHARS for line in lines)
    assert any("{" in line for line in lines)  # placeholders, not the figures they stand for
