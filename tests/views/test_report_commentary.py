"""The themed summary's commentary (introduction, how feedback was collected, each service,
what we changed), per period and audience: written by a coordinator on its own page, shown
in place on the summary, its PDF and its spreadsheets; and the PDF a coordinator publishes,
an executive summary first, at most 12 A4 pages for a quarter of the demo data."""

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from sqlalchemy import select

from feedback_app.coordinator import report_routes
from feedback_app.extensions import db
from feedback_app.models import ReportCommentary
from feedback_app.services.staff import audit
from tests.conftest import running_app
from tests.helpers.demo_quarter import store_demo_data
from tests.helpers.pages import check_page
from tests.helpers.staff import post_form, signed_in
from tests.helpers.summary_data import store_adults

SUMMARY = "/coordinator/summary"
EDIT = "/coordinator/summary/commentary"
DOWNLOAD = "/coordinator/summary/download"
Q1, Q2 = "2024-25-q1", "2024-25-q2"
Q2_DAY = date(2024, 8, 1)

INTRO = "This quarter we heard from adults and young people.\n\nThank you to everyone who took part."
METHOD = "Workers held one-to-one evaluations; others answered online."
CHANGED = "Police now call back within two days.\nThe refuge added evening sessions."
POLICE = "Feedback about the police was mostly kind."


@pytest.fixture
def exact(test_database):
    """A coordinator on an app with suppression off, to see every section."""
    with running_app(test_database, DISCLOSURE_THRESHOLD=1, PERCENT_BASE_MIN=1) as app:
        yield signed_in(app.test_client())


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return check_page(response)


def save(client, data, period=Q1, audience=""):
    url = f"{EDIT}?period={period}" + (f"&audience={audience}" if audience else "")
    return post_form(client, url, data, form_page=url)


def download(client, fmt, period=Q1):
    response = post_form(client, DOWNLOAD, {"period": period, "format": fmt}, form_page=f"{SUMMARY}?period={period}")
    assert response.status_code == 200, response.status_code
    return response


def text_of(page, id_):
    found = page.find(id=id_)
    assert found is not None, id_
    return found.find_parent("section").get_text(" ", strip=True)


def saved():
    return list(db.session.scalars(select(ReportCommentary)))


def store_police():
    store_adults(6, {"gender": "woman", "services": ["police"], "listened.police": "yes", "safer.police": "no"})


# -- writing and showing it ---------------------------------------------------------------


def test_commentary_is_written_from_the_summary_and_shown_in_place(exact):
    store_police()
    page = get(exact, f"{SUMMARY}?period={Q1}")
    links = {a.get_text(" ", strip=True): a["href"] for a in page.select(".summary-edit a")}
    assert set(links) == {
        "Edit commentary (the whole report)",
        "Edit commentary (Adult survivors)",
        "Edit commentary (Young people)",
        "Edit commentary (People seeking support)",
    }
    form = get(exact, links["Edit commentary (the whole report)"])
    assert form.find("h1").get_text(strip=True) == "Commentary: The whole report"
    assert [t["name"] for t in form.find_all("textarea")] == ["introduction", "method", "changed"]

    response = save(exact, {"introduction": INTRO, "method": METHOD, "changed": CHANGED})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{SUMMARY}?period={Q1}#summary-heading")
    adults = get(exact, links["Edit commentary (Adult survivors)"])
    police_box = adults.find("textarea", attrs={"name": "service_services__police"})
    assert police_box is not None and police_box.find_previous("label").get_text(strip=True) == "Police"
    assert save(exact, {"service_services__police": POLICE}, audience="adult").status_code == 302

    page = get(exact, f"{SUMMARY}?period={Q1}")
    assert "The commentary is saved." in page.get_text()
    about = text_of(page, "summary-about-heading")
    assert "This quarter we heard from adults and young people." in about and METHOD in about
    # Paragraphs as typed: a blank line starts a new paragraph.
    intro = page.find(id="summary-introduction-heading").find_parent("section")
    assert [p.get_text() for p in intro.find_all("p")] == [
        "This quarter we heard from adults and young people.", "Thank you to everyone who took part."
    ]
    assert POLICE in text_of(page, "audience-adult-service-services-police-heading")
    assert POLICE not in text_of(page, "audience-young-person-heading")
    # "What we changed" at the end, and its first lines in the executive summary.
    assert page.find_all("h2")[-1].get_text(strip=True) == "What we changed"
    assert "Police now call back within two days." in text_of(page, "summary-brief-heading")

    # Editing again shows what was saved, and changes it.
    form = get(exact, links["Edit commentary (the whole report)"])
    assert form.find("textarea", attrs={"name": "introduction"}).get_text().strip() == INTRO
    save(exact, {"introduction": "A new introduction.", "method": METHOD, "changed": ""})
    page = get(exact, f"{SUMMARY}?period={Q1}")
    assert "A new introduction." in page.get_text() and "Police now call back" not in page.get_text()
    assert page.find(id="summary-changed-heading") is None


def test_too_long_a_part_is_explained_and_everything_typed_is_kept(exact):
    store_police()
    long = "Feedback " * 400
    response = save(exact, {"introduction": INTRO, "method": long, "changed": CHANGED})
    assert response.status_code == 400
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    summary = page.find(class_="error-summary").get_text(" ", strip=True)
    assert "The commentary was not saved" in summary
    assert "How feedback was collected: This is 3,599 characters long. Please keep it to 3,000 characters or fewer" in summary
    assert page.find("textarea", attrs={"name": "method"})["aria-invalid"] == "true"
    assert page.find("textarea", attrs={"name": "method"}).get_text().strip() == long.strip()
    assert page.find("textarea", attrs={"name": "introduction"}).get_text().strip() == INTRO
    assert page.find("textarea", attrs={"name": "changed"}).get_text().strip() == CHANGED
    assert saved() == []  # nothing saved


def test_saving_is_audited_without_the_words(exact):
    store_police()
    save(exact, {"introduction": INTRO, "method": "", "changed": CHANGED})
    save(exact, {"service_services__police": POLICE}, audience="adult")
    save(exact, {"introduction": INTRO, "method": "", "changed": CHANGED})  # nothing changed: not audited
    events = audit.events_for("report_commentary_saved")
    assert [(e.target, e.detail) for e in events] == [
        (f"summary {Q1} whole report", "changed: introduction, changed"),
        (f"summary {Q1} adult", "changed: service:services.police"),
    ]
    for event in events:
        assert "Police" not in (event.detail or "") and "quarter" not in (event.detail or "")
        assert event.actor.startswith("coordinator-")


def test_commentary_belongs_to_its_period_and_audience(exact):
    store_police()
    store_adults(6, {"gender": "woman", "services": ["police"], "listened.police": "yes"}, day=Q2_DAY)
    save(exact, {"introduction": "About the first quarter.", "method": "", "changed": ""})
    save(exact, {"introduction": "Adults in the second quarter.", "method": "", "changed": "", "service_services__police": POLICE}, period=Q2, audience="adult")
    first = get(exact, f"{SUMMARY}?period={Q1}").get_text()
    second = get(exact, f"{SUMMARY}?period={Q2}")
    assert "About the first quarter." in first and "Adults in the second quarter." not in first and POLICE not in first
    assert "About the first quarter." not in second.get_text()
    assert "Adults in the second quarter." in text_of(second, "audience-adult-heading")
    assert "Adults in the second quarter." not in text_of(second, "summary-about-heading")
    # The adults' form of the first quarter is empty.
    form = get(exact, f"{EDIT}?period={Q1}&audience=adult")
    assert all(not t.get_text().strip() for t in form.find_all("textarea"))


def test_a_custom_range_has_no_commentary(exact):
    store_police()
    page = get(exact, f"{SUMMARY}?period=custom&from=2024-04-01&to=2024-05-31")
    assert page.select(".summary-edit") == []
    response = exact.get(f"{EDIT}?period=custom&from=2024-04-01&to=2024-05-31")
    assert response.status_code == 302
    assert "Choose one of those first" in get(exact, response.headers["Location"]).get_text()
    assert exact.get(f"{EDIT}?period={Q1}&audience=nobody").status_code == 404


@pytest.mark.parametrize("role", ["admin", "worker"])
def test_only_coordinators_write_commentary(client, role):
    signed_in(client, role)
    assert client.get(f"{EDIT}?period={Q1}").status_code == 403
    response = post_form(client, f"{EDIT}?period={Q1}", {"introduction": "x"}, form_page="/staff/account")
    assert response.status_code == 403
    assert saved() == []


def test_a_post_without_csrf_token_saves_nothing(exact):
    response = exact.post(f"{EDIT}?period={Q1}", data={"introduction": "No token"})
    assert response.status_code == 400
    assert saved() == []


# -- in every file --------------------------------------------------------------------------


def test_commentary_is_in_the_pdf_xlsx_and_csv_inert_and_neutralised(exact, monkeypatch):
    store_police()
    risky = "=HYPERLINK(\"http://evil.example\",\"x\")"
    save(exact, {"introduction": INTRO, "method": "<script>alert(1)</script> <b>bold</b>", "changed": risky})
    save(exact, {"service_services__police": "@SUM(1+1) " + POLICE}, audience="adult")

    page = get(exact, f"{SUMMARY}?period={Q1}")
    assert page.find("script", string="alert(1)") is None and "<script>alert(1)</script>" in page.get_text()

    rendered = []
    original = report_routes.html_to_pdf
    monkeypatch.setattr(report_routes, "html_to_pdf", lambda html: rendered.append(html) or original(html))
    pdf = PdfReader(io.BytesIO(download(exact, "pdf").get_data()))
    text = " ".join(p.extract_text() for p in pdf.pages)
    text = " ".join(text.split())
    for words in ("This quarter we heard from adults and young people.", "<script>alert(1)</script> <b>bold</b>",
                  "@SUM(1+1) Feedback about the police was mostly kind.", risky):
        assert words in text, words  # shown as the words typed, never as markup
    assert "<script>alert(1)</script>" not in rendered[0] and "&lt;script&gt;" in rendered[0]
    assert "What we changed" in pdf.pages[0].extract_text()  # its first lines, on the first page

    rows = list(csv.reader(io.StringIO(download(exact, "csv").get_data(as_text=True)[1:], newline="")))
    said = [r for r in rows if r[2].startswith("Commentary: ")]
    assert said == [
        ["The whole report", "", "Commentary: introduction", INTRO, "", ""],
        ["The whole report", "", "Commentary: how feedback was collected", "<script>alert(1)</script> <b>bold</b>", "", ""],
        ["Adult survivors", "Police", "Commentary: about this service", "'@SUM(1+1) " + POLICE, "", ""],
        ["The whole report", "", "Commentary: what we changed", "'" + risky, "", ""],
    ]

    workbook = load_workbook(io.BytesIO(download(exact, "xlsx").get_data()))
    sheet = workbook["Commentary"]
    assert [c.value for c in sheet[1]] == ["Section", "Part", "Text"]
    assert sheet.freeze_panes == "A2"
    cells = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    assert cells[0] == ["The whole report", "Introduction", INTRO]
    assert cells[2] == ["Adult survivors", "Police", "'@SUM(1+1) " + POLICE]
    assert cells[3] == ["The whole report", "What we changed", "'" + risky]
    assert all(r[2].data_type == "s" and r[2].alignment.wrap_text for r in sheet.iter_rows(min_row=2))


# -- the published PDF ------------------------------------------------------------------------


def test_a_demo_quarter_pdf_is_at_most_12_pages_with_the_executive_summary_first(coordinator, monkeypatch):
    quarter = store_demo_data()
    save(coordinator, {"introduction": INTRO, "method": METHOD, "changed": CHANGED}, period=quarter.token)
    rendered = []
    original = report_routes.html_to_pdf
    monkeypatch.setattr(report_routes, "html_to_pdf", lambda html: rendered.append(html) or original(html))
    pdf = PdfReader(io.BytesIO(download(coordinator, "pdf", period=quarter.token).get_data()))
    assert len(pdf.pages) <= 12
    assert all(round(float(p.mediabox.width)) == 595 and round(float(p.mediabox.height)) == 842 for p in pdf.pages)  # A4
    first = " ".join(pdf.pages[0].extract_text().split())
    assert first.startswith("Themed summary Survivor feedback: " + quarter.label)
    for part in ("Executive summary", "responses this period", "The services in brief", "What people said most",
                 "What we changed", "Police now call back within two days."):
        assert part in first, part
    second = " ".join(pdf.pages[1].extract_text().split())
    assert second.startswith("About this report") and "Executive summary" not in second

    # Every figure of the page is in the PDF: each table as it is, except each service's two
    # question tables, whose numbers are the rows of the services' table instead.
    page = get(coordinator, f"{SUMMARY}?period={quarter.token}")
    document = BeautifulSoup(rendered[0], "html.parser")
    scales = []
    for figure in page.select(".report section.figure"):
        heading_id = figure["aria-labelledby"]
        if figure.find_parent(class_="summary-columns") and figure.find_parent(class_="summary-service"):
            numbers = [tr.select("td.num")[0].get_text(strip=True) for tr in figure.select("tbody tr, tfoot tr")]
            scales.append(numbers)
            continue
        twin = document.find(attrs={"aria-labelledby": heading_id})
        assert twin is not None, heading_id
        assert twin.get_text(" ", strip=True) == figure.get_text(" ", strip=True), heading_id
    crosstab = [
        [td.get_text(" ", strip=True).split(" (")[0] for td in tr.select("td.num")]
        for tr in document.select(".summary-crosstab tbody tr")
    ]
    assert scales and crosstab == scales
