from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from samen030.accounts.models import User
from samen030.activities.models import Theme
from samen030.core.page_cache import cached_for_visitors
from samen030.organisations.models import Organisation

from . import search, services, statutes
from .access import get_item, get_version
from .digest import unsubscribe_user
from .files import CheckedFile
from .forms import AnswerForm, FileForm, HideForm, ItemForm, QuestionForm, SearchForm, UsageForm
from .ical import deadlines_calendar
from .models import Deadline, Document, DocumentVersion, Follow, Item, Question, Usage

ITEMS_PER_PAGE = 20
RELATED = 4


def signed_in(request: HttpRequest) -> User:
    """The logged-in person (views call this only behind login_required or a permission that needs a login)."""
    assert isinstance(request.user, User)  # noqa: S101 (narrows the type; login_required guarantees it)
    return request.user


def library_crumb() -> tuple[str, str]:
    return (reverse("knowledge-list"), _("Knowledge network"))


@cached_for_visitors
def item_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    filtered = Item.objects.visible_to(request.user)
    query = ""
    if form.is_bound:
        form.is_valid()  # an invalid filter is left out; the valid ones still apply
        query = form.cleaned_data.get("q", "").strip()
        filtered = search.apply_filters(filtered, form.cleaned_data)
    results, facets = search.find(filtered, query)
    page: Page[Item] = Paginator(results, ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "knowledge/item_list.html",
        {
            "form": form,
            "query": query,
            "page_obj": page,
            "facets": facets,
            "querystring_without_page": f"{params.urlencode()}&" if params else "",
            "can_add": request.user.has_perm("knowledge.add_item"),
            "upcoming": Deadline.objects.filter(
                Exists(Item.objects.visible_to(request.user).filter(pk=OuterRef("item_id"))),
                date__gte=timezone.localdate(),
            )
            .select_related("item")
            .only("date", "label", "item__slug", "item__title")[:5],
            "activities_search": activities_search_url(query),
            "breadcrumbs": [(None, _("Knowledge network"))],
        },
    )


def activities_search_url(query: str) -> str:
    """The social map's search for the same words, when this installation has one."""
    from django.urls import NoReverseMatch

    try:
        url = reverse("activity-search")  # /zoeken/, the social map's search (search branch)
    except NoReverseMatch:
        return ""
    from urllib.parse import urlencode

    return f"{url}?{urlencode({'q': query})}" if query else url


def related_items(item: Item, user: Any) -> list[Item]:
    """Items sharing the most themes with this one, the same kind first, then the newest."""
    theme_ids = list(item.themes.values_list("pk", flat=True))
    candidates = Item.objects.visible_to(user).exclude(pk=item.pk).filter(themes__in=theme_ids)
    ranked = (
        candidates.values("pk")
        .annotate(shared=Count("themes"))
        .order_by("-shared", "-created_at")
        .values_list("pk", "shared")[:40]
    )
    scores = dict(ranked)
    found = list(Item.objects.filter(pk__in=scores))
    found.sort(key=lambda other: (-scores[other.pk], other.kind != item.kind, -other.created_at.timestamp()))
    return found[:RELATED]


@cached_for_visitors
def item_detail(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug)
    documents = item.documents.prefetch_related(Prefetch("versions", queryset=DocumentVersion.objects.all()))
    can_take_part = request.user.has_perm("knowledge.take_part", item)
    following = can_take_part and Follow.objects.filter(user=signed_in(request), item=item).exists()
    usages = item.usages.select_related("user", "organisation")
    return render(
        request,
        "knowledge/item_detail.html",
        {
            "item": item,
            "documents": documents,
            "themes": item.themes.all(),
            "wijken": item.wijken.all(),
            "buurten": item.buurten.all(),
            "organisations": item.organisations.all(),
            "deadlines": item.deadlines.all(),
            "questions": item.questions.select_related("author").prefetch_related("answers__author"),
            "usages": usages,
            "used_by_me": can_take_part and any(usage.user_id == request.user.pk for usage in usages),
            "related": related_items(item, request.user),
            "can_change": request.user.has_perm("knowledge.change_item", item),
            "can_hide": request.user.has_perm("knowledge.hide_item", item),
            "can_take_part": can_take_part,
            "following": following,
            "question_form": QuestionForm(),
            "answer_form": AnswerForm(),
            "breadcrumbs": [library_crumb(), (None, item.title)],
        },
    )


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("knowledge.add_item"):
        raise PermissionDenied
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        item = services.create_item(form=form, author=request.user)  # type: ignore[arg-type]
        messages.success(request, _("Thank you for sharing. The item is saved."))
        return redirect(item)
    return render(
        request, "knowledge/item_form.html", {"form": form, "breadcrumbs": [library_crumb(), (None, _("Share"))]}
    )


@login_required
def item_edit(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.change_item")
    form = ItemForm(request.POST or None, request.FILES or None, instance=item, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_item(form=form, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The changes are saved."))
        return redirect(item)
    crumbs = [library_crumb(), (item.get_absolute_url(), item.title), (None, _("Edit"))]
    return render(request, "knowledge/item_form.html", {"form": form, "item": item, "breadcrumbs": crumbs})


@login_required
def file_add(request: HttpRequest, slug: str, document: int | None = None) -> HttpResponse:
    """Add a file to an item, or (with `document`) a new version of one of its files."""
    item = get_item(request, slug, "knowledge.change_item")
    existing = get_object_or_404(Document, pk=document, item=item) if document is not None else None
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        checked: CheckedFile = form.cleaned_data["upload"]
        if existing is None:
            services.add_file(item=item, checked=checked, alt_text=form.cleaned_data["alt_text"], by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The file is added."))
        else:
            services.add_version(
                document=existing,
                checked=checked,
                alt_text=form.cleaned_data["alt_text"],
                by=request.user,  # type: ignore[arg-type]
            )
            messages.success(request, _("The new version is saved. The earlier versions stay available."))
        return redirect(item)
    return render(
        request,
        "knowledge/file_form.html",
        {
            "form": form,
            "item": item,
            "document": existing,
            "breadcrumbs": [library_crumb(), (item.get_absolute_url(), item.title), (None, _("File"))],
        },
    )


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "gif": "image/gif",
}


@require_GET
def file_download(request: HttpRequest, pk: int, name: str) -> FileResponse:
    version = get_version(request, pk)
    inline = version.is_image or version.format == "pdf"
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=not inline,
        filename=version.name,
        content_type=CONTENT_TYPES[version.format],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    if not version.document.item.is_public:
        response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def file_thumbnail(request: HttpRequest, pk: int) -> FileResponse:
    version = get_version(request, pk)
    if not version.thumbnail:
        raise Http404
    response = FileResponse(version.thumbnail.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def item_hide(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.hide_item")
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_item(item=item, reason=form.cleaned_data["reason"], hidden_by=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The item is hidden. Its author sees your reason."))
            return redirect(item)
    crumbs = [library_crumb(), (item.get_absolute_url(), item.title), (None, _("Hide"))]
    return render(request, "knowledge/item_hide.html", {"item": item, "form": form, "breadcrumbs": crumbs})


@require_POST
@login_required
def item_unhide(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.hide_item")
    services.unhide_item(item=item)
    messages.success(request, _("The item is visible again."))
    return redirect(item)


# Learning together -------------------------------------------------------------------------------------------


@require_POST
@login_required
def question_add(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.take_part")
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.ask_question(item=item, author=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        messages.success(request, _("Your question is posted."))
    else:
        messages.error(request, _("Write your question first (at most 2000 characters)."))
    return redirect(f"{item.get_absolute_url()}#vragen")


@require_POST
@login_required
def answer_add(request: HttpRequest, slug: str, question: int) -> HttpResponse:
    item = get_item(request, slug, "knowledge.take_part")
    asked = get_object_or_404(Question, pk=question, item=item)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer_question(question=asked, author=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        messages.success(request, _("Your answer is posted."))
    else:
        messages.error(request, _("Write your answer first (at most 4000 characters)."))
    return redirect(f"{item.get_absolute_url()}#vraag-{asked.pk}")


@login_required
def usage_mark(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.take_part")
    current = Usage.objects.filter(item=item, user=signed_in(request)).first()
    initial = {"story": current.story, "organisation": current.organisation_id} if current else None
    form = UsageForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.mark_used(
            item=item,
            user=request.user,  # type: ignore[arg-type]
            organisation=form.cleaned_data["organisation"],
            story=form.cleaned_data["story"],
        )
        messages.success(request, _("Thank you. Others can now see that you used this."))
        return redirect(item)
    crumbs = [library_crumb(), (item.get_absolute_url(), item.title), (None, _("We used this"))]
    return render(request, "knowledge/usage_form.html", {"item": item, "form": form, "breadcrumbs": crumbs})


@require_POST
@login_required
def item_follow(request: HttpRequest, slug: str) -> HttpResponse:
    item = get_item(request, slug, "knowledge.take_part")
    if request.POST.get("stop"):
        services.unfollow(user=request.user, item=item)  # type: ignore[arg-type]
        messages.success(request, _("You no longer follow this item."))
    else:
        services.follow(user=request.user, item=item)  # type: ignore[arg-type]
        messages.success(request, _("You follow this item. The weekly email tells you what is new."))
    return redirect(item)


@login_required
def following(request: HttpRequest) -> HttpResponse:
    """Choose the themes to follow and see the items you follow."""
    if not request.user.has_perm("knowledge.follow_theme"):
        raise PermissionDenied
    follows = Follow.objects.filter(user=signed_in(request))
    if request.method == "POST":
        chosen = set(request.POST.getlist("themes"))
        themes = Theme.objects.all()
        for theme in themes:
            if theme.slug in chosen:
                services.follow(user=request.user, theme=theme)  # type: ignore[arg-type]
            else:
                services.unfollow(user=request.user, theme=theme)  # type: ignore[arg-type]
        messages.success(request, _("Your choice is saved."))
        return redirect("knowledge-following")
    followed_themes = set(follows.filter(theme__isnull=False).values_list("theme_id", flat=True))
    return render(
        request,
        "knowledge/following.html",
        {
            "themes": [(theme, theme.pk in followed_themes) for theme in Theme.objects.all()],
            "items": Item.objects.filter(follows__user=signed_in(request)).order_by("title"),
            "breadcrumbs": [library_crumb(), (None, _("What you follow"))],
        },
    )


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every digest and reminder: a page with one button, and RFC 8058 one-click POST from mail apps.
    The signed token is the proof; no login is needed. CSRF is not needed either: the token is the secret."""
    try:
        user = unsubscribe_user(token)
    except signing.BadSignature:
        raise Http404 from None
    if request.method == "POST":
        services.unfollow_everything(user=user)
        return render(request, "knowledge/unsubscribed.html", {})
    return render(request, "knowledge/unsubscribe.html", {"token": token})


# Funding deadlines ----------------------------------------------------------------------------------------------


def upcoming_deadlines(request: HttpRequest) -> Any:
    return (
        Deadline.objects.filter(date__gte=timezone.localdate(), item__in=Item.objects.visible_to(request.user))
        .select_related("item")
        .only("date", "label", "item__slug", "item__title", "item__funder", "item__funding_status")
        .order_by("date", "item__title")
    )


@cached_for_visitors
def deadline_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "knowledge/deadline_list.html",
        {
            "deadlines": upcoming_deadlines(request)[:200],
            "breadcrumbs": [library_crumb(), (None, _("Deadlines for subsidies and investments"))],
        },
    )


@require_GET
def deadline_feed(request: HttpRequest) -> HttpResponse:
    """Public items only: calendar programs fetch the feed without logging in."""
    deadlines = Deadline.objects.filter(
        date__gte=timezone.localdate() - dt.timedelta(days=31), item__in=Item.objects.visible_to(AnonymousUser())
    ).select_related("item")
    body = deadlines_calendar(deadlines, name=_("SAMEN030: deadlines for subsidies and investments"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="deadlines.ics"'
    return response


# Statutes generator ---------------------------------------------------------------------------------------------


def statutes_generator(request: HttpRequest) -> HttpResponse:
    form = statutes.StatutesForm(request.POST or None)
    crumbs = [library_crumb(), (None, _("Statutes generator"))]
    if request.method == "POST" and form.is_valid():
        drafts = [statutes.statutes(form.cleaned_data), statutes.house_rules(form.cleaned_data)]
        action = request.POST.get("action", "docx")
        filename = f"concept-statuten-{form.cleaned_data['place'].strip().lower().replace(' ', '-')}"
        if action == "save":
            return save_statutes(request, drafts, filename)
        if action == "pdf":
            response = HttpResponse(statutes.to_pdf(drafts), content_type=CONTENT_TYPES["pdf"])
            response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.pdf"'
            return response
        response = HttpResponse(statutes.to_docx(drafts), content_type=CONTENT_TYPES["docx"])
        response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}.docx"'
        return response
    return render(
        request,
        "knowledge/statutes_form.html",
        {
            "form": form,
            "notice": statutes.NOTARY_NOTICE,
            "breadcrumbs": crumbs,
            "can_save": request.user.has_perm("knowledge.add_item"),
        },
    )


def safe_filename(name: str) -> str:
    return "".join(char for char in name if char.isascii() and (char.isalnum() or char in "-_")) or "concept-statuten"


def save_statutes(request: HttpRequest, drafts: list[statutes.Draft], filename: str) -> HttpResponse:
    if not request.user.is_authenticated or not request.user.has_perm("knowledge.add_item"):
        raise PermissionDenied
    from .files import check_bytes

    files = [
        check_bytes(statutes.to_docx(drafts), name=f"{safe_filename(filename)}.docx"),
        check_bytes(statutes.to_pdf(drafts), name=f"{safe_filename(filename)}.pdf"),
    ]
    item = services.save_generated_statutes(
        author=request.user,
        title=drafts[0].title,
        summary=_("A draft made with the statutes generator. A notary must still check it and execute the deed."),
        body=statutes.as_markdown(drafts),
        files=files,
        organisations=list(Organisation.objects.edited_by(request.user)[:3]),
    )
    messages.success(request, _("The draft is saved in the library, for members only. Complete it and choose themes."))
    return redirect(item)
