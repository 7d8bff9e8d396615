"""The hand-over lock covers every staff page. While a survivor holds the worker's tablet,
every registered route that needs a staff session (worker, coordinator, admin, the worker's
own account, password and two-factor pages; GET and POST) answers with the PIN screen. The
walk covers every rule of the URL map, so a page added later cannot forget the lock."""

from __future__ import annotations

import uuid

from werkzeug.routing import Rule

from feedback_app.auth.staff_session import OPEN_WHILE_HANDED_OVER
from tests.helpers.staff import csrf_from, page_text, post_form
from tests.views.test_worker import PIN, signed_in_worker, start

# Pages authorised by an evaluation's signed ticket rather than the staff session: the survey
# the survivor is answering on the tablet.
TICKET_PAGES = {"worker.screen", "worker.before_you_start"}
SAMPLE_VALUES = {"int": "1", "uuid": str(uuid.uuid4()), "default": "x", "string": "x", "path": "x"}


def _url(rule: Rule) -> str:
    values = {}
    for name, converter in rule._converters.items():  # noqa: SLF001 - the converter's kind picks a sample value
        kind = type(converter).__name__.removesuffix("Converter").lower()
        values[name] = SAMPLE_VALUES.get(kind, "x")
    return rule.build(values, append_unknown=False)[1]


def _staff_rules(app) -> list[Rule]:
    rules = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "access", "public") == "public":
            continue
        if rule.endpoint in TICKET_PAGES:
            continue
        # Anything else that is not public must be guarded by the staff session.
        assert getattr(view, "needs_session", False), f"{rule.rule} is neither public, ticket-authorised nor role_required"
        rules.append(rule)
    return rules


def test_every_page_needing_a_staff_session_shows_the_pin_screen_while_handed_over(app, client):
    signed_in_worker(client)
    start(client, mode="handed_over")
    token = csrf_from(client, "/worker/unlock")
    walked = []
    for rule in _staff_rules(app):
        if rule.endpoint in OPEN_WHILE_HANDED_OVER:
            continue
        url = _url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            data = {"csrf_token": token} if method == "POST" else None
            response = client.open(url, method=method, data=data)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].endswith("/worker/unlock"), (method, url)
            walked.append(f"{method} {rule.rule}")
    # The walk reached the pages the lock used to miss, and every area.
    for page in ("GET /staff/account", "GET /staff/password", "POST /staff/password", "GET /staff/two-factor/setup",
                 "GET /worker/", "POST /worker/start", "GET /worker/pin", "GET /coordinator/", "GET /admin/audit"):
        assert page in walked, page
    assert len(walked) > 40

    # The PIN screen itself opens, and after the right PIN the worker's pages do again.
    assert "PIN" in page_text(client.get("/worker/unlock"))
    unlocked = post_form(client, "/worker/unlock", {"pin": PIN})
    assert unlocked.status_code == 302 and unlocked.headers["Location"].endswith("/worker/")
    account_page = client.get("/staff/account")
    assert account_page.status_code == 200 and "Refuge North" in page_text(account_page)


def test_nothing_of_the_workers_shows_on_the_pin_screen(client):
    account = signed_in_worker(client)
    start(client, mode="handed_over")
    pin_screen = page_text(client.get("/worker/unlock"))
    assert account.email not in pin_screen and account.display_name not in pin_screen


def test_an_evaluation_handed_over_keeps_its_survey_pages_open(client):
    signed_in_worker(client)
    first = start(client, survey="adult", mode="handed_over")
    assert first.status_code == 200 and "unlock" not in first.headers.get("Location", "")
