"""The board summary: the dashboard's numbers for the same choices, small numbers protected,
changes only between shown numbers, protected two-way tables, coordinators only, and bad
choices answered kindly."""

from datetime import date

import pytest

from tests.helpers.pages import check_page
from tests.helpers.responses import store
from tests.helpers.staff import make_account, sign_in
from tests.helpers.summary_data import add_theme, code

Q1 = date(2026, 5, 6)  # Q1 2026/27
Q2 = date(2026, 8, 5)  # Q2 2026/27
Q2_TOKEN = "2026-27-q2"


def adults(count, day, *, listened="yes", safer="yes", area="cambridge_city", mode="online", is_demo=False):
    answers = {
        "gender": "woman",
        "area": area,
        "services": ["police"],
        "listened.police": listened,
        "safer.police": safer,
    }
    return [store(answers, submitted_on=day, collection_mode=mode, is_demo=is_demo) for _ in range(count)]


def open_survey(count, day, area="fenland"):
    return [store({"area": area}, survey_slug="seeking_support", submitted_on=day) for _ in range(count)]


def cells(table):
    """{row header: [cell texts]} of a table's body and foot."""
    return {
        row.find("th").get_text(" ", strip=True): [td.get_text(" ", strip=True) for td in row.find_all("td")]
        for row in table.select("tbody tr, tfoot tr")
    }


def board_page(client, **params):
    response = client.get("/coordinator/board", query_string=params)
    assert response.status_code == 200
    return check_page(response)


def test_service_shares_are_the_dashboards_and_change_in_points(coordinator):
    adults(8, Q2, listened="yes", safer="yes")
    adults(5, Q2, listened="no", safer="no")
    adults(5, Q1, listened="yes", safer="yes")
    adults(6, Q1, listened="no", safer="yes")
    page = board_page(coordinator, period=Q2_TOKEN)
    police = cells(page.find(id="services-table"))["Police"]
    # listened: 8 of 13 (62%); Q1 5 of 11 (45%): up 17 points. safer: 8/13 = 62%, Q1 11/11 = 100%
    assert police == ["62% (8)", "up 17 points", "62% (8)", "down 38 points"]

    dashboard = check_page(coordinator.get("/coordinator/", query_string={"period": Q2_TOKEN}))
    section = dashboard.find("section", attrs={"aria-labelledby": "service-services-police-listened-heading"})
    yes = next(row for row in section.select("tbody tr") if row.th.get_text(strip=True) == "Yes")
    assert [td.get_text(strip=True) for td in yes.find_all("td")] == ["8", "62%"]

    headline = page.find(id="board-responses-heading").find_next("p").get_text(" ", strip=True)
    assert headline == "13 in Q2 2026/27"
    assert "Previous quarter, Q1 2026/27: 11" in page.get_text(" ", strip=True)
    # the chart draws the same shares, described in words, with bars for shown cells only
    chart = page.find("svg", class_="board-chart")
    assert chart["role"] == "img"
    assert "Police: Felt listened to 62%, Felt safer 62%." in chart.find("desc").get_text()
    assert len(chart.find_all("rect")) == 2


def test_small_numbers_read_fewer_than_5_and_changes_need_both_sides(coordinator):
    adults(12, Q2)
    adults(3, Q1)  # the previous quarter: too few to show
    page = board_page(coordinator, period=Q2_TOKEN)
    text = page.get_text(" ", strip=True)
    assert "Previous quarter, Q1 2026/27: fewer than 5" in text
    # Query-set control: a range over both quarters (15), minus this one, would count the 3,
    # so this quarter's figures are not shown either.
    assert "Responses not shown" in text and page.find(id="services-table") is None
    adults(6, date(2026, 8, 12))  # Q2 again: 18, and nothing small in any wider view
    adults(2, Q1)  # Q1 now 5: shown
    page = board_page(coordinator, period=Q2_TOKEN)
    police = cells(page.find(id="services-table"))["Police"]
    assert police == ["100% (18)", "not comparable", "100% (18)", "not comparable"]  # Q1: no percentage


def test_a_percentage_on_a_small_base_is_not_compared(coordinator):
    adults(12, Q2)
    adults(7, Q1)  # shown, but 7 is too few for a percentage
    page = board_page(coordinator, period=Q2_TOKEN)
    assert "Previous quarter, Q1 2026/27: 7" in page.get_text(" ", strip=True)
    assert cells(page.find(id="services-table"))["Police"][1] == "not comparable"


def test_a_year_compares_with_the_year_before_and_all_time_with_nothing(coordinator):
    adults(12, Q2)
    adults(10, date(2025, 8, 6))
    page = board_page(coordinator, period="2026-27")
    assert "Previous year, 2025/26: 10" in page.get_text(" ", strip=True)
    page = board_page(coordinator, period="all")
    assert "No previous period to compare with" in page.get_text(" ", strip=True)
    assert page.find(id="services-table").find(string="Difference") is None


def test_theme_trends_have_words_and_need_both_counts(coordinator):
    now = adults(12, Q2)
    before = adults(10, Q1)
    listened, updates = add_theme("Listened to me", "helpful"), add_theme("Keep me updated", "improvement")
    for response_id in now[:9]:
        code(response_id, "helpful.police", listened)
    for response_id in before[:6]:
        code(response_id, "helpful.police", listened)
    for response_id in now[:6]:
        code(response_id, "better.police", updates)
    for response_id in before[:2]:
        code(response_id, "better.police", updates)
    page = board_page(coordinator, period=Q2_TOKEN)
    helped = page.find(id="audience-adult-helpful").find_next("ol").get_text(" ", strip=True)
    assert helped == "Listened to me 9 ↑ up from 6"
    arrow = page.find(id="audience-adult-helpful").find_next("ol").find("span", attrs={"aria-hidden": "true"})
    assert arrow.get_text() == "↑"
    better = page.find(id="audience-adult-improvement").find_next("ol").get_text(" ", strip=True)
    assert better == "Keep me updated 6 not comparable"  # 2 before: "fewer than 5"


def test_area_and_mode_tables_are_protected_in_rows_and_columns(coordinator):
    adults(20, Q2, area="cambridge_city", mode="assisted")
    adults(2, Q2, area="fenland", mode="online")
    adults(15, Q2, area="peterborough", mode="handed_over")
    adults(10, Q2, area="peterborough", mode="online")
    open_survey(8, Q2, area="cambridge_city")
    open_survey(9, Q2, area="peterborough")
    page = board_page(coordinator, period=Q2_TOKEN)
    areas = cells(page.find(id="areas-table"))
    assert areas["Fenland"][0] == "fewer than 5"
    # its column (adults) and its row each keep another hidden cell
    adult_column = [row[0] for row in areas.values()]
    assert sum(value in ("fewer than 5", "not shown") for value in adult_column if value != "0") >= 2
    assert areas["Fenland"][2] != "2" and areas["Fenland"][2] == "fewer than 5"
    assert areas["Total"] == ["47", "17", "64"]
    modes = cells(page.find(id="modes-table"))
    assert modes["1:1 with a support worker"][0] == "35"  # assisted and handed over together
    assert modes["Online"][0] == "12"
    assert modes["Total"][-1] == "64"


def test_only_coordinators_see_the_board(app):
    for role in ("worker", "admin"):
        account, secret = make_account(role)
        client = app.test_client()
        sign_in(client, account.email, secret=secret)
        assert client.get("/coordinator/board").status_code == 403
    response = app.test_client().get("/coordinator/board")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/sign-in")


def test_the_board_is_not_cached_and_is_linked_from_the_dashboard(coordinator):
    response = coordinator.get("/coordinator/board")
    assert response.headers["Cache-Control"].startswith("no-store")
    dashboard = check_page(coordinator.get("/coordinator/"))
    assert dashboard.select_one(".board-link a")["href"] == "/coordinator/board"
    assert dashboard.select_one('.staff-nav a[href="/coordinator/board"]')


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2026-27-q9"},
        {"period": "custom", "from": "yesterday", "to": "2026-13-45"},
        {"period": "custom", "from": "2026-09-01", "to": "2026-01-01"},
        {"audience": "martians", "demo": "maybe"},
    ],
)
def test_bad_choices_get_a_kind_message(coordinator, params):
    adults(12, Q2)
    page = board_page(coordinator, **params)
    summary = page.select_one(".error-summary")
    assert summary is not None
    assert "Some choices were left out" in summary.get_text()


def test_the_default_is_the_latest_complete_quarter_with_responses(coordinator):
    adults(6, Q1)
    page = board_page(coordinator)
    assert page.h1.get_text(strip=True) == "Board summary: Q1 2026/27"
