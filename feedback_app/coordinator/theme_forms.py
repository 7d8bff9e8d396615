"""Forms of the codebook (themes and keyword rules) and of the coding queue."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import BooleanField, DateField, Form, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..i18n import survey_text
from ..models import RULE_LANGUAGES, THEME_KINDS
from ..services.figures import periods
from ..services.figures.filters import split_service_key
from ..services.insight import coding as coding_service
from ..services.insight import comment_search
from ..services.insight.catalogue import (
    ALL,
    ALL_QUESTIONS_LABEL,
    ALL_SCOPES_LABEL,
    GENERAL,
    GENERAL_LABEL,
    SAME_QUESTION,
    Source,
    catalogue,
)
from ..services.insight.themes import (
    DESCRIPTION_MAX_LENGTH,
    GENERAL_THEMES_LABEL,
    KIND_LABELS,
    NAME_MAX_LENGTH,
    RULE_LANGUAGE_LABELS,
    service_options,
)
from ..staff_forms.periods import BAD_DATE, period_choices, period_words, read_period
from ..staff_forms.summary import DEMO_IN, DEMO_OUT, demo_field

SERVICE_GROUPS = {
    "services": _l("Adults: services"),
    "supporters": _l("Young people: who supported them"),
}
GENERAL_GROUP = _l("Not about one service")
ALL_GROUP = _l("Everything")
CHOOSE_THEME = _l("Choose a theme from the list.")


def grouped_service_choices(general: SelectChoice, options, keep: str | None = None) -> list[SelectChoice]:
    """``general`` first, then each service under its question's group (police, school, ...);
    ``keep`` (a service no survey offers any more) stays choosable as it is."""
    choices = [general]
    for option in options:
        question_id, _choice = split_service_key(option.value)
        group = str(SERVICE_GROUPS.get(question_id, question_id))
        choices.append(SelectChoice(option.value, survey_text(option.label), optgroup=group))
    if keep and keep not in {c.value for c in choices}:
        choices.append(SelectChoice(keep, keep))
    return choices


def _service_choices(keep: str | None = None) -> list[SelectChoice]:
    return grouped_service_choices(SelectChoice("", GENERAL_THEMES_LABEL), service_options(), keep)


class ThemeForm(FlaskForm):
    name = StringField(
        _l("Theme name"), description=_l("Short, as it should appear in a report, e.g. “Kept informed”.")
    )
    description = TextAreaField(
        _l("Description (optional)"), description=_l("What belongs under this theme, for whoever codes next.")
    )
    service = SelectField(
        _l("Service"),
        validate_choice=False,
        description=_l("A general theme can be used for comments about any service, and for general questions."),
    )
    kind = RadioField(
        _l("The theme is about"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in THEME_KINDS],
        validate_choice=False,
    )

    def __init__(self, *args, keep_service: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.service.choices = _service_choices(keep_service)
        self.name.render_kw = {"maxlength": NAME_MAX_LENGTH}
        self.description.render_kw = {"maxlength": DESCRIPTION_MAX_LENGTH, "rows": 3}


class RuleForm(FlaskForm):
    language = SelectField(
        _l("Language of the keyword"),
        choices=[SelectChoice(code, RULE_LANGUAGE_LABELS[code]) for code in RULE_LANGUAGES],
        validate_choice=False,
    )
    keyword = StringField(_l("Keyword"), description=_l("A word or a short phrase, e.g. “call back” or “czekał*”."))


class CodingQueueForm(Form):
    """The coding queue's choices, read from the query string (GET: no CSRF token): which
    comments (service or general, question, period), only those without a theme or only
    those coded with one theme, and the words to search for (``q``; ``search`` says that the
    search form's button was used, so that an empty search gets a kind word)."""

    service = SelectField(_l("Service"), validate_choice=False)
    question = SelectField(_l("Question"), validate_choice=False)
    period = SelectField(_l("Period"), validate_choice=False)
    date_from = DateField(
        _l("From (custom range)"), name="from", validators=[Optional()], description=_l("For example 2026-04-01")
    )
    date_to = DateField(_l("To (custom range)"), name="to", validators=[Optional()])
    uncoded = BooleanField(_l("Only comments without a theme yet"))
    theme = SelectField(_l("Coded with the theme"), validate_choice=False)
    q = StringField(
        _l("Search the comments"),
        description=_l(
            "Finds the comments holding every word you type, in any order. Part of a word is "
            "enough, and capitals and accents do not matter: “czekal” finds “czekałam”."
        ),
    )

    def __init__(self, args, today: date) -> None:
        args = MultiDict(args)
        if "period" not in args:  # the current quarter unless another period (or all time) is asked for
            args["period"] = periods.quarter_of(today).token
        super().__init__(args)
        self.today = today
        self.notes: list[str] = []
        self.source: Source | None = None
        self.chosen_period = periods.ALL_TIME
        self.theme_id: int | None = None
        self.search: comment_search.TextSearch | None = None
        self.search_asked = bool(args.get("search"))
        try:
            self.page = max(1, int(args.get("page", "1")))
        except ValueError:
            self.page = 1
        self.service.choices = self._scope_choices()
        self.period.choices = period_choices(self.period, self.today)
        self.theme.choices = [SelectChoice("", _l("Any theme, or none"))]
        self.q.render_kw = {"maxlength": comment_search.MAX_LENGTH, "type": "search"}

    def _scope_choices(self) -> list[SelectChoice]:
        choices = []
        for option in catalogue().scope_options():
            if option.value == GENERAL:
                choices.append(SelectChoice(option.value, GENERAL_LABEL, optgroup=str(GENERAL_GROUP)))
                continue
            question_id, _choice = split_service_key(option.value)
            group = str(SERVICE_GROUPS.get(question_id, question_id))
            choices.append(SelectChoice(option.value, survey_text(option.label), optgroup=group))
        choices.append(SelectChoice(ALL, ALL_SCOPES_LABEL, optgroup=str(ALL_GROUP)))
        return choices

    def resolve(self) -> None:
        """Work out the scope, question, period, theme and search asked for. A value that
        makes no sense gets a kind message on its field, and a sensible choice is used
        instead; nothing else asked for is lost."""
        self.validate()
        scopes = [c.value for c in self.service.choices]
        if self.service.data not in scopes:
            if self.service.data:
                self.service.errors.append(gettext("Choose one of the options."))
            self.service.data = scopes[0]
        questions = catalogue().text_questions(self.service.data)
        self.question.choices = [SelectChoice(q.id, survey_text(q.label)) for q in questions]
        if questions:
            self.question.choices.append(SelectChoice(ALL, ALL_QUESTIONS_LABEL))
        asked = self.question.data
        if self.service.data == ALL and not asked:
            asked = self.question.data = ALL
        ids = [c.value for c in self.question.choices]
        if asked not in ids:
            same = SAME_QUESTION.get(asked or "")
            if same in ids:
                self.question.data = same
            else:
                if asked:
                    self.notes.append(
                        gettext("That question is not asked here, so the first question is shown instead.")
                    )
                self.question.data = ids[0] if ids else None
        self.source = catalogue().source(self.service.data, self.question.data) if self.question.data else None
        for field in (self.date_from, self.date_to):
            if field.errors:
                field.errors[:] = [str(BAD_DATE)]
        self.chosen_period = self._chosen_period()
        self._resolve_theme()
        self._resolve_search()

    def _chosen_period(self) -> periods.Period:
        if self.period.data not in {c.value for c in self.period.choices}:
            self.period.errors.append(gettext("Choose one of the options."))
            self.period.data = ""
        return read_period(self.period, self.date_from, self.date_to)

    def _resolve_theme(self) -> None:
        themes = coding_service.themes_for(self.source, active_only=False) if self.source else []
        for theme in themes:
            label = theme.name if theme.is_active else gettext("%(name)s (deactivated)", name=theme.name)
            self.theme.choices.append(SelectChoice(str(theme.id), label))
        asked = (self.theme.data or "").strip()
        if not asked:
            self.theme.data = ""
            return
        if asked not in {c.value for c in self.theme.choices}:
            self.theme.errors.append(str(CHOOSE_THEME))
            self.theme.data = ""
            return
        self.theme_id = int(asked)
        if self.uncoded.data:
            self.uncoded.data = False
            self.notes.append(
                gettext(
                    "Showing the comments coded with the theme you chose, so “Only comments without a theme "
                    "yet” is left out."
                )
            )

    def _resolve_search(self) -> None:
        typed = self.q.data or ""
        if not typed.strip() and not self.search_asked:
            self.q.data = ""
            return
        try:
            self.search = comment_search.parse(typed)
        except comment_search.SearchError as problem:
            self.q.errors.append(str(problem.message))
            return
        self.q.data = self.search.typed

    @property
    def error_fields(self):
        return [field for field in self if field.errors]

    @property
    def period_words(self) -> str:
        if self.chosen_period.kind == periods.ALL:
            return gettext("all time")
        return period_words(self.chosen_period)

    def query_args(self, page: int | None = None, *, search: bool = True) -> dict[str, str]:
        """The queue's URL parameters, to come back to the same page after a change (without
        the search with ``search=False``)."""
        args = {"service": self.service.data or "", "question": self.question.data or ""}
        args["period"] = self.period.data or ""
        if self.period.data == periods.CUSTOM_TOKEN:
            if self.date_from.data and not self.date_from.errors:
                args["from"] = self.date_from.data.isoformat()
            if self.date_to.data and not self.date_to.errors:
                args["to"] = self.date_to.data.isoformat()
        if self.uncoded.data:
            args["uncoded"] = "y"
        if self.theme_id is not None:
            args["theme"] = str(self.theme_id)
        if search and self.search is not None:
            args["q"] = self.search.typed
        page = self.page if page is None else page
        if page > 1:
            args["page"] = str(page)
        return args


QUEUE_ARGS = ("service", "question", "period", "from", "to", "uncoded", "theme", "q", "page")


def queue_args_from(form_data) -> dict[str, str]:
    """The queue's parameters carried in a posted form (hidden fields), to redirect back.
    An empty ``period`` is kept: it means all time (a missing one means this quarter)."""
    return {
        name: form_data[name][: comment_search.MAX_LENGTH]
        for name in QUEUE_ARGS
        if name in form_data and (form_data[name] or name == "period")
    }




class TrendForm(Form):
    """The theme trend's one choice, from the query string: whether demo responses count."""

    demo = demo_field()

    def read(self) -> bool:
        """Whether demo responses count; a value that makes no sense gets a kind message
        and counts them, as by default."""
        if self.demo.data not in (DEMO_IN, DEMO_OUT):
            self.demo.errors = [gettext("Choose one of the options.")]
            self.demo.data = DEMO_IN
        return self.demo.data != DEMO_OUT
