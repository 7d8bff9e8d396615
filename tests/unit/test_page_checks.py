"""The checks the ``client`` fixture runs on every response must fail on a page that breaks
them: otherwise every view test would pass them vacuously."""

from __future__ import annotations

import pytest
from werkzeug.wrappers import Response

from tests.conftest import CheckedClient
from tests.helpers.pages import check_response

EXIT = "https://www.bbc.co.uk/weather"
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'none'; script-src 'self' 'nonce-abcdefghijklmnopqrstuv'; frame-ancestors 'none'",
    "Cache-Control": "no-store, max-age=0",
}
GOOD_SURVIVOR_PAGE = f"""<!doctype html><html lang="en" dir="ltr"><head><title>Service feedback</title></head>
<body class="survivor"><a class="skip-link skip-link--exit" href="{EXIT}" rel="noreferrer" data-quick-exit>Leave</a>
<header class="site-header"><a class="quick-exit" href="{EXIT}" rel="noreferrer" data-quick-exit>Leave this site</a></header>
<main id="main"><h1>Hello</h1><label for="a">Age</label><input id="a" name="age"></main></body></html>"""


def html(body: str, **headers) -> Response:
    return Response(body, mimetype="text/html", headers={**HEADERS, **headers})


def test_a_good_survivor_page_passes():
    check_response(html(GOOD_SURVIVOR_PAGE), "/s/adult", EXIT)


@pytest.mark.parametrize(
    "broken, why",
    [
        (GOOD_SURVIVOR_PAGE.replace(' class="skip-link skip-link--exit"', ""), "exit is not the first link"),
        (GOOD_SURVIVOR_PAGE.replace('<a class="quick-exit"', '<a class="other"'), "no quick exit in the header"),
        (GOOD_SURVIVOR_PAGE.replace(' rel="noreferrer"', "", 1), "without rel=noreferrer"),
        (GOOD_SURVIVOR_PAGE.replace('<label for="a">Age</label>', ""), "has no label"),
        (GOOD_SURVIVOR_PAGE.replace(' lang="en"', ""), "without lang"),
        (GOOD_SURVIVOR_PAGE.replace("<h1>Hello</h1>", ""), "no <h1>"),
        (GOOD_SURVIVOR_PAGE.replace('class="survivor"', 'class="staff"'), "without the survivor layout"),
        (GOOD_SURVIVOR_PAGE.replace("</main>", '<p id="main"></p></main>'), "duplicate ids"),
        (GOOD_SURVIVOR_PAGE.replace("</main>", "<script>alert(1)</script></main>"), "inline script"),
    ],
)
def test_a_broken_page_fails(broken, why):
    with pytest.raises(AssertionError, match=why):
        check_response(html(broken), "/s/adult", EXIT)


def test_missing_headers_fail_even_on_files():
    csv = Response("a,b\r\n", mimetype="text/csv", headers={**HEADERS, "Referrer-Policy": "origin"})
    with pytest.raises(AssertionError, match="Referrer-Policy"):
        check_response(csv, "/coordinator/summary/download", EXIT)
    cached = html(GOOD_SURVIVOR_PAGE, **{"Cache-Control": "max-age=600"})
    with pytest.raises(AssertionError, match="may be cached"):
        check_response(cached, "/", EXIT)


def test_staff_pages_need_no_quick_exit():
    staff_page = GOOD_SURVIVOR_PAGE.replace('class="survivor"', 'class="staff"')
    staff_page = staff_page.replace('<a class="skip-link skip-link--exit" href="https://www.bbc.co.uk/weather" rel="noreferrer" data-quick-exit>Leave</a>', "")
    check_response(html(staff_page), "/coordinator/", EXIT)


def test_the_client_fixture_checks_every_response(app, client):
    assert isinstance(client, CheckedClient)

    @app.get("/__unlabelled")
    def unlabelled():
        return GOOD_SURVIVOR_PAGE.replace('<label for="a">Age</label>', "").replace(EXIT, app.config["QUICK_EXIT_URL"])

    with pytest.raises(AssertionError, match="has no label"):
        client.get("/__unlabelled")
