"""The phase follows the dates: the six phase dates become date-times (Europe/Amsterdam) and the stored phase becomes
the phase recorded in the audit log (docs/burgerbegroting.md, "Phases").

Existing dates become midnight at the start of that day in Amsterdam; the close of the vote becomes midnight at the
end of its day, because the letters and the page said "voting until and including" that date."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import migrations, models

DATES = ("submission_start", "support_start", "check_start", "voting_start", "voting_end", "realisation_start")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
OLD_LABELS = {
    "submission_start": "plans can be submitted from",
    "support_start": "collecting support from",
    "check_start": "feasibility check from",
    "voting_start": "voting from",
    "voting_end": "voting until",
    "realisation_start": "realisation from",
}


def dates_to_datetimes(apps, schema_editor):
    Burgerbegroting = apps.get_model("budgeting", "Burgerbegroting")
    for bb in Burgerbegroting.objects.all():
        for name in DATES:
            day = getattr(bb, name)
            if name == "voting_end":
                day += dt.timedelta(days=1)
            setattr(bb, f"{name}_at", dt.datetime.combine(day, dt.time(0), tzinfo=AMSTERDAM))
        bb.save(update_fields=[f"{name}_at" for name in DATES])


def datetimes_to_dates(apps, schema_editor):
    Burgerbegroting = apps.get_model("budgeting", "Burgerbegroting")
    for bb in Burgerbegroting.objects.all():
        for name in DATES:
            day = getattr(bb, f"{name}_at").astimezone(AMSTERDAM).date()
            if name == "voting_end":
                day -= dt.timedelta(days=1)
            setattr(bb, name, day)
        bb.save(update_fields=list(DATES))


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0001_burgerbegroting")]

    operations = [
        migrations.RenameField("burgerbegroting", "phase", "recorded_phase"),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="recorded_phase",
            field=models.CharField(
                blank=True,
                choices=[
                    ("indienen", "submitting plans"),
                    ("steun", "collecting support"),
                    ("toets", "feasibility check"),
                    ("stemmen", "voting"),
                    ("uitslag", "result"),
                    ("uitvoering", "realisation"),
                ],
                default="",
                max_length=12,
                verbose_name="phase recorded in the audit log",
            ),
        ),
        *[migrations.AddField("burgerbegroting", f"{name}_at", models.DateTimeField(null=True)) for name in DATES],
        # nullable while both exist, so that the migration also runs backwards on a table with rows
        *[
            migrations.AlterField("burgerbegroting", name, models.DateField(null=True, verbose_name=verbose))
            for name, verbose in OLD_LABELS.items()
        ],
        migrations.RunPython(dates_to_datetimes, datetimes_to_dates),
        *[migrations.RemoveField("burgerbegroting", name) for name in DATES],
        *[migrations.RenameField("burgerbegroting", f"{name}_at", name) for name in DATES],
        migrations.AlterField(
            model_name="burgerbegroting",
            name="submission_start",
            field=models.DateTimeField(verbose_name="plans can be submitted from"),
        ),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="support_start",
            field=models.DateTimeField(verbose_name="collecting support from"),
        ),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="check_start",
            field=models.DateTimeField(verbose_name="feasibility check from"),
        ),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="voting_start",
            field=models.DateTimeField(verbose_name="voting from"),
        ),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="voting_end",
            field=models.DateTimeField(verbose_name="the vote closes at"),
        ),
        migrations.AlterField(
            model_name="burgerbegroting",
            name="realisation_start",
            field=models.DateTimeField(verbose_name="realisation from"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    ("phase", "phase changed"),
                    ("codes", "vote codes generated"),
                    ("paper_first", "paper ballot entered"),
                    ("paper_ok", "paper ballot confirmed by a second official"),
                    ("paper_diff", "second entry of a paper ballot did not match"),
                    ("result", "result computed"),
                    ("checked", "plan checked"),
                    ("merged", "plans merged"),
                    ("dates", "dates changed"),
                ],
                max_length=12,
                verbose_name="what",
            ),
        ),
    ]
