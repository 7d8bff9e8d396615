"""The support worker's 1:1 evaluation mode."""

import re

from bs4 import BeautifulSoup
from sqlalchemy import select

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.submissions import open_response
from tests.helpers.pages import check_page
from tests.helpers.staff import make_account, page_text, post_form, sign_in
from tests.helpers.survey_walker import SurveyWalker

PIN = "2468"


def signed_in_worker(client, pin=PIN):
    account, _ = make_account("worker", pin=pin, organisation="Refuge North")
    assert sign_in(client, account.email).status_code == 302
    return account


def start(client, survey="adult", language="en", mode="assisted"):
    return post_form(client, "/worker/start", {"survey": survey, "language": language, "mode": mode}, form_page="/worker/")


class EvaluationWalker(SurveyWalker):
    """Walks the survey that /worker/start opened (the start page is already loaded)."""

    def begin(self, response):
        self._load(response)
        return self.press("start")


def stored():
    return [open_response(r) for r in db.session.scalars(select(Response)).all()]


def finish(walker):
    while walker.screen != "review":
        walker.press("continue" if walker.screen.startswith("warning") else "next")
    walker.press("submit")


def test_worker_home_offers_surveys_languages_and_modes(client):
    signed_in_worker(client)
    response = client.get("/worker/")
    page = check_page(response)
    values = {i["value"] for i in page.find_all("input", attrs={"type": "radio"})}
    assert {"adult", "young_person", "seeking_support", "en", "pl", "lt", "assisted", "handed_over"} <= values


def test_assisted_evaluation_stores_mode_and_organisation_not_the_worker(client):
    worker = signed_in_worker(client)
    walker = EvaluationWalker(client, "adult")
    walker.begin(start(client))
    assert walker.form.get("action") == "/worker/s/adult"
    walker.press(answers={"gender": "woman"})
    finish(walker)
    assert "Start another evaluation" in walker.text
    [response] = stored()
    assert response.collection_mode == "assisted"
    assert response.organisation == "Refuge North"
    assert response.answers == {"gender": "woman"}
    row = db.session.scalars(select(Response)).one()
    for column in Response.__table__.columns:
        value = getattr(row, column.key)
        assert str(worker.id) not in str(value) and worker.email not in str(value)


def test_evaluation_in_polish_starts_in_polish(client):
    signed_in_worker(client)
    response = start(client, language="pl")
    assert '<html lang="pl"' in response.get_data(as_text=True)


def test_handover_locks_worker_pages_until_the_pin(client):
    signed_in_worker(client)
    walker = EvaluationWalker(client, "seeking_support")
    walker.begin(start(client, survey="seeking_support", mode="handed_over"))
    # The survivor holds the tablet: worker pages are behind the PIN.
    locked = client.get("/worker/")
    assert locked.status_code == 302 and locked.headers["Location"].endswith("/worker/unlock")
    finish(walker)
    assert "give the tablet back" in walker.text.lower()
    assert stored()[0].collection_mode == "handed_over"
    wrong = post_form(client, "/worker/unlock", {"pin": "0000"})
    assert "That PIN is not right" in page_text(wrong)
    right = post_form(client, "/worker/unlock", {"pin": PIN})
    assert right.status_code == 302 and right.headers["Location"].endswith("/worker/")
    home = client.get("/worker/")
    assert home.status_code == 200
    assert "Please choose" not in page_text(home)  # a clean start screen


def test_five_wrong_pins_sign_the_worker_out(client):
    signed_in_worker(client)
    start(client, mode="handed_over")
    for _ in range(5):
        response = post_form(client, "/worker/unlock", {"pin": "1111"})
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    after = client.get("/worker/")
    assert after.status_code == 302 and "/staff/sign-in" in after.headers["Location"]


def test_handover_needs_a_pin_first(client):
    account, _ = make_account("worker", organisation="Refuge North")
    sign_in(client, account.email)
    response = start(client, mode="handed_over")
    assert response.status_code == 302 and response.headers["Location"].endswith("/worker/pin")
    assert client.get("/worker/").status_code == 200  # not locked: nothing was handed over


def test_answers_survive_the_worker_session_expiring(client):
    signed_in_worker(client)
    walker = EvaluationWalker(client, "adult")
    walker.begin(start(client, mode="handed_over"))
    walker.press(answers={"age": "age_25_34"})
    with client.session_transaction() as session:
        session.clear()  # the worker's session is gone (timed out, or signed out)
    walker.press("next", answers={"services": ["police"]})
    # The page explains and keeps everything; pressing again carries on.
    assert "this page timed out" in walker.text
    walker.press("next")
    finish(walker)
    assert walker.heading == "Thank you"
    [response] = stored()
    assert response.answers["age"] == "age_25_34" and response.answers["services"] == ["police"]
    assert response.organisation == "Refuge North"


def test_forged_or_missing_ticket_is_refused(client):
    walker = SurveyWalker(client, "adult")
    walker.start()
    values = walker.form_values()
    values["_evaluation"] = "forged.ticket"
    values["_action"] = "next"
    assert client.post("/worker/s/adult", data=values).status_code == 403
    assert stored() == []


def test_ticket_for_another_survey_is_refused(client):
    signed_in_worker(client)
    page = BeautifulSoup(start(client, survey="adult").get_data(as_text=True), "html.parser")
    ticket = page.find("input", attrs={"name": "_evaluation"})["value"]
    token = page.find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post("/worker/s/young_person", data={"_evaluation": ticket, "csrf_token": token, "_action": "start"})
    assert response.status_code == 403


def test_survey_pages_in_worker_mode_keep_the_quick_exit_and_idle_lock(client):
    signed_in_worker(client)
    page = check_page(start(client, mode="handed_over"))
    assert page.select_one(".site-header .quick-exit")
    screen = page.find(id="survey-screen")
    assert screen["data-idle-lock-url"] == "/worker/lock"
    assert int(screen["data-idle-seconds"]) > 0


def test_idle_lock_requires_the_pin(client):
    signed_in_worker(client)
    start(client)
    response = client.get("/worker/lock")
    assert response.headers["Location"].endswith("/worker/unlock")
    assert client.get("/worker/").headers["Location"].endswith("/worker/unlock")


def test_set_pin_validates(client):
    account, _ = make_account("worker")
    sign_in(client, account.email)
    bad = post_form(client, "/worker/pin", {"pin": "12", "confirm": "12"})
    assert "4 to 8 digits" in page_text(bad)
    mismatch = post_form(client, "/worker/pin", {"pin": "123456", "confirm": "654321"})
    assert "not the same" in page_text(mismatch)
    ok = post_form(client, "/worker/pin", {"pin": "123456", "confirm": "123456"})
    assert ok.status_code == 302


def test_bad_start_choices_get_a_kind_message(client):
    signed_in_worker(client)
    response = post_form(client, "/worker/start", {"survey": "nope", "language": "xx", "mode": "assisted"}, form_page="/worker/")
    assert response.status_code == 400
    assert re.search(r"Not a valid choice", page_text(response))


def test_pin_screen_is_in_the_workers_language_after_a_polish_survey(client):
    signed_in_worker(client)
    start(client, language="pl", mode="handed_over")
    page = client.get("/worker/unlock")
    assert '<html lang="en"' in page.get_data(as_text=True)
    assert "Enter your PIN to take the tablet back." in page_text(page)


def test_language_links_on_the_first_page_keep_the_evaluation(client):
    signed_in_worker(client)
    page = BeautifulSoup(start(client, mode="handed_over").get_data(as_text=True), "html.parser")
    link = page.select_one(".languages a[hreflang=lt]")["href"]
    assert link.startswith("/worker/s/adult?t=")
    response = client.get(link)
    assert response.status_code == 200 and '<html lang="lt"' in response.get_data(as_text=True)
    assert 'name="_evaluation"' in response.get_data(as_text=True)
    assert client.get("/worker/s/adult?t=forged&lang=lt").status_code == 403


def _idle_settings(response):
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    screen = page.find(id="survey-screen")
    return screen.get("data-idle-seconds"), page.find("dialog", id="still-there")


def test_the_worker_chooses_when_the_tablet_locks_and_each_screen_keeps_it(client):
    signed_in_worker(client)
    home = BeautifulSoup(client.get("/worker/").get_data(as_text=True), "html.parser")
    choices = {i["value"]: i.has_attr("checked") for i in home.select("input[name=lock_after]")}
    assert choices == {"120": False, "300": True, "600": False}  # five minutes unless chosen
    started = post_form(client, "/worker/start", {"survey": "adult", "language": "en", "mode": "assisted",
                                                  "lock_after": "600"}, form_page="/worker/")
    seconds, dialog = _idle_settings(started)
    assert seconds == "600"
    assert dialog is not None and dialog.find("button").get_text(strip=True) == "I'm still here"
    walker = EvaluationWalker(client, "adult")
    walker.begin(started)
    assert _idle_settings(walker.response)[0] == "600"  # the ticket carries it from screen to screen


def test_a_lock_time_that_is_not_offered_is_refused_kindly(client):
    signed_in_worker(client)
    refused = post_form(client, "/worker/start", {"survey": "adult", "language": "en", "mode": "assisted",
                                                  "lock_after": "5"}, form_page="/worker/")
    assert refused.status_code == 400 and "Not a valid choice" in page_text(refused)


def test_online_surveys_have_no_idle_lock_or_warning(client):
    page = client.get("/s/adult")
    seconds, dialog = _idle_settings(page)
    assert seconds is None and dialog is None
