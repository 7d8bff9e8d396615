"""The coding queue: comments for one service and question in a period, shown in their own
language; themes assigned and removed (with htmx or plain posts); keyword suggestions
accepted or rejected (and a rejection remembered); English glosses stored sealed; survivor
text always inert; damaged responses counted, never an error page."""

from datetime import date, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select, update

from feedback_app.extensions import db
from feedback_app.models import CommentCoding, CommentGloss, RejectedSuggestion, Response
from feedback_app.services.figures import periods
from feedback_app.services.insight import themes
from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import page_text, post_form, signed_in

URL = "/coordinator/coding"
HTMX = {"HX-Request": "true"}
DAY = date(2026, 5, 20)  # Q1 2026/27
POLICE_HELPFUL = {"service": "services.police", "question": "helpful", "period": "2026-27-q1"}


def theme(name, kind="helpful", service=None, keywords=()):
    made = themes.create_theme(name, "", service, kind)
    for language, keyword in keywords:
        themes.add_rule(made, language, keyword)
    return made


def comment(text, field="helpful.police", language="en", survey="adult", day=DAY, **answers):
    if survey == "adult" and "services" not in answers:
        answers["services"] = ["police", "idva"]
    return store({field: text, **answers}, survey_slug=survey, language=language, submitted_on=day)


def queue(client, headers=None, **args):
    response = client.get(URL, query_string=args or POLICE_HELPFUL, headers=headers)
    assert response.status_code == 200, response.status_code
    return check_page(response)


def cards(page):
    return page.select("article.coding-comment")


def texts(page):
    return [quote.get_text() for quote in page.select(".coding-comment__text")]


def act(client, action, response_id, theme_id=None, field="helpful.police", headers=None, follow_redirects=False,
        **extra):
    data = {"response_id": str(response_id), "field": field, **POLICE_HELPFUL, "total": "3", **extra}
    if theme_id is not None:
        data["theme_id"] = str(theme_id)
    return post_form(client, f"{URL}/{action}", data, form_page=URL, headers=headers, follow_redirects=follow_redirects)


def codings():
    return {(c.response_id, c.field, c.theme_id, c.source) for c in db.session.scalars(select(CommentCoding))}


# -- the queue -----------------------------------------------------------------------------


def test_comments_shown_in_their_own_language(coordinator):
    comment("Quick response when I called.")
    comment("Policja szybko przyjechała.", language="pl")
    comment("Policija atvyko greitai.", language="lt")
    page = queue(coordinator)
    assert page.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Coding"
    assert sorted((q["lang"], q.get_text()) for q in page.select(".coding-comment__text")) == [
        ("en", "Quick response when I called."),
        ("lt", "Policija atvyko greitai."),
        ("pl", "Policja szybko przyjechała."),
    ]
    headings = " ".join(h.get_text(" ", strip=True) for h in page.select(".coding-comment__heading"))
    assert "Comment in Polish" in headings and "Comment in Lithuanian" in headings
    assert page.find(id="coding-progress").get_text(strip=True) == "0 of 3 comments coded"
    assert "Police: What was helpful about the support you received?" in page.get_text(" ", strip=True)


def test_only_the_chosen_service_question_and_period(coordinator):
    comment("Helpful about police")
    comment("Better police", field="better.police")
    comment("Helpful about IDVA", field="helpful.idva")
    comment("Too early", day=date(2026, 3, 20))  # Q4 2025/26
    comment("Young person's school", field="helped.school", survey="young_person", supporters=["school"])
    comment("Adult anything else", field="anything_else")
    comment("Young anything else", field="anything_else", survey="young_person")
    comment("Seeking support other", field="seek_support_other", survey="seeking_support")
    assert texts(queue(coordinator)) == ["Helpful about police"]
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"question": "better"})) == ["Better police"]
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"service": "services.idva"})) == ["Helpful about IDVA"]
    assert sorted(texts(queue(coordinator, **POLICE_HELPFUL | {"period": ""}))) == ["Helpful about police", "Too early"]
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"period": "2025-26"})) == ["Too early"]
    assert texts(queue(coordinator, service="supporters.school", question="helped", period="2026-27")) == [
        "Young person's school"]
    general = queue(coordinator, service="general", question="anything_else", period="2026-27")
    assert sorted(texts(general)) == ["Adult anything else", "Young anything else"]
    assert texts(queue(coordinator, service="general", question="seek_support_other", period="2026-27")) == [
        "Seeking support other"]
    custom = queue(coordinator, **POLICE_HELPFUL | {"period": "custom", "from": "2026-03-01", "to": "2026-03-31"})
    assert texts(custom) == ["Too early"]


def test_question_choices_follow_the_service(coordinator):
    page = queue(coordinator, service="supporters.school", question="helpful")  # the adults' id for "what helped"
    assert page.find("select", id="question").find("option", selected=True)["value"] == "helped"
    options = [o["value"] for o in page.find("select", id="question").find_all("option")]
    assert options == ["helped", "better", "all"]  # "all": every question of the service
    page = queue(coordinator, service="services.police", question="anything_else")
    assert "That question is not asked here, so the first question is shown instead." in page.get_text()
    assert page.find("select", id="question").find("option", selected=True)["value"] == "helpful"
    general = queue(coordinator, service="general").find("select", id="question").find_all("option")
    general = [o["value"] for o in general]
    assert set(general) == {"anything_else", "seek_support_other", "all"}


def test_default_period_is_the_current_quarter(coordinator):
    today = date.today()
    comment("This quarter", day=today)
    comment("Long ago", day=today - timedelta(days=400))
    page = queue(coordinator, service="services.police", question="helpful")
    assert texts(page) == ["This quarter"]
    current = periods.quarter_of(today)
    assert page.find("select", id="period").find("option", selected=True)["value"] == current.token
    assert f"Period: {current.label}" in page.get_text()


@pytest.mark.parametrize(
    "args, message",
    [
        ({"service": "services.spaceship"}, "Choose one of the options."),
        ({"period": "2026-27-q9"}, "Choose one of the options."),
        ({"period": "custom", "from": "not a date"}, "Enter a date like 2026-04-01."),
        ({"period": "custom", "from": "2026-06-01", "to": "2026-05-01"}, "The end of the range is before its start."),
    ],
)
def test_bad_choices_get_a_kind_message_not_an_error(coordinator, args, message):
    comment("Still shown")
    page = queue(coordinator, **POLICE_HELPFUL | args)
    assert message in page.get_text()


def test_bad_page_numbers_are_harmless(coordinator):
    comment("Only one")
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"page": "99"})) == ["Only one"]
    assert texts(queue(coordinator, **POLICE_HELPFUL | {"page": "x"})) == ["Only one"]


def test_twenty_a_page(coordinator):
    for number in range(25):
        comment(f"Comment number {number}")
    first = queue(coordinator)
    assert len(cards(first)) == 20
    assert "Showing comments 1 to 20 of 25" in first.get_text()
    next_link = first.find("a", rel="next")
    query = parse_qs(urlsplit(next_link["href"]).query)
    assert query["service"] == ["services.police"] and query["period"] == ["2026-27-q1"] and query["page"] == ["2"]
    second = check_page(coordinator.get(next_link["href"]))
    assert len(cards(second)) == 5
    assert set(texts(first)).isdisjoint(texts(second))


def test_only_uncoded(coordinator):
    kept = theme("Quick response")
    coded = comment("Coded already")
    comment("Not coded yet")
    act(coordinator, "assign", coded, kept.id)
    page = queue(coordinator, **POLICE_HELPFUL | {"uncoded": "y"})
    assert texts(page) == ["Not coded yet"]
    assert page.find(id="coding-progress").get_text(strip=True) == "1 of 2 comments coded"
    assert page.find("input", id="uncoded").has_attr("checked")


def test_full_page_or_htmx_fragment(coordinator):
    comment("A comment")
    fragment = coordinator.get(URL, query_string=POLICE_HELPFUL, headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert html.lstrip().startswith("<div id=\"coding-queue\"")
    assert "<html" not in html
    assert "HX-Request" in fragment.headers["Vary"]


# -- assigning themes ----------------------------------------------------------------------


def test_assign_and_remove_without_javascript(coordinator):
    chosen = theme("Quick response")
    response_id = comment("Quick response when I called.")
    response = act(coordinator, "assign", response_id, chosen.id)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith(URL + "?")
    assert parse_qs(urlsplit(location).query) == {k: [v] for k, v in POLICE_HELPFUL.items()}
    assert urlsplit(location).fragment == f"comment-{response_id.hex}-helpful-police"
    (coding,) = db.session.scalars(select(CommentCoding))
    assert (coding.response_id, coding.field, coding.theme_id, coding.source) == (
        response_id, "helpful.police", chosen.id, "manual")
    assert coding.coded_by is not None

    page = check_page(coordinator.get(location))
    assert "Theme “Quick response” added." in page.get_text()
    card = cards(page)[0]
    assert [li.find("span").get_text() for li in card.select(".coding-comment__themes li")] == ["Quick response"]
    assert page.find(id="coding-progress").get_text(strip=True) == "1 of 1 comment coded"

    act(coordinator, "assign", response_id, chosen.id)  # again: still one
    assert len(codings()) == 1
    # "All time" (an empty period) stays all time, rather than becoming this quarter.
    response = act(coordinator, "assign", response_id, chosen.id, period="", uncoded="y")
    assert parse_qs(urlsplit(response.headers["Location"]).query, keep_blank_values=True)["period"] == [""]
    assert "uncoded=y" in response.headers["Location"]
    response = act(coordinator, "unassign", response_id, chosen.id)
    assert response.status_code == 302
    assert codings() == set()


def test_assign_and_remove_with_htmx_swaps_only_that_comment(coordinator):
    chosen = theme("Quick response")
    response_id = comment("Quick response when I called.")
    comment("Another comment")
    response = act(coordinator, "assign", response_id, chosen.id, headers=HTMX)
    assert response.status_code == 200
    page = check_page(response)
    (card,) = cards(page)
    assert card["id"] == f"comment-{response_id.hex}-helpful-police"
    assert "Theme “Quick response” added." in card.get_text()
    assert card.select_one(".coding-comment__text").get_text() == "Quick response when I called."
    progress = page.find(id="coding-progress")
    assert progress["hx-swap-oob"] == "true"
    assert progress.get_text(strip=True) == "1 of 3 comments coded"  # "total" as posted
    assert "<html" not in response.get_data(as_text=True)
    assert len(codings()) == 1

    response = act(coordinator, "unassign", response_id, chosen.id, headers=HTMX)
    (card,) = cards(check_page(response))
    assert "Theme “Quick response” removed." in card.get_text()
    assert "No themes yet." in card.get_text()
    assert codings() == set()


def test_only_themes_that_apply_are_offered_and_accepted(coordinator):
    general = theme("Listened to")
    police = theme("Quick blue light response", service="services.police")
    theme("Kept informed", kind="improvement")  # not for "what helped"
    idva = theme("Easy to contact", service="services.idva")  # another service
    resting = theme("Resting theme")
    themes.set_active(resting, False)
    response_id = comment("Quick response when I called.")
    card = cards(queue(coordinator))[0]
    offered = [o.get_text() for o in card.find("select").find_all("option")]
    assert offered == ["Listened to", "Quick blue light response"]
    for refused in (idva, resting):
        response = act(coordinator, "assign", response_id, refused.id, headers=HTMX)
        assert "That theme cannot be used for this comment. Choose one from the list." in page_text(response)
    response = act(coordinator, "assign", response_id, "not a number", follow_redirects=True)
    assert "Choose a theme from the list." in page_text(response)
    assert codings() == set()
    act(coordinator, "assign", response_id, general.id)
    act(coordinator, "assign", response_id, police.id)
    assert {c[2] for c in codings()} == {general.id, police.id}


def test_general_questions_offer_both_kinds(coordinator):
    theme("Listened to")
    theme("Kept informed", kind="improvement")
    theme("Quick blue light response", service="services.police")  # a service theme: not for general
    comment("Thank you", field="anything_else")
    card = cards(queue(coordinator, service="general", question="anything_else", period="2026-27"))[0]
    assert [o.get_text() for o in card.find("select").find_all("option")] == ["Kept informed", "Listened to"]


def test_a_comment_that_is_not_there(coordinator):
    chosen = theme("Quick response")
    response_id = comment("Quick response")
    response = act(coordinator, "assign", "not-a-uuid", chosen.id, follow_redirects=True)
    assert "That comment could not be found." in page_text(response)
    response = act(coordinator, "assign", response_id, chosen.id, field="better.police", headers=HTMX)
    assert response.status_code == 200
    assert "That comment could not be found." in page_text(response)
    response = act(coordinator, "assign", response_id, chosen.id, field="age")  # not a comment
    assert response.status_code == 302
    assert codings() == set()


NOT_FOUND = "That comment could not be found. It may have been removed."
NO_THEME = "Choose a theme from the list."


@pytest.mark.parametrize(
    "response_id, field, theme_id, message",
    [
        ("", "helpful.police", "1", NOT_FOUND),
        (None, "", "1", NOT_FOUND),
        (None, "helpful." + "x" * 80, "1", NOT_FOUND),
        (None, "helpful.police", "", NO_THEME),
        (None, "helpful.police", None, NO_THEME),
    ],
)
def test_bad_posts_get_a_kind_message_with_or_without_javascript(coordinator, response_id, field, theme_id, message):
    chosen = theme("Quick response")
    response_id = comment("Quick response") if response_id is None else response_id
    theme_id = chosen.id if theme_id == "1" else theme_id
    swapped = act(coordinator, "assign", response_id, theme_id, field=field, headers=HTMX)
    assert swapped.status_code == 200
    assert swapped.get_data(as_text=True).count('role="alert"') == 1 and message in page_text(swapped)
    plain = act(coordinator, "assign", response_id, theme_id, field=field)
    assert plain.status_code == 302
    assert message in page_text(coordinator.get(plain.headers["Location"]))
    assert codings() == set()


# -- suggestions ---------------------------------------------------------------------------


@pytest.fixture
def codebook():
    return {
        "quick": theme("Quick response", keywords=[("en", "quick"), ("pl", "szybk*"), ("lt", "greitai")]),
        "listened": theme("Listened to", keywords=[("en", "listened"), ("lt", "išklausė")]),
        "language": theme("Own language", keywords=[("pl", "tłumacz"), ("lt", "lietuviškai")]),
        "waiting": theme("Waiting too long", "improvement", keywords=[("pl", "czekał"), ("lt", "laukti")]),
    }


def suggested(card):
    return [li.find("span").get_text() for li in card.select(".coding-comment__suggestions li")]


def test_suggestions_in_three_languages(coordinator, codebook):
    comment("Quick response when I called, and she listened.")
    comment("Policja szybko przyjechała. Znaleźli tłumacza.", language="pl")
    comment("Darbuotoja mane išklausė. Galėjau kalbėti lietuviškai.", language="lt")
    comment("Za długo czekałam na odpowiedź.", field="better.police", language="pl")
    page = queue(coordinator)
    by_language = {card.select_one(".coding-comment__text")["lang"]: suggested(card) for card in cards(page)}
    assert by_language == {  # themes by name
        "en": ["Listened to (keyword “listened”)", "Quick response (keyword “quick”)"],
        "pl": ["Own language (keyword “tłumacz”)", "Quick response (keyword “szybk*”)"],
        "lt": ["Listened to (keyword “išklausė”)", "Own language (keyword “lietuviškai”)"],
    }
    (better,) = cards(queue(coordinator, **POLICE_HELPFUL | {"question": "better"}))
    assert suggested(better) == ["Waiting too long (keyword “czekał”)"]


def test_accept_a_suggestion(coordinator, codebook):
    response_id = comment("Quick response when I called.")
    response = act(coordinator, "accept", response_id, codebook["quick"].id, headers=HTMX)
    (card,) = cards(check_page(response))
    assert "Suggestion accepted: theme “Quick response” added." in card.get_text()
    assert suggested(card) == []
    assert "from a suggestion" in card.select_one(".coding-comment__themes").get_text()
    assert codings() == {(response_id, "helpful.police", codebook["quick"].id, "suggestion")}


def test_a_rejected_suggestion_is_not_offered_again(coordinator, codebook):
    response_id = comment("Quick response, and she listened.")
    other_id = comment("Quick again")
    response = act(coordinator, "reject", response_id, codebook["quick"].id)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(RejectedSuggestion)) == 1
    page = check_page(coordinator.get(response.headers["Location"]))
    assert "It will not be suggested for this comment again." in page.get_text()
    by_id = {card["id"]: suggested(card) for card in cards(page)}
    assert by_id[f"comment-{response_id.hex}-helpful-police"] == ["Listened to (keyword “listened”)"]
    assert by_id[f"comment-{other_id.hex}-helpful-police"] == ["Quick response (keyword “quick”)"]
    assert codings() == set()
    # Rejecting is not coding; the theme can still be added by hand.
    act(coordinator, "assign", response_id, codebook["quick"].id)
    assert len(codings()) == 1


def test_deactivated_themes_suggest_nothing(coordinator, codebook):
    themes.set_active(codebook["quick"], False)
    comment("Quick response")
    assert suggested(cards(queue(coordinator))[0]) == []


# -- glosses and quotes --------------------------------------------------------------------


def test_gloss_is_stored_sealed_and_shown_again(coordinator):
    response_id = comment("Policja szybko przyjechała.", language="pl")
    gloss = "The police came quickly (Glosstext-4417)"
    response = act(coordinator, "gloss", response_id, gloss=gloss, headers=HTMX)
    (card,) = cards(check_page(response))
    assert "The English gloss is saved." in card.get_text()
    assert card.find("textarea").get_text().strip() == gloss
    (stored,) = db.session.scalars(select(CommentGloss))
    assert stored.field == "helpful.police"
    raw = db.session.execute(select(CommentGloss.gloss)).scalar_one()
    assert b"Glosstext" not in bytes(raw) and "Glosstext".encode("utf-16-le") not in bytes(raw)
    textarea = cards(queue(coordinator))[0].find("textarea")
    assert textarea.get_text().strip() == gloss and textarea["lang"] == "en"

    act(coordinator, "gloss", response_id, gloss="Police were quick")
    assert cards(queue(coordinator))[0].find("textarea").get_text().strip() == "Police were quick"
    assert db.session.scalar(select(func.count()).select_from(CommentGloss)) == 1

    response = act(coordinator, "gloss", response_id, gloss="Police were quick", clear="1", follow_redirects=True)
    assert "The English gloss is cleared." in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(CommentGloss)) == 0


def test_too_long_gloss_keeps_what_was_typed(coordinator):
    response_id = comment("Policja szybko przyjechała.", language="pl")
    response = act(coordinator, "gloss", response_id, gloss="x" * 2001, headers=HTMX)
    (card,) = cards(check_page(response))
    assert "Keep the gloss to 2000 characters or fewer." in card.get_text()
    assert card.find("textarea").get_text().strip() == "x" * 2001
    assert db.session.scalar(select(func.count()).select_from(CommentGloss)) == 0


def test_propose_as_quote_posts_the_comment(coordinator):
    response_id = comment("Quick response")
    form = cards(queue(coordinator))[0].find("form", class_="coding-quote")
    assert form["action"] == "/coordinator/quotes/propose" and form["method"] == "post"
    hidden = {i["name"]: i["value"] for i in form.find_all("input", type="hidden")}
    assert hidden["response_id"] == str(response_id) and hidden["field"] == "helpful.police"
    assert hidden["csrf_token"]
    assert hidden["next"].startswith("/coordinator/coding?")  # back to this queue page if it cannot be proposed
    response = post_form(coordinator, form["action"], hidden, form_page=URL)
    assert response.status_code == 302


# -- safety --------------------------------------------------------------------------------

PAYLOADS = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>"]


def test_html_in_comments_is_inert(coordinator):
    chosen = theme("Quick", keywords=[("en", "alert")])
    response_id = comment(" ".join(PAYLOADS))
    for response in (
        coordinator.get(URL, query_string=POLICE_HELPFUL),
        act(coordinator, "assign", response_id, chosen.id, headers=HTMX),
        act(coordinator, "gloss", response_id, gloss=PAYLOADS[1], headers=HTMX),
    ):
        html = response.get_data(as_text=True)
        page = check_page(response)  # fails on any script without this request's nonce
        assert not page.find("img") and not page.find("svg")
        assert not page.find_all(attrs={"onerror": True}) and not page.find_all(attrs={"onload": True})
        assert "&lt;script&gt;alert(" in html
        assert PAYLOADS[0] in page.select_one(".coding-comment__text").get_text()


def test_a_response_that_does_not_open_is_counted_not_an_error(coordinator):
    comment("Readable")
    broken = comment("Unreadable")
    db.session.execute(update(Response).where(Response.id == broken).values(payload=b"\x01garbage" * 8))
    db.session.commit()
    page = queue(coordinator)
    assert texts(page) == ["Readable"]
    assert "1 response in this period could not be opened" in page.get_text()
    response = act(coordinator, "assign", broken, theme("Quick").id, follow_redirects=True)
    assert response.status_code == 200
    assert "could not be opened" in page_text(response)
    assert codings() == set()


def test_no_comments_and_no_themes(coordinator):
    page = queue(coordinator)
    assert "No comments match these choices." in page.get_text()
    assert "There are no active themes for these comments yet." in page.get_text()


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_other_roles_are_refused(client, role):
    response_id = comment("Quick response")
    signed_in(client, role)
    assert client.get(URL).status_code == 403
    for action in ("assign", "unassign", "accept", "reject", "gloss"):
        token = client.get("/staff/account")
        assert token.status_code == 200
        response = post_form(client, f"{URL}/{action}", {"response_id": str(response_id), "field": "helpful.police",
                                                         "theme_id": "1"}, form_page="/staff/account")
        assert response.status_code == 403, action
    assert codings() == set()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")
