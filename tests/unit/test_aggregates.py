"""Raw figures from a small fixed dataset, against counts worked out by hand."""

from datetime import date

import pytest
from sqlalchemy import select, update

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.figures import counting as aggregates
from feedback_app.services.figures import periods
from feedback_app.services.figures.cache import aggregate_cache
from feedback_app.services.figures.counting import NOT_ANSWERED, NOT_ASKED, compute
from feedback_app.services.figures.filters import Filters
from feedback_app.services.responses.keyring import current_keyring
from feedback_app.services.responses.store import payload_place
from feedback_app.services.responses.submissions import store_response
from tests.helpers.insight_data import store_fixed_dataset, store_many


@pytest.fixture
def fixed(app):
    return store_fixed_dataset()


def rows(breakdown):
    """{key: count} without the zero rows, for readable expectations."""
    return {row.key: row.count for row in breakdown.rows if row.count}


def split(figures, question):
    return next(b for b in figures.splits if b.question == question)


def choice(figures, question):
    return next(b for b in figures.choices if b.question == question)


def feedback(figures, key):
    return next(f for f in figures.service_feedback if f.key == key)


def scale(service, question):
    return next(b for b in service.scales if b.question == question)


def test_totals_and_splits_for_all_time(fixed):
    figures = compute(Filters())
    assert figures.total == 12
    assert figures.unreadable == 0
    assert rows(figures.by_survey) == {"adult": 6, "young_person": 3, "seeking_support": 3}
    gender = split(figures, "gender")
    assert rows(gender) == {"woman": 6, "man": 2, "girl": 2, "boy": 1, "prefer_not_to_say": 1}
    assert gender.total == 12 and sum(r.count for r in gender.rows) == 12
    age = split(figures, "age")
    assert rows(age) == {
        "age_25_34": 2, "age_35_44": 1, "prefer_not_to_say": 1, "age_13_15": 1, "age_16_17": 1,
        NOT_ANSWERED: 3, NOT_ASKED: 3,
    }
    assert [r.key for r in age.rows][-3:] == ["prefer_not_to_say", NOT_ANSWERED, NOT_ASKED]


def test_services_include_young_peoples_supporters(fixed):
    figures = compute(Filters())
    assert rows(figures.services) == {
        "services.police": 5, "services.idva": 2, "services.housing": 1,
        "supporters.school": 2, "supporters.family": 1, "supporters.yp_idva": 1,
    }
    assert figures.services.multi and figures.services.total == 9  # 6 adults + 3 young people
    labels = {r.key: r.label for r in figures.services.rows}
    assert labels["services.other"] == "Another service" and labels["supporters.other"] == "Someone else"


def test_listened_and_safer_per_service(fixed):
    figures = compute(Filters())
    police = feedback(figures, "services.police")
    assert police.mentions == 5
    assert rows(scale(police, "listened")) == {"yes": 3, "sometimes": 1, "no": 1}
    assert rows(scale(police, "safer")) == {"yes": 1, "sometimes": 1, "no": 1, NOT_ANSWERED: 2}
    assert all(b.total == 5 for b in police.scales)
    housing = feedback(figures, "services.housing")
    assert rows(scale(housing, "safer")) == {"prefer_not_to_say": 1}
    school = feedback(figures, "supporters.school")
    assert [b.question for b in school.scales] == ["listened"]  # young people are not asked "safer"
    assert rows(scale(school, "listened")) == {"yes": 1, "no": 1}


def test_preferred_support_and_what_would_help(fixed):
    figures = compute(Filters())
    preferred = choice(figures, "preferred_support")
    assert rows(preferred) == {"phone": 4, "email": 1, "online_chat": 1}
    assert preferred.total == 4 and preferred.multi
    seek = choice(figures, "seek_support")
    assert rows(seek) == {"anonymity": 3, "counselling": 2, "own_language": 1, "self_defence": 1}
    assert seek.total == 5


def test_trend_by_quarter(fixed):
    figures = compute(Filters())
    assert [(q.period.label, q.count) for q in figures.trend] == [
        ("Q4 2023/24", 1), ("Q1 2024/25", 8), ("Q2 2024/25", 2), ("Q3 2024/25", 0), ("Q4 2024/25", 1),
    ]


def test_quarter_boundary_31_march_and_1_april(fixed):
    q4 = compute(Filters(period=periods.quarter(2023, 4)))
    assert q4.total == 1 and rows(split(q4, "gender")) == {"man": 1}  # A4, 31 March 2024
    q1 = compute(Filters(period=periods.quarter(2024, 1)))
    assert q1.total == 8  # A1 (1 April 2024) is in, A6 (1 July) is not
    assert rows(q1.by_survey) == {"adult": 4, "young_person": 2, "seeking_support": 2}
    year = compute(Filters(period=periods.financial_year(2024)))
    assert year.total == 11
    assert [q.period.label for q in year.trend] == ["Q1 2024/25", "Q2 2024/25", "Q3 2024/25", "Q4 2024/25"]


def test_a_week_across_the_boundary_counts_where_its_monday_is(app):
    store_many(1, {"gender": "woman"}, day=date(2026, 4, 1))  # a Wednesday; the week began 30 March
    assert compute(Filters(period=periods.quarter(2025, 4))).total == 1
    assert compute(Filters(period=periods.quarter(2026, 1))).total == 0


def test_custom_range(fixed):
    figures = compute(Filters(period=periods.custom(date(2024, 4, 1), date(2024, 4, 30))))
    # A1, A2, Y1, S1, and also Y2 (Wednesday 1 May) and S2 (Sunday 5 May): their week
    # began on Monday 29 April.
    assert figures.total == 6


@pytest.mark.parametrize(
    "filters, total",
    [
        (Filters(survey="young_person"), 3),
        (Filters(audience="anyone"), 3),
        (Filters(audience="adult", survey="young_person"), 0),
        (Filters(language="pl"), 2),
        (Filters(language="lt", survey="seeking_support"), 1),
        (Filters(collection_mode="assisted"), 2),
        (Filters(collection_mode="handed_over"), 1),
        (Filters(service="services.police"), 5),
        (Filters(service="supporters.school"), 2),
        (Filters(area="fenland"), 3),
        (Filters(area="fenland", survey="adult"), 2),
        (Filters(service="services.police", period=periods.quarter(2024, 1)), 4),
        (Filters(survey="no_such_survey"), 0),
    ],
)
def test_filters(fixed, filters, total):
    assert compute(filters).total == total


def test_service_filter_shapes_every_figure(fixed):
    figures = compute(Filters(service="services.police"))
    assert rows(figures.by_survey) == {"adult": 5}
    assert rows(split(figures, "gender")) == {"woman": 4, "prefer_not_to_say": 1}
    assert rows(figures.services) == {"services.police": 5, "services.idva": 1, "services.housing": 1}
    assert [b.key for b in figures.by_survey.rows] == ["adult"]  # only surveys that offer it


def test_young_person_figures_on_their_own(fixed):
    figures = compute(Filters(survey="young_person"))
    assert rows(split(figures, "gender")) == {"girl": 2, "boy": 1}
    keys = [r.key for r in split(figures, "gender").rows]
    assert keys == ["girl", "boy", "another_way", "prefer_not_to_say", NOT_ANSWERED]
    assert choice(figures, "seek_support").rows == ()  # not asked of young people


def test_unknown_choices_and_html_count_as_not_answered(app):
    store_many(1, {"gender": "<b>bold</b>", "services": ["<script>x</script>", "police"], "listened.police": "<i>"})
    figures = compute(Filters())
    assert rows(split(figures, "gender")) == {NOT_ANSWERED: 1}
    assert rows(figures.services) == {"services.police": 1}
    assert rows(scale(feedback(figures, "services.police"), "listened")) == {NOT_ANSWERED: 1}
    every_label = [r.label for b in (*figures.splits, figures.services, *figures.choices) for r in b.rows]
    assert not any("<" in label for label in every_label)


def _tamper(blob: bytes) -> bytes:
    return blob[:-1] + bytes([blob[-1] ^ 1])


def test_a_tampered_row_is_counted_not_raised(fixed, caplog):
    victim = fixed["A2"]
    facts = db.session.get(Response, victim).facts
    db.session.execute(update(Response).where(Response.id == victim).values(facts=_tamper(facts)))
    db.session.commit()
    figures = aggregates.compute_uncached(Filters())
    assert figures.total == 11 and figures.unreadable == 1
    assert "1 responses could not be opened" in caplog.text
    assert str(victim) in caplog.text  # the id (never content) helps an admin find it


def test_rows_without_facts_are_counted_from_their_answers(fixed):
    from_facts = aggregates.compute_uncached(Filters())
    db.session.execute(update(Response).values(facts=None, facts_key_id=None))
    db.session.commit()
    from_answers = aggregates.compute_uncached(Filters())
    assert from_answers == from_facts
    service_filter = Filters(service="services.police", area="fenland")
    assert aggregates.compute_uncached(service_filter).total == 2


def test_a_tampered_row_without_facts_is_counted_not_raised(fixed):
    victim = fixed["A2"]
    payload = db.session.get(Response, victim).payload
    db.session.execute(
        update(Response).where(Response.id == victim).values(payload=_tamper(payload), facts=None, facts_key_id=None)
    )
    db.session.commit()
    figures = aggregates.compute_uncached(Filters())
    assert (figures.total, figures.unreadable) == (11, 1)


def test_a_payload_that_is_not_a_mapping_is_unreadable(app):
    response_id = store_response(
        survey_slug="adult", survey_version=1, language="en", collection_mode="online", answers={}
    )[0]
    not_a_mapping = current_keyring().seal(b'["x"]', payload_place(response_id))
    db.session.execute(
        update(Response).where(Response.id == response_id).values(payload=not_a_mapping, facts=None, facts_key_id=None)
    )
    db.session.commit()
    figures = compute(Filters())
    assert (figures.total, figures.unreadable) == (0, 1)


def test_answers_that_are_not_a_mapping_are_refused(app):
    with pytest.raises(ValueError):
        store_response(survey_slug="adult", survey_version=1, language="en", collection_mode="online", answers=["x"])


def test_facts_copied_from_another_row_do_not_open(fixed):
    a1 = db.session.get(Response, fixed["A1"]).facts
    db.session.execute(update(Response).where(Response.id == fixed["S3"]).values(facts=a1))
    db.session.commit()
    figures = aggregates.compute_uncached(Filters())
    assert (figures.total, figures.unreadable) == (11, 1)


def test_cached_until_a_response_is_added(fixed):
    cache = aggregate_cache()
    first = compute(Filters(language="pl"))
    misses = cache.misses
    assert compute(Filters(language="pl")) is first
    assert cache.misses == misses and cache.hits >= 1
    store_many(1, {"gender": "man"}, language="pl")
    again = compute(Filters(language="pl"))
    assert again is not first and again.total == first.total + 1


def test_cache_is_bounded(app):
    app.extensions.pop("feedback_aggregate_cache", None)
    app.config["AGGREGATE_CACHE_SIZE"] = 3
    for language in ("en", "pl", "lt", "ur"):
        compute(Filters(language=language))
    assert len(aggregate_cache()) == 3


def test_rows_are_streamed_not_loaded_as_objects(fixed):
    compute(Filters())
    # Only plain rows are read: no Response objects are left in the session.
    assert not [obj for obj in db.session.identity_map.values() if isinstance(obj, Response)]
    assert db.session.scalars(select(Response.id)).all()
