from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from feedback_app.extensions import db
from feedback_app.models import Response
from feedback_app.services.responses.submissions import open_response
from feedback_app.surveys import parse_answers
from feedback_app.surveys.registry import all_surveys


def test_demo_data_is_marked_valid_and_varied(app):
    result = app.test_cli_runner().invoke(args=["demo-data", "--responses", "120", "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "Added 120 demo responses" in result.output
    rows = db.session.scalars(select(Response)).all()
    assert len(rows) == 120 and all(r.is_demo for r in rows)
    assert {r.survey_slug for r in rows} == set(all_surveys())
    assert {r.language for r in rows} == {"en", "pl", "lt"}
    assert all((r.organisation is None) == (r.collection_mode == "online") for r in rows)
    for row in rows:
        stored = open_response(row)
        survey = all_surveys()[row.survey_slug]
        form = MultiDict([(k, v) for k, vs in stored.answers.items() for v in (vs if isinstance(vs, list) else [vs])])
        parsed = parse_answers(survey, form)
        assert parsed.errors == {} and parsed.answers == stored.answers


def test_if_empty_adds_nothing_when_there_is_data(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo-data", "--responses", "3"])
    result = runner.invoke(args=["demo-data", "--responses", "50", "--if-empty"])
    assert "no demo data added" in result.output
    assert len(db.session.scalars(select(Response)).all()) == 3


def test_demo_data_brings_a_codebook_codings_and_quotes(app):
    from feedback_app.models import CommentCoding, Quote, Theme
    from feedback_app.services.insight.quotes import quote_text

    result = app.test_cli_runner().invoke(args=["demo-data", "--responses", "150", "--seed", "3"])
    assert result.exit_code == 0, result.output
    themes = db.session.scalars(select(Theme)).all()
    assert themes and all(t.description.startswith("Demo theme") for t in themes)
    codings = db.session.scalars(select(CommentCoding)).all()
    assert codings and all(c.source == "suggestion" for c in codings)
    demo_ids = set(db.session.scalars(select(Response.id).where(Response.is_demo.is_(True))))
    assert {c.response_id for c in codings} <= demo_ids
    quotes = db.session.scalars(select(Quote)).all()
    assert quotes and all(q.status == "approved" and q.approved_by is None for q in quotes)
    assert all(quote_text(q) for q in quotes)
    # Running it again adds responses but codes nothing twice.
    again = app.test_cli_runner().invoke(args=["demo-data", "--responses", "5"])
    assert "Coded the demo comments" not in again.output
    assert len(db.session.scalars(select(CommentCoding)).all()) == len(codings)


def test_remove_deletes_everything_demo_and_nothing_real(app):
    from feedback_app.models import CommentCoding, CommentGloss, Quote, Theme
    from feedback_app.services.insight import coding, comments
    from tests.helpers.responses import store
    from tests.helpers.staff import make_account

    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data", "--responses", "150", "--seed", "3"]).exit_code == 0
    coordinator, _ = make_account("coordinator")
    real = store({"services": ["police"], "better.police": "Call me back please"})
    demo_theme = db.session.scalars(select(Theme).where(Theme.service == "services.police", Theme.kind == "improvement")).first()
    kept_theme = demo_theme.id  # a coordinator used this demo theme on a real comment: it stays
    coding.assign(real, "better.police", kept_theme, coordinator)
    comments.save_gloss(real, "better.police", "Call me back")
    demo_gloss_on = db.session.scalars(select(CommentCoding.response_id)).first()
    comments.save_gloss(demo_gloss_on, "better.police", "a demo gloss")

    result = runner.invoke(args=["demo-data", "--remove"])
    assert result.exit_code == 0, result.output
    assert "Removed 150 demo responses" in result.output and "Nothing real was touched" in result.output
    assert [r.id for r in db.session.scalars(select(Response))] == [real]
    assert {c.response_id for c in db.session.scalars(select(CommentCoding))} == {real}
    assert {g.response_id for g in db.session.scalars(select(CommentGloss))} == {real}
    assert db.session.scalars(select(Quote)).all() == []
    assert [t.id for t in db.session.scalars(select(Theme))] == [kept_theme]
    assert open_response(db.session.get(Response, real)).answers["better.police"] == "Call me back please"


def test_adding_demo_data_is_refused_in_production(app):
    app.config["ENV_NAME"] = "production"
    result = app.test_cli_runner().invoke(args=["demo-data", "--responses", "5"])
    assert result.exit_code != 0
    assert "Refusing to add demo data in production" in result.output
    assert db.session.scalars(select(Response)).all() == []
    assert app.test_cli_runner().invoke(args=["demo-data", "--remove"]).exit_code == 0  # removing is allowed
