"""Keyword rules: case and accents ignored, Polish and Lithuanian endings tolerated, a
trailing * for stems, phrases as neighbouring words; and the demo codebook suggests
themes for the demo free text."""

import pytest

from feedback_app.services.demo import responses as demo_data
from feedback_app.services.insight.theme_suggestions import (
    KeywordError,
    RuleInput,
    Suggestion,
    clean_keyword,
    fold,
    keyword_key,
    keyword_matches,
    suggest,
    words,
)
from feedback_app.services.insight.themes import DEMO_THEMES


def test_fold_drops_case_and_accents():
    assert fold("Czekałam ŻÓŁĆ") == "czekalam zolc"
    assert fold("Išklausė ČĘĖĮŠŲŪŽ") == "isklause ceeisuuz"
    assert words("Don't call-back, “please”!") == ["don't", "call", "back", "please"]


@pytest.mark.parametrize(
    "language, keyword, text",
    [
        # English
        ("en", "wait", "I waited too long"),
        ("en", "listened", "She was listening to me"),
        ("en", "update", "Please keep me updated"),
        ("en", "call back", "I waited for a call-back."),
        ("en", "call back", "They never called back"),
        ("en", "same officer", "the SAME officers every time"),
        ("en", "judg*", "never judgemental"),
        # Polish: inflection and diacritics
        ("pl", "czekał", "Za długo czekałam na odpowiedź."),
        ("pl", "czekał", "Czekała tydzień"),
        ("pl", "czekal", "czekałam"),  # typed without the accent
        ("pl", "czekać", "Długo czekałam"),  # the infinitive's ending comes off
        ("pl", "informować", "żeby ktoś informował mnie"),
        ("pl", "tłumacz", "Pomogli mi znaleźć tłumacza"),
        ("pl", "tłumacz*", "tłumaczka była świetna"),
        ("pl", "oddzwa*", "Moja doradczyni zawsze oddzwaniała."),
        ("pl", "bezpiecz*", "poczułam się bezpieczniej"),
        ("pl", "za długo", "ZA DŁUGO to trwało"),
        ("pl", "szybko", "Policja bardzo szybko przyjechała"),
        # Lithuanian: inflection and diacritics
        ("lt", "laukti", "Per ilgai laukiau skambučio."),
        ("lt", "išklausė", "Darbuotoja mane išklausė ir padėjo"),
        ("lt", "isklause", "Darbuotoja mane IŠKLAUSĖ"),
        ("lt", "pranešti", "Norėčiau, kad dažniau praneštų apie mano bylą."),
        ("lt", "skambuč*", "laukiau skambučio"),
        ("lt", "lietuviškai", "galėjau kalbėti lietuviškai."),
        ("lt", "per ilgai", "Per ilgai laukiau"),
        ("lt", "greitai", "Policija atvyko greitai."),
    ],
)
def test_keyword_matches(language, keyword, text):
    assert keyword_matches(keyword, language, text)


@pytest.mark.parametrize(
    "language, keyword, text",
    [
        ("en", "call back", "They called me back"),  # not next to each other
        ("en", "back call", "a call back"),  # not in that order
        ("en", "gp", "my gps"),  # short words match only themselves
        ("en", "wait", "awaiting news"),  # words match from their start
        ("en", "listen", "listenership figures"),  # more than 4 letters after it
        ("pl", "czekał", "czekoladę"),
        ("pl", "szybko", "nie było wcale"),
        ("lt", "laukti", "buvo ilgai"),
        ("lt", "greitai", "negreitai"),
    ],
)
def test_keyword_does_not_match(language, keyword, text):
    assert not keyword_matches(keyword, language, text)


@pytest.mark.parametrize(
    "raw, cleaned",
    [("  keep   me updated ", "keep me updated"), ("czekał*", "czekał*"), ("follow-up", "follow-up"),
     ("don't", "don't")],
)
def test_clean_keyword(raw, cleaned):
    assert clean_keyword(raw) == cleaned


@pytest.mark.parametrize("raw", ["", "   ", "a b c d e f", "*wait", "wa*it", "ab*", "<b>", "x" * 121, "call; back"])
def test_unusable_keywords(raw):
    with pytest.raises(KeywordError):
        clean_keyword(raw)


def test_keyword_key_ignores_case_accents_and_spaces():
    assert keyword_key("Informować") == keyword_key("INFORMOWAC")
    assert keyword_key("call  back") == keyword_key("Call back")
    assert keyword_key("czekał") != keyword_key("czekał*")


RULES = [
    RuleInput(1, "en", "quick"),
    RuleInput(1, "pl", "szybk*"),
    RuleInput(2, "pl", "czekał"),
    RuleInput(2, "en", "waited"),
    RuleInput(3, "lt", "laukti"),
]


def test_suggest_uses_own_language_and_english():
    assert suggest("Policja szybko przyjechała", "pl", RULES) == [Suggestion(1, "szybk*", "pl")]
    # A Polish comment written partly in English still meets the English rules.
    assert suggest("Czekałam... I waited so long, quick please", "pl", RULES) == [
        Suggestion(2, "czekał", "pl"),
        Suggestion(1, "quick", "en"),
    ]
    # An English comment is not checked against Lithuanian rules.
    assert suggest("laukiau", "en", RULES) == []
    assert suggest("Per ilgai laukiau", "lt", RULES) == [Suggestion(3, "laukti", "lt")]
    # One suggestion per theme, its own language's keyword first.
    assert suggest("szybko, quick", "pl", RULES) == [Suggestion(1, "szybk*", "pl")]
    # A language without rules of its own gets the English ones.
    assert suggest("quick", "ur", RULES) == [Suggestion(1, "quick", "en")]


def demo_rules():
    rules = []
    for number, (_name, _service, _kind, _description, keywords) in enumerate(DEMO_THEMES):
        for language, keyword_list in keywords.items():
            rules += [RuleInput(number, language, clean_keyword(keyword)) for keyword in keyword_list]
    return rules


DEMO_NAMES = [theme[0] for theme in DEMO_THEMES]


@pytest.mark.parametrize(
    "language, text, expected",
    [
        ("en", "Please keep me updated about my case.", "Kept informed"),
        ("en", "My worker listened and never judged me.", "Listened to without judgement"),
        ("en", "Quick response when I called.", "Quick response"),
        ("en", "I waited too long for a call back.", "Waiting too long for a call back"),
        ("en", "It would help to speak to the same officer each time.", "Same officer each time"),
        ("pl", "Chciałabym, żeby ktoś informował mnie o mojej sprawie.", "Kept informed"),
        ("pl", "Za długo czekałam na odpowiedź.", "Waiting too long for a call back"),
        ("pl", "Pomogli mi znaleźć tłumacza, dzięki temu wszystko rozumiałam.", "Help in my own language"),
        ("pl", "Policja szybko przyjechała i poczułam się bezpieczniej.", "Quick response"),
        ("lt", "Darbuotoja mane išklausė ir padėjo suprasti, ką daryti toliau.", "Listened to without judgement"),
        ("lt", "Labai padėjo, kad galėjau kalbėti lietuviškai.", "Help in my own language"),
        ("lt", "Norėčiau, kad dažniau praneštų apie mano bylą.", "Kept informed"),
        ("lt", "Per ilgai laukiau skambučio.", "Waiting too long for a call back"),
    ],
)
def test_demo_codebook_matches_demo_text(language, text, expected):
    names = [DEMO_NAMES[s.theme_id] for s in suggest(text, language, demo_rules())]
    assert expected in names


def test_demo_codebook_suggests_something_for_most_demo_text():
    rules = demo_rules()
    for language, texts in demo_data.TEXTS.items():
        matched = [text for text in texts if suggest(text, language, rules)]
        assert len(matched) >= 0.8 * len(texts), (language, set(texts) - set(matched))


def test_demo_keywords_are_valid():
    for _name, _service, kind, _description, keywords in DEMO_THEMES:
        assert kind in ("helpful", "improvement")
        assert set(keywords) <= {"en", "pl", "lt"}
        for keyword_list in keywords.values():
            for keyword in keyword_list:
                assert clean_keyword(keyword) == keyword
