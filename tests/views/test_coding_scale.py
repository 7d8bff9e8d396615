"""Coding at scale: searching the free text of a period (bounded, highlighted, escaped, never
logged), filtering by theme, adding one theme to many selected comments (with htmx or
plain posts; only where it fits), and theme counts per quarter under disclosure control."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import AuditEvent, CommentCoding
from feedback_app.services.figures import periods
from feedback_app.services.insight import comments as comments_service
from feedback_app.services.insight import themes
from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import page_text, post_form, signed_in

URL = "/coordinator/coding"
APPLY = URL + "/apply"
TREND = "/coordinator/themes/trend"
HTMX = {"HX-Request": "true"}
DAY = date(2026, 5, 20)  # Q1 2026/27
POLICE_HELPFUL = {"service": "services.police", "question": "helpful", "period": "2026-27-q1"}
EVERYTHING = {"service": "all", "question": "all", "period": "2026-27-q1"}


def theme(name, kind="helpful", service=None):
    return themes.create_theme(name, "", service, kind)


def comment(text, field="helpful.police", language="en", survey="adult", day=DAY, is_demo=False, **answers):
    if survey == "adult" and "services" not in answers:
        answers["services"] = ["police", "idva"]
    return store({field: text, **answers}, survey_slug=survey, language=language, submitted_on=day, is_demo=is_demo)


def queue(client, headers=None, **args):
    response = client.get(URL, query_string=args, headers=headers)
    assert response.status_code == 200, response.status_code
    return check_page(response)


def texts(page):
    return [quote.get_text() for quote in page.select(".coding-comment__text")]


def marked(page):
    return [[m.get_text() for m in quote.find_all("mark")] for quote in page.select(".coding-comment__text")]


def search(client, words, headers=None, **args):
    return queue(client, headers=headers, **(POLICE_HELPFUL | args | {"q": words, "search": "1"}))


def codings():
    return {(c.response_id, c.field, c.theme_id) for c in db.session.scalars(select(CommentCoding))}


def key(response_id, field="helpful.police"):
    return f"{response_id}:{field}"


# -- search --------------------------------------------------------------------------------


def test_search_finds_and_highlights_every_word(coordinator):
    comment("Quick response when I called, quick again.")
    comment("They listened to me.")
    comment("Quick, but nobody called back", field="better.police")  # another question
    page = search(coordinator, "quick")
    assert texts(page) == ["Quick response when I called, quick again."]
    assert marked(page) == [["Quick", "quick"]]
    assert page.find(id="coding-search-result").get_text(strip=True) == "1 comment holds every word of “quick”."
    # Every word, in any order; part of a word is enough.
    assert texts(search(coordinator, "CALL quick")) == ["Quick response when I called, quick again."]
    assert marked(search(coordinator, "call quick")) == [["Quick", "call", "quick"]]
    assert texts(search(coordinator, "quick listened")) == []
    assert "No comments match these choices." in search(coordinator, "nowhere").get_text()


def test_search_keeps_the_other_choices_and_they_keep_the_search(coordinator):
    comment("Quick response")
    page = search(coordinator, "quick")
    filters = page.find("form", class_="filters")
    assert filters.find("input", attrs={"name": "q"})["value"] == "quick"  # changing a filter keeps the search
    searching = page.find("form", class_="coding-search")
    hidden = {i["name"]: i["value"] for i in searching.find_all("input", type="hidden")}
    assert hidden == POLICE_HELPFUL | {"search": "1"}
    assert searching.find("input", id="q")["value"] == "quick"
    assert searching.find("input", id="q")["maxlength"] == "100"
    # The changes made to a comment come back to the search.
    assign = page.find("form", class_="coding-add")
    assert assign is None or assign.find("input", attrs={"name": "q"})["value"] == "quick"
    clear = searching.find("a", string="Clear the search")
    assert parse_qs(urlsplit(clear["href"]).query) == {k: [v] for k, v in POLICE_HELPFUL.items()}


def test_search_ignores_capitals_and_accents_in_polish_and_lithuanian(coordinator):
    comment("Żółw czekał, a ja CZEKAŁAM długo.", language="pl")
    comment("Darbuotoja mane išklausė.", language="lt")
    comment("zolw bez ogonkow", language="pl")
    comment("Cafe\u0301 at the station", language="en")  # an accent written as a combining character
    assert sorted(texts(search(coordinator, "zolw"))) == ["zolw bez ogonkow", "Żółw czekał, a ja CZEKAŁAM długo."]
    assert sorted(texts(search(coordinator, "ŻÓŁW"))) == ["zolw bez ogonkow", "Żółw czekał, a ja CZEKAŁAM długo."]
    assert marked(search(coordinator, "czekalam")) == [["CZEKAŁAM"]]
    assert marked(search(coordinator, "czekał")) == [["czekał", "CZEKAŁ"]]
    assert marked(search(coordinator, "ISKLAUSE")) == [["išklausė"]]
    assert marked(search(coordinator, "café")) == [["Cafe\u0301"]]


def test_survivor_text_is_escaped_before_it_is_marked(coordinator):
    comment("<script>alert('x')</script> and <b>bold</b> <img src=x onerror=alert(1)>")
    for words in ("script", "<b>", "alert", "onerror"):
        response = coordinator.get(URL, query_string=POLICE_HELPFUL | {"q": words})
        page = check_page(response)  # fails on any script without this request's nonce
        quote = page.select_one(".coding-comment__text")
        assert quote.get_text() == "<script>alert('x')</script> and <b>bold</b> <img src=x onerror=alert(1)>"
        assert [child.name for child in quote.find_all(True)] == ["mark"] * len(quote.find_all("mark"))
        assert quote.find_all("mark"), words
        assert not page.find("img") and not page.find("b")
    html = coordinator.get(URL, query_string=POLICE_HELPFUL | {"q": "script"}).get_data(as_text=True)
    assert "&lt;<mark>script</mark>&gt;alert(" in html
    html = coordinator.get(URL, query_string=POLICE_HELPFUL | {"q": "<b>"}).get_data(as_text=True)
    assert "<mark>&lt;b&gt;</mark>bold" in html


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Type a word, or part of one, to search for."),
        ("   ", "Type a word, or part of one, to search for."),
        ("x" * 101, "Keep the search to 100 characters or fewer. Your words are still in the box."),
        (" ".join("w%d" % n for n in range(11)), "Search for 10 words or fewer."),
    ],
)
def test_a_search_that_cannot_run_gets_a_kind_message_and_loses_nothing(coordinator, typed, message):
    comment("Quick response")
    comment("Listened")
    for headers in (None, HTMX):
        page = queue(coordinator, headers=headers, **POLICE_HELPFUL | {"q": typed, "search": "1", "uncoded": "y"})
        assert message in page.find(class_="error-summary").get_text()
        assert page.find("a", href="#q")
        assert sorted(texts(page)) == ["Listened", "Quick response"]  # the queue as it was
        assert page.find("input", id="q")["value"] == typed.strip() or typed.strip() == ""
        assert page.find("input", id="q")["aria-invalid"] == "true"
        assert page.find("select", id="service").find("option", selected=True)["value"] == "services.police"
        assert page.find("input", id="uncoded").has_attr("checked")
    # An empty box without the search button is simply no search.
    page = queue(coordinator, **POLICE_HELPFUL | {"q": ""})
    assert not page.find(class_="error-summary")


def test_a_search_opens_a_bounded_number_of_responses_and_says_so(coordinator, monkeypatch):
    for number in range(5):
        comment(f"Comment number {number}")
    monkeypatch.setattr(comments_service, "SEARCH_OPEN_LIMIT", 3)
    page = search(coordinator, "comment")
    assert len(texts(page)) == 3  # the first 3 opened, oldest first (in one week: by id)
    assert "The search stopped after opening 3 responses" in page.get_text()
    assert page.find(id="coding-progress") is None  # the scope's progress is not known
    assert page.find("input", attrs={"name": "total"})["value"] == ""
    assert "stopped after opening" not in queue(coordinator, **POLICE_HELPFUL).get_text()  # only searches stop

    monkeypatch.setattr(comments_service, "SEARCH_OPEN_LIMIT", 100)
    monkeypatch.setattr(comments_service, "SEARCH_MATCH_LIMIT", 2)
    page = search(coordinator, "number")
    assert len(texts(page)) == 2
    assert "The search stopped at 2 matching comments" in page.get_text()
    page = search(coordinator, "number 4")
    assert texts(page) == ["Comment number 4"]
    assert "stopped" not in page.get_text()
    assert page.find(id="coding-progress").get_text(strip=True) == "0 of 5 comments coded"


def test_search_words_are_never_logged_or_audited(coordinator, caplog):
    comment("Officer Zebedee was kind")
    caplog.set_level("DEBUG")
    events = db.session.query(AuditEvent).count()
    page = search(coordinator, "Zebedee")
    assert texts(page) == ["Officer Zebedee was kind"]
    assert "zebedee" not in caplog.text.lower()
    assert db.session.query(AuditEvent).count() == events


def test_search_across_every_service_and_question(coordinator):
    comment("Police were quick")
    comment("IDVA was quick too", field="helpful.idva")
    comment("Quick to judge", field="better.police")
    comment("Young and quick", field="helped.school", survey="young_person", supporters=["school"])
    comment("Nothing here", field="anything_else")
    page = queue(coordinator, **EVERYTHING | {"q": "quick"})
    assert sorted(texts(page)) == ["IDVA was quick too", "Police were quick", "Quick to judge", "Young and quick"]
    where = sorted(p.get_text(strip=True) for p in page.select(".coding-comment__where"))
    assert "Police: What could they do better?" in where
    assert page.find("select", id="service").find("option", selected=True)["value"] == "all"
    assert page.find("select", id="question").find("option", selected=True)["value"] == "all"


# -- filters -------------------------------------------------------------------------------


def test_filter_by_theme(coordinator):
    quick, listened = theme("Quick response"), theme("Listened to")
    themes.set_active(listened, False)  # a deactivated theme can still be looked for
    first, second = comment("First"), comment("Second")
    comment("Third")
    db.session.add_all([
        CommentCoding(response_id=first, field="helpful.police", theme_id=quick.id),
        CommentCoding(response_id=second, field="helpful.police", theme_id=listened.id),
    ])
    db.session.commit()
    page = queue(coordinator, **POLICE_HELPFUL | {"theme": str(quick.id)})
    assert texts(page) == ["First"]
    options = {o["value"]: o.get_text() for o in page.find("select", id="theme").find_all("option")}
    assert options == {"": "Any theme, or none", str(listened.id): "Listened to (deactivated)",
                       str(quick.id): "Quick response"}
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"theme": str(listened.id)})) == ["Second"]
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"uncoded": "y"})) == ["Third"]
    # With a search too.
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"theme": str(quick.id), "q": "second"})) == []
    # Both a theme and "only without a theme": the theme wins, and the page says so.
    page = queue(coordinator, **POLICE_HELPFUL | {"theme": str(quick.id), "uncoded": "y"})
    assert texts(page) == ["First"]
    assert "so “Only comments without a theme yet” is left out" in page.get_text()


@pytest.mark.parametrize("asked", ["999999", "abc", "POLICE_ONLY_IDVA"])
def test_an_unknown_theme_gets_a_kind_message(coordinator, asked):
    other = theme("Easy to contact", service="services.idva")  # not for police comments
    asked = str(other.id) if asked == "POLICE_ONLY_IDVA" else asked
    comment("First")
    page = queue(coordinator, **POLICE_HELPFUL | {"theme": asked, "q": "first"})
    assert "Choose a theme from the list." in page.find(class_="error-summary").get_text()
    assert texts(page) == ["First"]  # the search still ran
    assert page.find("input", id="q")["value"] == "first"


# -- adding one theme to many comments ----------------------------------------------------


@pytest.fixture
def mixed():
    """Comments of several services and questions, and a police theme about what helped."""
    made = {
        "police": comment("Police were quick"),
        "police_again": comment("Police quick again"),
        "idva": comment("IDVA was quick", field="helpful.idva"),
        "better": comment("Quick to judge", field="better.police"),
    }
    made["theme"] = theme("Quick blue light response", service="services.police")
    db.session.add(CommentCoding(response_id=made["police_again"], field="helpful.police", theme_id=made["theme"].id))
    db.session.commit()
    return made


def selection(made):
    return [key(made["police"]), key(made["police_again"]), key(made["idva"], "helpful.idva"),
            key(made["better"], "better.police"), key(made["police"], "helpful.idva")]  # the last: no such comment


MIXED_MESSAGE = (
    "Theme “Quick blue light response” added to 1 comment. 1 comment had it already. It was not added to 1 "
    "comment about another service: the theme is only for one service. It was not added to 1 comment that "
    "answers another kind of question (what helped, or what could improve). 1 selected comment could not be "
    "found or opened, and was left as it was."
)


def test_apply_a_theme_to_many_without_javascript(coordinator, mixed):
    args = EVERYTHING | {"q": "quick"}
    response = post_form(coordinator, APPLY, {"comment": selection(mixed), "theme_id": str(mixed["theme"].id),
                                              **args, "total": "4"}, form_page=URL)
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.headers["Location"]).query) == {k: [v] for k, v in args.items()}
    tid = mixed["theme"].id
    assert codings() == {(mixed["police"], "helpful.police", tid), (mixed["police_again"], "helpful.police", tid)}
    page = check_page(coordinator.get(response.headers["Location"]))
    assert MIXED_MESSAGE in page.get_text(" ", strip=True)
    assert "Quick blue light response" in page.find(id=f"comment-{mixed['police'].hex}-helpful-police").get_text()


def test_apply_a_theme_to_many_with_htmx(coordinator, mixed):
    args = EVERYTHING | {"q": "quick"}
    response = post_form(coordinator, APPLY, {"comment": selection(mixed)[:3], "theme_id": str(mixed["theme"].id),
                                              **args}, form_page=URL, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="coding-queue"') and "<html" not in html
    page = check_page(response)
    message = page.find(id="coding-bulk-message")
    assert message["role"] == "status"
    assert message.get_text(strip=True).startswith("Theme “Quick blue light response” added to 1 comment.")
    assert len(codings()) == 2
    card = page.find(id=f"comment-{mixed['police'].hex}-helpful-police")
    assert "Quick blue light response" in card.select_one(".coding-comment__themes").get_text()
    assert not card.find("input", attrs={"name": "comment"}).has_attr("checked")  # done: boxes cleared
    assert texts(page)  # the same search, still shown
    assert all(found and found[0].lower() == "quick" for found in marked(page))


@pytest.mark.parametrize("headers", [None, HTMX])
@pytest.mark.parametrize(
    "chosen, theme_id, message",
    [
        ([], "THEME", "Select at least one comment, then choose the theme to add to them."),
        (["POLICE"], "", "Choose a theme from the list."),
        (["POLICE"], "999999", "Choose a theme from the list."),
        (["POLICE"], "RESTING", "Choose a theme from the list."),
    ],
)
def test_apply_with_a_mistake_keeps_the_choices(coordinator, mixed, headers, chosen, theme_id, message):
    resting = theme("Resting")
    themes.set_active(resting, False)
    theme_id = {"THEME": str(mixed["theme"].id), "RESTING": str(resting.id)}.get(theme_id, theme_id)
    chosen = [key(mixed["police"]) for _ in chosen]
    args = EVERYTHING | {"q": "police"}
    response = post_form(coordinator, APPLY, {"comment": chosen, "theme_id": theme_id, **args}, form_page=URL,
                         headers=headers)
    assert response.status_code == 200
    page = check_page(response)
    alert = page.find(id="coding-bulk-message")
    assert alert["role"] == "alert" and alert.get_text(strip=True) == message
    assert sorted(texts(page)) == ["Police quick again", "Police were quick"]  # the same search
    box = page.find(id=f"comment-{mixed['police'].hex}-helpful-police").find("input", attrs={"name": "comment"})
    assert box.has_attr("checked") == bool(chosen)
    assert box["form"] == "coding-bulk"
    if theme_id == str(mixed["theme"].id):  # the theme chosen stays chosen
        assert page.find("select", id="coding-bulk-theme").find("option", selected=True)["value"] == theme_id
    assert len(codings()) == 1  # only the one made by the fixture


def test_the_bulk_form_offers_themes_that_fit_some_comment(coordinator):
    theme("Listened to")
    theme("Quick blue light response", service="services.police")
    theme("Kept informed", kind="improvement")
    comment("Police were quick")
    page = queue(coordinator, **POLICE_HELPFUL)
    options = [o.get_text() for o in page.find("select", id="coding-bulk-theme").find_all("option")]
    assert options == ["Listened to", "Quick blue light response"]
    page = queue(coordinator, **EVERYTHING)
    options = [o.get_text() for o in page.find("select", id="coding-bulk-theme").find_all("option")]
    assert options == ["Kept informed", "Listened to", "Quick blue light response"]
    box = page.select_one(".coding-comment input[name=comment]")
    assert box["form"] == "coding-bulk" and page.find("form", id="coding-bulk")["method"] == "post"


# -- theme counts per quarter ---------------------------------------------------------------


def within(quarter):
    """A day whose week (responses are dated by their week's Monday) is in ``quarter``."""
    return quarter.start + timedelta(days=7)


def code(response_id, theme_id, field="helpful.police"):
    db.session.add(CommentCoding(response_id=response_id, field=field, theme_id=theme_id))


def trend_table(page, heading):
    section = page.find("h2", string=heading).find_parent("section")
    table = section.find("table")
    quarters = [th.get_text(" ", strip=True) for th in table.find("thead").find_all("th")][1:]
    return {
        row.find("th").get_text(" ", strip=True): dict(zip(quarters, (td.get_text(strip=True) for td in row.find_all("td"))))
        for row in table.find("tbody").find_all("tr")
    }


def test_theme_counts_per_quarter_are_protected(coordinator):
    today = date.today()
    last_year = periods.financial_year(periods.financial_year_of(today) - 1)
    q1, q2 = periods.quarter(last_year.year, 1), periods.quarter(last_year.year, 2)
    quick = theme("Quick response")
    waiting = theme("Waiting too long", kind="improvement")
    for _ in range(6):
        code(comment("Quick", day=within(q1)), quick.id)
    for _ in range(3):
        code(comment("Quick", day=within(q2)), quick.id)
    for _ in range(7):
        code(comment("Slow", field="better.police", day=within(q2)), waiting.id)
    code(comment("Young and quick", field="helped.school", survey="young_person", supporters=["school"],
                 day=within(q1)), quick.id)
    db.session.commit()
    page = check_page(coordinator.get(TREND))
    helped = trend_table(page, "Adult survivors: what helped")
    assert helped["Quick response"][q2.label] == "fewer than 5"
    # 6 + 3 = 9 for the year, which the summary shows: Q1's 6 would give Q2 away.
    assert helped["Quick response"][q1.label] == "not shown"
    assert "“Not shown”: hidden so that a smaller number cannot be worked out" in page.get_text()
    improve = trend_table(page, "Adult survivors: what could improve")
    assert improve["Waiting too long"][q2.label] == "7"
    assert improve["Waiting too long"][q1.label] == "0"
    young = trend_table(page, "Young people: what helped")  # audiences are kept apart
    assert young["Quick response"][q1.label] == "fewer than 5"
    cells = [td.get_text(strip=True) for td in page.select("td")]
    for small in ("1", "2", "3", "4", "9"):
        assert small not in cells
    headings = [th.get_text(" ", strip=True) for th in page.find("table").find("thead").find_all("th")]
    assert len(headings) == 9 and headings[-1].endswith("(so far)")


def test_theme_counts_per_quarter_with_demo_responses(coordinator):
    q = periods.quarter_of(date.today())
    quick = theme("Quick response")
    listened = theme("Listened to")
    for _ in range(3):
        code(comment("Quick", day=within(q)), quick.id)
    for _ in range(4):
        code(comment("Quick", day=within(q), is_demo=True), quick.id)
    for _ in range(6):
        code(comment("Listened", day=within(q)), listened.id)
    for _ in range(2):
        code(comment("Listened", day=within(q), is_demo=True), listened.id)
    db.session.commit()
    page = check_page(coordinator.get(TREND))
    helped = trend_table(page, "Adult survivors: what helped")
    assert helped["Quick response"][q.label + " (so far)"] == "fewer than 5"  # 3 real decide, not 7
    assert helped["Listened to"][q.label + " (so far)"] == "8"
    assert "These counts include demo responses." in page.get_text()
    page = check_page(coordinator.get(TREND, query_string={"demo": "out"}))
    assert trend_table(page, "Adult survivors: what helped")["Listened to"][q.label + " (so far)"] == "6"
    assert "These counts include demo responses." not in page.get_text()
    page = check_page(coordinator.get(TREND, query_string={"demo": "sideways"}))
    assert "Choose one of the options." in page.get_text()


def test_the_codebook_links_to_the_trend(coordinator):
    page = check_page(coordinator.get("/coordinator/themes"))
    assert page.find("a", href=TREND).get_text() == "Themes by quarter"
    assert "No comments in these quarters have been coded" in page_text(coordinator.get(TREND))


# -- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_only_coordinators(client, role):
    response_id = comment("Quick response")
    made = theme("Quick response")
    signed_in(client, role)
    assert client.get(URL, query_string=POLICE_HELPFUL | {"q": "quick"}).status_code == 403
    assert client.get(TREND).status_code == 403
    assert client.get("/staff/account").status_code == 200
    response = post_form(client, APPLY, {"comment": [key(response_id)], "theme_id": str(made.id)},
                         form_page="/staff/account")
    assert response.status_code == 403
    assert codings() == set()


def test_anonymous_is_sent_to_sign_in(client):
    for url in (URL + "?q=quick", TREND):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/staff/sign-in")
    assert client.post(APPLY, data={}).status_code in (302, 400)
