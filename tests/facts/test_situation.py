"""Facts read from a described situation (#13): the reader, its use in the chat, the validator.

The held-out figures are in ``test_heldout_facts.py`` and ``make bench``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dialogs.engine import ChatEngine
from dialogs.situation import SituationReader
from dialogs.turn import UserInput
from knowledge import KnowledgeBase, check_knowledge
from knowledge.loader import DEFAULT_DIR


@pytest.fixture(scope="module")
def reader(kb: KnowledgeBase) -> SituationReader:
    return SituationReader(kb.situations, kb.flows)


@pytest.mark.parametrize(("text", "expected"), [
    # negation next to the phrase, on either side, and its absence
    ("Я гражданин Узбекистана, ВНЖ нет", {"status": "none", "citizenship": "UZ"}),
    ("Я гражданин Узбекистана, у меня есть ВНЖ", {"status": "permanent"}),
    ("I'm from Turkey and I don't have any residence permit", {"status": "none"}),
    ("Мен Өзбекстан азаматымын. Ықтиярхатым жоқ.", {"status": "none", "citizenship": "UZ"}),
    ("Здравствуйте, я не гражданин ЕАЭС, хочу работать", {"citizenship_group": "other"}),
    # a temporary residence permit is not a residence permit
    ("У меня РВП, хочу устроиться на работу", {"status": "none", "role": "worker"}),
    # a job the category question's help names gives its category, in case forms and typos
    ("Мы ТОО в Караганде, хотим нанять 5 сварщиков", {"category": "cat4"}),
    ("Our company wants to bring a welder from Azerbaijan", {"category": "cat4"}),
    ("I am a software developer from India", {"category": "cat3"}),
    ("Мен Түркиядан келген инженермін", {"category": "cat3"}),
    # Russian in Latin letters, Kazakh without Kazakh letters, Kazakh in Latin letters
    ("Privet, ya grazhdanin Kyrgyzstana, hochu rabotat' v Almaty",
     {"citizenship": "KG", "citizenship_group": "eaeu", "role": "worker"}),
    ("Салем, биздин ЖШС Шымкентте. Туркиядан аспаз алгымыз келеди",
     {"role": "employer", "employer_type": "company", "citizenship": "TR"}),
    ("Salem, men Qyrgyzstannan keldim, jumys izdep jurmin",
     {"citizenship": "KG", "activity": "job_search"}),
    # case forms and demonyms
    ("я из России, хочу открыть своё кафе", {"citizenship": "RU", "activity": "business"}),
    ("Ресейден келдім, кандаспын", {"citizenship": "RU", "status": "kandas"}),
    ("I'm a Pakistani national, a company offered me a job",
     {"citizenship": "PK", "activity": "employee"}),
    # a typo in a long word
    ("я гражданин Узбекистана, есть вид на жительстов", {"status": "permanent"}),
    # who writes decides what a phrase says: the same "transfer" for a worker and an employer
    ("My employer is transferring me to our branch in Almaty", {"activity": "transfer"}),
    ("Мы филиал немецкой компании, к нам переводят инженера из Германии",
     {"role": "employer", "employer_type": "branch", "role_in_company": "transfer",
      "citizenship": "DE"}),
    # spouse and children together
    ("I am Georgian, I will come with my wife and our two kids",
     {"family": "spouse_children"}),
    # a negation three words after the phrase ("у него нет")
    ("Хотим взять механика из Армении, ВНЖ у него нет", {"status": "none"}),
    ("Вида на жительство у меня нет", {"status": "none"}),
    # Kazakh case endings after a doubled consonant, which a skeleton writes once
    ("Мен Ираннан келдім", {"citizenship": "IR"}),
    ("Египеттен аспаз алғымыз келеді", {"citizenship": "EG"}),
    # a CLDR name that is an everyday word, next to a citizen word
    ("I am a citizen of Georgia, a seasonal worker", {"citizenship": "GE"}),
    # of two names on the same word the one that is no everyday word ("Niger")
    ("hi im from nigeria, i want to come and find job", {"citizenship": "NG"}),
    # "Китая": a skeleton ends the word before the "я"
    ("Хотим нанять 5 сварщиков из Китая", {"citizenship": "CN"}),
    # the person hired, as workers and employers write it
    ("Меня берут поваром в кафе", {"activity": "employee"}),
    ("Біздің ЖШС Қытайдан үш инженер шақырғысы келеді", {"role_in_company": "other"}),
    ("Я гражданин Ирана, работаю в ТОО, хочу перейти в другое ТОО",
     {"activity": "change_employer"}),
    ("I'm Uzbek, I work as a cashier at a supermarket in Almaty", {"activity": "employee"}),
    # an employer's wish still names the post (a worker's does not: see test_does_not_guess)
    ("We are an LLP in Astana and want to hire 5 engineers from Turkey",
     {"role": "employer", "role_in_company": "other"}),
    # negations with their endings and contractions
    ("Сәлеметсіз бе, мен ЕАЭО азаматы емеспін", {"citizenship_group": "other"}),
    ("My brother is from Tajikistan. He doesn't have a residence permit.", {"status": "none"}),
    # the person an action is done to is the worker, whatever "our company" says (`weight:`)
    ("Hi! Our company in Singapore is transferring me to our Kazakhstan branch in Astana",
     {"role": "worker", "activity": "transfer"}),
    ("Компаниямыз мені Алматыдағы өкілдігін басқаруға жіберіп жатыр", {"role": "worker"}),
    ("Hi, I'm Malaysian, I'll be heading our company's representative office in Almaty",
     {"role": "worker", "role_in_company": "branch_head"}),
    ("Жұмыс берушімді ауыстырғым келеді. Мен Пәкістан азаматымын",
     {"activity": "change_employer"}),
    # no words about who writes: the side of the strong facts ("work as" alone might be either)
    ("Canadian here, I'd love to come and look for work as an English teacher",
     {"role": "worker", "activity": "job_search"}),
    ("I'm Russian, a self-employed designer, I want to keep working freelance from Almaty",
     {"activity": "business"}),
    ("I'm a Swedish citizen, a wind energy engineer", {"citizenship": "SE"}),
    # a country next to "на" after it is a place, not a language
    ("Хотим взять сварщиков из Турции на объект", {"citizenship": "TR"}),
    # a director under the head is an ordinary post
    ("Хотим пригласить в наше ТОО финансового директора из Турции",
     {"role": "employer", "role_in_company": "other"}),
    # a foreign company with no entity here, however it says so
    ("Hi, we are a Chinese company, no entity in KZ yet, we want to bring 50 workers",
     {"role": "employer", "employer_type": "none"}),
    # "I'm just a private person" hires, whatever "I'm a" says (`weight:` 2)
    ("Hi, I'm looking for a caregiver for my mother. Found a lady from Kyrgyzstan. "
     "I'm just a private person.", {"role": "employer", "employer_type": "none"}),
    # the one hired is the writer: a worker's message with no other word about who writes
    ("Hi, I'm Belarusian, kindergarten teacher, got hired in Kostanay.",
     {"role": "worker", "activity": "employee"}),
    ("Мен Монголия азаматымын. Павлодарда бир ЖШС мени жургизуши етип алды.",
     {"role": "worker", "activity": "employee"}),
    ("Я гражданин Узбекистана. Устроился продавцом в магазин в Туркестане.",
     {"role": "worker", "activity": "employee"}),
    # an employer taking someone on names an ordinary post (weak: a head or a transfer wins)
    ("Здраствуйте, у нас автосервис в Таразе, ТОО. Хотим взять автомеханика из Узбекистана.",
     {"role": "employer", "role_in_company": "other"}),
    ("Біз Астанадағы корей компаниясының филиалымыз. Сеулдегі бас кеңседен инженерді "
     "компанияішілік ауыстыру арқылы жібереді.",
     {"role": "employer", "role_in_company": "transfer"}),
    # who writes, said by the kind of business or the relative
    ("Мы ресторан в Астане, ТОО. Нужен повар, нашли человека из Узбекистана.",
     {"role": "employer", "role_in_company": "other"}),
    ("Ya fizlico, ne kompaniya. Hochu nanyat lichnogo voditelya, grazhdanina Kyrgyzstana.",
     {"role": "employer", "employer_type": "none"}),
    ("Hello, I'm Uzbek citizen. Do I need any permit?", {"role": "worker"}),
    ("Кешириниз, менин апам Кыргызстан азаматы, Алматыда домработница болып истейди.",
     {"role": "worker"}),
    # a phrase hidden only by the gap of a longer one still counts ("с женой" inside "с ...
    # двумя детьми")
    ("Я гражданин Беларуси, переехал в Астану с женой и двумя детьми",
     {"family": "spouse_children"}),
    # a singular EAEU citizen is the writer, however the general phrase starts
    ("hi, Russian citizen here, no residence permit. Do I need a work permit as EAEU citizen?",
     {"status": "none", "citizenship_group": "eaeu"}),
    # a negation five words on ("ВНЖ в Казахстане у меня нет")
    ("Я гражданин Пакистана, ВНЖ в Казахстане у меня нет", {"status": "none"}),
    # one signal counts once however many of its phrases meet on the same words ("rabotat"
    # is "работаю" and "rabotayu" with a typo: not two votes against "my TOO")
    ("my TOO, kadrovoe agentstvo. budem napravlyat rabotat inostrancev", {"role": "employer"}),
    # the person who "will head" a branch is its head, whatever "our company" says
    ("I am a Chinese citizen, I will head the Kazakhstan branch of our Chinese company",
     {"role": "worker", "activity": "head", "role_in_company": "branch_head"}),
    ("Мен Түркия азаматымын, түрік фирмасының филиалына басшы болып тағайындалдым",
     {"role_in_company": "branch_head"}),
    # the head sent by the head office is the head (`combine:` branch head + transfer)
    ("We are the representative office of a Korean company. Headquarters is sending a new head "
     "of office.", {"role": "employer", "role_in_company": "branch_head"}),
    # a private person hiring: an employer (Kazakh)
    ("Қырғызстаннан үй қызметшісін жалдағым келеді, жеке адаммын",
     {"role": "employer", "employer_type": "none"}),
    # Kazakh word order: the branch's director
    ("Мен Франция азаматымын, француз компаниясы филиалының директоры болып тағайындалдым",
     {"role_in_company": "branch_head"}),
    # invited or placed *as* someone is a job; a hotel check-in or an interview invitation is not
    ("Men AQSh azamatymyn, universitetke oqytushy bolyp shakyryldym", {"activity": "employee"}),
    ("IT компанияға бағдарламашы болып орналастым", {"activity": "employee"}),
    ("Түркия азаматымын, Алматыдағы қонақүйге орналастым", {"activity": None}),
    ("Қытай азаматымын, сұхбатқа шақырылдым", {"activity": None}),
])
def test_reads_stated_facts(reader: SituationReader, text: str, expected: dict) -> None:
    facts = reader.read(text)
    assert {k: facts.get(k) for k in expected} == expected, facts


@pytest.mark.parametrize("text", [
    "Сколько стоит разрешение на работу?",
    "Рахмет, түсінікті болды",
    "hey how does this bot work",
    "What is the difference between the first and second category of work permit?",
    # words of an employer's hire with no word about who writes ("нужны", "need"): nothing
    "Какие документы нужны от работодателя?",
    "Жұмыс рұқсатына қандай құжаттар керек?",
    "",
])
def test_a_plain_question_states_nothing(reader: SituationReader, text: str) -> None:
    assert reader.read(text) == {}


@pytest.mark.parametrize(("text", "absent"), [
    # two different countries without a word that says whose: neither is read
    ("I worked in Malaysia and in Dubai, now I want to work in Kazakhstan", "citizenship"),
    # an English word that starts like a country's name is not that country ("living": Libya)
    ("I'm an ethnic Kazakh living in Almaty", "citizenship"),
    # "қандай" (which) is not "қандас"
    ("Қандай рұқсат керек?", "status"),
    # "я не кандас": a negated kandas says nothing about the status
    ("я не кандас, я из Узбекистана", "status"),
    # a job the help does not name gives no category
    ("я повар из Узбекистана, хочу работать в кафе", "category"),
    ("we need a nanny from the Philippines", "category"),
    # a status asked about is not a status stated
    ("Что такое ВНЖ и как его получить?", "status"),
    ("Привет, а что такое кандас?", "status"),
    ("What is the difference between a work permit and a residence permit?", "status"),
    ("Қандас мәртебесін қалай алуға болады?", "status"),
    # a language is no citizenship ("орысша": in Russian)
    ("Ботпен орысша сөйлесуге бола ма?", "citizenship"),
    ("I teach English, can I work here?", "citizenship"),
    # an everyday word that is a CLDR name, without a citizen word
    ("Georgia on my mind: can a company here hire me?", "citizenship"),
    # "дочка" of a group is a subsidiary, not a daughter
    ("Наша компания — дочка корейской группы, переводим менеджера", "family"),
    # a wish to work is no job (`wishes:`, `unless_wished:`)
    ("I want to work as a cook in Almaty", "activity"),
    ("hochu rabotat' voditelem v Almaty", "activity"),
    # a household hiring a nanny for its children: not the worker's family (`cancels:`)
    ("Я частное лицо, не компания, хочу нанять няню из Филиппин для своих детей", "family"),
    # a language is no citizenship ("Do you speak Chinese?", "қытай тілі")
    ("Do you speak Chinese?", "citizenship"),
    # a case asked about is not the writer's ("если ТОО нанимает иностранца")
    ("Подскажите, если казахстанское ТОО нанимает иностранца удаленно, нужно ли разрешение?",
     "role"),
    # a hypothetical job is no job ("если буду работать по трудовому договору")
    ("ya grazhdanin Rossii, nuzhno li razreshenie esli budu rabotat po trudovomu dogovoru?",
     "activity"),
    # "finance" is not Finland's "финн-"
    ("We are a Kazakh LLP, HQ is sending us a finance specialist", "citizenship"),
    # "перевезти жену" (bring the wife over) is no transfer ("перевести")
    ("Я из Таджикистана, работаю на стройке. Хочу перевезти жену и детей", "activity"),
    # a country asked about is nobody's citizenship (`asked_words:`)
    ("Армения входит в ЕАЭС?", "citizenship"),
    ("Is Armenia part of the EAEU?", "citizenship"),
    ("Кто такие граждане ЕАЭС, какие страны туда входят?", "citizenship_group"),
    # a company's country is not the worker's ("фирма из Германии", "our French parent company")
    ("nasha firma iz Germanii, yurlica net. hotim otpravit nashego inzhenera", "citizenship"),
    ("Our French parent company wants to second an engineer to its Kazakh branch", "citizenship"),
    # people spoken of in general are not the writer (`cancels:` with no facts)
    ("Здравствуйте, а граждане ЕАЭС могут работать без разрешения? Просто интересуюсь",
     "citizenship_group"),
    ("Quick question: can EAEU citizens work in Kazakhstan without a permit in general?",
     "citizenship_group"),
    ("Kunderiniz jaksy bolsyn. Surak: kandastar ruksatsyz zhumys istei ala ma?", "status"),
    # a worker's wish names a post only an employer would: no side is guessed from it
    ("I am kandas. Do I need a permit to work as a welder at a factory?", "role"),
])
def test_does_not_guess(reader: SituationReader, text: str, absent: str) -> None:
    assert absent not in reader.read(text)


@pytest.mark.parametrize(("text", "expected"), [
    # "my husband works here": the writer is the family member (`cancels: [family]`), and the
    # interview asks a family member no family question
    ("Мой муж работает в Астане по разрешению, я приехала с ним из Армении.",
     {"activity": "dependant"}),
    ("Hi, I'm German, my husband works in Atyrau and I came with him.", {"activity": "dependant"}),
    # "my son is an Uzbek citizen": the relative written about is the worker
    # (`relative_is_worker`), not a child coming along
    ("Hello, I write for my son, he is 19 years, Uzbekistan citizen.", {"role": "worker"}),
    ("Сәлем, балам Өзбекстан азаматы, Қарағандыда тігінші болып жұмысқа алынды.",
     {"role": "worker"}),
])
def test_the_family_member_writing_or_written_about_is_no_family(
        reader: SituationReader, text: str, expected: dict) -> None:
    facts = reader.read(text)
    assert {k: facts.get(k) for k in expected} == expected and "family" not in facts, facts


def test_a_worker_s_own_family_coming_along_is_family(reader: SituationReader) -> None:
    assert reader.read("I'm from India, I work in Almaty and my wife will come with me"
                       ).get("family") == "spouse"
    assert reader.read("Я гражданин Индии, работаю в Астане. Хочу привезти жену и сына."
                       ).get("family") == "spouse_children"


@pytest.mark.parametrize(("text", "expected"), [
    ("how do I get a work visa for Germany as IT specialist", (True, False)),
    ("брату нужна рабочая виза в Польшу, как сделать?", (True, False)),
    ("Қазақстан азаматына Польшада жұмыс істеу үшін не керек?", (True, True)),
    ("Канадаға жұмысқа бару үшін не керек?", (True, False)),
    ("I'm from Uzbekistan, a company in Almaty wants to hire me", (False, False)),
])
def test_elsewhere_another_country_or_a_citizen_here(
        reader: SituationReader, text: str, expected: tuple[bool, bool]) -> None:
    assert reader.elsewhere(text) == expected


def test_us_in_a_kazakh_message_is_the_usa(reader: SituationReader) -> None:
    # "ағылшын тілі" (the English language) says nothing of a British citizenship
    assert reader.read("Мен АҚШ азаматымын, мені мектепке ағылшын тілі мұғалімі болып "
                       "шақырды")["citizenship"] == "US"
    assert reader.read("I'm a US citizen looking for a job")["citizenship"] == "US"


def test_the_country_next_to_citizen_wins(reader: SituationReader) -> None:
    facts = reader.read("I'm from Nepal, working as a guard in Malaysia")
    assert facts["citizenship"] == "NP"
    facts = reader.read("Работал в Турции, сам гражданин Узбекистана")
    assert facts["citizenship"] == "UZ"


def test_facts_fill_the_interview(reader: SituationReader) -> None:
    facts = reader.read("Здравствуйте, у нас ТОО в Караганде, хотим назначить директором "
                        "гражданина Беларуси")
    assert reader.interview(facts) == ("employer", {
        "employer_type": "company", "citizenship_group": "eaeu", "role": "company_head"})
    assert reader.interview({"citizenship": "UZ"}) is None  # who writes is unknown


# --- in the chat ----------------------------------------------------------------------------


def _text(engine: ChatEngine, session, text: str):
    return engine.handle(session, UserInput(text=text))


def _press(engine: ChatEngine, session, data: str):
    return engine.handle(session, UserInput(press=data))


def _buttons(reply) -> list[str]:
    return [b.id for m in reply.messages for row in m.buttons for b in row]


def _texts(reply) -> str:
    return "\n".join(b.text for m in reply.messages for b in m.blocks)


def test_check_my_case_asks_only_what_is_missing(engine: ChatEngine) -> None:
    session = engine.new_session("en")
    reply = _text(engine, session, "Hi, I'm a Turkish citizen and a company in Astana has "
                  "offered me a job. I don't have any residence permit. What do I need?")
    assert "sc" in _buttons(reply)
    reply = _press(engine, session, "sc")
    text = _texts(reply)
    assert "Türkiye" in text and "From your message" in text
    assert "c:citizenship" in _buttons(reply)  # each answer read has its ✏️
    dialog = session.dialog
    assert dialog is not None and dialog.node == "category"  # three questions skipped
    assert dialog.answers == {"citizenship_group": "other", "status": "none",
                              "activity": "employee"}


def test_facts_read_are_confirmed_before_the_result(engine: ChatEngine) -> None:
    session = engine.new_session("ru")
    _text(engine, session, "Здравствуйте, я гражданин Кыргызстана, хочу работать в Алматы, "
                           "приеду с женой и детьми")
    reply = _press(engine, session, "sc")
    # the name people use here, not CLDR's Russian "Киргизия" (situations.yaml `display`)
    assert "Кыргызстан" in _texts(reply) and "Киргизия" not in _texts(reply)
    # every question is answered, yet the result waits for "That's right"
    assert session.dialog is not None and session.dialog.node == "out_eaeu"
    assert "tc" in _buttons(reply) and "c:family" in _buttons(reply)
    assert not any(e.kind == "flow_finished" for e in reply.events)
    reply = _press(engine, session, "c:family")  # change one: asked again
    assert session.dialog.node == "family"
    reply = _press(engine, session, "a:family:spouse")
    assert "tc" in _buttons(reply)  # the citizenship read still waits for its confirmation
    reply = _press(engine, session, "tc")
    assert any(e.kind == "flow_finished" for e in reply.events)
    assert session.dialog.told == []


def test_forged_or_stale_presses_are_out_of_date(engine: ChatEngine) -> None:
    session = engine.new_session("en")
    for data in ("sc", "tc"):
        reply = _press(engine, session, data)
        assert any(e.kind == "stale_button" for e in reply.events), data
    _text(engine, session, "What does a work permit cost?")  # states nothing
    assert session.told is None
    assert any(e.kind == "stale_button" for e in _press(engine, session, "sc").events)
    # a stored reading with answers that are no options is never applied
    session.told = {"flow": "worker", "answers": {"status": "forged"}}
    session.last_press = None  # not a double tap
    assert any(e.kind == "stale_button" for e in _press(engine, session, "sc").events)


def test_no_facts_no_change(engine: ChatEngine, kb: KnowledgeBase) -> None:
    """A message that states nothing gets exactly today's reply."""
    plain = ChatEngine(kb.__class__(**{**{f: getattr(kb, f) for f in (
        "directory", "meta", "facts", "documents", "routes", "flows", "faq", "smalltalk",
        "deadlines", "today")}, "situations": None}), search=engine.search)
    for text in ("Сколько стоит разрешение на работу?", "hello", "Рұқсат алуға қанша уақыт "
                 "кетеді?", "how long does it take"):
        a, b = engine.new_session("en"), plain.new_session("en")
        assert _texts(_text(engine, a, text)) == _texts(_text(plain, b, text))
        assert _buttons(_text(engine, a, text)) == _buttons(_text(plain, b, text))


def test_not_offered_during_an_interview(engine: ChatEngine) -> None:
    session = engine.new_session("en")
    _press(engine, session, "m:worker")
    reply = _text(engine, session, "I'm from Uzbekistan and have no residence permit")
    assert "sc" not in _buttons(reply)


# --- the validator ----------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "message"), [
    ("{question: status, fact: status}\n      - {question: activity",
     "{question: status, fact: status, values: {none: nothing}}\n      - {question: activity",
     "'nothing' is not an answer of the question 'status'"),
    ("{question: activity, fact: activity}", "{question: job, fact: activity}",
     "asks no question about 'job'"),
    ("    UZ: [узбек*", "    XX: [узбек*", "unknown country code 'XX'"),
    ("    KG: {ru: Кыргызстан}", "    XG: {ru: Кыргызстан}", "unknown country code 'XG'"),
    ("ru: [сезонн*,", "ru: [се*, сезонн*,", "a stem needs at least 3 letters"),
    ("  worker:\n    role: worker", "  workers:\n    role: worker", "unknown interview 'workers'"),
    ("    cancels: [family]", "    cancels: [familly]", "no signal says the fact 'familly'"),
])
def test_validator_names_the_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    target = tmp_path / "kb"
    shutil.copytree(DEFAULT_DIR, target)
    path = target / "situations.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    kb, problems = check_knowledge(target)
    assert kb is None
    found = [p for p in problems if message in p.message]
    assert found, problems
    assert found[0].file.endswith("situations.yaml") and found[0].line > 1
