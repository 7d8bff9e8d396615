"""Demo responses, clearly marked as demo (``is_demo``), for trying the site out.

Answers follow the survey definitions (so every branch is exercised) and free text comes
in English, Polish and Lithuanian.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, select

from ...extensions import db
from ...models import CommentCoding, RejectedSuggestion, Response, Theme, ThemeRule
from ...surveys import Survey, plan
from ...surveys.registry import all_surveys
from ..insight.themes import DEMO_NOTE
from ..responses.deletion import delete_responses
from ..responses.submissions import build_response

DEMO_ORGANISATIONS = ("Demo Refuge North", "Demo Outreach South")

TEXTS = {
    "en": [
        "I received follow up calls and that made me feel safe.",
        "They wrote me a supporting letter for my housing.",
        "Quick response when I called.",
        "It would help to speak to the same officer each time.",
        "Please keep me updated about my case.",
        "My worker listened and never judged me.",
        "I waited too long for a call back.",
        "Having someone to talk to every week really helped.",
    ],
    "pl": [
        "Policja szybko przyjechała i poczułam się bezpieczniej.",
        "Pomogli mi znaleźć tłumacza, dzięki temu wszystko rozumiałam.",
        "Chciałabym, żeby ktoś informował mnie o mojej sprawie.",
        "Moja doradczyni zawsze oddzwaniała.",
        "Za długo czekałam na odpowiedź.",
    ],
    "lt": [
        "Darbuotoja mane išklausė ir padėjo suprasti, ką daryti toliau.",
        "Labai padėjo, kad galėjau kalbėti lietuviškai.",
        "Norėčiau, kad dažniau praneštų apie mano bylą.",
        "Policija atvyko greitai.",
        "Per ilgai laukiau skambučio.",
    ],
}
LANGUAGE_WEIGHTS = {"en": 0.7, "pl": 0.18, "lt": 0.12}


def random_answers(survey: Survey, rng: random.Random, language: str) -> dict:
    """Answers a person might give: some skipped, repeats and free text included."""
    answers: dict = {}
    for _ in range(len(survey.steps) * 2):  # the plan grows as repeat questions are answered
        for instance in plan(survey, answers):
            for question in instance.step.questions:
                name = instance.field_name(question)
                if name in answers or rng.random() < 0.12:
                    continue
                if question.type == "single":
                    answers[name] = rng.choice(question.choices).id
                elif question.type == "multi":
                    picked = rng.sample(question.choice_ids, k=rng.randint(1, min(3, len(question.choices))))
                    answers[name] = [c for c in question.choice_ids if c in picked]
                elif rng.random() < 0.6:
                    answers[name] = rng.choice(TEXTS[language])
    keep = {name for instance in plan(survey, answers) for name in instance.field_names()}
    return {k: v for k, v in answers.items() if k in keep}


def count_responses() -> int:
    return db.session.scalar(select(func.count()).select_from(Response)) or 0


def generate(
    count: int,
    *,
    seed: int | None = None,
    today: date | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add ``count`` demo responses spread over the last 18 months. Returns how many."""
    rng = random.Random(seed)
    surveys = list(all_surveys().values())
    weights = [0.55 if s.audience == "adult" else 0.2 if s.audience == "young_person" else 0.25 for s in surveys]
    today = today or date.today()
    made = 0
    while made < count:
        rows = []
        for _ in range(min(batch_size, count - made)):
            survey = rng.choices(surveys, weights)[0]
            language = rng.choices(list(LANGUAGE_WEIGHTS), list(LANGUAGE_WEIGHTS.values()))[0]
            mode = rng.choices(["online", "assisted", "handed_over"], [0.6, 0.25, 0.15])[0]
            rows.append(
                build_response(
                    survey_slug=survey.slug,
                    survey_version=survey.version,
                    language=language,
                    collection_mode=mode,
                    organisation=None if mode == "online" else rng.choice(DEMO_ORGANISATIONS),
                    answers=random_answers(survey, rng, language),
                    submitted_on=today - timedelta(days=rng.randint(0, 540)),
                    is_demo=True,
                )
            )
        db.session.add_all(rows)
        db.session.commit()
        made += len(rows)
        if progress:
            progress(len(rows))
    return made


@dataclass(frozen=True)
class Removed:
    responses: int
    codings: int
    glosses: int
    quotes: int
    themes: int


def remove_demo() -> Removed:
    """Delete everything marked as demo, in one transaction: demo responses with all made from
    them (``responses.deletion``), and the demo codebook's themes that no real comment is
    coded with (a demo theme a coordinator has used on real comments stays). Nothing real
    is touched."""
    deleted = delete_responses(Response.is_demo.is_(True))
    in_use = select(CommentCoding.theme_id).distinct()
    demo_themes = select(Theme.id).where(Theme.description.startswith(DEMO_NOTE), Theme.id.not_in(in_use))
    theme_ids = list(db.session.scalars(demo_themes))
    if theme_ids:
        db.session.execute(delete(RejectedSuggestion).where(RejectedSuggestion.theme_id.in_(theme_ids)))
        db.session.execute(delete(ThemeRule).where(ThemeRule.theme_id.in_(theme_ids)))
        db.session.execute(delete(Theme).where(Theme.id.in_(theme_ids)))
    db.session.commit()
    return Removed(deleted.responses, deleted.codings, deleted.glosses, deleted.quotes, len(theme_ids))
