"""Notification emails, rendered from templates in the recipient's own language."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation


def send_notification(
    recipients: Iterable[Any], template: str, context: dict[str, Any], *, reply_to: list[str] | None = None
) -> int:
    """Send `<template>_subject.txt` and `<template>_body.txt` to each user (or plain address) in their language,
    one email per recipient so that nobody sees the others' addresses."""
    sent = 0
    seen: set[str] = set()
    for recipient in recipients:
        email = recipient if isinstance(recipient, str) else recipient.email
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        language = getattr(recipient, "language", None) or settings.LANGUAGE_CODE
        with translation.override(language):
            full_context = {
                "site_url": settings.SITE_URL,
                "board_email": settings.BOARD_EMAIL,
                "recipient": recipient,
                **context,
            }
            subject = render_to_string(f"{template}_subject.txt", full_context).strip()
            body = render_to_string(f"{template}_body.txt", full_context)
        sent += EmailMessage(f"[SAMEN030] {subject}", body, None, [email], reply_to=reply_to).send()
    return sent
