"""'Euro's in de wijk': how much of the grants' money stays in Utrecht (LM3), and the short re-spend survey."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from samen030.core.page_cache import cached_for_visitors

from . import lm3
from .forms import RespendSurveyForm
from .models import SpendingLine

CHART_WIDTH = 640
CHART_HEIGHT = 200


@cached_for_visitors
def local_money(request: HttpRequest) -> HttpResponse:
    board = lm3.dashboard()
    bars = lm3.bars(board.by_buurt, width=CHART_WIDTH)
    context = {
        "board": board,
        "buurt_bars": bars,
        "buurt_chart_height": max(len(bars) * 30, 30),
        "month_columns": lm3.columns(board.by_month, height=CHART_HEIGHT, width=CHART_WIDTH),
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        "breadcrumbs": [(None, _("Euro's in de wijk"))],
    }
    return render(request, "funds/local_money.html", context)


@never_cache
def respend_survey(request: HttpRequest, token: str) -> HttpResponse:
    """No log-in: the link itself is the key. It shows only the supplier's or the job's description and amount."""
    line = SpendingLine.objects.select_related("application__fund").filter(survey_token=token).first()
    if line is None or not token:
        raise Http404
    form = RespendSurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lm3.answer_survey(line=line, percent=form.cleaned_data["percent"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you! Your answer helps show how much money stays in Utrecht."))
            return redirect("respend-survey", token=token)
    context = {"line": line, "form": form, "breadcrumbs": [(None, _("Short survey"))]}
    return render(request, "funds/respend_survey.html", context, status=400 if form.errors else 200)
