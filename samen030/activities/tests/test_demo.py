import datetime as dt

from django.utils import timezone

from samen030.activities.demo import create_demo_activities
from samen030.activities.models import Activity
from samen030.activities.schedule import ScheduleError, validate
from samen030.places.models import Postcode
from tests.factories import OrganisationFactory


def test_demo_activities_are_valid_and_created_only_once(lombok):
    Postcode.objects.create(pc6="3531AB", buurt=lombok)
    OrganisationFactory(buurten=[lombok], postcode="3531AB", street="Kanaalstraat", visiting_buurt=lombok)
    OrganisationFactory(citywide=True)
    assert create_demo_activities(count=300) == 300
    assert create_demo_activities(count=300) == 0
    assert Activity.objects.public().count() == 300
    for activity in Activity.objects.all()[:100]:
        try:
            validate(
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                rrule=activity.rrule,
                exdates=activity.exception_dates,
            )
        except ScheduleError as error:  # pragma: no cover - the message says which
            raise AssertionError(f"{activity.title}: {error}") from error
    assert Activity.objects.filter(confirmed_at__lt=timezone.now() - dt.timedelta(days=365)).exists()
    assert Activity.objects.filter(location_buurt=lombok).exists()
