"""1:1 evaluations run by a support worker on a tablet.

Starting an evaluation issues a signed *ticket* that travels in the survey's form. It says
which survey, which mode ("assisted": completing together; "handed_over": the survivor
holds the tablet), which organisation the response is stored under — never the worker — and
after how long untouched the tablet locks (one of ``WORKER_IDLE_LOCK_CHOICES``).
Because the ticket, not the worker's session, authorises the submission, a survivor's
answers are still accepted if the worker's session times out while they are answering.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

MODES = ("assisted", "handed_over")
TICKET_FIELD = "_evaluation"


@dataclass(frozen=True)
class Ticket:
    survey_slug: str
    mode: str
    organisation: str
    idle_seconds: int

    @property
    def handover(self) -> bool:
        return self.mode == "handed_over"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="evaluation-ticket")


def idle_choices() -> tuple[int, ...]:
    """The idle times (seconds) a worker may choose from."""
    return tuple(int(seconds) for seconds in current_app.config["WORKER_IDLE_LOCK_CHOICES"])


def _idle(seconds: object) -> int:
    """``seconds`` if it is one of the choices, else the default."""
    try:
        value = int(seconds)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        value = -1
    return value if value in idle_choices() else int(current_app.config["WORKER_IDLE_LOCK_SECONDS"])


def issue_ticket(*, survey_slug: str, mode: str, organisation: str, idle_seconds: int | None = None) -> tuple[Ticket, str]:
    """The ticket and its signed form, for the survey's hidden field."""
    if mode not in MODES:
        raise ValueError(f"unknown evaluation mode {mode!r}")
    idle = _idle(idle_seconds)
    token = _serializer().dumps({"s": survey_slug, "m": mode, "o": organisation, "i": idle})
    return Ticket(survey_slug=survey_slug, mode=mode, organisation=organisation, idle_seconds=idle), token


def read_ticket(token: str | None, survey_slug: str) -> Ticket | None:
    """The ticket if it is genuine, recent enough and for this survey; otherwise None."""
    if not token:
        return None
    max_age = current_app.config["EVALUATION_TICKET_HOURS"] * 3600
    try:
        data = _serializer().loads(token, max_age=max_age)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") != survey_slug or data.get("m") not in MODES:
        return None
    return Ticket(
        survey_slug=data["s"], mode=data["m"], organisation=str(data.get("o") or ""), idle_seconds=_idle(data.get("i"))
    )
