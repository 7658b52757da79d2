"""The managed lists of themes and target groups; the board can add more in the management pages."""

from django.db import migrations

THEMES = [
    ("ontmoeting", "Ontmoeting", "Meeting people"),
    ("eten", "Eten", "Food"),
    ("taal", "Taal", "Language"),
    ("werk-en-inkomen", "Werk en inkomen", "Work and income"),
    ("geldzaken", "Geldzaken", "Money matters"),
    ("zorg-en-welzijn", "Zorg en welzijn", "Care and well-being"),
    ("ouderen", "Ouderen", "Older people"),
    ("jeugd", "Jeugd", "Young people"),
    ("gezin", "Gezin", "Family"),
    ("groen-en-duurzaamheid", "Groen en duurzaamheid", "Green and sustainability"),
    ("cultuur", "Cultuur", "Culture"),
    ("sport-en-bewegen", "Sport en bewegen", "Sport and exercise"),
    ("wonen", "Wonen", "Housing"),
    ("veiligheid", "Veiligheid", "Safety"),
    ("digitale-vaardigheden", "Digitale vaardigheden", "Digital skills"),
]

TARGET_GROUPS = [
    ("iedereen", "Iedereen", "Everyone"),
    ("kinderen", "Kinderen (tot 12 jaar)", "Children (up to 12)"),
    ("jongeren", "Jongeren (12 tot 23 jaar)", "Young people (12 to 23)"),
    ("volwassenen", "Volwassenen", "Adults"),
    ("ouderen", "Ouderen (65+)", "Older people (65+)"),
    ("ouders", "Ouders en gezinnen", "Parents and families"),
    ("nieuwkomers", "Nieuwkomers", "Newcomers"),
    ("mensen-met-een-beperking", "Mensen met een beperking", "People with a disability"),
    ("mantelzorgers", "Mantelzorgers", "Carers"),
    ("vrouwen", "Vrouwen", "Women"),
    ("mannen", "Mannen", "Men"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Theme", THEMES), ("TargetGroup", TARGET_GROUPS)):
        model = apps.get_model("activities", model_name)
        for position, (slug, name, name_en) in enumerate(rows):
            model.objects.update_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "position": position})


def unseed(apps, schema_editor):
    apps.get_model("activities", "Theme").objects.filter(slug__in=[row[0] for row in THEMES]).delete()
    apps.get_model("activities", "TargetGroup").objects.filter(slug__in=[row[0] for row in TARGET_GROUPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
