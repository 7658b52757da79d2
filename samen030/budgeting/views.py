from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

import pbengine
from samen030.core.csvfiles import CsvWriter
from samen030.core.images import process_upload
from samen030.core.page_cache import keeps_public_pages

from . import codes, results, services
from .access import (
    code_attempts_left,
    code_id_in_session,
    code_in_session,
    get_burgerbegroting,
    get_burgerbegroting_to_vote,
    get_plan,
    record_failed_code,
    remember_code,
)
from .forms import (
    PHOTO,
    CheckForm,
    CodeBatchForm,
    CodeForm,
    CommentForm,
    MergeForm,
    PaperForm,
    PlanForm,
    RealisationForm,
    ScheduleForm,
    VoterForm,
    choices_from_post,
)
from .models import Ballot, Burgerbegroting, Phase, Plan, Result, VoteCode


def _crumbs(bb: Burgerbegroting | None = None, *rest: tuple[str | None, str]) -> list[tuple[str | None, str]]:
    crumbs: list[tuple[str | None, str]] = [
        (reverse("burgerbegroting-list") if bb or rest else None, _("Participatory budgets"))
    ]
    if bb is not None:
        crumbs.append((bb.get_absolute_url() if rest else None, bb.title))
    return [*crumbs, *rest]


def burgerbegroting_list(request: HttpRequest) -> HttpResponse:
    items = Burgerbegroting.objects.select_related("wijk").prefetch_related("buurten")
    return render(request, "budgeting/burgerbegroting_list.html", {"items": items, "breadcrumbs": _crumbs()})


def burgerbegroting_detail(request: HttpRequest, slug: str) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plans = (
        bb.plans.visible()
        .exclude(status=Plan.Status.MERGED)
        .with_support()
        .select_related("buurt", "organisation")
        .order_by("-support_count", "pk")  # type: ignore[misc]
    )
    user = request.user
    context = {
        "bb": bb,
        "plans": plans,
        "can_submit": user.has_perm("budgeting.add_plan", bb),
        "can_vote_online": user.has_perm("budgeting.vote_online", bb),
        "can_vote_code": user.has_perm("budgeting.vote_with_code", bb),
        "can_manage": user.has_perm("budgeting.manage_burgerbegroting", bb),
        "has_result": user.has_perm("budgeting.view_outcome", bb),
        "breadcrumbs": _crumbs(bb),
    }
    return render(request, "budgeting/burgerbegroting_detail.html", context)


def _images(form: PlanForm) -> list[tuple[Any, str]]:
    upload = form.cleaned_data.get("image")
    if not upload:
        return []
    return [(process_upload(upload, PHOTO, name="foto.jpg"), form.cleaned_data["image_alt"].strip())]


@login_required
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    bb = get_burgerbegroting(request, slug, "budgeting.add_plan")
    form = PlanForm(request.POST or None, request.FILES or None, burgerbegroting=bb, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.submit_plan(
                burgerbegroting=bb,
                user=request.user,
                title=data["title"],
                description=data["description"],
                cost=data["cost"],
                location=data["location"],
                buurt=data["buurt"],
                organisation=data.get("organisation"),
                images=_images(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your plan is submitted. Ask your neighbours to support it."))
            return redirect(plan)
    context = {"bb": bb, "form": form, "breadcrumbs": _crumbs(bb, (None, _("Submit a plan")))}
    return render(request, "budgeting/plan_form.html", context, status=400 if form.errors else 200)


def plan_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("budgeting.comment_plan", plan):
            messages.error(request, _("Log in to comment, while comments are open."))
            return redirect(plan)
        if form.is_valid():
            try:
                services.add_comment(plan=plan, user=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your comment is placed."))
                return redirect(plan)
    user = request.user
    context = {
        "bb": bb,
        "plan": plan,
        "support_count": plan.supports.count(),
        "supported": user.is_authenticated and plan.supports.filter(user=user).exists(),
        "comments": plan.comments.select_related("author"),
        "images": plan.images.all(),
        "updates": plan.updates.all(),
        "form": form,
        "can_comment": user.has_perm("budgeting.comment_plan", plan),
        "can_support": user.has_perm("budgeting.support_plan", plan),
        "can_edit": user.has_perm("budgeting.change_plan", plan),
        "can_check": user.has_perm("budgeting.check_plan", plan),
        "can_merge": user.has_perm("budgeting.merge_plan", plan),
        "can_realise": user.has_perm("budgeting.update_realisation", plan),
        "breadcrumbs": _crumbs(bb, (None, plan.title)),
    }
    return render(request, "budgeting/plan_detail.html", context, status=400 if form.errors else 200)


@login_required
def plan_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk, "budgeting.change_plan")
    initial = {"title": plan.title, "description": plan.description, "cost": plan.cost, "location": plan.location}
    initial["buurt"] = plan.buurt_id
    form = PlanForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        burgerbegroting=bb,
        user=request.user,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_plan(
                plan=plan,
                user=request.user,
                title=data["title"],
                description=data["description"],
                cost=data["cost"],
                location=data["location"],
                buurt=data["buurt"],
                images=_images(form),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plan is saved."))
            return redirect(plan)
    context = {
        "bb": bb,
        "plan": plan,
        "form": form,
        "breadcrumbs": _crumbs(bb, (plan.get_absolute_url(), plan.title), (None, _("Edit"))),
    }
    return render(request, "budgeting/plan_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def plan_support(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk)
    if not request.user.has_perm("budgeting.support_plan", plan):
        messages.error(request, _("Support can only be given while support is being collected."))
        return redirect(plan)
    if services.support_plan(plan=plan, user=request.user):
        messages.success(request, _("Thank you for supporting this plan."))
    else:
        messages.info(request, _("You already support this plan."))
    return redirect(plan)


@login_required
def plan_check(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk, "budgeting.check_plan")
    form = CheckForm(request.POST or None, initial={"cost_estimate": plan.checked_cost or plan.cost})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_plan(
                plan=plan,
                official=request.user,
                feasible=data["decision"],
                reason=data["reason"],
                cost_estimate=data["cost_estimate"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The check is saved and public."))
            return redirect(plan)
    context = {
        "bb": bb,
        "plan": plan,
        "form": form,
        "support_count": plan.supports.count(),
        "breadcrumbs": _crumbs(bb, (plan.get_absolute_url(), plan.title), (None, _("Feasibility check"))),
    }
    return render(request, "budgeting/plan_check.html", context, status=400 if form.errors else 200)


@login_required
def plan_merge(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk, "budgeting.merge_plan")
    form = MergeForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            into = services.merge_plans(duplicate=plan, into=form.cleaned_data["into"], official=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The plans are merged; the supporters moved along."))
            return redirect(into)
    context = {
        "bb": bb,
        "plan": plan,
        "form": form,
        "breadcrumbs": _crumbs(bb, (plan.get_absolute_url(), plan.title), (None, _("Merge"))),
    }
    return render(request, "budgeting/plan_merge.html", context, status=400 if form.errors else 200)


@login_required
def plan_realisation(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    bb = get_burgerbegroting(request, slug)
    plan = get_plan(request, bb, pk, "budgeting.update_realisation")
    form = RealisationForm(
        request.POST or None,
        request.FILES or None,
        initial={"status": plan.realisation, "amount_spent": plan.amount_spent},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            photo = process_upload(data["photo"], PHOTO, name="foto.jpg") if data.get("photo") else None
            services.update_realisation(
                plan=plan,
                official=request.user,
                status=data["status"],
                amount_spent=data["amount_spent"],
                text=data["text"],
                photo=photo,
                photo_alt=data["photo_alt"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The update is published."))
            return redirect(plan)
    context = {
        "bb": bb,
        "plan": plan,
        "form": form,
        "breadcrumbs": _crumbs(bb, (plan.get_absolute_url(), plan.title), (None, _("Realisation"))),
    }
    return render(request, "budgeting/plan_realisation.html", context, status=400 if form.errors else 200)


# Voting --------------------------------------------------------------------------------------------------------------


@keeps_public_pages
def code_entry(request: HttpRequest, slug: str) -> HttpResponse:
    """Enter a vote code (the QR code on the letter fills it in); a good code opens the ballot in this session."""
    bb = get_burgerbegroting(request, slug)
    if bb.phase != Phase.VOTING:
        return _voting_closed(request, bb)
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    status = 200
    if request.method == "POST" and form.is_valid():
        if code_attempts_left(request) <= 0:
            form.add_error(
                None, _("Too many wrong codes were tried from your connection. Wait 15 minutes and try again.")
            )
            status = 429
        else:
            try:
                vote_code = services.find_code(burgerbegroting=bb, text=form.cleaned_data["code"])
            except ValidationError as error:
                if error.code == "unknown":
                    record_failed_code(request)
                form.add_error("code", error)
            else:
                request.session.cycle_key()
                remember_code(request, vote_code)
                return redirect("ballot", slug=bb.slug)
    if form.errors and status == 200:
        status = 400
    context = {"bb": bb, "form": form, "breadcrumbs": _crumbs(bb, (None, _("Vote with a code")))}
    return render(request, "budgeting/code_entry.html", context, status=status)


def _voting_closed(request: HttpRequest, bb: Burgerbegroting) -> HttpResponse:
    context = {"bb": bb, "breadcrumbs": _crumbs(bb, (None, _("Vote")))}
    return render(request, "budgeting/voting_closed.html", context, status=403)


@keeps_public_pages
def ballot(request: HttpRequest, slug: str) -> HttpResponse:
    """The ballot for a signed-in resident or a voter whose code is in the session; the last ballot counts.

    A good ballot post is the hot path of a vote: the session, the burgerbegroting, the buurt, the plans' costs and
    one statement that stores the ballot (tests/test_voting.py pins the number of queries). Everything else (the
    earlier ballot, the plans with their buurten) is read only to show the page."""
    bb = get_burgerbegroting_to_vote(slug) if request.method == "POST" else get_burgerbegroting(request, slug)
    if bb.phase != Phase.VOTING:
        return _voting_closed(request, bb)
    vote_code_id = code_id_in_session(request, bb)
    voter = request.user if vote_code_id is None and request.user.has_perm("budgeting.vote_online", bb) else None
    if vote_code_id is None and voter is None:
        if request.user.is_authenticated:
            return redirect("ballot-code", slug=bb.slug)
        return render(
            request,
            "budgeting/ballot_how.html",
            {"bb": bb, "breadcrumbs": _crumbs(bb, (None, _("Vote")))},
        )
    with_code = vote_code_id is not None
    ballots = (
        Ballot.objects.filter(burgerbegroting=bb, vote_code_id=vote_code_id)
        if with_code
        else Ballot.objects.filter(burgerbegroting=bb, voter_id=request.user.pk)
    )
    # The earlier ballot is read to show the page, and on an account's post without a postcode, whose earlier buurt
    # it keeps; a code's post and an account's post with a postcode (the hot path) do not need it.
    posted_postcode = bool(request.POST.get("postcode", "").strip())
    read_earlier = request.method != "POST" or not (with_code or posted_postcode)
    earlier = ballots.select_related("buurt").first() if read_earlier else None
    voter_form = VoterForm(
        request.POST or None,
        burgerbegroting=bb,
        with_code=with_code,
        earlier_buurt=earlier.buurt if earlier is not None and not with_code else None,
        initial={"buurt": earlier.buurt_id} if earlier is not None else None,
    )
    errors: list[str] = []
    chosen: dict[str, Any] = {}
    if request.method == "POST":
        try:
            chosen = choices_from_post(request.POST, bb)
        except ValidationError as error:
            errors.extend(error.messages)
        if voter_form.is_valid() and not errors:
            try:
                services.cast_ballot(
                    burgerbegroting=bb,
                    choices=chosen,
                    voter=voter,
                    vote_code=vote_code_id,
                    buurt=voter_form.voter_buurt(),
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    _("Your vote is stored. You can change it until the vote closes; the last ballot counts."),
                )
                return redirect("ballot", slug=bb.slug)
    if not read_earlier:
        earlier = ballots.first()
    if request.method != "POST" and earlier is not None:
        chosen = dict(earlier.choices)
    plans = list(bb.ballot_plans().select_related("buurt"))
    context = {
        "bb": bb,
        "plans": plans,
        "chosen": {str(k): v for k, v in chosen.items()},
        "existing": earlier,
        "voter_form": voter_form,
        "errors": errors,
        "with_code": with_code,
        "breadcrumbs": _crumbs(bb, (None, _("Vote"))),
    }
    bad = bool(errors or voter_form.errors)
    return render(request, "budgeting/ballot.html", context, status=400 if bad else 200)


# Result --------------------------------------------------------------------------------------------------------------


def _result_or_pending(request: HttpRequest, slug: str) -> tuple[Burgerbegroting, Result | None]:
    """The burgerbegroting and its result; None while the result of a closed vote is still being computed."""
    bb = get_burgerbegroting(request, slug)
    if not request.user.has_perm("budgeting.view_outcome", bb):
        raise Http404
    return bb, Result.objects.filter(burgerbegroting=bb).first()


def _result_or_404(request: HttpRequest, slug: str) -> tuple[Burgerbegroting, Result]:
    bb, outcome = _result_or_pending(request, slug)
    if outcome is None:
        raise Http404
    return bb, outcome


def _result_pending(request: HttpRequest, bb: Burgerbegroting) -> HttpResponse:
    """The vote has closed and `samen030 advance_phases` computes the result within minutes (docs/burgerbegroting.md:
    a request never computes it, because for a large vote that can take longer than a request may)."""
    context = {"bb": bb, "breadcrumbs": _crumbs(bb, (None, _("Result")))}
    response = render(request, "budgeting/result_pending.html", context)
    response["Retry-After"] = "120"
    return response


def result(request: HttpRequest, slug: str) -> HttpResponse:
    bb, outcome = _result_or_pending(request, slug)
    if outcome is None:
        return _result_pending(request, bb)
    plans = {str(p.pk): p for p in bb.ballot_plans().select_related("buurt")}
    selected = [plans[pid] for pid in outcome.selected if pid in plans]
    greedy = set(outcome.greedy_selected)
    rows = []
    for pid, plan in sorted(plans.items(), key=lambda item: -outcome.votes.get(item[0], 0)):
        rows.append(
            {
                "plan": plan,
                "votes": outcome.votes.get(pid, 0),
                "won": pid in outcome.selected,
                "greedy": pid in greedy,
                "why": outcome.explanation.get("plans", {}).get(pid, {}),
            }
        )
    max_votes = max((r["votes"] for r in rows), default=0)
    context = {
        "bb": bb,
        "outcome": outcome,
        "selected": selected,
        "rows": rows,
        "max_votes": max_votes,
        "same_as_greedy": set(outcome.selected) == greedy,
        "greedy_cost": sum(plans[p].ballot_cost for p in outcome.greedy_selected if p in plans),
        "has_ballot": _own_ballot(request, bb) is not None,
        "breadcrumbs": _crumbs(bb, (None, _("Result"))),
    }
    return render(request, "budgeting/result.html", context)


def _own_ballot(request: HttpRequest, bb: Burgerbegroting) -> Ballot | None:
    vote_code = code_in_session(request, bb)
    if vote_code is not None:
        return Ballot.objects.filter(burgerbegroting=bb, vote_code=vote_code).first()
    if request.user.is_authenticated:
        return Ballot.objects.filter(burgerbegroting=bb, voter_id=request.user.pk).first()
    return None


def receipt(request: HttpRequest, slug: str) -> HttpResponse:
    """Your plans and how your share was spent: for a signed-in voter, or with the vote code (also after the close)."""
    bb, outcome = _result_or_pending(request, slug)
    if outcome is None:
        return _result_pending(request, bb)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if code_attempts_left(request) <= 0:
            form.add_error(
                None, _("Too many wrong codes were tried from your connection. Wait 15 minutes and try again.")
            )
            status = 429
        else:
            code = codes.normalise_code(form.cleaned_data["code"])
            found = (
                VoteCode.objects.filter(burgerbegroting=bb, code_hash=codes.hash_code(bb.pk, code)).first()
                if code
                else None
            )
            if found is None:
                record_failed_code(request)
                form.add_error("code", _("We do not know this code. Check the letter and try again."))
            else:
                request.session.cycle_key()
                remember_code(request, found)
                return redirect("ballot-receipt", slug=bb.slug)
    own = _own_ballot(request, bb)
    plans = {str(p.pk): p for p in bb.ballot_plans()}
    data = outcome.receipts.get(results.ballot_key(own.choices)) if own else None
    context = {
        "bb": bb,
        "outcome": outcome,
        "ballot": own,
        "my_plans": [plans[pid] for pid in sorted(own.choices, key=int) if pid in plans] if own else [],
        "receipt": data,
        "payments": [(plans[pid], amount) for pid, amount in data["payments"] if pid in plans] if data else [],
        "won": set(outcome.selected),
        "form": form,
        "breadcrumbs": _crumbs(
            bb, (reverse("burgerbegroting-result", args=[bb.slug]), _("Result")), (None, _("Your vote"))
        ),
    }
    if form.errors and status == 200:
        status = 400
    return render(request, "budgeting/receipt.html", context, status=status)


@require_GET
def export_pb(request: HttpRequest, slug: str) -> HttpResponse:
    bb, _outcome = _result_or_404(request, slug)
    text = pbengine.write_pabulib(results.anonymised_instance(bb))
    response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bb.slug}.pb"'
    return response


@require_GET
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """One line per ballot (numbered, no voter, no time) and one column per plan."""
    bb, _outcome = _result_or_404(request, slug)
    instance = results.anonymised_instance(bb)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{bb.slug}-stemmen.csv"'
    project_ids = list(instance.projects)
    header = ["stem", *(f"plan {pid}: {instance.projects[pid].meta.get('name', '')}" for pid in project_ids)]
    # Plan names are residents' text, defused against formulas; ballot numbers and points stay numbers.
    writer = CsvWriter(response, header, numeric=header)
    for b in instance.ballots:
        points: dict[str, int] = dict.fromkeys(b.projects, 1)
        if b.points is not None:
            points = {pid: int(p) for pid, p in zip(b.projects, b.points, strict=True)}
        writer.writerow([b.voter_id, *(points.get(pid, 0) for pid in project_ids)])
    return response


# Management ----------------------------------------------------------------------------------------------------------


@login_required
def manage(request: HttpRequest, slug: str) -> HttpResponse:
    bb = get_burgerbegroting(request, slug, "budgeting.manage_burgerbegroting")
    errors: list[str] = []
    action = request.POST.get("action") if request.method == "POST" else None
    schedule_form = ScheduleForm(request.POST if action == "dates" else None, burgerbegroting=bb)
    if action == "advance":
        if not request.user.has_perm("budgeting.advance_phase", bb):
            raise Http404
        try:
            bb = services.advance_phase(burgerbegroting=bb, official=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("The phase is now: %(phase)s.") % {"phase": bb.get_phase_display()})
            return redirect("burgerbegroting-manage", slug=bb.slug)
    elif action == "dates":
        if schedule_form.is_valid():
            try:
                services.change_dates(burgerbegroting=bb, official=request.user, dates=schedule_form.cleaned_data)
            except ValidationError as error:
                schedule_form.add_error(None, error)
            else:
                messages.success(request, _("The dates are saved."))
                return redirect("burgerbegroting-manage", slug=bb.slug)
    elif action is not None:
        raise Http404
    counts = bb.ballots.aggregate(
        total=Count("pk"),
        account=Count("pk", filter=Q(channel=Ballot.Channel.ACCOUNT)),
        code=Count("pk", filter=Q(channel=Ballot.Channel.CODE)),
        paper=Count("pk", filter=Q(channel=Ballot.Channel.PAPER)),
    )
    context = {
        "bb": bb,
        "errors": errors,
        "counts": counts,
        "plans": bb.plans.visible().with_support().order_by("status", "pk"),
        "batches": bb.code_batches.select_related("created_by"),
        "events": bb.audit_events.select_related("actor")[:100],
        "pending_paper": bb.paper_entries.filter(confirmed_by__isnull=True).select_related("entered_by"),
        "can_advance": request.user.has_perm("budgeting.advance_phase", bb),
        "schedule_form": schedule_form,
        "vote_held": bb.vote_is_held(),
        "vote_blocker": bb.vote_blocker() if bb.vote_is_held() else None,
        "can_codes": request.user.has_perm("budgeting.generate_codes", bb),
        "can_paper": request.user.has_perm("budgeting.enter_paper_ballot", bb),
        "code_form": CodeBatchForm(),
        "breadcrumbs": _crumbs(bb, (None, _("Manage"))),
    }
    return render(request, "budgeting/manage.html", context, status=400 if errors or schedule_form.errors else 200)


def _letter_close(bb: Burgerbegroting) -> str:
    """Until when the Dutch letter says one can vote: "tot 14-06-2027, 20:00 uur", or for a close at midnight
    "tot en met" the day before."""
    close = timezone.localtime(bb.voting_end)
    if close.time() == dt.time(0):
        return f"tot en met {close.date() - dt.timedelta(days=1):%d-%m-%Y}"
    return f"tot {close:%d-%m-%Y, %H:%M} uur"


@login_required
def code_batch(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a batch of codes; the answer is the PDF with the letters (the only time the codes exist in plain)."""
    bb = get_burgerbegroting(request, slug, "budgeting.generate_codes")
    form = CodeBatchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch, plain = services.generate_codes(
                burgerbegroting=bb,
                official=request.user,
                count=form.cleaned_data["count"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            pdf = codes.letters_pdf(
                title=bb.title,
                area=bb.area_name,
                voting_until=_letter_close(bb),
                ballot_url=request.build_absolute_uri(reverse("ballot-code", args=[bb.slug])),
                codes=plain,
            )
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="stemcodes-{bb.slug}-{batch.pk}.pdf"'
            return response
    context = {
        "bb": bb,
        "form": form,
        "breadcrumbs": _crumbs(
            bb, (reverse("burgerbegroting-manage", args=[bb.slug]), _("Manage")), (None, _("Vote codes"))
        ),
    }
    return render(request, "budgeting/code_batch.html", context, status=400 if form.errors else 200)


@login_required
def paper_entry(request: HttpRequest, slug: str) -> HttpResponse:
    bb = get_burgerbegroting(request, slug, "budgeting.enter_paper_ballot")
    form = PaperForm(request.POST or None)
    plans = list(bb.ballot_plans())
    errors: list[str] = []
    chosen: dict[str, Any] = {}
    if request.method == "POST":
        try:
            chosen = choices_from_post(request.POST, bb)
        except ValidationError as error:
            errors.extend(error.messages)
        if form.is_valid() and not errors:
            try:
                state, _ballot = services.enter_paper_ballot(
                    burgerbegroting=bb,
                    official=request.user,
                    number=form.cleaned_data["number"],
                    choices=chosen,
                    code=form.cleaned_data["code"],
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                if state == "first":
                    messages.success(request, _("Entered. A second official must now enter this paper ballot too."))
                else:
                    messages.success(request, _("Both entries match. The paper ballot is counted."))
                return redirect("burgerbegroting-paper", slug=bb.slug)
    context = {
        "bb": bb,
        "form": form,
        "plans": plans,
        "chosen": {str(k): v for k, v in chosen.items()},
        "errors": errors,
        "breadcrumbs": _crumbs(
            bb, (reverse("burgerbegroting-manage", args=[bb.slug]), _("Manage")), (None, _("Paper ballots"))
        ),
    }
    return render(request, "budgeting/paper_entry.html", context, status=400 if errors or form.errors else 200)
