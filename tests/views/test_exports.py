"""The raw anonymised response export (admins only, audited, no free text, formula-safe)
and the export log that coordinators and admins both see."""

import csv
import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import update

from feedback_app.extensions import db
from feedback_app.models import ExportRecord, Response
from feedback_app.services.figures import periods
from feedback_app.services.figures.filters import Filters
from feedback_app.services.reports.raw_export import FIXED_COLUMNS, RowCounter, iter_raw_csv
from feedback_app.services.reports.spreadsheet_safety import is_risky
from feedback_app.services.responses.submissions import store_response
from feedback_app.services.staff import audit
from tests.helpers.insight_data import SECRET_TEXT, store_fixed_dataset
from tests.helpers.pages import check_page
from tests.helpers.staff import post_form, signed_in

RAW = "/admin/raw-export"
LOG = "/coordinator/exports"


@pytest.fixture
def admin(client):
    signed_in(client, "admin")
    return client


def raw_download(client, **data):
    response = post_form(client, RAW, data)
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="raw-responses-')
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


# -- the raw export -----------------------------------------------------------------------


def test_the_page_explains_what_the_file_holds(admin):
    page = check_page(admin.get(RAW))
    text = page.get_text(" ", strip=True)
    assert page.find("h1").get_text(strip=True) == "Raw response export"
    assert "Anything people typed" in text and "organisation" in text
    form = page.find("form", action=RAW)
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})
    assert form.find("select", attrs={"name": "period"}).find("option", selected=True)["value"] == "all"


@pytest.mark.parametrize("role", ["coordinator", "worker"])
def test_only_admins_can_export_raw_responses(client, role):
    signed_in(client, role)
    store_fixed_dataset()
    assert client.get(RAW).status_code == 403
    response = post_form(client, RAW, {"period": "all"}, form_page="/staff/account")
    assert response.status_code == 403
    assert ExportRecord.query.count() == 0 and audit.events_for("raw_export") == []


def test_one_row_per_response_with_chosen_answers_only(admin):
    ids = store_fixed_dataset()
    rows = raw_download(admin, period="all")
    assert len(rows) == 12
    assert list(rows[0])[: len(FIXED_COLUMNS)] == list(FIXED_COLUMNS)
    assert [row["row"] for row in rows] == [str(n) for n in range(1, 13)]
    columns = set(rows[0])
    assert {"gender", "age", "area", "services", "listened.police", "safer.idva", "supporters", "listened.school"} <= columns
    assert not {"helpful.police", "better.idva", "anything_else", "helped.school", "seek_support_other"} & columns
    assert "organisation" not in columns and "id" not in columns
    a1 = next(r for r in rows if r["services"] == "police;idva")
    assert a1 == {**a1, "survey": "adult", "survey_version": "1", "language": "en", "collection_mode": "online",
                  "submitted_week": "2024-04-01", "is_demo": "no", "gender": "woman", "area": "fenland",
                  "listened.police": "yes", "safer.police": "sometimes", "preferred_support": "phone;email",
                  "seek_support": "anonymity;counselling", "supporters": ""}
    everything = "\n".join(",".join(r.values()) for r in rows)
    assert SECRET_TEXT not in everything and "Pineapple" not in everything
    assert "More evening appointments" not in everything
    assert "Refuge North" not in everything  # the organisation of assisted responses
    for response_id in ids.values():
        assert str(response_id) not in everything and response_id.hex not in everything


def test_the_period_and_demo_choices_filter_rows(admin):
    store_fixed_dataset()
    db.session.execute(update(Response).where(Response.language == "pl").values(is_demo=True))
    db.session.commit()
    assert len(raw_download(admin, period="2024-25-q1")) == 8
    rows = raw_download(admin, period="2024-25-q1", demo="out")
    assert len(rows) == 7 and {r["is_demo"] for r in rows} == {"no"}
    assert {r["is_demo"] for r in raw_download(admin, period="all")} == {"yes", "no"}


def test_typed_or_tampered_values_never_reach_the_file(admin):
    store_response(
        survey_slug="adult", survey_version=1, language="en", collection_mode="online",
        submitted_on=date(2024, 5, 1),
        answers={
            "gender": '=HYPERLINK("http://evil.example","x")', "age": "+cmd|' /C calc'!A0",
            "services": ["police", "@SUM(1+1)"], "listened.police": "-2+3", "better.police": "=cmd",
        },
    )
    rows = raw_download(admin, period="all")
    assert len(rows) == 1
    assert rows[0]["gender"] == "" and rows[0]["age"] == "" and rows[0]["listened.police"] == ""
    assert rows[0]["services"] == "police"
    assert not any(is_risky(value) for row in rows for value in [*row.values(), *row.keys()])


def test_rows_without_facts_are_read_from_their_answers(admin):
    store_fixed_dataset()
    expected = raw_download(admin, period="all")
    db.session.execute(update(Response).values(facts=None, facts_key_id=None))
    db.session.commit()
    assert raw_download(admin, period="all") == expected


def test_the_export_is_audited_and_logged(admin):
    store_fixed_dataset()
    raw_download(admin, period="2024-25", demo="out")
    events = audit.events_for("raw_export")
    assert len(events) == 1 and events[0].actor.startswith("admin-")
    assert events[0].detail == "Raw responses; 2024/25; demo responses left out"
    record = ExportRecord.query.one()
    assert (record.kind, record.rows, record.actor) == ("raw_csv", 11, events[0].actor)
    assert record.scope == "Raw responses; 2024/25; demo responses left out"


def test_a_bad_period_is_explained_and_nothing_is_exported(admin):
    response = post_form(admin, RAW, {"period": "custom", "from": "yesterday"})
    assert response.status_code == 400
    page = check_page(response)
    assert "Enter a date like 2026-04-01." in page.find(class_="error-summary").get_text()
    assert page.find("input", attrs={"name": "from"})["value"] == "yesterday"
    assert ExportRecord.query.count() == 0 and audit.events_for("raw_export") == []


def test_iter_raw_csv_streams_chunks(app):
    for _ in range(450):
        store_response(survey_slug="seeking_support", survey_version=1, language="en", collection_mode="online",
                       answers={"gender": "woman", "seek_support": ["anonymity"]}, submitted_on=date(2024, 5, 1))
    counter = RowCounter()
    chunks = iter_raw_csv(Filters(period=periods.quarter(2024, 1)), counter)
    header = next(chunks)
    assert header.startswith("\ufeffrow,survey,")
    assert counter.rows == 0  # nothing read before it is asked for
    rest = list(chunks)
    assert len(rest) == 3 and counter.rows == 450  # 200 + 200 + 50 rows
    assert sum(chunk.count("\r\n") for chunk in rest) == 450


# -- the export log -----------------------------------------------------------------------


def add_records(count: int) -> None:
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for number in range(count):
        db.session.add(ExportRecord(exported_at=start + timedelta(minutes=number), actor=f"person{number}@example.org",
                                    kind="summary_csv", scope=f"Themed summary; export {number}", rows=number))
    db.session.commit()


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_coordinators_and_admins_see_the_log_newest_first(client, role):
    signed_in(client, role)
    add_records(3)
    page = check_page(client.get(LOG))
    nav = page.find("nav", class_="staff-nav")
    assert nav["aria-label"] == ("Admin" if role == "admin" else "Coordinator")
    assert nav.find("a", attrs={"aria-current": "page"}).get_text(strip=True) == "Export log"
    rows = page.find("table", class_="export-log").find("tbody").find_all("tr")
    assert [tr.find_all("td")[3].get_text(strip=True) for tr in rows] == [
        "Themed summary; export 2", "Themed summary; export 1", "Themed summary; export 0"
    ]
    assert [td.get_text(strip=True) for td in rows[0].find_all("td")][1:] == [
        "person2@example.org", "Themed summary (CSV)", "Themed summary; export 2", "2"
    ]


def test_workers_cannot_see_the_log(client):
    signed_in(client, "worker")
    assert client.get(LOG).status_code == 403


def test_the_log_is_paged(client):
    signed_in(client, "coordinator")
    add_records(60)
    page = check_page(client.get(LOG))
    assert len(page.find("tbody").find_all("tr")) == 50
    older = page.find("a", rel="next")
    assert older["href"] == LOG + "?page=2"
    page = check_page(client.get(older["href"]))
    rows = page.find("tbody").find_all("tr")
    assert len(rows) == 10 and rows[-1].find_all("td")[3].get_text(strip=True) == "Themed summary; export 0"
    assert page.find("a", rel="prev") is not None


def test_an_unfinished_stream_says_so(client):
    signed_in(client, "admin")
    db.session.add(ExportRecord(actor="a@example.org", kind="raw_csv", scope="Raw responses; all time", rows=None))
    db.session.commit()
    page = check_page(client.get(LOG))
    assert "not finished" in page.find("tbody").get_text()
