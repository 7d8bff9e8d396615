"""A partnership data file for tests (the privacy notice and accessibility statement's facts),
with facts distinctive enough to find on a page."""

from __future__ import annotations

from pathlib import Path

CONTROLLER = "Fenland Test Council"
CONTROLLER_ADDRESS = ("1 Test Street", "March", "PE15 0XX")
PRIVACY_EMAIL = "privacy-questions@fenland-test.gov.uk"
OFFICER = "Dana Officer"
OFFICER_EMAIL = "dpo@fenland-test.gov.uk"
ACCESS_EMAIL = "access-help@fenland-test.gov.uk"
ACCESS_PHONE = "01354 000 111"
SITE = "https://feedback.fenland-test.gov.uk"
BASIS = "Article 6(1)(e) UK GDPR, decided by the test board"
ISSUE_EN = "The zebra chart has no text alternative."
ISSUE_PL = "Wykres zebry nie ma tekstu alternatywnego."
SECOND_ISSUE_EN = "The giraffe table has no headers."

ISSUES = f'''
[[accessibility.known_issues]]
criteria = ["1.1.1"]
fix_by = 2027-03-31
[accessibility.known_issues.text]
en = "{ISSUE_EN}"
pl = "{ISSUE_PL}"

[[accessibility.known_issues]]
criteria = ["1.3.1", "4.1.2"]
text = "{SECOND_ISSUE_EN}"
'''


def partnership_toml(compliance: str = "partial", issues: str = ISSUES, **replace: str) -> str:
    """The text of a valid file; ``replace`` swaps exact pieces of it to make it invalid."""
    text = f'''
site_address = "{SITE}"

[controller]
name = "{CONTROLLER}"
address = {list(CONTROLLER_ADDRESS)!r}

[privacy]
last_updated = 2026-10-01
email = "{PRIVACY_EMAIL}"

[data_protection_officer]
name = "{OFFICER}"
email = "{OFFICER_EMAIL}"
address = ["Data Protection, Fenland Test Council", "March"]

[lawful_basis]
personal_data = "{BASIS}"
[lawful_basis.special_category]
en = "Article 9(2)(g) UK GDPR"
pl = "Art. 9 ust. 2 lit. g UK GDPR"
lt = "JK BDAR 9 straipsnio 2 dalies g punktas"
ur = "UK GDPR کا آرٹیکل 9(2)(g)"

[accessibility]
compliance = "{compliance}"
email = "{ACCESS_EMAIL}"
phone = "{ACCESS_PHONE}"
reply_within_days = 7
prepared = 2026-09-01
last_reviewed = 2026-10-15
last_tested = 2026-10-10
tested_by = "The Test Auditors Ltd"
{issues}'''
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text


def write_partnership_file(directory: Path, name: str = "partnership.toml", **options) -> Path:
    path = directory / name
    path.write_text(partnership_toml(**options), encoding="utf-8")
    return path
