"""The board summary: one period on two screens, every number protected (``reports.board``)."""

from __future__ import annotations

from datetime import date

from flask import render_template, request
from flask_babel import gettext

from ..auth.access import role_required
from ..i18n import text_direction
from ..services.figures.filters import filter_options
from ..services.reports import board as board_service
from ..staff_forms.summary import DEMO_OUT, describe_period, last_complete_quarter
from .blueprint import bp
from .board_forms import BoardForm
from .board_presenters import BOARD_HELPERS, SCALE_SHORT, area_labels, percent_label
from .charts import pair_chart
from .presenters import TEMPLATE_HELPERS, disclosure_rules


@bp.get("/board")
@role_required("coordinator")
def board():
    today = date.today()
    options = filter_options()
    default = board_service.latest_quarter_with_responses(
        last_complete_quarter(today), include_demo=request.args.get("demo") != DEMO_OUT
    )
    form = BoardForm(request.args, today, default, options.audiences)
    period = form.read()
    figures = board_service.board(period, form.chosen_audience, form.include_demo, disclosure_rules())
    return render_template(
        "coordinator/board.html",
        form=form,
        board=figures,
        chart=lambda rows: pair_chart(
            rows, board_service.SCALES, SCALE_SHORT, _no_percent(), percent_label, rtl=text_direction() == "rtl"
        ),
        area_labels=area_labels(options.areas),
        describe_period=describe_period,
        dashboard_query=_dashboard_query(form),
        **BOARD_HELPERS,
        **TEMPLATE_HELPERS,
    )


def _no_percent() -> str:
    return gettext("no percentage")


def _dashboard_query(form: BoardForm) -> dict[str, str]:
    """The dashboard's URL parameters for the same figures."""
    params = dict(form.chosen_period.query())
    if form.chosen_audience:
        params["audience"] = form.chosen_audience
    if not form.include_demo:
        params["no_demo"] = "y"
    return params
