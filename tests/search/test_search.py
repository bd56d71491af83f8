"""FAQ search on a small made-up base: the behaviours the dialog engine relies on."""

from __future__ import annotations

import pytest

from dialogs.search import FaqSearch, SearchResult, Thresholds
from dialogs.search import index as index_module
from dialogs.search.devset import FaqRecord as Entry
from dialogs.search.devset import SmalltalkRecord as Talk

FAQ = [
    Entry(
        "quota",
        {
            "ru": ["Что такое квота на иностранную рабочую силу?", "квота на иностранцев"],
            "kk": ["Шетелдік жұмыс күшіне квота деген не?"],
            "en": ["What is the foreign labour quota?"],
        },
        {"ru": ["квота", "лимит"], "en": ["quota"]},
    ),
    Entry(
        "validity",
        {
            "ru": ["Сколько действует разрешение на работу?", "срок разрешения"],
            "kk": ["Жұмысқа рұқсат қанша уақытқа беріледі?"],
            "en": ["How long is a work permit valid?"],
        },
        {"ru": ["срок", "действует"], "en": ["validity"]},
    ),
    Entry(
        "fee",
        {
            "ru": ["Сколько стоит разрешение на работу?", "сбор за разрешение"],
            "kk": ["Жұмысқа рұқсат қанша тұрады?", "рұқсат үшін алым"],
            "en": ["How much does a work permit cost?", "work permit fee"],
        },
        {"ru": ["стоимость", "сбор", "цена"], "en": ["fee", "cost"]},
    ),
    Entry(
        "residence",
        {
            "ru": ["Как получить вид на жительство?"],
            "kk": ["Тұруға ықтиярхатты қалай алуға болады?"],
            "en": ["How do I get a residence permit?"],
        },
        {"ru": ["внж"], "kk": ["ықтиярхат"]},
    ),
]
TALK = [
    Talk("hello", {"ru": ["привет"], "kk": ["сәлем"], "en": ["hello", "hi"]}),
    Talk("thanks", {"ru": ["спасибо"], "kk": ["рахмет"], "en": ["thanks"]}),
]


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    return FaqSearch.build(FAQ, TALK)


def top(result: SearchResult) -> str | None:
    return result.matches[0].id if result.matches else None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("скока действует разрешение", "validity"),
        ("сколко стоит разрешение на роботу", "fee"),
        ("skolko stoit razreshenie", "fee"),
        ("руксат канша турады", "fee"),
        ("rdjnf yf byjcnhfywtd", "quota"),  # "квота на иностранцев" on the English layout
        ("kak poluchit vnzh", "residence"),
        ("ықтиярхат алу", "residence"),
    ],
)
def test_finds_the_entry_however_it_is_typed(
    search: FaqSearch, query: str, expected: str
) -> None:
    result = search.search(query, "ru")
    assert result.kind in ("answer", "suggest")
    assert top(result) == expected


def test_a_clear_question_is_answered_and_names_the_question_it_answers(
    search: FaqSearch,
) -> None:
    result = search.search("скока стоит разрешение на работу?", "ru")
    assert result.kind == "answer"
    assert top(result) == "fee"
    assert result.matches[0].question in FAQ[2].questions[result.matches[0].lang]
    assert 0 < result.matches[0].score <= 100
    assert len(result.matches) <= 3


def test_cross_language_question_finds_the_entry_and_its_language(search: FaqSearch) -> None:
    result = search.search("сколько стоит разрешение на работу", "en")
    assert top(result) == "fee"
    assert result.query_lang == "ru"
    result = search.search("жұмысқа рұқсат қанша тұрады", "en")
    assert top(result) == "fee"
    assert result.query_lang == "kk"


def test_ambiguous_short_query_suggests_instead_of_answering(search: FaqSearch) -> None:
    result = search.search("разрешение", "ru")
    assert result.kind == "suggest"
    assert {m.id for m in result.matches} >= {"validity", "fee"}


@pytest.mark.parametrize(
    "query", ["какая погода в астане", "расскажи анекдот", "how to cook pilaf", "ыыыы"]
)
def test_off_topic_is_not_answered(search: FaqSearch, query: str) -> None:
    result = search.search(query, "ru")
    assert result.kind == "none"
    assert result.matches == ()


@pytest.mark.parametrize(
    ("query", "talk"), [("Привет!", "hello"), ("hi there", "hello"), ("рахмет", "thanks")]
)
def test_small_talk_gets_small_talk(search: FaqSearch, query: str, talk: str) -> None:
    result = search.search(query, "en")
    assert result.kind == "smalltalk"
    assert result.smalltalk_id == talk
    assert result.matches == ()


def test_a_greeting_with_a_question_is_a_question(search: FaqSearch) -> None:
    result = search.search("привет, сколько стоит разрешение на работу?", "ru")
    assert result.kind in ("answer", "suggest")
    assert top(result) == "fee"


def test_the_index_is_not_rebuilt_per_query(
    search: FaqSearch, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("index text normalised during a query")

    monkeypatch.setattr(index_module, "index_term", fail)
    monkeypatch.setattr(FaqSearch, "build", fail)
    assert top(search.search("квота", "ru")) == "quota"


def test_entries_without_keywords_or_some_languages_are_fine() -> None:
    search = FaqSearch.build([Entry("only_en", {"en": ["What is the MCI?"]})])
    assert top(search.search("mci", "ru")) == "only_en"
    assert FaqSearch.build([]).search("квота", "ru").kind == "none"


# -- negation, small talk inside questions, Kazakh suffixes ------------------------------------

NEGATION_FAQ = [
    Entry(
        "exempt",
        {
            "ru": ["Кому не нужно разрешение на работу?", "кто освобождён от разрешения"],
            "kk": ["Кімге жұмысқа рұқсат керек емес?"],
            "en": ["Who does not need a work permit?"],
        },
    ),
    Entry(
        "documents",
        {
            "ru": ["Какие документы нужны для разрешения на работу?"],
            "kk": ["Жұмысқа рұқсат үшін қандай құжаттар керек?"],
            "en": ["What documents are needed for a work permit?"],
        },
    ),
    Entry(
        "what_is",
        {
            "ru": ["Что такое разрешение на работу?", "кому нужно разрешение на работу"],
            "kk": ["Жұмысқа рұқсат деген не?"],
            "en": ["What is a work permit?", "who needs a work permit"],
        },
    ),
    Entry(
        "consultant",
        {
            "ru": ["Как связаться с консультантом?"],
            "kk": ["Кеңесшімен қалай байланысуға болады?"],
            "en": ["How do I contact a consultant?"],
        },
        {"ru": ["консультант"], "kk": ["кеңесші"], "en": ["consultant"]},
    ),
    Entry(
        "registration",
        {
            "ru": ["Нужна ли иностранцу регистрация?"],
            "kk": ["Шетелдікке тіркелу керек пе?"],
            "en": ["Does a foreigner need to register?"],
        },
        {"ru": ["регистрация"], "kk": ["тіркеу"], "en": ["registration"]},
    ),
    Entry(
        "russia",
        {
            "ru": ["Нужно ли гражданам России разрешение?"],
            "kk": ["Ресей азаматтарына рұқсат керек пе?"],
            "en": ["Do Russian citizens need a permit?"],
        },
        {"kk": ["ресей"]},
    ),
]
NEGATION_TALK = [
    *TALK,
    Talk("help", {"ru": ["помощь"], "kk": ["көмек"], "en": ["help"]}),
    Talk("no", {"ru": ["нет", "не нужно"], "kk": ["жоқ"], "en": ["no"]}),
    Talk("complaint", {"en": ["doesn't work"]}),
]


@pytest.fixture(scope="module")
def negation_search() -> FaqSearch:
    return FaqSearch.build(NEGATION_FAQ, NEGATION_TALK)


@pytest.mark.parametrize(
    "query",
    [
        # a known miss until the lead features (2026-12-07): "получать разрешение на работу" is
        # closer to "кто получает разрешение" (what_is) by the character n-grams
        "кому не надо получать разрешение на работу",
        "кому разрешение не требуется",
        "кимге руксат кажет емес",
        "who doesn't need a work permit",
        "a work permit is not required for whom",
    ],
)
def test_who_does_not_need_reaches_the_exemption_entry(
    negation_search: FaqSearch, query: str
) -> None:
    result = negation_search.search(query, "ru")
    assert result.kind in ("answer", "suggest")
    assert top(result) == "exempt"


def test_who_needs_does_not_reach_the_exemption_entry(negation_search: FaqSearch) -> None:
    assert top(negation_search.search("кому нужно разрешение на работу", "ru")) == "what_is"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("помощь консультанта", "consultant"),
        ("нет регистрации", "registration"),
        ("тіркеуім жоқ", "registration"),
        ("help contacting a consultant", "consultant"),
        ("не нужно разрешение", "exempt"),
    ],
)
def test_a_small_talk_word_with_domain_words_is_a_question(
    negation_search: FaqSearch, query: str, expected: str
) -> None:
    result = negation_search.search(query, "ru")
    assert result.kind in ("answer", "suggest"), result
    assert top(result) == expected


@pytest.mark.parametrize(
    ("query", "talk"),
    [("нет", "no"), ("не нужно", "no"), ("помощь", "help"), ("hello there", "hello"),
     ("спасибо большое", "thanks"), ("привет, какая погода", "hello")],
)
def test_the_whole_message_as_small_talk_is_still_small_talk(
    negation_search: FaqSearch, query: str, talk: str
) -> None:
    result = negation_search.search(query, "ru")
    assert (result.kind, result.smalltalk_id) == ("smalltalk", talk)


def test_a_kazakh_root_with_unseen_suffixes_finds_its_entry(negation_search: FaqSearch) -> None:
    # "ресейденмін" (I am from Russia): the base only spells "ресей"
    result = negation_search.search("ресейденмін, рұқсат керек пе", "kk")
    assert top(result) == "russia"


def test_an_exact_question_is_found_among_many_entries_sharing_its_words() -> None:
    # Thirty entries mention "work permit" with one more word each; the one that asks exactly
    # "what is a work permit" is indexed last. Cutting the shortlist inside the tie of entries
    # that cover the query equally used to drop it.
    others = [Entry(f"e{n}", {"en": [f"work permit {word}" for word in (f"topic{n}", f"thing{n}",
                                                                        f"case{n}")]})
              for n in range(30)]
    target = Entry("what_is", {"en": ["what is a work permit", "work permit meaning",
                                      "work permit explained"]})
    # All 31 share every word of the query, so the policy may well hesitate ("none" at the
    # shipped floor in a base this uniform); what must hold is the order, hence a floor of 1.
    search = FaqSearch.build([*others, target], TALK,
                             thresholds=Thresholds(floor=1.0, lead_floor=1.0))
    result = search.search("what is a work permit", "en")
    assert result.matches and result.matches[0].id == "what_is"
