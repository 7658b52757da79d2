"""Every change in the knowledge network goes through one of these functions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from samen030.accounts.models import User
from samen030.activities.models import Theme
from samen030.core import search
from samen030.organisations.models import Organisation

from .files import CheckedFile
from .models import SEARCH_SPEC, Answer, Deadline, Document, DocumentVersion, Follow, Item, Question, Usage


def _store_version(*, document: Document, checked: CheckedFile, alt_text: str, uploaded_by: User | None) -> None:
    previous = document.versions.aggregate(highest=Max("number"))["highest"] or 0
    document.versions.update(is_current=False)
    version = DocumentVersion(
        document=document,
        number=previous + 1,
        name=checked.name,
        format=checked.format,
        size=checked.size,
        extracted_text=checked.text,
        alt_text=alt_text.strip(),
        uploaded_by=uploaded_by,
    )
    version.file.save(checked.name, ContentFile(checked.data), save=False)
    if checked.thumbnail is not None:
        version.thumbnail.save("miniatuur.jpg", ContentFile(checked.thumbnail), save=False)
    version.save()


def _set_deadlines(item: Item, deadlines: list[tuple[dt.date, str]]) -> None:
    item.deadlines.all().delete()
    Deadline.objects.bulk_create(Deadline(item=item, date=date, label=label) for date, label in deadlines)


def reindex(item: Item) -> None:
    """Recompute the item's search words and put them in the full-text index."""
    item.refresh_search_text()
    Item.objects.filter(pk=item.pk).update(
        search_title=item.search_title, search_tags=item.search_tags, search_body=item.search_body
    )
    search.sqlite_index_rows(SEARCH_SPEC, [item.search_row()])


@transaction.atomic
def create_item(*, form: Any, author: User) -> Item:
    """Save a valid ItemForm, with its first file if one was chosen."""
    item: Item = form.save(commit=False)
    item.slug = Item.unique_slug(item.title)
    item.author = author
    if not item.is_funding:
        item.funder = item.eligibility = item.link = item.funding_status = ""
        item.amount_min = item.amount_max = None
    item.save()
    form.save_m2m()
    _set_deadlines(item, form.cleaned_data["deadlines_text"] if item.is_funding else [])
    if form.cleaned_data.get("upload") is not None:
        add_file(item=item, checked=form.cleaned_data["upload"], alt_text=form.cleaned_data["alt_text"], by=author)
    reindex(item)
    return item


@transaction.atomic
def update_item(*, form: Any, by: User) -> Item:
    item: Item = form.save()
    _set_deadlines(item, form.cleaned_data["deadlines_text"] if item.is_funding else [])
    if form.cleaned_data.get("upload") is not None:
        add_file(item=item, checked=form.cleaned_data["upload"], alt_text=form.cleaned_data["alt_text"], by=by)
    reindex(item)
    return item


@transaction.atomic
def add_file(*, item: Item, checked: CheckedFile, alt_text: str, by: User | None) -> Document:
    position = item.documents.aggregate(highest=Max("position"))["highest"]
    document = Document.objects.create(item=item, position=0 if position is None else position + 1)
    _store_version(document=document, checked=checked, alt_text=alt_text, uploaded_by=by)
    reindex(item)
    Item.objects.filter(pk=item.pk).update(updated_at=timezone.now())
    return document


@transaction.atomic
def add_version(*, document: Document, checked: CheckedFile, alt_text: str, by: User) -> None:
    """A new version becomes the current one; the earlier versions stay reachable from the item's page."""
    _store_version(document=document, checked=checked, alt_text=alt_text, uploaded_by=by)
    reindex(document.item)
    Item.objects.filter(pk=document.item_id).update(updated_at=timezone.now())


@transaction.atomic
def hide_item(*, item: Item, reason: str, hidden_by: User) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Tell the author why you hide this item."))
    item.hidden_at, item.hidden_reason, item.hidden_by = timezone.now(), reason, hidden_by
    item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


@transaction.atomic
def unhide_item(*, item: Item) -> None:
    item.hidden_at, item.hidden_reason, item.hidden_by = None, "", None
    item.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])


@transaction.atomic
def ask_question(*, item: Item, author: User, text: str) -> Question:
    return Question.objects.create(item=item, author=author, text=text.strip())


@transaction.atomic
def answer_question(*, question: Question, author: User, text: str) -> Answer:
    return Answer.objects.create(question=question, author=author, text=text.strip())


@transaction.atomic
def mark_used(*, item: Item, user: User, organisation: Organisation | None, story: str) -> Usage:
    usage, _created = Usage.objects.update_or_create(
        item=item, user=user, defaults={"organisation": organisation, "story": story.strip()}
    )
    return usage


@transaction.atomic
def follow(*, user: User, item: Item | None = None, theme: Theme | None = None) -> None:
    Follow.objects.get_or_create(user=user, item=item, theme=theme)


@transaction.atomic
def unfollow(*, user: User, item: Item | None = None, theme: Theme | None = None) -> None:
    Follow.objects.filter(user=user, item=item, theme=theme).delete()


@transaction.atomic
def unfollow_everything(*, user: User) -> int:
    deleted, _per_model = Follow.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def save_generated_statutes(
    *, author: User, title: str, summary: str, body: str, files: list[CheckedFile], organisations: list[Organisation]
) -> Item:
    """A filled-in statutes draft from the generator becomes a members-only statuten item of its author."""
    item = Item.objects.create(
        slug=Item.unique_slug(title),
        kind=Item.Kind.STATUTES,
        title=title[:140],
        summary=summary[:300],
        body=body,
        licence=Item.Licence.CC_BY,
        audience=Item.Audience.MEMBERS,
        author=author,
    )
    item.organisations.set(organisations)  # no themes yet: the author chooses them when completing the draft
    for checked in files:
        add_file(item=item, checked=checked, alt_text="", by=author)
    reindex(item)
    return item
