"""Dates on staff pages are written the British way in English, and each language's own way
otherwise."""

from datetime import date

import pytest

from feedback_app.i18n import format_date, use_locale


@pytest.mark.parametrize(
    "language, written",
    [("en", "28 Nov 2026"), ("pl", "28 lis 2026"), ("lt", "2026-11-28")],
)
def test_a_date_is_written_as_people_of_the_language_write_it_here(app, language, written):
    with app.test_request_context():
        use_locale(language)
        assert format_date(date(2026, 11, 28)) == written


def test_a_custom_period_in_words_uses_british_dates(app):
    from feedback_app.services.figures.periods import custom
    from feedback_app.staff_forms.periods import period_words

    with app.test_request_context():
        use_locale("en")
        assert period_words(custom(date(2026, 4, 1), date(2026, 6, 30))) == "1 Apr 2026 to 30 Jun 2026"
