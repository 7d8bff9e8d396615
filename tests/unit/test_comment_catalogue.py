"""The comment catalogue: the one answer to "which answers are comments, and about what",
read from the shipped survey definitions and shared by coding, quotes, theme counts and the
themed summary."""

from __future__ import annotations

from feedback_app.services.insight import catalogue as catalogue_module
from feedback_app.services.insight.catalogue import GENERAL, HELPFUL, IMPROVEMENT, OTHER, Catalogue, catalogue
from feedback_app.surveys.registry import all_surveys


def test_a_question_repeated_for_each_service_is_one_comment_per_service(app):
    police = catalogue().field("adult", "better.police")
    assert police is not None
    assert (police.scope, police.service, police.question_id, police.kind) == ("services.police", "services.police", "better", IMPROVEMENT)
    assert police.service_label == "Police"
    assert police.question == all_surveys()["adult"].question("better").text


def test_a_question_asked_once_is_a_general_comment(app):
    anything = catalogue().field("adult", "anything_else")
    assert (anything.scope, anything.service, anything.service_label, anything.kind) == (GENERAL, None, None, OTHER)


def test_choice_answers_and_unknown_places_are_not_comments(app):
    assert catalogue().field("adult", "listened.police") is None  # a choice question
    assert catalogue().field("adult", "better") is None  # repeated question without its service
    assert catalogue().field("adult", "anything_else.police") is None
    assert catalogue().field("adult", "better.no_such_service") is None
    assert catalogue().field("no_such_survey", "anything_else") is None
    assert catalogue().source_of("adult", "gender") is None


def test_every_text_question_of_every_survey_is_in_the_catalogue(app):
    """Counted independently of the catalogue: one field per text question asked once, one
    per service for a text question in a step repeated for the services chosen."""
    expected = set()
    for survey in all_surveys().values():
        for step in survey.steps:
            for question in step.questions:
                if question.type != "text":
                    continue
                if step.repeat_for:
                    expected |= {(survey.slug, f"{question.id}.{c}") for c in survey.question(step.repeat_for).choice_ids}
                else:
                    expected.add((survey.slug, question.id))
    assert {(f.survey, f.field) for f in catalogue().fields} == expected
    assert len(catalogue().fields) == len(expected)  # no field twice


def test_the_same_question_in_two_surveys_has_the_same_kind(app):
    adults = catalogue().field("adult", "helpful.police")
    young = next(f for f in catalogue().fields if f.survey == "young_person" and f.question_id == "helped")
    assert adults.kind == young.kind == HELPFUL
    assert catalogue_module.SAME_QUESTION["helpful"] == "helped"


def test_a_source_gathers_one_question_of_one_scope_across_surveys(app):
    source = catalogue().source(GENERAL, "seek_support_other")
    assert source is not None
    assert set(source.fields) == {("adult", "seek_support_other"), ("seeking_support", "seek_support_other")}
    assert source.service is None
    assert source.question.kinds == ("helpful", "improvement")  # not about what helped or not: either kind

    police = catalogue().source("services.police", "better")
    assert police.fields == (("adult", "better.police"),)
    assert police.question.kinds == (IMPROVEMENT,)
    assert catalogue().source_of("adult", "better.police") == police
    assert catalogue().source("services.police", "anything_else") is None


def test_text_questions_of_a_scope_in_the_surveys_order(app):
    assert [q.id for q in catalogue().text_questions("services.police")] == ["helpful", "better"]
    assert [q.id for q in catalogue().text_questions(GENERAL)] == ["seek_support_other", "anything_else"]
    assert catalogue().text_questions("services.no_such_service") == ()


def test_scope_options_list_every_service_then_general(app):
    with app.test_request_context():  # the general option's label is translated
        options = catalogue().scope_options()
    assert options[-1].value == GENERAL
    assert "services.police" in [o.value for o in options]
    assert "supporters.school" in [o.value for o in options]


def test_the_catalogue_is_derived_once_per_application(app):
    assert catalogue() is catalogue()
    rebuilt = Catalogue(all_surveys().values())
    assert rebuilt.fields == catalogue().fields
