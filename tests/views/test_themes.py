"""The codebook: adding, changing, deactivating themes and their keywords, with kind messages
for what cannot be done, and no page for anyone but coordinators."""

import pytest
from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Theme, ThemeRule
from feedback_app.services.insight import themes
from tests.helpers.pages import check_page
from tests.helpers.staff import page_text, post_form, signed_in

URL = "/coordinator/themes"


def add(client, **fields):
    data = {"name": "Kept informed", "description": "", "service": "", "kind": "improvement"} | fields
    return post_form(client, URL, data, form_page=URL)


def theme_named(name):
    return db.session.scalar(select(Theme).where(Theme.name == name))


def test_empty_codebook_page(coordinator):
    response = coordinator.get(URL)
    assert response.status_code == 200
    page = check_page(response)
    assert "There are no themes yet" in page.get_text()
    assert page.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Themes"
    assert "How keywords suggest themes" in page.get_text()  # the matching rule is documented


def test_add_a_theme_and_see_it_grouped(coordinator):
    response = add(coordinator, name="  Kept   informed ", description="Wants updates about the case.")
    assert response.status_code == 302
    add(coordinator, name="Same officer each time", service="services.police", kind="improvement")
    add(coordinator, name="Quick response", service="services.police", kind="helpful")
    page = check_page(coordinator.get(URL))
    text = page.get_text(" ", strip=True)
    assert "The theme “Quick response” is added." in text
    headings = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert "General (any service): what could improve" in headings
    assert "Police: what helped" in headings
    assert "Police: what could improve" in headings
    theme = theme_named("Kept informed")  # spaces tidied
    assert (theme.service, theme.kind, theme.description, theme.is_active) == (
        None, "improvement", "Wants updates about the case.", True)
    assert theme_named("Same officer each time").service == "services.police"


@pytest.mark.parametrize("name", ["Kept informed", "KEPT INFORMED"])
def test_duplicate_name_gets_a_kind_message_and_keeps_what_was_typed(coordinator, name):
    add(coordinator)
    response = add(coordinator, name=name, description="Typed with care")
    assert response.status_code == 200
    page = check_page(response)
    taken = "There is already a theme called “Kept informed”. Choose another name, or change that theme."
    assert taken in page.get_text()
    assert page.find("input", id="name")["value"] == name
    assert page.find("textarea", id="description").get_text().strip() == "Typed with care"
    assert page.find("input", id="name")["aria-invalid"] == "true"
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"name": "   "}, "Enter a name for the theme."),
        ({"name": "x" * 121}, "Keep the name to 120 characters or fewer."),
        ({"service": "services.spaceship"}, "Choose a service from the list, or “General”."),
        ({"kind": "neither"}, "Choose whether the theme is about what helped or what could improve."),
        ({"description": "d" * 1001}, "Keep the description to 1000 characters or fewer."),
    ],
)
def test_bad_theme_input_is_refused_kindly(coordinator, fields, message):
    response = add(coordinator, **fields)
    assert response.status_code == 200
    assert message in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


def test_edit_a_theme(coordinator):
    add(coordinator)
    add(coordinator, name="Quick response", kind="helpful")
    theme = theme_named("Kept informed")
    url = f"{URL}/{theme.id}"
    page = check_page(coordinator.get(url))
    assert page.find("input", id="name")["value"] == "Kept informed"
    assert page.find("input", id="kind-1").has_attr("checked")  # improvement

    response = post_form(coordinator, url, {"name": "Kept informed about the case", "description": "New",
                                           "service": "services.idva", "kind": "helpful"})
    assert response.status_code == 302
    db.session.expire_all()
    theme = db.session.get(Theme, theme.id)
    assert (theme.name, theme.description, theme.service, theme.kind) == (
        "Kept informed about the case", "New", "services.idva", "helpful")

    # Renaming to another theme's name is refused; its own name (another case) is fine.
    response = post_form(coordinator, url, {"name": "quick RESPONSE", "service": "", "kind": "helpful"})
    assert "There is already a theme called “Quick response”" in page_text(response)
    response = post_form(coordinator, url, {"name": "KEPT informed about the case", "service": "", "kind": "helpful"})
    assert response.status_code == 302
    response = post_form(coordinator, url, {"name": "", "service": "", "kind": "helpful"})
    assert "Enter a name for the theme." in page_text(response)
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).name == "KEPT informed about the case"


def test_deactivate_and_reactivate_never_delete(coordinator):
    add(coordinator)
    theme = theme_named("Kept informed")
    url = f"{URL}/{theme.id}"
    response = post_form(coordinator, f"{url}/active", {"active": "0"}, form_page=url)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).is_active is False
    page = check_page(coordinator.get(URL))
    assert "Not in use" in page.get_text()
    assert "Reactivate this theme" in check_page(coordinator.get(url)).get_text()
    post_form(coordinator, f"{url}/active", {"active": "1"}, form_page=url)
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).is_active is True
    assert not any(rule.endpoint.endswith("delete_theme") for rule in coordinator.application.url_map.iter_rules())


def test_keywords_in_three_languages(coordinator):
    add(coordinator)
    theme = theme_named("Kept informed")
    url = f"{URL}/{theme.id}"
    for language, keyword in (("en", "  keep me   updated "), ("pl", "informować"), ("lt", "pranešt*")):
        response = post_form(coordinator, f"{url}/keywords", {"language": language, "keyword": keyword}, form_page=url)
        assert response.status_code == 302, page_text(response)
    page = check_page(coordinator.get(url))
    keywords = {span["lang"]: span.get_text() for span in page.select(".theme-rules span[lang]")}
    assert keywords == {"en": "keep me updated", "pl": "informować", "lt": "pranešt*"}
    rules = {(r.language, r.keyword) for r in db.session.scalars(select(ThemeRule))}
    assert rules == {("en", "keep me updated"), ("pl", "informować"), ("lt", "pranešt*")}

    # The same keyword again (case and accents aside) is refused, kindly.
    response = post_form(coordinator, f"{url}/keywords", {"language": "pl", "keyword": "INFORMOWAC"}, form_page=url)
    assert response.status_code == 200
    assert "“INFORMOWAC” is already a keyword of this theme in that language." in page_text(response)
    assert check_page(response).find("input", id="keyword")["value"] == "INFORMOWAC"

    rule = db.session.scalar(select(ThemeRule).where(ThemeRule.language == "lt"))
    response = post_form(coordinator, f"{url}/keywords/{rule.id}/remove", form_page=url)
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ThemeRule)) == 2
    response = post_form(coordinator, f"{url}/keywords/{rule.id}/remove", form_page=url, follow_redirects=True)
    assert "That keyword was already removed." in page_text(response)


@pytest.mark.parametrize(
    "language, keyword, message",
    [
        ("en", "", "Enter a word or a short phrase."),
        ("en", "a b c d e f", "Use a word or a short phrase of up to 5 words."),
        ("en", "call <back>", "Use only letters and numbers"),
        ("en", "*wait", "Use only letters and numbers"),
        ("en", "ab*", "Put at least 3 letters before a *."),
        ("de", "warten", "Choose English, Polish or Lithuanian."),
    ],
)
def test_bad_keywords_are_refused_kindly(coordinator, language, keyword, message):
    add(coordinator)
    theme = theme_named("Kept informed")
    url = f"{URL}/{theme.id}"
    response = post_form(coordinator, f"{url}/keywords", {"language": language, "keyword": keyword}, form_page=url)
    assert response.status_code == 200
    assert message in page_text(response)
    assert db.session.scalar(select(func.count()).select_from(ThemeRule)) == 0


@pytest.mark.parametrize("path", ["/coordinator/themes/999", "/coordinator/themes/not-a-number"])
def test_unknown_theme_is_not_found(coordinator, path):
    assert coordinator.get(path).status_code == 404


def test_theme_names_and_keywords_are_escaped(coordinator):
    add(coordinator, name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    page = check_page(coordinator.get(URL))
    assert not page.find("img")
    assert "<script>alert(1)</script>" in page.get_text()


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_other_roles_cannot_see_or_change_the_codebook(client, role):
    signed_in(client, role)
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"name": "x", "kind": "helpful"}).status_code in (400, 403)
    assert db.session.scalar(select(func.count()).select_from(Theme)) == 0


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")


def test_demo_codebook_once(app):
    made = themes.create_demo_codebook()
    assert made >= 6
    names = {t.name for t in db.session.scalars(select(Theme))}
    assert {"Kept informed", "Listened to without judgement", "Quick response", "Waiting too long for a call back",
            "Same officer each time", "Help in my own language"} <= names
    assert all(t.description.startswith("Demo theme") for t in db.session.scalars(select(Theme)))
    languages = {r.language for r in db.session.scalars(select(ThemeRule))}
    assert languages == {"en", "pl", "lt"}
    assert themes.create_demo_codebook() == 0
    assert db.session.scalar(select(func.count()).select_from(Theme)) == made
