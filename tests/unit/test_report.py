"""The themed summary's figures, themes and quotes on a fixed dataset, worked out by hand.

Q1 2024/25 (1 April to 30 June 2024) holds adults A1, A2, A3, A5, young people Y1, Y2 and
the open survey's S1, S2 (see tests/helpers/insight_data.py for their answers).
"""

from datetime import date

import pytest
from sqlalchemy import update

from feedback_app.coordinator.presenters import audience_id, figure_id
from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.figures import periods
from feedback_app.services.figures.disclosure import DisclosureRules
from feedback_app.services.insight import catalogue, theme_counts
from feedback_app.services.reports import themed_summary as report
from feedback_app.services.responses.submissions import store_response
from feedback_app.staff_forms.summary import last_complete_quarter
from tests.helpers.summary_data import add_theme, code, store_adults, store_summary_dataset

Q1 = periods.quarter(2024, 1)
EXACT = DisclosureRules(threshold=1, percent_base_min=1)
SAFE = DisclosureRules(threshold=5, percent_base_min=10)
TODAY = date(2024, 7, 15)


@pytest.fixture(autouse=True)
def request_context(app):
    """Labels are translated (English here), which needs a request."""
    with app.test_request_context():
        yield


@pytest.fixture
def data(app):
    return store_summary_dataset()


def build(period=Q1, include_demo=True, rules=EXACT):
    return report.build(period, include_demo, rules, TODAY)


def audience(summary, key):
    return next(a for a in summary.audiences if a.audience == key)


def service(section, key):
    return next(s for s in section.service_sections if s.key == key)


def cells(figure):
    return {row.key: row.cell.shown for row in figure.rows}


def figure(figures, key):
    return next(f for f in figures if f.key == key)


def themes(table):
    return {row.name: row.cell.shown for row in table.rows}


def test_default_period_is_the_last_complete_quarter():
    assert last_complete_quarter(date(2026, 11, 21)) == periods.quarter(2026, 2)
    assert last_complete_quarter(date(2026, 4, 1)) == periods.quarter(2025, 4)
    assert last_complete_quarter(date(2026, 3, 31)) == periods.quarter(2025, 3)


def test_responses_per_audience(data):
    summary = build()
    assert [a.audience for a in summary.audiences] == ["adult", "young_person", "anyone"]
    assert cells(summary.responses) == {"adult": "4", "young_person": "2", "anyone": "2"}
    assert summary.total.shown == "8"
    assert [a.title for a in summary.audiences] == ["Adult survivors", "Young people", "People seeking support"]


def test_who_answered_and_services(data):
    adults = audience(build(), "adult")
    gender = figure(adults.splits, "gender")
    assert {k: v for k, v in cells(gender).items() if v != "0"} == {"woman": "3", "prefer_not_to_say": "1"}
    age = figure(adults.splits, "age")
    assert {k: v for k, v in cells(age).items() if v != "0"} == {
        "age_25_34": "2", "age_35_44": "1", "prefer_not_to_say": "1"
    }
    assert {k: v for k, v in cells(adults.services).items() if v != "0"} == {
        "services.police": "4", "services.idva": "1", "services.housing": "1"
    }
    # The open survey does not ask age or about services: those tables are left out.
    anyone = audience(build(), "anyone")
    assert [figure_id(f, audience_id("anyone")) for f in anyone.splits] == ["audience-anyone-gender"]
    assert anyone.services is None and anyone.service_sections == ()


def test_listened_and_safer_per_service(data):
    police = service(audience(build(), "adult"), "services.police")
    assert police.mentions.shown == "4"
    listened = figure(police.scales, "listened")
    assert {k: v for k, v in cells(listened).items() if v != "0"} == {"yes": "2", "sometimes": "1", "no": "1"}
    assert listened.rows[0].cell.percent == "50%"
    safer = figure(police.scales, "safer")
    assert {k: v for k, v in cells(safer).items() if v != "0"} == {
        "yes": "1", "sometimes": "1", "no": "1", "_not_answered": "1"
    }
    school = service(audience(build(), "young_person"), "supporters.school")
    assert {k: v for k, v in cells(figure(school.scales, "listened")).items() if v != "0"} == {"yes": "1", "no": "1"}
    assert [f.key for f in school.scales] == ["listened"]  # young people are not asked "safer"


def test_theme_counts_per_service_and_overall(data):
    adults = audience(build(), "adult")
    police = service(adults, "services.police")
    helpful, improvement = police.themes
    assert themes(helpful) == {"Listened to me": "2"}
    assert themes(improvement) == {"Keep me updated": "1"}
    assert themes(service(adults, "services.idva").themes[0]) == {"Listened to me": "1"}
    assert themes(service(adults, "services.idva").themes[1]) == {}  # A4's coding is out of the period
    overall_helpful, overall_improvement = adults.themes
    assert themes(overall_helpful) == {"Listened to me": "2"}  # A1 and A5, A1 counted once
    assert themes(overall_improvement) == {"Keep me updated": "2"}  # A2 (police) and A1 (anything else)
    young = audience(build(), "young_person")
    assert themes(service(young, "supporters.school").themes[0]) == {"Someone to talk to": "1"}
    assert themes(young.themes[1]) == {"Keep me updated": "1"}
    assert themes(audience(build(), "anyone").themes[0]) == {"Someone to talk to": "1"}


def test_theme_counts_in_sql_keep_services_of_each_survey_apart(data):
    counts = theme_counts.count_themes(theme_counts.Scope(("adult", "young_person"), Q1))
    assert [c.name for c in counts.for_service("supporters.other")] == ["Keep me updated"]
    assert counts.for_service("services.other") == ()
    assert {c.name: c.count for c in counts.for_service(catalogue.GENERAL)} == {"Keep me updated": 1}


def test_only_approved_quotes_in_their_place(data):
    summary = build()
    adults = audience(summary, "adult")
    police = service(adults, "services.police")
    assert police.quotes["helpful"] == ("They called me back every week.",)
    assert police.quotes["improvement"] == ()
    assert service(adults, "services.housing").quotes["improvement"] == ("Answer the phone.",)
    assert adults.quotes == ("Thank you for asking.",)
    assert adults.general_quotes == {"other": ("Thank you for asking.",)}  # anything_else: neither kind
    every_quote = [
        text
        for a in summary.audiences
        for texts in [a.quotes, *(q for s in a.service_sections for q in s.quotes.values())]
        for text in texts
    ]
    assert sorted(every_quote) == ["Answer the phone.", "Thank you for asking.", "They called me back every week."]


def widen_adults_by_the_previous_quarter():
    """Query-set control hides the adults' figures when a wider view minus them counts 1 to
    4 people. So: adults beside A4 (Q4 2023/24) and A6 (Q2 2024/25), so that no longer run
    of quarters adds fewer than 5 adults, and a fifth response from the other audiences in
    Q1 2024/25, so that everyone minus the adults is not 4 either."""
    answers = {"gender": "woman", "services": ["police"], "listened.police": "yes"}
    store_adults(5, answers, day=date(2024, 3, 4))
    store_adults(5, answers, day=date(2024, 7, 8))
    store_response(
        survey_slug="seeking_support",
        survey_version=1,
        language="en",
        collection_mode="online",
        answers={"seek_support": ["counselling"]},
        submitted_on=date(2024, 5, 6),
    )


def test_quotes_in_small_groups_are_not_shown(data):
    store_adults(6, {"gender": "woman", "services": ["police"], "listened.police": "yes"})
    widen_adults_by_the_previous_quarter()
    summary = build(rules=SAFE)
    adults = audience(summary, "adult")
    assert adults.total.shown == "10" and adults.shown
    assert [s.key for s in adults.service_sections] == ["services.police"]  # housing has 1 response
    assert service(adults, "services.police").quotes["helpful"] == ("They called me back every week.",)
    assert "Answer the phone." not in str(adults)  # housing's quote: fewer than 5 about housing
    # Young people and the open survey have 2 and 3 responses: nothing shown, quotes included.
    for key in ("young_person", "anyone"):
        section = audience(summary, key)
        assert not section.shown and section.total.shown == "fewer than 5"
        assert section.service_sections == () and section.quotes == ()


@pytest.mark.parametrize("people, shown", [(4, "fewer than 5"), (5, "5"), (6, "6")])
def test_theme_counts_get_primary_suppression(app, people, shown):
    theme = add_theme("Quick response")
    ids = store_adults(12, {"services": ["police"], "listened.police": "yes"})
    for response_id in ids[:people]:
        code(response_id, "helpful.police", theme)
    adults = audience(build(rules=SAFE), "adult")
    assert themes(service(adults, "services.police").themes[0]) == {"Quick response": shown}
    assert themes(adults.themes[0]) == {"Quick response": shown}


def test_theme_order_never_hints_at_hidden_counts(app):
    ids = store_adults(12, {"services": ["police"]})
    for name, people in (("Zeta", 3), ("Alpha", 1), ("Big", 9), ("Mid", 6)):
        theme = add_theme(name)
        for response_id in ids[:people]:
            code(response_id, "helpful.police", theme)
    table = audience(build(rules=SAFE), "adult").themes[0]
    assert [(row.name, row.cell.shown) for row in table.rows] == [
        ("Big", "9"), ("Mid", "6"), ("Alpha", "fewer than 5"), ("Zeta", "fewer than 5")
    ]


def test_only_the_top_themes_are_listed(app):
    ids = store_adults(12, {"services": ["police"]})
    for number in range(7):
        theme = add_theme(f"Theme {number}")
        for response_id in ids[: number + 5]:
            code(response_id, "helpful.police", theme)
    table = audience(build(rules=SAFE), "adult").themes[0]
    assert [row.name for row in table.rows] == ["Theme 6", "Theme 5", "Theme 4", "Theme 3", "Theme 2"]
    assert table.more == 2


def test_demo_responses_can_be_left_out(app):
    store_adults(7, {"gender": "woman"})
    store_adults(5, {"gender": "man"}, is_demo=True)
    included = build(rules=SAFE)
    assert included.total.shown == "12"
    assert included.demo == report.DemoNote(report.DEMO_INCLUDED)
    left_out = build(include_demo=False, rules=SAFE)
    assert left_out.total.shown == "7"
    assert left_out.demo == report.DemoNote(report.DEMO_EXCLUDED)


def test_demo_note_never_gives_away_a_small_number_of_real_responses(app):
    store_adults(2, {"gender": "woman"})
    store_adults(20, {"gender": "man"}, is_demo=True)
    shown = build(rules=SAFE)
    assert shown.demo == report.DemoNote(report.DEMO_INCLUDED)
    # The real responses decide: 2 real ones hide the total even with 20 demo ones in it.
    assert shown.total.shown == "fewer than 5"
    db.session.execute(update(Response).values(is_demo=True))
    db.session.commit()
    assert build(rules=SAFE).demo == report.DemoNote(report.DEMO_ALL)


def test_no_demo_responses(data):
    assert build().demo.kind == report.DEMO_NONE


def test_export_rows_are_the_protected_tables(data):
    rows = list(report.export_rows(build(rules=SAFE)))
    responses = [(r.table, r.answer, r.number, r.percent) for r in rows if r.audience == "All audiences"]
    # The total is not shown: 2024/25 holds 3 more responses than its first quarter (A6, Y3
    # and S3), so the year's total minus this one would count them.
    assert responses == [
        ("Responses", "Adult survivors", "fewer than 5", None),
        ("Responses", "Young people", "fewer than 5", None),
        ("Responses", "People seeking support", "fewer than 5", None),
        ("Responses", "Total", "not shown", None),
    ]
    assert {r.audience for r in rows} == {"All audiences"}  # no group is large enough to break down


def test_export_rows_hold_numbers_and_shown_percentages(data):
    rows = list(report.export_rows(build()))
    listened = [
        (r.answer, r.number, r.percent)
        for r in rows
        if r.section == "Police" and r.table == "Felt listened to and understood"
    ]
    assert listened[:3] == [("Yes", 2, 50), ("Sometimes", 1, 25), ("No", 1, 25)]
    assert listened[-1] == ("Total", 4, None)
    theme_rows = [(r.section, r.table, r.answer, r.number) for r in rows if r.answer == "Listened to me"]
    assert ("Police", "What helped: top themes", "Listened to me", 2) in theme_rows
    assert ("", "What helped: top themes across all comments", "Listened to me", 2) in theme_rows


def test_a_withheld_table_is_one_line_saying_so_as_on_the_page(app):
    # Felt listened to by the police: 5 yes and 1 no. The 1 is hidden, the 5 would give it
    # away and nothing else is left to hide, so the page shows neither cells nor total.
    store_adults(5, {"services": ["police"], "listened.police": "yes"})
    store_adults(1, {"services": ["police"], "listened.police": "no"})
    adults = audience(build(rules=SAFE), "adult")
    listened = figure(service(adults, "services.police").scales, "listened")
    assert listened.withheld
    rows = [r for r in report.audience_rows(adults) if r.table == "Felt listened to and understood"]
    assert rows == [
        report.ExportRow("Adult survivors", "Police", "Felt listened to and understood",
                         "Not shown: the numbers are too small to show safely.", None)
    ]


def test_quote_rows_are_the_approved_quotes_where_the_page_shows_them(data):
    assert list(report.quote_rows(build())) == [
        report.QuoteRow("Adult survivors", "Police", "helpful", "They called me back every week."),
        report.QuoteRow("Adult survivors", "Housing", "improvement", "Answer the phone."),
        report.QuoteRow("Adult survivors", "", "other", "Thank you for asking."),
    ]
    # Safe rules: housing has one response, so its quote is not shown on the page or in a file.
    store_adults(6, {"gender": "woman", "services": ["police"], "listened.police": "yes"})
    widen_adults_by_the_previous_quarter()
    assert [(q.service, q.text) for q in report.quote_rows(build(rules=SAFE))] == [
        ("Police", "They called me back every week."), ("", "Thank you for asking.")
    ]


@pytest.mark.parametrize("language", ["en", "pl", "lt"])
def test_whole_percent_is_the_pages_percentage(language):
    from flask_babel import format_percent

    from feedback_app.i18n import use_locale

    use_locale(language)
    for base in range(1, 201):
        for count in range(base + 1):
            share = count / base
            shown = format_percent(share)
            assert "".join(ch for ch in shown if ch.isdigit()) == str(report.whole_percent(share)), (count, base, shown)

