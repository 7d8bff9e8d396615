"""The board summary in a real browser, with the demo data, at a laptop's 1280×800 and a
tablet's 768×1024: the chart and its table render with the same numbers, the choices fold
into one summary line on the tablet and stay open on the laptop, the page is accessible,
and nothing is asked of another host. Screenshots go to a temporary folder (or to
``BOARD_SHOTS`` when set, to look at them)."""

import os
from pathlib import Path

import pytest

from feedback_app.services.demo import responses as demo
from feedback_app.services.demo.insight import code_demo_comments
from feedback_app.services.insight.themes import create_demo_codebook
from tests.browser.conftest import TABLET, run_axe
from tests.conftest import running_app
from tests.helpers.staff import make_account, sign_in_page

LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("BOARD_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_board_summary_at_laptop_and_tablet_sizes(test_database, page, live_server, requests_seen, shots):
    # Stored with the live server's keyring, so that the server can open the responses.
    with running_app(test_database, KEYRING=live_server.keyring):
        demo.generate(600, seed=14)
        create_demo_codebook()
        code_demo_comments()
        coordinator, secret = make_account("coordinator")

        page.set_viewport_size(LAPTOP)
        sign_in_page(page, live_server.url, coordinator.email, secret)
        page.get_by_role("link", name="Board summary", exact=True).first.click()
        page.wait_for_url(live_server.url + "/coordinator/board")

        chart = page.locator("svg.board-chart")
        assert chart.get_attribute("role") == "img"
        rows = page.locator("#services-table tbody tr")
        assert rows.count() >= 1
        # every bar's words in the chart are in the table too
        first_service = rows.first.locator("th").inner_text()
        first_share = rows.first.locator("td").first.inner_text().split(" ")[0]
        assert f"{first_service}: " in chart.locator("desc").text_content()
        assert first_share in chart.locator("desc").text_content()
        # on a laptop the choices are open and the summary line is not needed
        assert page.get_by_label("Period", exact=True).is_visible()
        assert not page.locator(".board-filters > summary").is_visible()
        assert page.locator("#areas-table").is_visible() and page.locator("#modes-table").is_visible()
        assert run_axe(page) == []
        height = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(path=str(shots / "board-1280x800.png"))
        page.screenshot(path=str(shots / "board-1280x800-full.png"), full_page=True)
        assert height <= 3.5 * LAPTOP["height"], height  # about three screens with every demo service and area

        page.set_viewport_size(TABLET)
        page.reload()
        summary = page.locator(".board-filters > summary")
        assert summary.is_visible()
        assert "Showing:" in summary.inner_text() and "All audiences" in summary.inner_text()
        assert not page.get_by_label("Period", exact=True).is_visible()
        page.screenshot(path=str(shots / "board-768x1024.png"))
        summary.click()
        assert page.get_by_label("Period", exact=True).is_visible()
        assert run_axe(page) == []
        page.screenshot(path=str(shots / "board-768x1024-filters-open.png"))
        page.screenshot(path=str(shots / "board-768x1024-full.png"), full_page=True)

        # choosing an audience reloads the page with it, still folded on the tablet
        page.get_by_label("Audience", exact=True).select_option("adult")
        page.get_by_role("button", name="Show board summary").click()
        page.wait_for_url("**/coordinator/board?*audience=adult*")
        assert "Adults" in page.locator(".board-filters > summary").inner_text()
        assert requests_seen.foreign() == []
