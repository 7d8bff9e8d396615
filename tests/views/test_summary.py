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


def workbook_of(response):
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.get_data()))


def xlsx_rows(response, sheet="Adult survivors"):
    return list(workbook_of(response)[sheet].iter_rows(min_row=2))


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
    page = get(exact, f"{URL}?period=custom&from=2024-04-08&to=2024-04-28")
    # Figures cover whole quarters: the range is widened to Q1 2024/25 (1 April to 30 June),
    # which holds adults A1, A2, A3, A5, young people Y1, Y2 and the open survey's S1, S2, and
    # the form shows the dates used.
    assert "Responses: 4" in section(page, "audience-adult-heading").get_text(" ", strip=True)
    assert "Responses: 2" in section(page, "audience-young-person-heading").get_text(" ", strip=True)
    assert "Responses: 2" in section(page, "audience-anyone-heading").get_text(" ", strip=True)
    assert page.find(id="summary-heading").get_text(strip=True).endswith("1 Apr 2024 to 30 Jun 2024")  # British dates
    assert page.find("input", attrs={"name": "from"})["value"] == "2024-04-01"
    assert page.find("input", attrs={"name": "to"})["value"] == "2024-06-30"
    assert "widened to the quarters it starts and ends in" in page.get_text()


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

    percent = police_row.find_all("td")[1].get_text(strip=True) if police >= 5 else None
    assert percent == (None if police < 5 else f"{round(police / (10 + police) * 100)}%")

    rows = csv_rows(download(coordinator, "csv"))
    assert rows[0] == ["Audience", "Service", "Table", "Answer", "Number", "Per cent"]
    police_line = next(r for r in rows if r[2] == "Services mentioned most" and r[3] == "Police")
    assert police_line[4] == str(shown)
    assert police_line[5] == ("" if police < 5 else percent.rstrip("%"))
    theme_line = next(r for r in rows if r[3] == "Quick response" and r[1] == "")
    assert theme_line[4] == str(shown)
    quote_lines = [r for r in rows if r[3] == "The officer believed me."]
    assert quote_lines == ([] if police < 5 else [["Adult survivors", "Police", "Quotes: what helped", "The officer believed me.", "", ""]])

    workbook = workbook_of(download(coordinator, "xlsx"))
    sheet = list(workbook["Adult survivors"].iter_rows(min_row=2))
    police_cells = next(r for r in sheet if r[1].value == "Services mentioned most" and r[2].value == "Police")
    assert police_cells[3].value == shown
    assert police_cells[3].data_type == ("s" if police < 5 else "n")
    if police < 5:
        assert police_cells[4].value is None
    else:
        assert police_cells[4].value == int(percent.rstrip("%")) / 100 and police_cells[4].number_format == "0%"
    quotes = [[c.value for c in r] for r in workbook["Quotes"].iter_rows(min_row=2)]
    assert quotes == ([] if police < 5 else [["Adult survivors", "Police", "What helped", "The officer believed me."]])


def store_mixed_dataset():
    """Adults with shown, small ("fewer than 5"), protecting ("not shown") and withheld
    tables, young people, demo responses, themes and quotes."""
    police = store_adults(10, {"gender": "woman", "age": "age_25_34", "services": ["police"],
                               "listened.police": "yes", "safer.police": "yes"})
    store_adults(3, {"gender": "man", "age": "age_35_44", "services": ["police", "housing"], "listened.police": "no"})
    # Felt listened to by the IDVA service: 5 yes and 1 no, a table the page withholds.
    idva = store_adults(5, {"gender": "woman", "age": "age_25_34", "services": ["idva"], "listened.idva": "yes"})
    store_adults(1, {"gender": "woman", "age": "age_45_54", "services": ["idva"], "listened.idva": "no"})
    store_adults(2, {"gender": "woman", "services": ["police"], "listened.police": "yes"}, is_demo=True)
    for _ in range(6):
        store_response(
            survey_slug="young_person", survey_version=1, language="en", collection_mode="online",
            answers={"gender": "girl", "supporters": ["school"], "listened.school": "yes"}, submitted_on=date(2024, 5, 2),
        )
    listened = add_theme("Listened to me")
    for response_id in police[:7] + idva[:2]:
        code(response_id, "helpful.police" if response_id in police else "helpful.idva", listened)
    add_quote(police[0], "helpful.police", "They believed me.")
    add_quote(police[1], "better.police", "Call back sooner.")
    add_quote(idva[0], "anything_else", "Thank you.")


def page_tables(page):
    """Every row of every table on the page: {(audience, service, table, answer): (number,
    percent)}, as the page reads; a withheld table is one row holding the page's sentence."""
    found = {}
    for figure in page.find_all("section", class_="figure"):
        title = figure.find(["h3", "h4"]).get_text(strip=True)
        in_audience = figure.find_parent("section", class_="summary-audience")
        audience = in_audience.find("h2").get_text(strip=True) if in_audience else "All audiences"
        in_service = figure.find_parent("section", class_="summary-service")
        service = ""
        if in_service is not None and not in_service["aria-labelledby"].endswith("-all-heading"):
            service = in_service.find("h3").get_text(strip=True)
        table = figure.find("table")
        if table is None:
            sentence = figure.find("p").get_text(strip=True)
            if sentence.startswith("Not shown"):
                found[(audience, service, title, sentence)] = ("", "")
            continue
        for tr in table.find_all("tr"):
            if tr.parent.name == "thead":
                continue
            cells = [cell.get_text(strip=True) for cell in tr.find_all(["th", "td"])]
            percent = cells[2] if len(cells) > 2 and cells[2].endswith("%") else ""
            found[(audience, service, title, cells[0])] = (cells[1], percent)
    return found


def service_sentences(page):
    """{(audience, service): "N responses were about this service."}"""
    return {
        (s.find_parent("section", class_="summary-audience").find("h2").get_text(strip=True), s.find("h3").get_text(strip=True)):
            s.find("p").get_text(strip=True)
        for s in page.find_all("section", class_="summary-service")
        if not s["aria-labelledby"].endswith("-all-heading")
    }


def test_every_number_in_the_csv_and_xlsx_is_the_pages(coordinator):
    store_mixed_dataset()
    page = get(coordinator, f"{URL}?period={Q1}")
    tables = page_tables(page)
    sentences = service_sentences(page)
    shown = {value for value, _percent in tables.values()}
    assert {"fewer than 5", "not shown"} <= shown  # the dataset exercises suppression
    assert any(key[3].startswith("Not shown") for key in tables)  # and a withheld table
    assert sum(bool(percent) for _value, percent in tables.values()) > 20

    def check(key, number, percent):
        audience, service, table, answer = key
        if table == "Responses about this service":
            assert sentences[(audience, service)] == f"{number} responses were about this service."
            return None
        assert key in tables, key
        assert (str(number) if number is not None else "", f"{percent}%" if percent is not None else "") == tables[key], key
        return key

    # CSV: counts and whole per cent as plain numbers, the page's words where a count is hidden.
    rows = csv_rows(download(coordinator, "csv"))
    assert rows[0] == ["Audience", "Service", "Table", "Answer", "Number", "Per cent"]
    figures = [r for r in rows[1:] if not r[2].startswith("Quotes: ")]
    seen = set()
    for audience, service, table, answer, number, percent in figures:
        if number.isdigit():
            number = int(number)
        elif number == "":
            number = None
        else:
            assert number in ("fewer than 5", "not shown"), number
        seen.add(check((audience, service, table, answer), number, int(percent) if percent else None))
    assert seen - {None} == set(tables)  # every table row of the page, nothing else

    # XLSX: the same, as numbers and per-cent-formatted numbers, a sheet per section.
    workbook = workbook_of(download(coordinator, "xlsx"))
    assert workbook.sheetnames == ["Summary", "Adult survivors", "Young people", "People seeking support", "Quotes", "Commentary"]
    seen = set()

    def xlsx_number(cell):
        assert cell.data_type == ("n" if isinstance(cell.value, int) else "s" if cell.value is not None else "n")
        return cell.value

    def xlsx_percent(cell):
        if cell.value is None:
            return None
        assert cell.number_format == "0%" and cell.data_type == "n"
        return round(cell.value * 100)

    summary = workbook["Summary"]
    for label, number, percent in summary.iter_rows(min_row=2, max_row=5):
        seen.add(check(("All audiences", "", "Responses", label.value), xlsx_number(number), xlsx_percent(percent)))
    for name in ("Adult survivors", "Young people", "People seeking support"):
        responses, *rest = workbook[name].iter_rows(min_row=2)
        heading = page.find("h2", string=name)
        assert f"Responses: {responses[3].value}" in heading.find_next("p", class_="summary-count").get_text()
        for service, table, answer, number, percent in rest:
            if table.value is None:  # an audience the page does not break down: its sentence
                assert answer.value in heading.find_parent("section").get_text() and number.value is None
                continue
            key = (name, service.value or "", table.value, answer.value)
            seen.add(check(key, xlsx_number(number), xlsx_percent(percent)))
    assert seen - {None} == set(tables)


def test_the_workbook_has_a_sheet_per_section_with_headers_in_view(coordinator):
    store_mixed_dataset()
    page = get(coordinator, f"{URL}?period={Q1}")
    workbook = workbook_of(download(coordinator, "xlsx"))
    for sheet in workbook:
        assert len(sheet.title) <= 31
        assert sheet.freeze_panes == "A2" and sheet.print_title_rows == "$1:$1"
        header = [cell for cell in sheet[1]]
        assert all(cell.font.b and cell.data_type == "s" for cell in header)
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in header]
        assert all(8 <= width <= 80 for width in widths), (sheet.title, widths)
    assert [c.value for c in workbook["Adult survivors"][1]] == ["Service", "Table", "Answer", "Number", "Per cent"]
    assert [c.value for c in workbook["Quotes"][1]] == ["Audience", "Service", "Kind", "Quote"]
    assert workbook["Quotes"].column_dimensions["D"].width == 80

    summary = workbook["Summary"]
    assert [c.value for c in summary[1]] == ["Audience", "Number", "Per cent"]
    about = {row[0].value: row[1] for row in summary.iter_rows(min_row=7) if row[0].value}
    assert about["Period"].value == "Q1 2024/25"
    made_on = about["Made on"]
    assert made_on.is_date and made_on.value.date() == date.today() and made_on.number_format == "d mmmm yyyy"
    intro = page.find("section", class_="summary-intro").get_text(" ", strip=True)
    assert f"Made on {format_british(date.today())}." in intro  # en_GB on the page and in the PDF
    assert about["Demo responses"].value in intro  # the page's words, never how many
    assert about["Demo responses"].value.startswith("Demo data: these figures include demo responses")
    assert about["Small numbers"].value.startswith("Numbers from 1 to 4 are shown as “fewer than 5”")

    quotes = [[c.value for c in r] for r in workbook["Quotes"].iter_rows(min_row=2)]
    assert quotes == [
        ["Adult survivors", "Police", "What helped", "They believed me."],
        ["Adult survivors", "Police", "What could improve", "Call back sooner."],
        ["Adult survivors", None, "Other comments", "Thank you."],
    ]
    assert all(r[3].alignment.wrap_text for r in workbook["Quotes"].iter_rows(min_row=2))
    rows = csv_rows(download(coordinator, "csv"))
    assert [r for r in rows if r[2].startswith("Quotes: ")] == [
        ["Adult survivors", "Police", "Quotes: what helped", "They believed me.", "", ""],
        ["Adult survivors", "Police", "Quotes: what could improve", "Call back sooner.", "", ""],
        ["Adult survivors", "", "Quotes: other comments", "Thank you.", "", ""],
    ]


def format_british(day):
    """ "28 November 2026": en_GB, as a published report writes it."""
    return f"{day.day} {day:%B %Y}"


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
    assert ["Policija", "10", "83"] in rows and housing + [""] in rows  # numbers as numbers, words as shown

    workbook = workbook_of(download(coordinator, "xlsx"))
    assert workbook.sheetnames == ["Santrauka", "Smurtą patyrę suaugusieji", "Jaunimas", "Pagalbos ieškantys žmonės", "Citatos", "Ataskaitos komentarai"]
    figures = workbook["Smurtą patyrę suaugusieji"].iter_rows()
    sheet = [[c.value for c in r[2:]] for r in figures if r[1].value == services_title]
    assert ["Policija", 10, 0.83] in sheet and housing + [None] in sheet


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
    workbook = workbook_of(download(coordinator, "xlsx"))
    adults, young = (
        [[c.value for c in r] for r in workbook[name].iter_rows(min_row=2)] for name in ("Adult survivors", "Young people")
    )
    assert adults == [
        [None, "Responses", "Adult survivors", "fewer than 5", None],
        [None, None, "Too few responses from this group to say more without risk of identifying someone.", None, None],
    ]
    assert young[0] == [None, "Responses", "Young people", "not shown", None] and len(young) == 2
    assert [[c.value for c in r] for r in workbook["People seeking support"].iter_rows(min_row=2)][1] == [
        None, None, "No responses from this group in this period.", None, None
    ]


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
    cells = [r[2] for r in sheet if r[1].value == "What helped: top themes across all comments"]
    assert {c.value for c in cells} == {"'" + p for p in payloads}
    assert {c.data_type for c in cells} == {"s"}
    assert all(cell.data_type != "f" for row in sheet for cell in row)


def test_formula_payloads_in_quotes_stay_text_in_csv_and_xlsx(exact):
    payloads = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\t=1+1"]
    store_summary_dataset()
    for response_id, payload in zip(store_adults(len(payloads), {"services": ["police"]}), payloads):
        add_quote(response_id, "helpful.police", payload)  # one quote per comment
    written = {"'" + p for p in payloads}
    quotes = [r for r in csv_rows(download(exact, "csv")) if r[2] == "Quotes: what helped"]
    assert {r[3] for r in quotes} == written | {APPROVED_POLICE}
    workbook = workbook_of(download(exact, "xlsx"))
    cells = [r[3] for r in workbook["Quotes"].iter_rows(min_row=2) if r[2].value == "What helped"]
    assert {c.value for c in cells} == written | {APPROVED_POLICE}
    assert {c.data_type for c in cells} == {"s"}
    assert not any(c.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for c in row)


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
