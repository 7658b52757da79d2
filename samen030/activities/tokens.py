"""One-click confirm links in reminder emails: a signed, expiring token naming the activity and the confirmation it
was made for. Once the listing is confirmed (by the link, or by an editor on the site) the token no longer matches
and cannot confirm again, so a leaked old link is harmless."""

from __future__ import annotations

import datetime as dt

from django.core import signing

from .models import Activity

SALT = "activities.confirm-link"
CONFIRM_LINK_VALID_FOR = dt.timedelta(days=60)


class TokenExpired(Exception):
    """The link is genuine but older than CONFIRM_LINK_VALID_FOR."""


class TokenInvalid(Exception):
    """The link was not made by us, or was changed."""


def confirm_token(activity: Activity) -> str:
    return signing.dumps([activity.pk, int(activity.confirmed_at.timestamp())], salt=SALT)


def read_confirm_token(token: str) -> tuple[int, int]:
    """The activity id and the confirmation moment (seconds) the token was made for."""
    try:
        value = signing.loads(token, salt=SALT, max_age=CONFIRM_LINK_VALID_FOR)
    except signing.SignatureExpired:
        raise TokenExpired from None
    except signing.BadSignature:
        raise TokenInvalid from None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, int) for part in value)):
        raise TokenInvalid
    return value[0], value[1]
