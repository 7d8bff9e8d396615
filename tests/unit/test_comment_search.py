"""Searching comments: words folded (case and accents, Polish and Lithuanian letters),
every word found, where each is for highlighting, and what cannot be searched for."""

import pytest
from markupsafe import Markup

from feedback_app.coordinator.presenters import highlight
from feedback_app.services.insight.comment_search import MAX_LENGTH, SearchError, fold, parse


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Czekałam", "czekalam"),
        ("ŻÓŁW", "zolw"),
        ("Išklausė", "isklause"),
        ("Ąžuolas ĖĮŲŪČŠŽ", "azuolas eiuucsz"),
        ("Straße", "strasse"),
        ("Cafe\u0301", "cafe"),
        ("it’s", "it's"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_every_word_in_any_order():
    search = parse("  CZEKAŁ   policja ")
    assert search.typed == "CZEKAŁ policja" and search.words == ("czekal", "policja")
    assert search.matches("Policja? Czekałam dwa dni.")
    assert not search.matches("Czekałam dwa dni.")


def test_spans_are_positions_in_the_text_as_written():
    search = parse("czekal dni")
    text = "Policja? Czekałam dwa dni, czekałam."
    assert [text[a:b] for a, b in search.spans(text)] == ["Czekał", "dni", "czekał"]
    # One letter folding to two ("ß" -> "ss"), and an accent written as its own character.
    assert parse("strasse").spans("Die Straße") == [(4, 10)]
    text = "Cafe\u0301 nearby"
    assert [text[a:b] for a, b in parse("café").spans(text)] == ["Cafe\u0301"]
    # Overlapping finds are merged into one mark.
    assert parse("abc bcd").spans("xabcdx") == [(1, 5)]


@pytest.mark.parametrize("typed", ["", "   ", None, "x" * (MAX_LENGTH + 1), " ".join(f"w{n}" for n in range(11))])
def test_what_cannot_be_searched_for(typed):
    with pytest.raises(SearchError):
        parse(typed)


def test_highlight_escapes_the_text_then_marks_it(app):
    text = "<script>alert('x')</script> & <b>quick</b>"
    shown = highlight(text, parse("script quick"))
    assert isinstance(shown, Markup)
    assert shown == (
        "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt; &amp; &lt;b&gt;<mark>quick</mark>&lt;/b&gt;"
    )
    assert highlight(text, None) == Markup.escape(text)
    assert highlight("a < b", parse("<")) == "a <mark>&lt;</mark> b"
