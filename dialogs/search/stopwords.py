"""Stop words per language: function words that say nothing about which FAQ entry is meant.

They are removed from both the FAQ variants and the query before matching, after the same folding
(so ``kak`` typed in Latin letters, ``как`` and ``қалай``/``калай`` are all recognised). Words that
*do* change the meaning of a legal question stay out of these lists on purpose: "без"/"without",
"не"-less negations like "нельзя" are kept out, "long" (how long), "before"/"after", numbers,
"когда"/"қашан"/"when" (they tell the deadline and timing questions apart). A negated need
("не нужно", "керек емес") is made a term of its own before stop words go (``negation.py``).

Greetings and thanks are stop words too: "здравствуйте, как продлить разрешение?" must match the
FAQ entry; a message that is *only* a greeting is handled by the small-talk index, which keeps them.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "ru": _words(
        """
        и в во не что чё че шо он она оно они я ты вы мы с со как а то все всё так его её ее но
        да к ко у же за бы по на только мне меня мой моя мои моё мое нам нас вам вас им их ему
        ей ней него нее них от из о об обо про для до при под над через ли ль ведь вот уж уже
        еще ещё ну там тут здесь где куда откуда зачем почему какой какая какое какие
        каких каким какую каком каков какова каковы который которая которые это этот эта эти
        этого этой этом эту тот та те того тем том чем чего чему кто кого кому сколько скока
        скоко скольк скок сколка или либо если есть был была было были быть будет будут буду
        можно могу может могут можем нужно нужен нужна нужны надо необходимо обязательно
        пожалуйста пжл пж плз подскажите подскажи скажите скажи расскажите объясните хочу хотел
        хотела хотим хотелось узнать интересует вопрос вообще очень просто также тоже себя себе
        свой свою свои своего сам сама здравствуйте здрасте здравствуй привет добрый доброе
        спасибо благодарю ок окей ага такое такой такая таких тогда потом сейчас теперь сегодня
        большое огромное именно нет типа короче блин точно разве действительно правда
        """
    ),
    "kk": _words(
        """
        және мен сен ол біз сіз сіздер олар бұл осы сол мынау анау не неге нені ненің қандай
        қалай қайда қайдан қайдағы қанша неше неліктен кім кімге кімнің кімді ма ме ба бе
        па пе ғой да де та те ғана әлі енді тағы өте маған менің мені меніңше сізге сіздің сізді
        оның оған оны бізге біздің бізді үшін туралы деген дегеніміз деп дейді болады бола болса
        болып бар керек керекпе қажет қажетпе айтыңызшы айтып беріңізші түсіндіріңізші өтінемін
        сәлем сәлеметсіз сәлеметсізбе салем саламатсызба рахмет рақмет жақсы әрі немесе бірақ
        егер онда мұнда сонда қазір бүгін ше шы ші көп үлкен кімдер кімдерге кімдерді
        кімдердің өз өзі өзім өзің өзіміз өзіңіз
        """
    ),
    "en": _words(
        """
        i me my myself we our ours us you your yours he him his she her it its they them their
        what which who whom whose this that these those am is are was were be been being have
        has had having do does did doing a an the and but if or because as until while of at by
        for with about between into through during to from up down in out on off over under
        again further then once here there where why how all any both each few more most
        other some such nor only own same so than too very s t can could will would shall should
        just now please pls plz need needs needed must may might tell know want wanted hi hello
        hey thanks thank ok okay also really get got getting much many still even actually thing
        stuff guy
        """
    ),
}
