"""Publishing the themed summary in a real browser, on a laptop (1280×800) and a tablet
(768×1024): write the commentary from the summary, see it in place, and download the PDF,
the spreadsheet and the CSV through the page's buttons with the commentary in each.
Screenshots of the page and of the PDF's first page go to REPORT_SHOTS when it is set."""

import csv
import io
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from feedback_app.staff_forms.summary import last_complete_quarter
from tests.browser.conftest import TABLET, run_axe
from tests.conftest import running_app
from tests.helpers.staff import PASSWORD, code_now, make_account
from tests.helpers.summary_data import store_adults

LAPTOP = {"width": 1280, "height": 800}
INTRO = "This quarter we heard from adult survivors.\n\nThank you to everyone who took part."
METHOD = "Workers held one-to-one evaluations; others answered online."
CHANGED = "Police now call back within two days."
POLICE = "=Feedback about the police was mostly kind."


def sign_in(page, live_server, account, secret):
    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Code").fill(code_now(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/coordinator/")


def shot(page, name):
    folder = os.environ.get("REPORT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def pdf_first_page_png(pdf_path, name):
    """The PDF's first page as a picture, where pdftoppm is installed (for looking at it)."""
    folder = os.environ.get("REPORT_SHOTS")
    if folder and subprocess.run(["which", "pdftoppm"], capture_output=True).returncode == 0:
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf_path),
                        str(Path(folder) / name)], check=True)


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["1280x800", "768x1024"])
def test_write_commentary_see_it_and_download_it(test_database, page, live_server, requests_seen, viewport):
    latest = last_complete_quarter(date.today())
    size = f"{viewport['width']}x{viewport['height']}"
    with running_app(test_database, KEYRING=live_server.keyring):
        store_adults(12, {"gender": "woman", "age": "age_25_34", "services": ["police"], "listened.police": "yes",
                          "safer.police": "yes"}, day=latest.start + timedelta(days=7))
        store_adults(6, {"gender": "man", "age": "age_35_44", "services": ["police", "housing"], "listened.police": "no",
                         "safer.police": "sometimes"}, day=latest.start + timedelta(days=7))
        coordinator, secret = make_account("coordinator")
        page.set_viewport_size(viewport)
        sign_in(page, live_server, coordinator, secret)

        page.get_by_role("link", name="Themed summary").click()
        page.wait_for_url(live_server.url + "/coordinator/summary")
        page.get_by_role("link", name="Edit commentary (the whole report)").click()
        page.get_by_label("Introduction").fill(INTRO)
        page.get_by_label("How feedback was collected").fill(METHOD)
        page.get_by_label("What we changed").fill("x" * 3001)
        page.get_by_role("button", name="Save commentary").click()
        assert "Please keep it to 3,000 characters or fewer" in page.locator(".error-summary").inner_text()
        assert page.get_by_label("Introduction").input_value() == INTRO  # nothing typed is lost
        assert run_axe(page) == []
        page.get_by_label("What we changed").fill(CHANGED)
        page.get_by_role("button", name="Save commentary").click()
        page.wait_for_url("**/coordinator/summary**")

        page.get_by_role("link", name="Edit commentary (Adult survivors)").click()
        page.get_by_label("Police", exact=True).fill(POLICE)
        page.get_by_role("button", name="Save commentary").click()
        page.wait_for_url("**/coordinator/summary**")

        assert "The commentary is saved." in page.locator(".flash").inner_text()
        assert METHOD in page.locator(".summary-about").inner_text()
        assert CHANGED in page.locator(".summary-brief").inner_text()
        assert POLICE in page.locator("#audience-adult-service-services-police-heading + p + section").inner_text()
        assert page.locator(".summary-chart").count() == 1
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
        assert run_axe(page) == []
        shot(page, f"summary-{size}.png")

        with page.expect_download() as download:
            page.get_by_role("button", name="Download PDF").click()
        pdf_path = download.value.path()
        pdf = PdfReader(pdf_path)
        first = " ".join(pdf.pages[0].extract_text().split())
        assert "Executive summary" in first and CHANGED in first
        text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
        assert "This quarter we heard from adult survivors." in text and METHOD in text and POLICE in text
        pdf_first_page_png(pdf_path, f"pdf-page1-{size}")

        with page.expect_download() as download:
            page.get_by_role("button", name="Download spreadsheet (XLSX)").click()
        with open(download.value.path(), "rb") as file:
            workbook = load_workbook(file)
        said = [[c.value for c in r] for r in workbook["Commentary"].iter_rows(min_row=2)]
        assert ["Adult survivors", "Police", "'" + POLICE] in said and ["The whole report", "What we changed", CHANGED] in said

        with page.expect_download() as download:
            page.get_by_role("button", name="Download CSV").click()
        rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"), newline="")))
        assert ["Adult survivors", "Police", "Commentary: about this service", "'" + POLICE, "", ""] in rows
        assert ["The whole report", "", "Commentary: introduction", INTRO, "", ""] in rows
        assert requests_seen.foreign() == []
