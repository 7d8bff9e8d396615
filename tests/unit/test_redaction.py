"""Suggested redactions, kind by kind, in English, Polish and Lithuanian; and ordinary
comments left alone."""

import pytest

from feedback_app.services.demo.responses import TEXTS
from feedback_app.services.insight.redaction import KINDS, REPLACEMENTS, apply, redact, suggest


def found(text):
    return [(s.kind, s.text) for s in suggest(text)]


CASES = {
    "name": [
        ("My worker Sarah Jones was brilliant.", "My worker [name] was brilliant."),
        ("PC Smith and DC Jane Smith-Taylor came.", "PC [name] and DC [name] came."),
        ("I spoke to Mr. Brown, then Mrs Patel and Dr O'Neil.", "I spoke to Mr. [name], then Mrs [name] and Dr [name]."),
        ("My son Jake and my ex Mark were there.", "My son [name] and my ex [name] were there."),
        ("She is called Kate, the officer named Tom helped.", "She is called [name], the officer named [name] helped."),
        ("Sarah Jones helped me a lot.", "[name] helped me a lot."),  # two words at the start
        ("Thank you Sarah, you saved my life.", "Thank you [name], you saved my life."),
        ("It was Sarah's idea.", "It was [name]'s idea."),
        ("Pani Kasia była miła, a pan Tomasz też.", "Pani [name] była miła, a pan [name] też."),
        ("Dziękuję Pani Annie Nowak za pomoc.", "Dziękuję Pani [name] za pomoc."),
        ("Moja córka Zosia się bała.", "Moja córka [name] się bała."),
        ("Ponia Rūta man padėjo, ponas Jonas irgi.", "Ponia [name] man padėjo, ponas [name] irgi."),
        ("Mano dukra Austėja išsigando.", "Mano dukra [name] išsigando."),
    ],
    "phone": [
        ("Call me on 07700 900123 please.", "Call me on [phone number] please."),
        ("My number is +44 7700 900 123.", "My number is [phone number]."),
        ("Ring (01223) 456789 or 020-7946-0958.", "Ring [phone number] or [phone number]."),
        ("Office 0300 123 4567.", "Office [phone number]."),
        ("Mój numer to 601 234 567 albo +48 601 234 567.", "Mój numer to [phone number] albo [phone number]."),
        ("Mano numeris 8 612 34567 arba +370 612 34567.", "Mano numeris [phone number] arba [phone number]."),
    ],
    "email": [
        ("Email jane.doe+x@example.co.uk any time.", "Email [email] any time."),
        ("Pisz na anna.nowak@wp.pl.", "Pisz na [email]."),
        ("Rašykite ruta@gmail.com.", "Rašykite [email]."),
    ],
    "postcode": [
        ("I live in CB1 2AB now.", "I live in [postcode] now."),
        ("We moved to pe29 3xy.", "We moved to [postcode]."),
        ("It is in B12, near PE29.", "It is in [postcode], near [postcode]."),
        ("Mieszkam pod kodem 00-950.", "Mieszkam pod kodem [postcode]."),
        ("Adresas LT-01100.", "Adresas [postcode]."),
    ],
    "address": [
        ("I live at 12 Mill Road with my kids.", "I live at [address] with my kids."),
        ("He came to Flat 3, 27 Hawthorn Close again.", "He came to [address] again."),
        ("It was on Station Avenue.", "It was on [address]."),
        ("Mieszkam przy ul. Długa 5/3 od roku.", "Mieszkam przy [address] od roku."),
        ("Mieszkałam na osiedlu Kwiatowe 4.", "Mieszkałam na [address]."),
        ("Jis gyvena Vilniaus g. 12-3 bute.", "Jis gyvena [address] bute."),
        ("Butas buvo Gedimino pr. 5.", "Butas buvo [address]."),
    ],
    "date": [
        ("It happened on 12/03/2025 at night.", "It happened on [date] at night."),
        ("Court is on 12 March and then March 12th, 2025.", "Court is on [date] and then [date]."),
        ("Since March 2025 things are better.", "Since [date] things are better."),
        ("On 2025-03-12 I called.", "On [date] I called."),
        ("Stało się 12 marca 2025 r. w nocy.", "Stało się [date] w nocy."),
        ("W marcu 2024 uciekłam.", "W [date] uciekłam."),
        ("Tai įvyko 2025 m. kovo 12 d. naktį.", "Tai įvyko [date] naktį."),
        ("Nuo kovo 3-ąją viskas geriau.", "Nuo [date] viskas geriau."),
    ],
    "age": [
        ("I am 34 and a mum.", "I am [age] and a mum."),
        ("I'm 19, my son is a 15-year-old, aged 15.", "I'm [age], my son is a [age]-year-old, aged [age]."),
        ("She is 7 years old.", "She is [age] years old."),
        ("Mam 34 lata i dwoje dzieci.", "Mam [age] lata i dwoje dzieci."),
        ("Moja 15-letnia córka to widziała.", "Moja [age]-letnia córka to widziała."),
        ("W wieku 16 lat wyjechałam.", "W wieku [age] lat wyjechałam."),
        ("Man 15 metų.", "Man [age] metų."),
        ("Mano 7-metė dukra matė.", "Mano [age]-metė dukra matė."),
    ],
    "school": [
        ("My son goes to St Mary's Academy now.", "My son goes to [school] now."),
        ("Oakwood Primary School and Hills Road Sixth Form College helped.", "[school] and [school] helped."),
        ("Chodzi do Szkoła Podstawowa nr 5 im. Jana Pawła II w mieście.", "Chodzi do [school] w mieście."),
        ("Syn chodzi do szkoły nr 12 obok.", "Syn chodzi do [school] obok."),
        ("Jis mokosi Žirmūnų gimnazijoje.", "Jis mokosi [school]."),
        ("Dukra lanko Saulės mokyklą.", "Dukra lanko [school]."),
    ],
    "workplace": [
        ("I work at Tesco Extra, nights.", "I work at [workplace], nights."),
        ("He works for Acme Widgets Ltd in town.", "He works for [workplace] in town."),
        ("We met at the Co-op.", "We met at the [workplace]."),
        ("Pracuję w Biedronce na zmiany.", "Pracuję w [workplace] na zmiany."),
        ("Pracuję w firmie Kowalski Transport od lat.", "Pracuję w firmie [workplace] od lat."),
        ("Dirbu Maximoje.", "Dirbu [workplace]."),
        ("Aš dirbu įmonėje Baltic Foods.", "Aš dirbu įmonėje [workplace]."),
    ],
}


@pytest.mark.parametrize(
    "kind, text, expected", [(kind, text, expected) for kind, cases in CASES.items() for text, expected in cases]
)
def test_each_kind_is_suggested(kind, text, expected):
    redacted, suggestions = redact(text)
    assert redacted == expected
    assert suggestions and all(s.kind == kind for s in suggestions), found(text)


def test_every_kind_is_covered_in_three_languages():
    assert set(CASES) == set(KINDS) == set(REPLACEMENTS)
    for kind, cases in CASES.items():
        assert len(cases) >= 3, kind


@pytest.mark.parametrize(
    "text",
    [
        "The Police and Women's Aid were great. I told Refuge in English.",
        "I called the police and the IDVA called me back.",
        "I went to A&E and the GP referred me to the NHS.",
        "I was 15 minutes late. I am 34 weeks pregnant. We moved 3 times in 2 years.",
        "I have lived here for 15 years. It was in March, on a Monday.",
        "May I say thank you to everyone.",
        "The helpline 0808 2000 247 and 999 were there when I needed them.",
        "We drove on the M11 and the A14.",
        "The Primary School was fine.",
        "Mam 2 dzieci i czekałam 3 lata. Przez 15 lat mieszkałam z nim.",
        "W Polsce nie było takiej pomocy.",
        "Jūs labai padėjote, ačiū Jums. Lietuvoje tokios pagalbos nėra.",
        "I work at a school.",
        'They said: "Go home". Everything is fine!',
    ],
)
def test_ordinary_sentences_get_no_suggestions(text):
    assert found(text) == []


@pytest.mark.parametrize("language", sorted(TEXTS))
def test_the_demo_comments_get_no_suggestions(language):
    for text in TEXTS[language]:
        assert found(text) == [], text


def test_mixed_text_is_redacted_in_order():
    text = "PC Smith rang 07700 900123 on 12/03/2025; email a@b.co, CB1 2AB, I am 34."
    assert redact(text)[0] == "PC [name] rang [phone number] on [date]; email [email], [postcode], I am [age]."


def test_bracketed_words_are_never_suggested_again():
    once, _ = redact("My worker Sarah rang me on 07700 900123 at 12 Mill Road.")
    assert suggest(once) == []
    assert suggest("I spoke to [Sarah] and [Tom Jones].") == []


def test_apply_skips_overlaps_and_keeps_the_rest():
    text = "Call Sarah now"
    [sarah] = suggest(text)
    assert (sarah.start, sarah.end, sarah.text) == (5, 10, "Sarah")
    assert apply(text, [sarah, sarah]) == "Call [name] now"
    assert found("When Sarah came, Ask Tom.") == [("name", "Sarah"), ("name", "Tom")]
    assert apply(text, []) == text


def test_empty_and_odd_text():
    assert suggest("") == []
    assert suggest("   \n\n  ") == []
    assert suggest("<script>alert('x')</script>") == []
    assert redact("ŻÓŁW ŚPIEWA")[0] == "ŻÓŁW ŚPIEWA"  # shouting, not a name
