"""The coordinator's dashboard: figures from the responses, with small numbers protected."""

from datetime import date

from flask import request

from ..auth.access import role_required
from ..htmx import render_page_or_partial
from ..i18n import text_direction
from ..services.figures.dashboard import dashboard as dashboard_figures
from ..services.figures.filters import filter_options
from ..services.operations import retention
from .blueprint import bp
from .charts import bar_chart
from .forms import DashboardFilterForm
from .presenters import TEMPLATE_HELPERS, disclosure_rules


@bp.get("/")
@role_required("coordinator")
def home():
    """The dashboard (the coordinator's home page)."""
    form = DashboardFilterForm(request.args, filter_options(), today=date.today())
    figures = dashboard_figures(form.filters(), disclosure_rules())
    return render_page_or_partial(
        "coordinator/dashboard.html",
        "coordinator/_results.html",
        form=form,
        figures=figures,
        chart=lambda figure: bar_chart(figure, rtl=text_direction() == "rtl"),
        retention_due=retention.any_due(),
        retention_years=retention.years(),
        **TEMPLATE_HELPERS,
    )
