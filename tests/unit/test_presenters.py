"""The coordinator's presenter: HTML ids from the services' keys, and disclosure cells
worded in the page's language."""

import pytest
from flask_babel import force_locale

from feedback_app.coordinator import presenters
from feedback_app.services.figures.dashboard import Figure
from feedback_app.services.figures.disclosure import DisclosureRules, protect_count, protect_table
from feedback_app.services.reports.themed_summary import ThemeTable
from tests.conftest import running_app


def figure(key):
    cell = protect_count(0, DisclosureRules())
    return Figure(key=key, title="", row_header="", rows=(), total=cell)


def test_ids_are_built_from_keys():
    assert presenters.service_id("services.police") == "service-services-police"
    assert presenters.service_id("supporters.youth_worker") == "service-supporters-youth-worker"
    assert presenters.audience_id("young_person") == "audience-young-person"
    assert presenters.figure_id(figure("gender")) == "gender"
    adults = presenters.audience_id("adult")
    assert presenters.figure_id(figure("gender"), adults) == "audience-adult-gender"
    police = presenters.service_id("services.police", adults)
    assert police == "audience-adult-service-services-police"
    assert presenters.figure_id(figure("listened"), police) == "audience-adult-service-services-police-listened"
    helpful = ThemeTable(title="", kind="helpful", rows=())
    assert presenters.themes_id(helpful, police) == "audience-adult-service-services-police-helpful-themes"


@pytest.mark.parametrize(
    "locale, count, percent, fewer, hidden",
    [
        ("en", "1,234", "38%", "fewer than 5", "not shown"),
        ("pl", "1\xa0234", "38%", "mniej niż 5", "ukryto"),
        ("lt", "1\xa0234", "38\xa0%", "mažiau nei 5", "nerodoma"),
    ],
)
def test_cells_read_in_the_page_language(app, locale, count, percent, fewer, hidden):
    with app.test_request_context(), force_locale(locale):
        rules = presenters.disclosure_rules()
        assert (rules.threshold, rules.percent_base_min) == (5, 10)  # as configured
        assert protect_count(1234, rules).shown == count
        table = protect_table([("a", 38), ("b", 62)], rules)
        assert table["a"].percent == percent and table["a"].share == pytest.approx(0.38)
        assert protect_count(3, rules).shown == fewer
        hiding = protect_table([("a", 3), ("b", 6), ("c", 20)], rules)
        assert hiding["b"].shown == hidden and hiding["b"].suppressed


def test_the_thresholds_are_the_configured_ones(test_database):
    with running_app(test_database, DISCLOSURE_THRESHOLD=3, PERCENT_BASE_MIN=20) as app, app.test_request_context():
        rules = presenters.disclosure_rules()
        assert (rules.threshold, rules.percent_base_min) == (3, 20)
        assert protect_count(2, rules).shown == "fewer than 3"
