"""The partnership's data file for the privacy notice and accessibility statement: read and
checked at start-up; anything wrong stops the app with one line naming the file and the key."""

import os
import subprocess
import sys
from datetime import date

import pytest

from feedback_app import create_app
from feedback_app.config import PROJECT_ROOT, ConfigurationError, TestConfig, environment_settings
from feedback_app.i18n import is_survivor_facing
from feedback_app.services.operations.legal_pages import (
    DEFAULT_FILE,
    InLanguage,
    PartnershipFileError,
    placeholders,
    read_file,
)
from tests.helpers import partnership
from tests.helpers.partnership import partnership_toml, write_partnership_file
from tests.unit.test_translations import load

LANGUAGES = ("en", "pl", "lt", "ur")


def test_a_good_file_is_read(tmp_path):
    facts = read_file(write_partnership_file(tmp_path), LANGUAGES)
    assert facts.site_address == partnership.SITE
    assert facts.controller.name == partnership.CONTROLLER
    assert facts.controller.address == partnership.CONTROLLER_ADDRESS
    assert facts.privacy_contact.email == partnership.PRIVACY_EMAIL
    assert facts.privacy_updated == date(2026, 10, 1)
    assert facts.data_protection_officer.name == partnership.OFFICER
    access = facts.accessibility
    assert access.compliance == "partial" and access.reply_within_days == 7
    assert access.contact.phone_link == "tel:01354000111"
    assert [issue.criteria for issue in access.known_issues] == [("1.1.1",), ("1.3.1", "4.1.2")]
    assert access.known_issues[0].fix_by == date(2027, 3, 31) and access.known_issues[1].fix_by is None
    assert placeholders(facts) == []


def test_prose_falls_back_to_english_marked_as_english(tmp_path):
    facts = read_file(write_partnership_file(tmp_path), LANGUAGES)
    issue = facts.accessibility.known_issues[0].text
    assert issue.in_language("pl") == InLanguage(partnership.ISSUE_PL, None)
    assert issue.in_language("en") == InLanguage(partnership.ISSUE_EN, None)
    assert issue.in_language("lt") == InLanguage(partnership.ISSUE_EN, "en")
    # A plain string is English.
    assert facts.personal_data_basis.in_language("ur") == InLanguage(partnership.BASIS, "en")
    assert facts.special_category_basis.in_language("ur").lang is None


def test_the_shipped_file_is_valid_and_its_placeholders_are_named():
    facts = read_file(DEFAULT_FILE, LANGUAGES)
    unfilled = placeholders(facts)
    # What the partnership must fill in before going live.
    for name in ("controller.name", "data_protection_officer.name", "lawful_basis.personal_data",
                 "lawful_basis.special_category", "privacy.email", "site_address"):
        assert name in unfilled
    # Its known issues are written in every language the site offers.
    assert all(set(issue.text.texts) == set(LANGUAGES) for issue in facts.accessibility.known_issues)


@pytest.mark.parametrize(
    "replace, where, problem",
    [
        ({'[controller]\nname = "Fenland Test Council"\n': "[controller]\n"}, "controller", "missing 'name'"),
        ({"[privacy]\nlast_updated": "[privacy]\nlast_upated"}, "privacy", "unknown key 'last_upated'"),
        ({'email = "privacy-questions@fenland-test.gov.uk"': 'email = "privacy questions"'}, "privacy.email", "not an email address"),
        ({"last_updated = 2026-10-01": 'last_updated = "1 October 2026"'}, "privacy.last_updated", "needs a date"),
        ({'compliance = "partial"': 'compliance = "mostly"'}, "accessibility.compliance", "should be one of full, partial, none"),
        ({'criteria = ["1.1.1"]': 'criteria = ["one"]'}, "accessibility.known_issues[1].criteria", "WCAG success criteria"),
        ({'pl = "Wykres': 'po = "Wykres'}, "accessibility.known_issues[1].text", "unknown language 'po'"),
        ({'en = "The zebra chart has no text alternative."\n': ""}, "accessibility.known_issues[1].text", "needs the English text"),
        ({'site_address = "https://': 'site_address = "http://'}, "site_address", "https://"),
        ({"reply_within_days = 7": "reply_within_days = 0"}, "accessibility.reply_within_days", "working days"),
        ({"last_reviewed = 2026-10-15": "last_reviewed = 2026-08-15"}, "accessibility.last_reviewed", "before the statement was prepared"),
        ({'phone = "01354 000 111"': 'phone = "call us"'}, "accessibility.phone", "not a phone number"),
        ({"[data_protection_officer]": "[data_protection_officers]"}, "", "unknown key 'data_protection_officers'"),
    ],
)
def test_a_wrong_file_names_the_file_and_the_key(tmp_path, replace, where, problem):
    path = tmp_path / "p.toml"
    path.write_text(partnership_toml(**replace), encoding="utf-8")
    with pytest.raises(PartnershipFileError) as caught:
        read_file(path, LANGUAGES)
    message = str(caught.value)
    assert message.startswith(f"Cannot start: the partnership file {path}")
    assert (f" at {where}:" in message) if where else (f"{path}:" in message)
    assert problem in message
    assert "\n" not in message


@pytest.mark.parametrize(
    "compliance, issues, problem",
    [
        ("full", partnership.ISSUES, 'compliance cannot be "full"'),
        ("partial", "", 'compliance cannot be "partial"'),
    ],
)
def test_the_compliance_status_must_agree_with_the_known_issues(tmp_path, compliance, issues, problem):
    path = write_partnership_file(tmp_path, compliance=compliance, issues=issues)
    with pytest.raises(PartnershipFileError, match=problem):
        read_file(path, LANGUAGES)


def test_a_missing_or_unparsable_file(tmp_path):
    with pytest.raises(PartnershipFileError, match="there is no such file .*FEEDBACK_PARTNERSHIP_FILE"):
        read_file(tmp_path / "nowhere.toml", LANGUAGES)
    broken = tmp_path / "broken.toml"
    broken.write_text('[controller\nname = "x"\n', encoding="utf-8")
    with pytest.raises(PartnershipFileError, match="is not valid TOML"):
        read_file(broken, LANGUAGES)


def test_the_app_does_not_start_with_a_wrong_file(tmp_path):
    with pytest.raises(ConfigurationError, match="the partnership file"):
        create_app(TestConfig, {"PARTNERSHIP_FILE": str(tmp_path / "nowhere.toml")})


def test_the_app_warns_while_placeholders_remain(caplog):
    with caplog.at_level("WARNING", logger="feedback_app.partnership"):
        create_app(TestConfig)
    [warning] = [r for r in caplog.records if r.name == "feedback_app.partnership"]
    assert "lawful_basis.personal_data" in warning.getMessage()


def test_a_filled_file_starts_without_a_warning(tmp_path, caplog):
    path = write_partnership_file(tmp_path)
    with caplog.at_level("WARNING", logger="feedback_app.partnership"):
        create_app(TestConfig, {"PARTNERSHIP_FILE": str(path)})
    assert [r for r in caplog.records if r.name == "feedback_app.partnership"] == []


def test_the_file_can_be_named_in_the_environment(tmp_path):
    assert environment_settings({"FEEDBACK_PARTNERSHIP_FILE": " /etc/feedback/partnership.toml "}) == {
        "PARTNERSHIP_FILE": "/etc/feedback/partnership.toml"
    }
    assert "PARTNERSHIP_FILE" not in environment_settings({})


def test_wsgi_refuses_to_start_with_a_missing_file(tmp_path):
    environ = dict(os.environ, FEEDBACK_CONFIG="test", FEEDBACK_PARTNERSHIP_FILE=str(tmp_path / "nowhere.toml"))
    result = subprocess.run(
        [sys.executable, "-c", "import wsgi"], cwd=PROJECT_ROOT, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"Cannot start: the partnership file {tmp_path / 'nowhere.toml'}: there is no such file "
        "(set FEEDBACK_PARTNERSHIP_FILE to the right path)."
    )


def test_the_pages_strings_count_as_survivor_facing():
    # So that a language is offered only once they are translated (i18n.offered_locales).
    catalog = load("ur")
    for template in ("privacy.html", "accessibility.html"):
        located = [m for m in catalog if any(p.endswith(f"templates/survivor/{template}") for p, _ in m.locations)]
        assert len(located) > 20
        assert all(is_survivor_facing(m) for m in located)


@pytest.mark.parametrize(
    "table, problem",
    [
        ('[partnership]\nnam = "X"\n', "unknown key 'nam'"),
        ("[partnership]\n", "missing 'name'"),
        ('[partnership.name]\npl = "Partnerstwo"\n', "needs the English text"),
        ('[partnership.name]\nen = "X"\nde = "Y"\n', "unknown language 'de'"),
    ],
)
def test_a_wrong_partnership_name_is_refused(tmp_path, table, problem):
    path = tmp_path / "p.toml"
    path.write_text(partnership_toml().replace("[controller]", table + "\n[controller]", 1), encoding="utf-8")
    with pytest.raises(PartnershipFileError, match=problem):
        read_file(path, LANGUAGES)


def test_the_shipped_file_names_the_partnership_in_every_language():
    name = read_file(DEFAULT_FILE, LANGUAGES).partnership_name
    assert set(name.texts) == set(LANGUAGES)
    assert name.in_language("en").text == TestConfig.PARTNERSHIP_NAME
