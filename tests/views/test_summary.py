"""The themed summary page and its downloads (PDF, XLSX, CSV): the same protected figures
on every surface, only approved quotes from large enough groups, nothing a coordinator or
survivor typed ever active, and every download in the export log."""

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from feedback_app.coordinator import report_routes
from feedback_app.models import ExportRecord
from feedback_app.services.responses.submissions import store_response
from feedback_app.services.staff import audit
from feedback_app.staff_forms.summary import last_complete_quarter
from tests.conftest import running_app
from tests.helpers.pages import check_page
from tests.helpers.staff import page_text, post_form, signed_in
from tests.helpers.summary_data import (
    APPROVED_GENERAL,
    APPROVED_HOUSING,
    APPROVED_POLICE,
    OUT_OF_PERIOD,
    PROPOSED,
    WITHDRAWN,
    add_quote,
    add_theme,
    code,
    store_adults,
    store_summary_dataset,
)

URL = "/coordinator/summary"
DOWNLOAD = "/coordinator/summary/download"
Q1 = "2024-25-q1"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def exact(test_database):
    """A coordinator on an app with suppression off, to check the figures exactly."""
    with running_app(test_database, DISCLOSURE_THRESHOLD=1, PERCENT_BASE_MIN=1) as app:
        yield signed_in(app.test_client())


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return check_page(response)


def download(client, fmt, period=Q1, **extra):
    response = post_form(client, DOWNLOAD, {"period": period, "format": fmt, **extra}, form_page=f"{URL}?period={period}")
    assert response.status_code == 200, response.status_code
    return response


def csv_rows(response):
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(response.get_data()))
    return list(workbook["Figures"].iter_rows())


def section(page, heading_id):
    found = page.find("section", attrs={"aria-labelledby": heading_id})
    assert found is not None, heading_id
    return found


# -- the page -----------------------------------------------------------------------------


def test_sections_per_audience_and_service(exact):
    store_summary_dataset()
    page = get(exact, f"{URL}?period={Q1}")
    assert page.find("h1").get_text(strip=True) == "Themed summary"
    assert page.find(id="summary-heading").get_text(strip=True) == "Survivor feedback: Q1 2024/25"
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings[-3:] == ["Adult survivors", "Young people", "People seeking support"]
    adults = section(page, "audience-adult-heading")
    assert "Responses: 4" in adults.get_text(" ", strip=True)
    police = section(adults, "audience-adult-service-services-police-heading")
    text = police.get_text(" ", strip=True)
    assert "4 responses were about this service." in text
    assert "Felt listened to and understood" in text and "Felt safer because of their support" in text
    helpful = section(police, "audience-adult-service-services-police-helpful-themes-heading")
    assert [td.get_text(strip=True) for td in helpful.find_all(["th", "td"])][2:] == ["Listened to me", "2"]
    assert APPROVED_POLICE in helpful.get_text()
    assert APPROVED_HOUSING in adults.get_text() and APPROVED_GENERAL in adults.get_text()
    young = section(page, "audience-young-person-heading")
    assert "School" in young.get_text() and "Someone to talk to" in young.get_text()
    assert "Looking ahead" in section(page, "audience-anyone-heading").get_text()


def test_unapproved_withdrawn_and_other_periods_quotes_never_appear(exact):
    store_summary_dataset()
    for url in (f"{URL}?period={Q1}", f"{URL}?period=all"):
        text = get(exact, url).get_text()
        for wording in (PROPOSED, WITHDRAWN):
            assert wording not in text
    assert OUT_OF_PERIOD not in get(exact, f"{URL}?period={Q1}").get_text()
    assert OUT_OF_PERIOD in get(exact, f"{URL}?period=all").get_text()  # A4 is in Q4 2023/24


def test_default_period_is_the_last_complete_quarter(coordinator):
    page = get(coordinator, URL)
    expected = last_complete_quarter(date.today())
    assert page.find("select", attrs={"name": "period"}).find("option", selected=True)["value"] == expected.token
    assert page.find(id="summary-heading").get_text(strip=True) == f"Survivor feedback: {expected.label}"


def test_period_change_with_htmx_gets_only_the_report(exact):
    store_summary_dataset()
    response = exact.get(f"{URL}?period=2024-25", headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert html.lstrip().startswith('<div id="report"') and "<html" not in html
    page = check_page(response)
    assert page.find(id="summary-heading").get_text(strip=True) == "Survivor feedback: 2024/25"
    # The download buttons post the period shown.
    form = page.find("form", class_="summary-downloads")
    assert form.find("input", attrs={"name": "period"})["value"] == "2024-25"


def test_full_page_form_works_without_javascript(coordinator):
    page = get(coordinator, URL)
    form = page.find("form", class_="filters")
    assert form["method"] == "get" and form["action"] == URL
    assert form["hx-get"] == URL and form["hx-target"] == "#report" and form["hx-push-url"] == "true"
    downloads = page.find("form", class_="summary-downloads")
    assert downloads["method"] == "post" and downloads.find("input", attrs={"name": "csrf_token"})
    assert [b["value"] for b in downloads.find_all("button")] == ["pdf", "xlsx", "csv"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("period=not-a-period", "Choose one of the options."),
        ("period=custom&from=2024-13-01", "Enter a date like 2026-04-01."),
        ("period=custom&from=2024-06-01&to=2024-04-01", "The end of the range is before its start."),
        ("period=2024-25-q1&demo=maybe", "Choose one of the options."),
    ],
)
def test_bad_choices_are_explained_and_the_page_still_works(coordinator, query, message):
    page = get(coordinator, f"{URL}?{query}")
    summary = page.find(class_="error-summary")
    assert summary is not None and message in summary.get_text()
    if "from=2024-13-01" in query:
        assert page.find("input", attrs={"name": "from"})["value"] == "2024-13-01"  # kept as typed


def test_custom_range(exact):
    store_summary_dataset()
    page = get(exact, f"{URL}?period=custom&from=2024-04-01&to=2024-04-28")
    # A1 (week of 1 April), A2 (8 April); Y1 (15 April); S1 (1 April). Y2 and S2 arrived in
    # the week of 29 April.
    assert "Responses: 2" in section(page, "audience-adult-heading").get_text(" ", strip=True)
    assert "Responses: 1" in section(page, "audience-young-person-heading").get_text(" ", strip=True)
    assert "Responses: 1" in section(page, "audience-anyone-heading").get_text(" ", strip=True)
    assert page.find(id="summary-heading").get_text(strip=True).endswith("1 Apr 2024 to 28 Apr 2024")  # British dates


def test_demo_responses_are_counted_or_left_out_and_said_so(coordinator):
    store_adults(7, {"gender": "woman"})
    store_adults(5, {"gender": "man"}, is_demo=True)
    page = get(coordinator, f"{URL}?period={Q1}")
    assert "these figures include demo responses" in page_text_of(page)
    assert "Responses: 12" in page_text_of(page) and "5 demo" not in page_text_of(page)  # never how many demo
    page = get(coordinator, f"{URL}?period={Q1}&demo=out")
    assert "Demo responses in this period are left out." in page_text_of(page)
    assert "Responses: 7" in page_text_of(page)


def page_text_of(page):
    return page.get_text(" ", strip=True)


@pytest.mark.parametrize("role", ["admin", "worker"])
def test_other_staff_are_refused(client, role):
    signed_in(client, role)
    assert client.get(URL).status_code == 403
    response = post_form(client, DOWNLOAD, {"format": "csv"}, form_page="/staff/account")
    assert response.status_code == 403


# -- suppression at, just under and just over the threshold, on every surface -------------


@pytest.mark.parametrize("police, shown", [(4, "fewer than 5"), (5, 5), (6, 6)])
def test_small_counts_are_protected_alike_in_html_csv_and_xlsx(coordinator, police, shown):
    store_adults(10, {"services": ["idva"], "listened.idva": "yes"})
    ids = store_adults(police, {"services": ["police"], "listened.police": "yes"})
    theme = add_theme("Quick response")
    for response_id in ids:
        code(response_id, "helpful.police", theme)
    add_quote(ids[0], "helpful.police", "The officer believed me.")

    page = get(coordinator, f"{URL}?period={Q1}")
    services = section(page, "audience-adult-services-heading")
    police_row = next(tr for tr in services.find_all("tr") if tr.th and tr.th.get_text(strip=True) == "Police")
    assert police_row.find("td").get_text(strip=True) == str(shown)
    quote_shown = "The officer believed me." in page.get_text()
    police_section = page.find(id="audience-adult-service-services-police-heading")
    assert quote_shown == (police >= 5) and (police_section is not None) == (police >= 5)
    if police < 5:
        assert "their quotes are not shown" in page.get_text()
    overall = section(page, "audience-adult-all-helpful-themes-heading")
    assert [td.get_text(strip=True) for td in overall.find_all("td")] == [str(shown)]

    rows = csv_rows(download(coordinator, "csv"))
    assert rows[0] == ["Audience", "Service", "Table", "Answer", "Number", "Per cent"]
    police_line = next(r for r in rows if r[2] == "Services mentioned most" and r[3] == "Police")
    assert police_line[4] == str(shown)
    assert police_line[5] == ("" if police < 5 else f"{round(police / (10 + police) * 100)}%")
    theme_line = next(r for r in rows if r[3] == "Quick response" and r[1] == "")
    assert theme_line[4] == str(shown)
    assert "The officer believed me." not in "".join(",".join(r) for r in rows)  # tables only

    sheet = xlsx_rows(download(coordinator, "xlsx"))
    police_cells = next(r for r in sheet if r[2].value == "Services mentioned most" and r[3].value == "Police")
    assert police_cells[4].value == shown
    assert police_cells[4].data_type == ("s" if police < 5 else "n")
    if police < 5:
        assert police_cells[5].value is None
    else:
        assert police_cells[5].value == pytest.approx(police / (10 + police)) and police_cells[5].number_format == "0%"


def test_numbers_read_in_the_page_language_alike_on_the_page_and_in_every_file(coordinator, monkeypatch):
    store_adults(10, {"services": ["police"]})
    store_adults(2, {"services": ["housing"]})
    coordinator.set_cookie("lang", "lt")
    rendered = []
    monkeypatch.setattr(report_routes, "html_to_pdf", lambda html: rendered.append(html) or b"%PDF-1.7")
    police, housing = ["Policija", "10", "83\xa0%"], ["Būsto paslaugos", "mažiau nei 5"]
    services_title = "Dažniausiai minėtos tarnybos"  # "Services mentioned most"

    def table_of(page):
        services = section(page, "audience-adult-services-heading")
        return [[cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])] for tr in services.tbody.find_all("tr")]

    table = table_of(get(coordinator, f"{URL}?period={Q1}"))
    assert police in [row[:3] for row in table] and housing in [row[:2] for row in table]

    download(coordinator, "pdf")
    assert table_of(BeautifulSoup(rendered[0], "html.parser")) == table

    rows = [r[3:] for r in csv_rows(download(coordinator, "csv")) if r[2] == services_title]
    assert police in rows and housing + [""] in rows

    workbook = load_workbook(io.BytesIO(download(coordinator, "xlsx").get_data()))
    figures = workbook.worksheets[1].iter_rows()  # "Figures", in Lithuanian
    sheet = [[c.value for c in r[3:]] for r in figures if r[2].value == services_title]
    assert ["Policija", 10, pytest.approx(10 / 12)] in sheet and housing + [None] in sheet


def test_a_small_audience_is_not_broken_down_anywhere(coordinator):
    store_adults(3, {"gender": "woman", "services": ["police"], "listened.police": "yes"})
    for _ in range(6):
        store_response(
            survey_slug="young_person", survey_version=1, language="en", collection_mode="online",
            answers={"gender": "girl", "supporters": ["school"]}, submitted_on=date(2024, 5, 2),
        )
    page = get(coordinator, f"{URL}?period={Q1}")
    adults = section(page, "audience-adult-heading")
    assert "Responses: fewer than 5" in adults.get_text(" ", strip=True)
    assert "Too few responses from this group" in adults.get_text()
    assert not adults.find("table")
    # 9 in all: with the open survey's 0 shown, the young people's 6 would give the adults'
    # 3 away, so it is hidden too.
    young = section(page, "audience-young-person-heading")
    assert "Responses: not shown" in young.get_text(" ", strip=True) and not young.find("table")
    rows = csv_rows(download(coordinator, "csv"))
    assert {r[0] for r in rows[1:]} == {"All audiences"}
    assert ["All audiences", "", "Responses", "Adult survivors", "fewer than 5", ""] in rows
    assert ["All audiences", "", "Responses", "Young people", "not shown", ""] in rows
    assert ["All audiences", "", "Responses", "Total", "9", ""] in rows


# -- text typed by people is inert everywhere ---------------------------------------------

HOSTILE_QUOTE = "<script>alert('quote')</script><a href=\"https://evil.example/\">click</a>"
HOSTILE_THEME = "<img src=x onerror=alert(1)>Support"


def test_html_in_quotes_and_theme_names_is_inert_on_the_page_and_in_the_pdf(exact, monkeypatch):
    ids = store_summary_dataset()
    add_quote(ids["A2"], "helpful.police", HOSTILE_QUOTE)
    code(ids["A2"], "helpful.police", add_theme(HOSTILE_THEME))
    response = exact.get(f"{URL}?period={Q1}")
    page = check_page(response)  # no inline script, nothing from another host
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;quote&#39;)&lt;/script&gt;" in html
    assert not page.find("a", href="https://evil.example/") and not page.find("img", src="x")
    assert HOSTILE_QUOTE in page.get_text() and HOSTILE_THEME in page.get_text()

    rendered = []
    original = report_routes.html_to_pdf
    monkeypatch.setattr(report_routes, "html_to_pdf", lambda html: rendered.append(html) or original(html))
    pdf = download(exact, "pdf").get_data()
    assert "<script>alert" not in rendered[0] and "<img src=x" not in rendered[0]
    assert "&lt;script&gt;" in rendered[0]
    assert pdf.startswith(b"%PDF")
    assert b"/URI" not in pdf and b"/JavaScript" not in pdf and b"evil.example" not in pdf


def test_formula_payloads_in_theme_names_are_neutralised_in_csv_and_xlsx(coordinator):
    payloads = ['=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"]
    ids = store_adults(6, {"services": ["police"]})
    for name in payloads:
        theme = add_theme(name)
        for response_id in ids:
            code(response_id, "helpful.police", theme)
    rows = csv_rows(download(coordinator, "csv"))
    names = {r[3] for r in rows if r[2] == "What helped: top themes across all comments"}
    assert names == {"'" + p for p in payloads}
    sheet = xlsx_rows(download(coordinator, "xlsx"))
    cells = [r[3] for r in sheet if r[2].value == "What helped: top themes across all comments"]
    assert {c.value for c in cells} == {"'" + p for p in payloads}
    assert {c.data_type for c in cells} == {"s"}
    assert all(cell.data_type != "f" for row in sheet for cell in row)


# -- downloads and the export log ---------------------------------------------------------


def test_pdf_download(coordinator):
    store_summary_dataset()
    response = download(coordinator, "pdf")
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="themed-summary-2024-25-q1.pdf"'
    assert response.get_data().startswith(b"%PDF")


def test_every_download_is_logged_and_audited(coordinator, app):
    store_summary_dataset()
    for fmt in ("pdf", "xlsx", "csv"):
        download(coordinator, fmt, demo="out")
    records = ExportRecord.query.order_by(ExportRecord.id).all()
    assert [r.kind for r in records] == ["summary_pdf", "summary_xlsx", "summary_csv"]
    assert {r.scope for r in records} == {"Themed summary; Q1 2024/25; demo responses left out"}
    assert all(r.rows and r.rows > 3 and r.actor.startswith("coordinator-") for r in records)
    assert len(audit.events_for("export_created")) == 3
    page = get(coordinator, "/coordinator/exports")
    rows = page.find("table", class_="export-log").find("tbody").find_all("tr")
    assert [tr.find_all("td")[2].get_text(strip=True) for tr in rows] == [
        "Themed summary (CSV)", "Themed summary (spreadsheet)", "Themed summary (PDF)"
    ]


def test_a_download_with_a_bad_choice_is_refused_kindly(coordinator):
    response = post_form(coordinator, DOWNLOAD, {"period": "2024-25-q9", "format": "csv"}, form_page=URL)
    assert response.status_code == 302
    page = get(coordinator, response.headers["Location"])
    assert "That download could not be made" in page.get_text()
    response = post_form(coordinator, DOWNLOAD, {"period": Q1, "format": "docx"}, form_page=URL)
    assert response.status_code == 302 and f"period={Q1}" in response.headers["Location"]
    assert ExportRecord.query.count() == 0


def test_a_download_without_csrf_token_is_refused(coordinator):
    response = coordinator.post(DOWNLOAD, data={"period": Q1, "format": "csv"})
    assert response.status_code == 400
    assert ExportRecord.query.count() == 0
    assert "That download" not in page_text(response)
