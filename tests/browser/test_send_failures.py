"""In Chromium with JavaScript on: when "Send my answers" fails, the survivor is told and keeps
every answer, and pressing it again stores them once.

The failures are played by the browser's own request interception on the final post: a
proxy's 502 (the site restarting), and the site's own 503 "not sent yet" page (the database
down), which htmx must swap in although it ignores error responses by default."""

from __future__ import annotations

from sqlalchemy import func, select

from feedback_app.extensions import db
from feedback_app.models import Response

WORDS = "I would like a call back in Polish"


def _to_review(page, base_url: str) -> None:
    page.goto(f"{base_url}/s/seeking_support")
    page.get_by_role("button", name="Start", exact=True).click()
    for _ in range(10):
        page.wait_for_selector("input[name=_screen]", state="attached")
        state = page.locator("input[name=_screen]").get_attribute("value")
        if state == "review":
            return
        for area in page.locator("#survey-form textarea").all():
            area.fill(WORDS)
        page.get_by_role("button", name="Continue", exact=True).click()
        page.wait_for_function(
            "prev => document.querySelector('input[name=_screen]').value !== prev", arg=state
        )
    raise AssertionError("never reached the check-answers screen")


def _stored() -> int:
    db.session.rollback()  # see what the live server committed
    return db.session.scalar(select(func.count()).select_from(Response))


def _on_send(page, base_url: str, answer) -> None:
    def handle(route):
        if route.request.method == "POST" and "_action=submit" in (route.request.post_data or ""):
            answer(route)
        else:
            route.continue_()

    page.route(f"{base_url}/s/seeking_support", handle)


def test_a_proxy_error_on_send_keeps_the_answers_and_says_so(app, page, live_server):
    _to_review(page, live_server.url)
    _on_send(page, live_server.url, lambda route: route.fulfill(status=502, body="Bad gateway", content_type="text/plain"))
    page.get_by_role("button", name="Send my answers", exact=True).click()
    alert = page.locator("#offline-message")
    alert.wait_for()
    assert alert.get_attribute("role") == "alert"
    assert "Your answers are still here" in alert.inner_text()
    assert page.locator("#survey-screen h1").inner_text() == "Check your answers"
    assert WORDS in page.locator("#survey-screen").inner_text()
    assert _stored() == 0

    page.unroute(f"{live_server.url}/s/seeking_support")
    page.get_by_role("button", name="Send my answers", exact=True).click()
    page.wait_for_function("() => !document.querySelector('input[name=_screen]')")
    assert page.locator("#survey-screen h1").inner_text() == "Thank you"
    assert _stored() == 1


def test_the_sites_own_not_sent_page_is_swapped_in(app, page, live_server):
    _to_review(page, live_server.url)
    screen = page.locator("#survey-screen").evaluate("element => element.outerHTML")
    notice = '<div class="notice notice--warning" role="alert" id="not-sent"><p>We could not send your answers just now.</p></div>'
    not_sent = screen.replace("<form", notice + "<form", 1)
    _on_send(page, live_server.url, lambda route: route.fulfill(status=503, body=not_sent, content_type="text/html"))
    page.get_by_role("button", name="Send my answers", exact=True).click()
    page.locator("#not-sent").wait_for()
    assert WORDS in page.locator("#survey-screen").inner_text()
    assert _stored() == 0
