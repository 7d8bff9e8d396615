"""The survivor's path through a survey, one screen at a time, with no server-side state.

Every screen is one form. It carries, as hidden fields, all the answers given so far, the
screen being shown, the survey version and a random submission token; the visible fields
are the current step's questions. Each post is read here and turned into the next
``Screen``. Nothing is stored until the person presses "Send" on the check-answers screen.

Screens: ``step`` (one step of questions), ``warning`` (a content warning before a
sensitive section, with a way to skip it), ``review`` (check your answers) and ``done``.

A *section* is a run of consecutive screens repeated for the same question (all the
per-service screens, say), or a single step on its own. A section with a sensitive step
gets one content warning before it; skipping it moves past the whole section.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

from ..services.responses.submissions import NOT_SENT, RATE_LIMITED, Outcome
from ..surveys import ParseResult, StepInstance, Survey, parse_answers, plan, step_index

SCREEN_FIELD = "_screen"
ACTION_FIELD = "_action"
TOKEN_FIELD = "_token"
VERSION_FIELD = "_version"
RETURN_FIELD = "_return"
HONEYPOT_FIELD = "_website"
CONTROL_FIELDS = (SCREEN_FIELD, ACTION_FIELD, TOKEN_FIELD, VERSION_FIELD, RETURN_FIELD, HONEYPOT_FIELD)

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# Notices shown above a screen, keyed for the templates.
VERSION_CHANGED = "version_changed"
SESSION_EXPIRED = "session_expired"
PLEASE_WAIT = "please_wait"
NOT_SENT_YET = "not_sent_yet"


@dataclass
class Screen:
    kind: str  # "step" | "warning" | "review" | "done"
    survey: Survey
    answers: dict
    screens: list[StepInstance]
    token: str
    index: int | None = None  # position in ``screens`` for step and warning screens
    errors: dict[str, str] = field(default_factory=dict)
    raw_text: dict[str, str] = field(default_factory=dict)
    returning_to_review: bool = False
    notice: str | None = None
    focus_field: str | None = None  # after "Change" on check answers: the question to focus
    safety_panel: bool = False  # an answer on the screen just left asks for "If you are not safe now"
    wait_minutes: int = 0  # with PLEASE_WAIT: how long until the answers can be sent

    @property
    def instance(self) -> StepInstance | None:
        return self.screens[self.index] if self.index is not None else None

    @property
    def state(self) -> str:
        """The value of the hidden ``_screen`` field for this screen."""
        if self.kind in ("step", "warning"):
            return f"{self.kind}:{self.instance.key}"
        return self.kind

    @property
    def step_number(self) -> int:
        return (self.index or 0) + 1

    @property
    def step_count(self) -> int:
        return len(self.screens)

    @property
    def step_count_known(self) -> bool:
        """Whether ``step_count`` is final: no answer on this screen or a later one can add or
        remove screens (services to ask about, say). Until then, no total is shown."""
        deciding = self.survey.deciding_questions()
        return not any(q.id in deciding for s in self.screens[self.index or 0 :] for q in s.step.questions)

    def carried_answers(self) -> list[tuple[str, str]]:
        """(name, value) pairs for hidden fields: every answer not shown as a visible field."""
        visible = set(self.instance.field_names()) if self.kind == "step" else set()
        pairs: list[tuple[str, str]] = []
        for name, value in self.answers.items():
            if name in visible:
                continue
            for item in value if isinstance(value, list) else [value]:
                pairs.append((name, item))
        return pairs

    def value_of(self, name: str):
        """What to show in a visible field: the answer, or the text as typed if it was too long."""
        return self.raw_text.get(name, self.answers.get(name))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def start(survey: Survey) -> Screen:
    screens = plan(survey, {})
    return _enter(Screen("step", survey, {}, screens, new_token()), 0)


def _token(form) -> str:
    token = form.get(TOKEN_FIELD, "")
    return token if TOKEN_PATTERN.match(token) else new_token()


def _section(screens: list[StepInstance], index: int) -> tuple[int, int]:
    """[start, end) of the section the screen at ``index`` belongs to."""
    repeat_for = screens[index].step.repeat_for
    if repeat_for is None:
        return index, index + 1
    first = index
    while first > 0 and screens[first - 1].step.repeat_for == repeat_for:
        first -= 1
    end = index + 1
    while end < len(screens) and screens[end].step.repeat_for == repeat_for:
        end += 1
    return first, end


def _section_is_sensitive(screens: list[StepInstance], index: int) -> bool:
    first, end = _section(screens, index)
    return first == index and any(s.step.sensitive for s in screens[first:end])


def _enter(screen: Screen, index: int) -> Screen:
    """Move forward onto ``index``: a content warning first if a sensitive section starts there."""
    if index >= len(screen.screens):
        return _review(screen)
    screen.index = index
    screen.kind = "warning" if _section_is_sensitive(screen.screens, index) else "step"
    return screen


def _show_step(screen: Screen, index: int) -> Screen:
    if index < 0:
        index = 0
    if index >= len(screen.screens):
        return _review(screen)
    screen.index, screen.kind = index, "step"
    return screen


def _review(screen: Screen) -> Screen:
    screen.kind, screen.index, screen.returning_to_review = "review", None, False
    return screen


def _asks_for_safety(instance: StepInstance, answers: dict) -> bool:
    """Whether an answer on this screen is a choice marked ``safety_prompt``."""
    for question in instance.step.questions:
        given = answers.get(instance.field_name(question))
        chosen = given if isinstance(given, list) else [given]
        if any(c.safety_prompt and c.id in chosen for c in question.choices):
            return True
    return False


def sensitive_warning(screen: Screen) -> str | None:
    """The warning text for a warning screen: the first sensitive step's, in its section."""
    first, end = _section(screen.screens, screen.index)
    for instance in screen.screens[first:end]:
        if instance.step.sensitive:
            return instance.step.warning
    return None


def advance(survey: Survey, form, *, notice: str | None = None, stay: bool = False) -> Screen:
    """Read one posted screen and decide which screen comes next.

    ``stay`` shows the same screen again with the answers (e.g. after a language switch)."""
    parsed: ParseResult = parse_answers(survey, form)
    screens = plan(survey, parsed.answers)
    screen = Screen(
        "step",
        survey,
        parsed.answers,
        screens,
        _token(form),
        raw_text=parsed.raw_text,
        returning_to_review=form.get(RETURN_FIELD) == "review",
        notice=notice,
    )
    version = form.get(VERSION_FIELD, "")
    if version != str(survey.version) and form.get(SCREEN_FIELD):
        # The survey changed while they were answering: keep what still fits, let them check.
        screen.notice = VERSION_CHANGED
        screen.raw_text = {}
        return _review(screen)

    kind, _, key = form.get(SCREEN_FIELD, "").partition(":")
    index = step_index(screens, key) if key else None
    action = form.get(ACTION_FIELD, "")
    if notice is not None or stay:
        return _same_screen(screen, kind, index, errors=parsed.errors if notice else {})

    if kind == "step" and index is not None:
        own_errors = {n: e for n, e in parsed.errors.items() if n in screens[index].field_names()}
        if action == "back":
            screen.errors = own_errors
            return _show_step(screen, index - 1) if index > 0 else _show_step(screen, 0)
        if own_errors:
            screen.errors = own_errors
            return _show_step(screen, index)
        screen.safety_panel = _asks_for_safety(screens[index], screen.answers)
        if screen.returning_to_review:
            return _review(screen)
        return _enter(screen, index + 1)

    if kind == "warning" and index is not None:
        if action == "skip":
            return _enter(screen, _section(screens, index)[1])
        if action == "back":
            return _show_step(screen, index - 1) if index > 0 else _enter(screen, 0)
        return _show_step(screen, index)

    if kind == "review":
        if action.startswith("change:"):
            step_key, _colon, field_name = action.removeprefix("change:").partition(":")
            target = step_index(screens, step_key)
            if target is not None:
                screen.returning_to_review = True
                if field_name in screens[target].field_names():
                    screen.focus_field = field_name
                return _show_step(screen, target)
            return _review(screen)
        if action == "back":
            return _show_step(screen, len(screens) - 1)
        if action == "submit":
            if parsed.errors:
                first_bad = next(i for i, s in enumerate(screens) if set(s.field_names()) & set(parsed.errors))
                screen.errors = {n: e for n, e in parsed.errors.items() if n in screens[first_bad].field_names()}
                return _show_step(screen, first_bad)
            screen.kind = "done"
            return screen
        return _review(screen)

    # No usable screen (the start page, or a screen that no longer exists): begin again,
    # keeping any answers that came with the form.
    return _enter(screen, 0)


def _same_screen(screen: Screen, kind: str, index: int | None, errors: dict) -> Screen:
    screen.errors = {n: e for n, e in errors.items() if index is not None and n in screen.screens[index].field_names()}
    if kind == "review" or (kind in ("step", "warning") and index is None and screen.answers):
        return _review(screen)
    if kind == "warning" and index is not None:
        screen.index, screen.kind = index, "warning"
        return screen
    if kind == "step" and index is not None:
        return _show_step(screen, index)
    return _enter(screen, 0)


def after_submit(screen: Screen, outcome: Outcome) -> Screen:
    """Past the rate limit, or when the answers could not be stored just now, they stay on
    the check-answers screen with a note that says what to do."""
    if outcome.kind == RATE_LIMITED:
        screen.kind, screen.notice = "review", PLEASE_WAIT
        screen.wait_minutes = max(1, -(-outcome.retry_after // 60))
    elif outcome.kind == NOT_SENT:
        screen.kind, screen.notice = "review", NOT_SENT_YET
    return screen


def is_bot(form) -> bool:
    """The honeypot field is invisible to people; only scripts fill it in."""
    return bool(form.get(HONEYPOT_FIELD, "").strip())
