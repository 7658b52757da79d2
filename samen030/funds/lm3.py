"""Money that stays local: the Local Multiplier 3 of the New Economics Foundation (docs/funds.md, "LM3").

The area is the gemeente Utrecht. For a set of spending lines (a project, a fund, a wijk or the whole cooperative):

- R1: the money spent (the sum of the spending lines);
- R2: the part spent locally: with suppliers whose postcode lies in the gemeente, and wages or volunteer allowances
  of people who live there;
- R3: the part of R2 that those suppliers and people spend again locally, from the short re-spend surveys. As in
  NEF's method the answers are averaged (weighted by amount) and the average applied to all of R2; with no answers
  yet R3 is 0, so LM3 is then a lower bound.
- LM3 = (R1 + R2 + R3) / R1: 1.0 when nothing stays, 3.0 when everything stays.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AuditEvent, SpendingLine


@dataclass
class Multiplier:
    label: str
    r1: int = 0
    r2: int = 0
    answered_amount: int = 0  # the part of R2 whose supplier or person answered the survey
    answered_local: int = 0  # what they said they spend again locally, in cents

    @property
    def local_share(self) -> Decimal | None:
        """The average re-spend share of those who answered, or None without answers."""
        if not self.answered_amount:
            return None
        return Decimal(self.answered_local) / Decimal(self.answered_amount)

    @property
    def r3(self) -> int:
        share = self.local_share
        if share is None:
            return 0
        return int((Decimal(self.r2) * share).to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def lm3(self) -> Decimal | None:
        if not self.r1:
            return None
        value = Decimal(self.r1 + self.r2 + self.r3) / Decimal(self.r1)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    @property
    def is_lower_bound(self) -> bool:
        return self.r2 > 0 and self.answered_amount == 0

    @property
    def local_percent(self) -> int:
        return round(100 * self.r2 / self.r1) if self.r1 else 0

    def add(self, line: SpendingLine) -> None:
        self.r1 += line.amount
        if line.is_local:
            self.r2 += line.amount
            if line.respent_locally is not None:
                self.answered_amount += line.amount
                self.answered_local += line.amount * line.respent_locally // 100


def spending() -> QuerySet[SpendingLine]:
    """Spending of grants that were reported or settled; withdrawn or refused applications have none."""
    return SpendingLine.objects.select_related("application__fund__wijk", "application__buurt__wijk", "buurt")


def multiplier(lines: QuerySet[SpendingLine] | list[SpendingLine], label: str = "") -> Multiplier:
    result = Multiplier(label)
    for line in lines:
        result.add(line)
    return result


def _wijk_of(line: SpendingLine) -> str:
    application = line.application
    if application.buurt_id:
        return application.buurt.wijk.name  # type: ignore[union-attr]
    if application.fund.wijk_id:
        return application.fund.wijk.name  # type: ignore[union-attr]
    return str(_("the whole city"))


@dataclass
class Dashboard:
    cooperative: Multiplier
    by_wijk: list[Multiplier]
    by_fund: list[Multiplier]
    by_buurt: list[tuple[str, int]]  # local supplier spending per buurt where the supplier is
    by_month: list[tuple[date, int, int]]  # month, all spending, local spending


def dashboard(lines: QuerySet[SpendingLine] | None = None) -> Dashboard:
    rows = list(lines if lines is not None else spending())
    cooperative = Multiplier(str(_("the cooperative")))
    wijken: dict[str, Multiplier] = {}
    funds: dict[str, Multiplier] = {}
    buurten: dict[str, int] = defaultdict(int)
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for line in rows:
        cooperative.add(line)
        wijk = _wijk_of(line)
        wijken.setdefault(wijk, Multiplier(wijk)).add(line)
        fund = line.application.fund.name
        funds.setdefault(fund, Multiplier(fund)).add(line)
        if line.kind == SpendingLine.Kind.SUPPLIER and line.buurt_id:
            buurten[line.buurt.name] += line.amount  # type: ignore[union-attr]
        month = line.spent_on.replace(day=1)
        months[month][0] += line.amount
        if line.is_local:
            months[month][1] += line.amount
    return Dashboard(
        cooperative=cooperative,
        by_wijk=sorted(wijken.values(), key=lambda item: item.label),
        by_fund=sorted(funds.values(), key=lambda item: item.label),
        by_buurt=sorted(buurten.items(), key=lambda item: (-item[1], item[0])),
        by_month=[(month, total, local) for month, (total, local) in sorted(months.items())],
    )


@transaction.atomic
def answer_survey(*, line: SpendingLine, percent: int) -> SpendingLine:
    """The supplier or the person paid says which share of this money they spend again in Utrecht."""
    line = SpendingLine.objects.select_for_update().select_related("application__fund").get(pk=line.pk)
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        raise ValidationError(_("Give a percentage from 0 to 100."), code="percent")
    if line.respent_locally is not None:
        raise ValidationError(_("This survey has already been answered. Thank you!"), code="answered")
    line.respent_locally, line.survey_answered_at = percent, timezone.now()
    line.save(update_fields=["respent_locally", "survey_answered_at"])
    AuditEvent.objects.create(
        fund=line.application.fund,
        application=line.application,
        action=AuditEvent.Action.SURVEY_ANSWERED,
        details={"line": line.pk, "percent": percent},
    )
    return line


# Charts, drawn on the server as SVG ------------------------------------------------------------------------------


@dataclass
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


def bars(items: list[tuple[str, int]], *, width: int = 640, bar_height: int = 22, gap: int = 8) -> list[Bar]:
    """Horizontal bars, the longest as wide as the chart minus room for its label and value."""
    top = max((value for _label, value in items), default=0) or 1
    room = width * 0.55
    return [
        Bar(label, value, 0, index * (bar_height + gap), room * value / top, bar_height)
        for index, (label, value) in enumerate(items)
    ]


def columns(months: list[tuple[date, int, int]], *, height: int = 200, width: int = 640) -> list[dict[str, Any]]:
    """Two columns per month: all spending and local spending, scaled to the highest month."""
    top = max((total for _month, total, _local in months), default=0) or 1
    step = width / max(len(months), 1)
    result: list[dict[str, Any]] = []
    for index, (month, total, local) in enumerate(months):
        x = index * step
        result.append(
            {
                "month": month,
                "x": x + step * 0.1,
                "width": step * 0.38,
                "local_x": x + step * 0.5,
                "total_height": height * total / top,
                "local_height": height * local / top,
                "total_y": height - height * total / top,
                "local_y": height - height * local / top,
                "total": total,
                "local": local,
            }
        )
    return result
