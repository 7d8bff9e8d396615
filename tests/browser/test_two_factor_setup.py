"""Setting up two-factor authentication on a tablet: the QR code is drawn in the page itself,
the page passes axe, and nothing is fetched from anywhere else."""

from feedback_app.extensions import db
from tests.browser.conftest import TABLET, run_axe
from tests.helpers.staff import PASSWORD, make_account


def test_the_setup_page_shows_a_qr_code_drawn_in_the_page(app, page, live_server, requests_seen):
    account, _ = make_account("coordinator", "qr@example.org", two_factor_on=False)
    db.session.commit()
    page.set_viewport_size(TABLET)
    page.goto(live_server.url + "/staff/sign-in")
    page.get_by_label("Email address").fill(account.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(live_server.url + "/staff/two-factor/setup")
    qr = page.get_by_role("img", name="QR code for your authenticator app")
    assert qr.is_visible()
    box = qr.bounding_box()
    assert box["width"] >= 140 and abs(box["width"] - box["height"]) < 1  # square, big enough to scan
    assert run_axe(page) == []
    assert requests_seen.foreign() == []
