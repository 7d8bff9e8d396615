"""Translations a practitioner can sign off: key terms as the glossary says, explained where
they first appear, buttons quoted as they read, each language's quotation marks, a
gender-neutral Polish "you", "tu" for young people in Lithuanian, and short young-person
sentences. The rules are in translations/STYLE.md; the terms in translations/glossary.toml."""

from __future__ import annotations

import re
import tomllib
from functools import cache

import pytest
from babel.messages.pofile import read_po

from feedback_app.config import PROJECT_ROOT
from feedback_app.i18n import catalog_path, is_survivor_facing
from feedback_app.services.operations.legal_pages import DEFAULT_FILE, Prose, read_file
from feedback_app.surveys import load_surveys
from feedback_app.surveys.babel_extract import survey_messages

GLOSSARY = tomllib.loads((PROJECT_ROOT / "translations" / "glossary.toml").read_text(encoding="utf-8"))["terms"]
LOCALES = ["pl", "lt", "ur"]
YOUNG_PERSON = "young_person"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# (opening, closing) quotation marks; STYLE.md section 3.
QUOTES = {"en": ('"', '"'), "pl": ("„", "”"), "lt": ("„", "“"), "ur": ('"', '"')}
ALL_QUOTE_MARKS = '"“”„«»'
# Quoted English that is not the name of a button or heading on the site.
QUOTED_NOT_A_LABEL = {"accessibility regulations"}
# Young-person sentences, in words (STYLE.md section 6).
ENGLISH_SENTENCE_WORDS = 15
TRANSLATED_SENTENCE_WORDS = 20


@cache
def catalog(locale):
    with catalog_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def survivor_messages(locale):
    return [m for m in catalog(locale) if m.id and is_survivor_facing(m)]


def strings(message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def english(message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def name(message) -> str:
    """How the glossary's allow lists name a message: "msgid", or "context|msgid"."""
    msgid = english(message)[0]
    return f"{message.context}|{msgid}" if message.context else msgid


def bare(text: str) -> str:
    return PLACEHOLDER.sub("", text)


def search(pattern: str, text: str):
    return re.search(pattern, text, re.IGNORECASE)


def legal_prose() -> list[Prose]:
    facts = read_file(DEFAULT_FILE, ("en", *LOCALES))
    prose = [facts.personal_data_basis, facts.special_category_basis]
    prose += [issue.text for issue in facts.accessibility.known_issues]
    return [p for p in prose if len(p.texts) > 1]


# -- the glossary ----------------------------------------------------------------------------


def test_the_glossary_names_each_required_term():
    assert {"idva", "refuge", "outreach", "childrens_services", "emergency_number", "helpline", "partnership"} <= set(GLOSSARY)


@pytest.mark.parametrize("term", sorted(GLOSSARY))
def test_each_glossary_term_is_complete_and_used(term):
    entry = GLOSSARY[term]
    assert entry["meaning"] and entry["find"]
    english_texts = [bare(t) for m in survivor_messages("pl") for t in english(m)]
    assert any(search(entry["find"], t) for t in english_texts), "no survivor-facing message uses it"
    for locale in LOCALES:
        rendering = entry[locale]
        # The rendering to use in new text passes the term's own checks.
        assert search(rendering["use"], rendering["render"]), (locale, rendering["render"])
        for avoided in rendering.get("avoid", []):
            assert not search(avoided, rendering["render"]), (locale, avoided)
    for mention in entry.get("first_mentions", []):
        assert set(LOCALES) <= set(mention), mention["msgid"]


@pytest.mark.parametrize("locale", LOCALES)
def test_first_mentions_carry_the_glossary_explanation(locale):
    missing = []
    for term, entry in GLOSSARY.items():
        for mention in entry.get("first_mentions", []):
            message = catalog(locale).get(mention["msgid"], context=mention.get("context"))
            assert message is not None and is_survivor_facing(message), (term, mention["msgid"])
            if not all(mention[locale] in text for text in strings(message)):
                missing.append((term, mention["msgid"], message.string))
    assert missing == []


@pytest.mark.parametrize("locale", LOCALES)
def test_glossary_terms_are_rendered_consistently(locale):
    inconsistent = []
    for message in survivor_messages(locale):
        source = " ".join(bare(t) for t in english(message))
        for term, entry in GLOSSARY.items():
            if name(message) in entry.get("allow", []) or not search(entry["find"], source):
                continue
            use = entry[locale]["use"]
            inconsistent += [(term, name(message), t) for t in strings(message) if not search(use, bare(t))]
    assert inconsistent == []


@pytest.mark.parametrize("locale", LOCALES)
def test_no_survivor_text_uses_a_rejected_rendering(locale):
    rejected = []
    for message in survivor_messages(locale):
        for term, entry in GLOSSARY.items():
            if name(message) in entry.get("allow", []):
                continue
            for pattern in entry[locale].get("avoid", []):
                rejected += [(term, pattern, t) for t in strings(message) if search(pattern, t)]
    assert rejected == []


def test_the_checks_catch_the_renderings_the_review_rejected():
    # What the catalogues said before the review, each caught by the glossary.
    old = {
        ("refuge", "pl"): "Pobyt w schronisku (bezpiecznym miejscu dla osób doznających przemocy)",
        ("refuge", "lt"): "Gyvenimas prieglaudoje (saugiame būste)",
        ("childrens_services", "pl"): "Służby ds. dzieci (opieka społeczna, Children's Services)",
        ("childrens_services", "ur"): "بچوں کی سروسز (سوشل کیئر)",
        ("quick_exit", "pl"): "Szybko opuść stronę",
    }
    for (term, locale), text in old.items():
        assert any(search(p, text) for p in GLOSSARY[term][locale]["avoid"]), (term, locale)


# -- quotation marks and quoted buttons --------------------------------------------------------


def quoted(text: str, locale: str) -> list[str]:
    opening, closing = QUOTES[locale]
    return re.findall(re.escape(opening) + r"([^" + re.escape(ALL_QUOTE_MARKS) + r"]+)" + re.escape(closing), text)


def test_english_quotes_name_real_buttons_and_headings():
    labels = {m.id for m in catalog("pl") if isinstance(m.id, str) and not m.context}
    unknown = []
    for message in survivor_messages("pl"):
        for text in english(message):
            unknown += [q for q in quoted(text, "en") if q not in labels and q not in QUOTED_NOT_A_LABEL]
    assert unknown == []


@pytest.mark.parametrize("locale", LOCALES)
def test_quoted_buttons_read_exactly_as_the_translated_buttons(locale):
    opening, closing = QUOTES[locale]
    wrong = []
    for message in survivor_messages(locale):
        names = quoted(english(message)[0], "en")
        for text in strings(message):
            # A translation may quote a name the English does not (the site's name, a placeholder).
            if len([q for q in quoted(text, locale) if not PLACEHOLDER.fullmatch(q)]) != len(names):
                wrong.append((name(message), text))
                continue
            for label in names:
                if label in QUOTED_NOT_A_LABEL:
                    continue
                expected = opening + catalog(locale).get(label).string + closing
                if expected not in text:
                    wrong.append((name(message), expected, text))
    assert wrong == []


def test_quoted_page_titles_in_the_partnership_file_read_as_translated():
    for prose in legal_prose():
        names = quoted(prose.texts["en"], "en")
        for locale, text in prose.texts.items():
            for label in names:
                expected = QUOTES[locale][0] + catalog(locale).get(label).string + QUOTES[locale][1] if locale != "en" else None
                assert expected is None or expected in text, (locale, text)


def wrong_quote_marks(text: str, locale: str) -> str:
    """What is left of the quotation marks once the language's own pairs are taken out."""
    opening, closing = QUOTES[locale]
    rest = re.sub(re.escape(opening) + r"[^" + re.escape(ALL_QUOTE_MARKS) + r"]*" + re.escape(closing), "", text)
    return "".join(c for c in rest if c in ALL_QUOTE_MARKS)


@pytest.mark.parametrize("locale", LOCALES)
def test_each_language_uses_its_own_quotation_marks(locale):
    wrong = [(name(m), t) for m in survivor_messages(locale) for t in strings(m) if wrong_quote_marks(t, locale)]
    wrong += [(locale, p.texts[locale]) for p in legal_prose() if locale in p.texts and wrong_quote_marks(p.texts[locale], locale)]
    assert wrong == []


def test_english_uses_straight_quotation_marks():
    wrong = [t for m in survivor_messages("pl") for t in english(m) if wrong_quote_marks(t, "en")]
    assert wrong == []


# -- forms of address --------------------------------------------------------------------------

# Polish forms that show the reader's gender: past tense and conditional (byłeś, mogłabyś), and
# adjectives after "you are / you feel" (jesteś pewna, czujesz się bezpieczny).
GENDERED_POLISH = re.compile(
    r"\b\w+(?:łeś|łaś|łbyś|łabyś)\b"
    r"|\b(?:powinieneś|powinnaś|gotów|gotowa|pewien)\b"
    r"|\b(?:jesteś|czujesz się|poczujesz się)\s+\w+(?:ny|na|ty|ta|wy|wa)\b",
    re.IGNORECASE,
)
LOWERCASE_TY = re.compile(
    r"\b(?:ty|ciebie|cię|ci|tobie|tobą|twój|twoja|twoje|twojego|twojej|twojemu|twoim|twoją|twoich|twoimi)\b"
)


def test_the_gender_check_catches_gendered_forms():
    for text in ("Czy byłeś zadowolony?", "Czy mogłabyś", "Czułaś to", "Czy jesteś pewna?",
                 "Czy czujesz się bezpieczny?", "Powinnaś"):
        assert GENDERED_POLISH.search(text), text
    for text in ("Czy czujesz się bezpieczniej?", "Czy masz poczucie, że Cię wysłuchano?", "Co Ci pomogło?",
                 "Przygotowanie deklaracji", "Zostało Ci 4995 znaków."):
        assert not GENDERED_POLISH.search(text), text


def test_polish_survivor_text_is_gender_neutral_and_capitalises_ty():
    gendered, lowercase = [], []
    for message in survivor_messages("pl"):
        for text in strings(message):
            gendered += [(name(message), text)] if GENDERED_POLISH.search(text) else []
            lowercase += [(name(message), text)] if LOWERCASE_TY.search(text) else []
    assert gendered == []
    assert lowercase == []


JUS = re.compile(r"\b(?:jūs|jūsų|jums|jus|jumis)\b|\b\w+(?:ite|ate|ote|ėte)\b", re.IGNORECASE)
TU = re.compile(r"\b(?:tu|tavo|tau|tave|tavęs|tavimi)\b", re.IGNORECASE)


def test_lithuanian_says_jus_to_adults_and_tu_to_young_people():
    young = [m for m in survivor_messages("lt") if m.context == YOUNG_PERSON]
    assert len(young) > 20
    assert [(m.id, m.string) for m in young if JUS.search(m.string)] == []
    assert sum(1 for m in young if TU.search(m.string)) >= 5
    others = [(name(m), t) for m in survivor_messages("lt") if m.context != YOUNG_PERSON for t in strings(m) if TU.search(t)]
    assert others == []


# -- the young-person survey -------------------------------------------------------------------


def test_every_young_person_text_has_its_own_message_in_every_language():
    texts = {text for text, _comment in survey_messages(load_surveys()[YOUNG_PERSON])}
    for locale in LOCALES:
        found = {m.id for m in catalog(locale) if m.context == YOUNG_PERSON and m.string}
        assert texts - found == set(), locale


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!۔؟])\s+", text.strip()) if s]


def words(sentence: str) -> int:
    return len([w for w in sentence.split() if w not in {"–", "-", "—"}])


@pytest.mark.parametrize("locale", ["en", *LOCALES])
def test_young_person_sentences_are_short(locale):
    limit = ENGLISH_SENTENCE_WORDS if locale == "en" else TRANSLATED_SENTENCE_WORDS
    messages = [m for m in catalog("pl" if locale == "en" else locale) if m.context == YOUNG_PERSON]
    assert messages
    long = []
    for message in messages:
        for text in english(message) if locale == "en" else strings(message):
            long += [s for s in sentences(text) if words(s) > limit]
    assert long == []
