"""The helplines file: the shipped one is complete and right for each audience; a wrong one
stops start-up naming the file and the key; an old check date is warned about."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest

from feedback_app.config import ConfigurationError
from feedback_app.services.operations import signposting

LANGUAGES = ("en", "pl", "lt", "ur")
GOOD = """
checked = 2026-11-28
urgent = "adult_line"

[[helplines]]
key = "adult_line"
number = "0800 000 001"
audiences = ["adult", "anyone"]
free = true
always_open = true
name = { en = "Adult line", pl = "Linia dla dorosłych" }

[[helplines]]
key = "youth_line"
number = "0800 000 002"
web = "https://youth.example"
audiences = ["young_person"]
name = "Youth line"
for_whom = "For anyone under 25."
hours = "Every day, 4pm to 11pm."
"""


def _read(tmp_path, text: str):
    path = tmp_path / "signposting.toml"
    path.write_text(text, encoding="utf-8")
    return signposting.read_file(path, LANGUAGES)


def test_the_shipped_file_gives_each_audience_its_helplines():
    shipped = signposting.read_file(signposting.DEFAULT_FILE, LANGUAGES)
    keys = {audience: [h.key for h in shipped.for_audience(audience)] for audience in ("adult", "young_person", None)}
    assert keys["adult"] == ["national_domestic_abuse", "mens_advice_line", "galop"]
    assert keys["young_person"] == ["childline", "the_mix"]
    assert "childline" in keys[None] and "national_domestic_abuse" in keys[None]  # pages of no survey
    assert shipped.urgent.key == "national_domestic_abuse" and shipped.urgent.always_open and shipped.urgent.free
    for line in shipped.helplines:
        assert set(line.name.texts) == set(LANGUAGES), line.key  # every offered language
        for prose in (line.for_whom, line.hours):
            assert prose is None or set(prose.texts) == set(LANGUAGES), line.key


def test_a_good_file_is_read_with_english_as_the_fallback(tmp_path):
    read = _read(tmp_path, GOOD)
    adult, youth = read.helplines
    assert adult.phone_link == "tel:0800000001" and adult.free and not adult.confidential
    assert adult.name.in_language("pl").text == "Linia dla dorosłych"
    assert youth.name.in_language("lt").lang == "en"  # shown in English, marked so
    assert read.for_audience("young_person") == (youth,)
    assert read.for_audience("something else") == (adult,)  # falls back to "anyone"


@pytest.mark.parametrize(
    "change, where, problem",
    [
        (('urgent = "adult_line"', 'urgent = "nobody"'), "urgent", "is not one of the helplines' keys"),
        (('audiences = ["young_person"]', 'audiences = ["teens"]'), "helplines.youth_line.audiences", "needs a list"),
        (('hours = "Every day, 4pm to 11pm."\n', ""), "helplines.youth_line", "needs 'hours', or always_open"),
        (('number = "0800 000 002"', 'number = "call us"'), "helplines.youth_line.number", "is not a phone number"),
        (('web = "https://youth.example"', 'web = "http://youth.example"'), "helplines.youth_line.web", "https://"),
        (('free = true', 'free = "yes"'), "helplines.adult_line.free", "needs true or false"),
        (('audiences = ["adult", "anyone"]', 'audiences = ["adult"]'), "helplines", "no helpline is for the 'anyone'"),
        (('key = "youth_line"', 'key = "adult_line"'), "helplines.adult_line", "used more than once"),
        (("checked = 2026-11-28", 'checked = "last week"'), "checked", "needs a date"),
    ],
)
def test_a_wrong_file_stops_start_up_naming_the_file_and_the_key(tmp_path, change, where, problem):
    with pytest.raises(ConfigurationError) as error:
        _read(tmp_path, GOOD.replace(*change))
    message = str(error.value)
    assert "signposting.toml" in message and f"at {where}" in message and problem in message


def test_a_missing_file_says_which_setting_names_it(tmp_path):
    with pytest.raises(ConfigurationError, match="FEEDBACK_SIGNPOSTING_FILE"):
        signposting.read_file(tmp_path / "nowhere.toml", LANGUAGES)


def test_helplines_checked_over_six_months_ago_are_warned_about(app, tmp_path, caplog):
    old = (date.today() - timedelta(days=200)).isoformat()
    path = tmp_path / "signposting.toml"
    path.write_text(GOOD.replace("checked = 2026-11-28", f"checked = {old}"), encoding="utf-8")
    app.config["SIGNPOSTING_FILE"] = str(path)
    with caplog.at_level(logging.WARNING, logger="feedback_app.partnership"):
        signposting.init_app(app)
    assert f"last checked on {old}" in caplog.text
    caplog.clear()
    path.write_text(GOOD.replace("checked = 2026-11-28", f"checked = {date.today().isoformat()}"), encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="feedback_app.partnership"):
        signposting.init_app(app)
    assert "last checked" not in caplog.text


def test_the_national_helplines_name_follows_the_glossary_in_every_language():
    """The glossary's rendering of "the helpline", with the English name beside it the first
    time (translations/glossary.toml, terms.helpline)."""
    import re
    import tomllib

    from feedback_app.config import PROJECT_ROOT

    glossary = tomllib.loads((PROJECT_ROOT / "translations" / "glossary.toml").read_text(encoding="utf-8"))
    term = glossary["terms"]["helpline"]
    national = signposting.read_file(signposting.DEFAULT_FILE, LANGUAGES).urgent
    for language in ("pl", "lt", "ur"):
        name = national.name.texts[language]
        assert "National Domestic Abuse Helpline" in name, language
        assert re.search(term[language]["use"], name), (language, name)
        for avoided in term[language].get("avoid", []):
            assert not re.search(avoided, name), (language, name)
