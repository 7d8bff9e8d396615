"""The coordinator's dashboard: figures protected by disclosure control, filters that change
them, full page or htmx fragment, and nothing a survivor wrote."""

import itertools
import json
from datetime import date

import pytest
from sqlalchemy import update

from feedback_app.extensions import db
from feedback_app.models import Response
from tests.conftest import running_app
from tests.helpers.insight_data import SECRET_TEXT, store_fixed_dataset, store_many
from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import signed_in

URL = "/coordinator/"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def exact(test_database):
    """A signed-in coordinator on an app with suppression off (threshold 1), to check that
    filters change the figures exactly."""
    with running_app(test_database, DISCLOSURE_THRESHOLD=1, PERCENT_BASE_MIN=1) as app:
        yield signed_in(app.test_client())


def figure(page, figure_id):
    """{row label: (number, percent)} of one figure's table, plus its total under "TOTAL"."""
    section = page.find("section", attrs={"aria-labelledby": f"{figure_id}-heading"})
    assert section is not None, f"no figure {figure_id}"
    table = section.find("table")
    if table is None:
        return None  # withheld
    cells = {}
    for row in table.find_all("tr"):
        header = row.find("th", attrs={"scope": "row"})
        if header is None:
            continue
        values = [td.get_text(" ", strip=True) for td in row.find_all("td")]
        label = "TOTAL" if row.parent.name == "tfoot" else header.get_text(" ", strip=True)
        cells[label] = (values[0], values[1])
    return cells


def numbers(cells):
    return {label: number for label, (number, _percent) in cells.items()}


def headline(page):
    return page.find("p", class_="headline").get_text(strip=True)


def get(client, url=URL, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return response, check_page(response)


# -- pages and access ---------------------------------------------------------------------


def test_full_page_without_htmx(coordinator):
    store_fixed_dataset()
    response, page = get(coordinator)
    assert "HX-Request" in response.headers["Vary"]
    form = page.find("form", class_="filters")
    assert form["method"] == "get" and form["action"] == URL
    assert form.find("input", attrs={"name": "csrf_token"}) is None  # a bookmarkable GET form
    assert form["hx-get"] == URL and form["hx-target"] == "#results" and form["hx-push-url"] == "true"
    assert page.find(id="results") is not None
    assert page.find("h1").get_text(strip=True) == "Feedback dashboard"
    assert headline(page) == "12"


def test_htmx_gets_only_the_results(coordinator):
    store_fixed_dataset()
    response, page = get(coordinator, URL + "?survey=adult", headers=HTMX)
    html = response.get_data(as_text=True)
    assert "HX-Request" in response.headers["Vary"]
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<div id="results"')
    assert headline(page) == "6"


def test_staff_pages_may_push_urls_but_keep_no_snapshots(coordinator, client):
    _, page = get(coordinator)
    config = json.loads(page.find("meta", attrs={"name": "htmx-config"})["content"])
    assert config["historyEnabled"] is True and config["historyCacheSize"] == 0
    assert config["allowEval"] is False
    survivor = check_page(client.get("/"))
    config = json.loads(survivor.find("meta", attrs={"name": "htmx-config"})["content"])
    assert config["historyEnabled"] is False and config["historyCacheSize"] == 0


@pytest.mark.parametrize("role", ["worker", "admin"])
def test_other_staff_are_refused(client, role):
    signed_in(client, role)
    assert client.get(URL).status_code == 403
    assert client.get(URL, headers=HTMX).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


def test_no_responses_yet(coordinator):
    _, page = get(coordinator)
    assert headline(page) == "0"
    assert "No responses match these filters." in page.get_text()


# -- disclosure control on the page -------------------------------------------------------


@pytest.mark.parametrize(
    "women, shown_women, shown_men",
    [(4, "fewer than 5", "not shown"), (5, "5", "6"), (6, "6", "6")],
)
def test_threshold_at_just_under_and_just_over(coordinator, women, shown_women, shown_men):
    store_many(women, {"gender": "woman"})
    store_many(6, {"gender": "man"})
    _, page = get(coordinator)
    gender = numbers(figure(page, "gender"))
    assert gender["Woman"] == shown_women
    assert gender["Man"] == shown_men  # hidden too when 4 women could be worked out
    assert gender["TOTAL"] == headline(page) == str(women + 6)


@pytest.mark.parametrize("count, shown", [(4, "fewer than 5"), (5, "5"), (6, "6")])
def test_total_at_just_under_and_just_over(coordinator, count, shown):
    store_many(count, {"gender": "woman"})
    _, page = get(coordinator)
    assert headline(page) == shown
    if count < 5:
        assert "Too few responses" in page.get_text()
        assert page.find("table") is None and page.find("svg") is None
    else:
        assert numbers(figure(page, "gender"))["Woman"] == shown


@pytest.mark.parametrize("count, percent_shown", [(9, False), (10, True)])
def test_percentages_need_ten(coordinator, count, percent_shown):
    store_many(count, {"gender": "woman"})
    _, page = get(coordinator)
    number, percent = figure(page, "gender")["Woman"]
    assert number == str(count)
    assert (percent == "100%") is percent_shown
    if not percent_shown:
        assert "%" not in percent


def test_hidden_cells_cannot_be_worked_out_from_the_total(coordinator):
    # 12 women, 4 men, 6 "in another way", 0 "prefer not to say": total 22.
    store_many(12, {"gender": "woman"})
    store_many(4, {"gender": "man"})
    store_many(6, {"gender": "another_way"})
    _, page = get(coordinator)
    cells = numbers(figure(page, "gender"))
    total = int(cells.pop("TOTAL"))
    shown = {label: int(v) for label, v in cells.items() if v.isdigit()}
    hidden = {label: v for label, v in cells.items() if not v.isdigit()}
    assert hidden == {"Man": "fewer than 5", "In another way": "not shown"}
    remaining = total - sum(shown.values())
    ranges = [range(1, 5) if v == "fewer than 5" else range(5, remaining + 1) for v in hidden.values()]
    solutions = [combo for combo in itertools.product(*ranges) if sum(combo) == remaining]
    for index in range(len(hidden)):
        assert len({s[index] for s in solutions}) > 1, "a hidden cell can be worked out"
    assert "hidden so that a small number cannot be worked out" in page.get_text()


def test_a_survey_hidden_in_one_table_stays_hidden_in_another(coordinator):
    store_many(20, {"age": "age_25_34"})
    store_many(3, {"age": "age_13_15"}, survey="young_person")
    store_many(7, {"gender": "woman"}, survey="seeking_support")
    _, page = get(coordinator)
    surveys = numbers(figure(page, "survey"))
    assert surveys["Tell us what helped"] == "fewer than 5"
    assert surveys["Getting support"] == "not shown"  # else 30 - 20 - 7 = 3 young people
    age = numbers(figure(page, "age"))
    assert age["Not asked in that survey"] == "not shown"  # the 7 of "Getting support"
    assert age["13 to 15"] == "fewer than 5"


def test_a_number_shown_elsewhere_is_not_used_to_protect(coordinator):
    store_many(2, {"age": "age_16_24"})
    store_many(18, {"age": "age_25_34"})
    store_many(6, {"gender": "woman"}, survey="seeking_support")
    _, page = get(coordinator)
    assert numbers(figure(page, "survey"))["Getting support"] == "6"
    age = numbers(figure(page, "age"))
    assert age["Not asked in that survey"] == "6"
    assert (age["16 to 24"], age["25 to 34"]) == ("fewer than 5", "not shown")


def test_charts_draw_only_what_the_table_shows(coordinator):
    store_many(12, {"gender": "woman"})
    store_many(4, {"gender": "man"})
    store_many(6, {"gender": "another_way"})
    _, page = get(coordinator)
    section = page.find("section", attrs={"aria-labelledby": "gender-heading"})
    svg = section.find("svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title")["id"] == title_id and svg.find("desc")["id"] == desc_id
    desc = svg.find("desc").get_text()
    assert "Woman: 12" in desc and "Man: fewer than 5" in desc and "In another way: not shown" in desc
    assert len(svg.find_all("rect")) == 1  # a bar for the 12 women only (zeros draw nothing)
    values = [t.get_text() for t in svg.find_all("text", class_="chart__value")]
    assert values == ["12 (55%)", "fewer than 5", "not shown"] + ["0 (0%)"] * 4  # girl, boy, prefer not, not answered


def test_services_are_ordered_by_what_is_shown(coordinator):
    store_many(6, {"services": ["police"], "listened.police": "yes"})
    store_many(3, {"services": ["housing"]})
    store_many(1, {"services": ["idva"]})
    store_many(7, {"services": ["health"], "listened.health": "no"})
    _, page = get(coordinator, URL + "?survey=adult")
    labels = list(figure(page, "services"))
    assert labels[:2] == ["Health (for example GP, hospital, midwife)", "Police"]
    # the two hidden ones keep the order of the survey, not their size
    hidden = [label for label, (n, _p) in figure(page, "services").items() if n == "fewer than 5"]
    assert hidden == ["IDVA service (Independent Domestic Violence Advisor)", "Housing"]
    assert page.find(id="service-services-police-heading") is not None
    assert page.find(id="service-services-housing-heading") is None  # too few to break down


def test_listened_and_safer_per_service(exact):
    store_fixed_dataset()
    _, page = get(exact)
    assert numbers(figure(page, "service-services-police-listened")) == {
        "Yes": "3", "Sometimes": "1", "No": "1", "Prefer not to say": "0", "Not answered": "0", "TOTAL": "5",
    }
    assert numbers(figure(page, "service-services-police-safer"))["Not answered"] == "2"
    assert numbers(figure(page, "service-supporters-school-listened")) == {
        "Yes": "1", "Sometimes": "0", "No": "1", "Prefer not to say": "0", "Not answered": "0", "TOTAL": "2",
    }
    assert page.find(id="service-supporters-school-safer-heading") is None


# -- filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, total",
    [
        ("", "12"),
        ("?period=2023-24-q4", "1"),  # 31 March 2024
        ("?period=2024-25-q1", "8"),  # from 1 April 2024
        ("?period=2024-25", "11"),
        # Widened to whole quarters: Q4 2023/24 (1) and Q1 2024/25 (8).
        ("?period=custom&from=2024-03-25&to=2024-04-01", "9"),
        ("?survey=young_person", "3"),
        ("?audience=anyone", "3"),
        ("?language=pl", "2"),
        ("?service=services.police", "5"),
        ("?service=supporters.school", "2"),
        ("?area=fenland", "3"),
        ("?mode=assisted", "2"),
        ("?survey=adult&language=pl&period=2024-25-q1", "1"),
    ],
)
def test_filters_change_the_figures(exact, query, total):
    store_fixed_dataset()
    _, page = get(exact, URL + query)
    assert headline(page) == total
    _, fragment = get(exact, URL + query, headers=HTMX)
    assert headline(fragment) == total


def test_quarter_filter_splits_31_march_from_1_april(exact):
    store_fixed_dataset()
    _, q4 = get(exact, URL + "?period=2023-24-q4")
    assert numbers(figure(q4, "gender"))["Man"] == "1"
    assert list(figure(q4, "trend")) == ["Q4 2023/24", "TOTAL"]
    _, q1 = get(exact, URL + "?period=2024-25-q1")
    assert numbers(figure(q1, "gender"))["Man"] == "0"
    assert numbers(figure(q1, "survey")) == {
        "Your experience of services": "4", "Tell us what helped": "2", "Getting support": "2", "TOTAL": "8",
    }


def test_the_form_keeps_the_chosen_filters(exact):
    _, page = get(exact, URL + "?period=2019-20-q2&survey=adult&language=pl")
    assert page.find("select", attrs={"name": "period"}).find("option", selected=True)["value"] == "2019-20-q2"
    assert page.find("select", attrs={"name": "survey"}).find("option", selected=True)["value"] == "adult"
    summary = page.find("p", class_="results__summary").get_text()
    assert "Q2 2019/20" in summary and "polski" in summary


def test_nonsense_filters_are_explained_and_left_out(exact):
    store_fixed_dataset()
    response, page = get(exact, URL + "?survey=<script>&period=custom&from=2024-05-01&to=2024-04-01&mode=bogus")
    assert headline(page) == "12"
    summary = page.find("div", class_="error-summary")
    assert summary is not None
    text = summary.get_text(" ", strip=True)
    assert "Survey: Choose one of the options." in text
    assert "The end of the range is before its start." in text
    assert "<script>" not in response.get_data(as_text=True)
    _, page = get(exact, URL + "?period=custom&from=yesterday")
    assert "Enter a date like 2026-04-01." in page.get_text()


# -- what must never appear ---------------------------------------------------------------


@pytest.mark.parametrize("threshold", [1, 5])
def test_free_text_never_appears(test_database, threshold):
    with running_app(test_database, DISCLOSURE_THRESHOLD=threshold) as app:
        client = signed_in(app.test_client())
        store_fixed_dataset()
        store_many(5, {"anything_else": SECRET_TEXT, "services": ["police"], "better.police": SECRET_TEXT})
        for query in ("", "?survey=young_person", "?survey=seeking_support", "?service=services.police"):
            for headers in ({}, HTMX):
                html = client.get(URL + query, headers=headers).get_data(as_text=True)
                assert "Pineapple" not in html
                assert "evening appointments" not in html


def test_html_in_answers_is_never_rendered(exact):
    store_many(
        2,
        {
            "gender": "<b>bold</b>",
            "age": "<img src=x onerror=alert(1)>",
            "services": ["<script>alert(1)</script>", "police"],
            "listened.police": "<i>yes</i>",
            "preferred_support": ["<u>phone</u>"],
        },
    )
    response, page = get(exact)
    html = response.get_data(as_text=True)
    for fragment in ("<b>bold", "&lt;b&gt;", "<img src=x", "alert(1)", "<i>yes", "<u>phone"):
        assert fragment not in html
    assert numbers(figure(page, "gender"))["Not answered"] == "2"


def test_a_tampered_row_is_reported_not_a_500(coordinator):
    ids = store_fixed_dataset()
    facts = db.session.get(Response, ids["A1"]).facts  # what the dashboard opens
    tampered = facts[:20] + bytes([facts[20] ^ 0xFF]) + facts[21:]
    db.session.execute(update(Response).where(Response.id == ids["A1"]).values(facts=tampered))
    db.session.commit()
    _, page = get(coordinator)
    assert "1 response could not be opened" in page_text_of(page)
    assert headline(page) == "11"
    _, fragment = get(coordinator, URL + "?survey=adult", headers=HTMX)
    assert "1 response could not be opened" in page_text_of(fragment)


def page_text_of(page):
    return page.get_text(" ", strip=True)


def test_figures_update_when_a_response_arrives(coordinator):
    store_many(6, {"gender": "woman"}, day=date(2024, 5, 1))
    _, page = get(coordinator)
    assert headline(page) == "6"
    store_many(1, {"gender": "woman"}, day=date(2024, 5, 1))
    _, page = get(coordinator)
    assert headline(page) == "7"


def test_demo_responses_are_marked_and_can_be_left_out(coordinator):
    store_fixed_dataset()
    for _ in range(6):
        store(is_demo=True)
    _, page = get(coordinator)
    assert headline(page) == "18"  # the 12 of the fixed dataset and 6 demo
    assert "These figures include demo responses" in page_text_of(page)
    assert "6 demo" not in page_text_of(page)  # never how many: 18 - 6 would give the real count

    _, page = get(coordinator, URL + "?no_demo=y")
    assert headline(page) == "12"
    assert "demo responses (made up" not in page_text_of(page)
    assert page.find("input", attrs={"name": "no_demo"}).has_attr("checked")
    assert "Leave out demo responses" in page.find(class_="results__summary").get_text()


def test_with_demo_responses_counted_in_a_small_real_count_stays_hidden(coordinator):
    """Real responses decide: 3 real ones and 40 demo ones show no total at all, so that no
    subtraction (with or without demo responses) gives the 3."""
    for _ in range(3):
        store({"gender": "woman"})
    for _ in range(40):
        store({"gender": "man"}, is_demo=True)
    _, with_demo = get(coordinator)
    _, real_only = get(coordinator, URL + "?no_demo=y")
    assert headline(with_demo) == "fewer than 5" == headline(real_only)
    assert "40" not in page_text_of(with_demo) and "43" not in page_text_of(with_demo)


def test_a_view_a_wider_one_would_give_away_says_why(coordinator):
    store_many(12, {"gender": "woman"}, day=date(2024, 5, 1))
    store_many(2, {"gender": "woman"}, day=date(2024, 5, 1), language="pl")
    response = coordinator.get(URL + "?language=en&no_demo=y")
    page = check_page(response)
    assert "leave out only a handful of the responses of a wider view" in page_text_of(page)
    assert page.find(class_="headline").get_text(strip=True) == "not shown"  # not 12: 14 - 12 = 2
    assert page.find(id="results").find("table") is None
