"""Emails to followers: the weekly digest (what is new in the themes and items someone follows) and reminders
before a funding deadline (to the followers of the opportunity's themes or of the opportunity itself).

Both are opt-in (only people who follow something get them), both say nothing when there is nothing new, and both
carry a signed one-click unsubscribe link (RFC 8058 headers too) that stops every follow of that person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from samen030.accounts.models import User

from .models import (
    REMINDER_DAYS_BEFORE,
    Answer,
    Deadline,
    DigestState,
    DocumentVersion,
    Follow,
    Item,
    Question,
    ReminderSent,
)

SALT = "knowledge.unsubscribe"
FIRST_DIGEST_LOOKBACK = dt.timedelta(days=7)


def unsubscribe_token(user: User) -> str:
    return signing.dumps({"u": user.pk}, salt=SALT)


def unsubscribe_user(token: str) -> User:
    data = signing.loads(token, salt=SALT)
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None:
        raise signing.BadSignature("no such user")
    return user


def unsubscribe_url(user: User) -> str:
    return settings.SITE_URL + reverse("knowledge-unsubscribe", args=[unsubscribe_token(user)])


def send_to(user: User, template: str, context: dict[str, Any]) -> int:
    url = unsubscribe_url(user)
    with translation.override(user.language or settings.LANGUAGE_CODE):
        full = {"site_url": settings.SITE_URL, "recipient": user, "unsubscribe_url": url, **context}
        subject = render_to_string(f"knowledge/emails/{template}_subject.txt", full).strip()
        body = render_to_string(f"knowledge/emails/{template}_body.txt", full)
    message = EmailMessage(
        f"[SAMEN030] {subject}",
        body,
        to=[user.email],
        headers={"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    return message.send()


@dataclass
class Digest:
    new_items: list[Item] = field(default_factory=list)
    new_versions: list[DocumentVersion] = field(default_factory=list)
    new_questions: list[Question] = field(default_factory=list)
    new_answers: list[Answer] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (self.new_items or self.new_versions or self.new_questions or self.new_answers)


def digest_for(user: User, *, since: dt.datetime) -> Digest:
    follows = Follow.objects.filter(user=user)
    themes = follows.filter(theme__isnull=False).values("theme_id")
    items = follows.filter(item__isnull=False).values("item_id")
    readable = Item.objects.visible_to(user).filter(hidden_at__isnull=True)
    return Digest(
        new_items=list(
            readable.filter(created_at__gt=since, themes__in=themes).exclude(author=user).distinct().order_by("title")
        ),
        new_versions=list(
            DocumentVersion.objects.filter(
                document__item__in=readable.filter(pk__in=items), uploaded_at__gt=since, number__gt=1
            ).select_related("document__item")
        ),
        new_questions=list(
            Question.objects.filter(item__in=readable.filter(pk__in=items), created_at__gt=since)
            .exclude(author=user)
            .select_related("item")
        ),
        new_answers=list(
            Answer.objects.filter(
                Q(question__item__in=readable.filter(pk__in=items)) | Q(question__author=user),
                question__item__in=readable,
                created_at__gt=since,
            )
            .exclude(author=user)
            .select_related("question__item")
        ),
    )


def send_weekly_digests(*, now: dt.datetime | None = None) -> int:
    """One email per follower with something new since their last digest; returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    followers = User.objects.filter(is_active=True, knowledge_follows__isnull=False).distinct()
    states = {state.user_id: state.last_sent_at for state in DigestState.objects.filter(user__in=followers)}
    for user in followers:
        since = states.get(user.pk, now - FIRST_DIGEST_LOOKBACK)
        digest = digest_for(user, since=since)
        if digest.is_empty():
            continue
        sent += send_to(user, "digest", {"digest": digest})
        DigestState.objects.update_or_create(user=user, defaults={"last_sent_at": now})
    return sent


def send_deadline_reminders(*, today: dt.date | None = None) -> int:
    """Remind followers of a funding opportunity (or of one of its themes) two weeks before each deadline, once."""
    today = today or timezone.localdate()
    sent = 0
    deadlines = Deadline.objects.filter(
        date__gte=today,
        date__lte=today + REMINDER_DAYS_BEFORE,
        item__hidden_at__isnull=True,
        item__kind=Item.Kind.FUNDING,
    ).select_related("item")
    for deadline in deadlines:
        item = deadline.item
        theme_ids = item.themes.values("pk")
        followers = (
            User.objects.filter(is_active=True)
            .filter(Q(knowledge_follows__theme__in=theme_ids) | Q(knowledge_follows__item=item))
            .exclude(pk__in=ReminderSent.objects.filter(deadline=deadline).values("user_id"))
            .distinct()
        )
        for user in followers:
            if not user.has_perm("knowledge.view_item", item):
                continue
            with transaction.atomic():
                ReminderSent.objects.create(deadline=deadline, user=user)
                sent += send_to(user, "reminder", {"item": item, "deadline": deadline})
    return sent
