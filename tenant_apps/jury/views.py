"""The jury's pages: a juror's (/gestion/jury/, their seat is their only access) and the
team's around a call (/gestion/appels/<id>/jury/, classement, décision)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_POST

from shared_apps.accounts.perms import town_editor_required, town_staff_required
from tenant_apps.calls.enums import CallStatus
from tenant_apps.calls.perms import call_for
from tenant_apps.jury import services
from tenant_apps.jury.enums import SCORE_MAX, SCORE_MIN
from tenant_apps.jury.forms import ConflictForm, DecisionForm, GridForm, InviteForm
from tenant_apps.jury.models import Juror, Review
from tenant_apps.jury.perms import application_of, juror_of, juror_required, seat_of

SCALE = {"score_min": SCORE_MIN, "score_max": SCORE_MAX}

# A juror's pages ------------------------------------------------------------------------


def home(request):
    """The calls whose jury the user sits on (where an outsider lands after signing in)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    seats = list(Juror.objects.of(request.user).select_related("call", "call__premises"))
    if not seats:
        raise PermissionDenied("Vous ne faites partie d’aucun jury de cette collectivité.")
    if len(seats) == 1:
        return redirect("jury:call", seats[0].call_id)
    return render(request, "jury/home.html", {"seats": seats, "title": "Vos jurys"})


@juror_required
def call_page(request, pk):
    seat = request.seat
    call = seat.call
    reviews = {review.application_id: review for review in Review.objects.filter(juror=seat)}
    applications = [(a, reviews.get(a.pk)) for a in call.applications.all()]
    return render(
        request,
        "jury/call.html",
        {
            "call": call,
            "seat": seat,
            "applications": applications,
            "scoring_open": services.scoring_open(call),
            "to_do": sum(1 for _, r in applications if not (r and r.is_locked)),
            "title": f"Jury — {call.title}",
        },
    )


def pairs(criteria, review):
    """(criterion, score or None) of a review, in the grid's order."""
    values = {score.criterion_id: score.value for score in review.scores.all()} if review.pk else {}
    return [(criterion, values.get(criterion.pk)) for criterion in criteria]


def draft_form(review, criteria):
    """The grid as the juror left it (their saved draft)."""
    initial = {"comment": review.comment}
    initial |= {GridForm.key(c): value for c, value in pairs(criteria, review)}
    return GridForm(initial=initial, criteria=criteria)


def application_context(seat, application, review, form, conflict_form):
    call = seat.call
    criteria = list(call.criteria.all())
    others = []
    if services.may_see_scores(seat, application):
        others = list(
            Review.objects.submitted()
            .filter(application=application)
            .exclude(juror=seat)
            .select_related("juror__user")
            .prefetch_related("scores")
        )
    return {
        "call": call,
        "seat": seat,
        "application": application,
        "review": review,
        "criteria": criteria,
        "own_scores": pairs(criteria, review),
        "own_weighted": review.weighted(criteria) if review.submitted_at else None,
        "others": [(other, pairs(criteria, other), other.weighted(criteria)) for other in others],
        "scoring_open": services.scoring_open(call),
        "form": form,
        "conflict_form": conflict_form,
        "title": f"{application.name} — {call.title}",
        **SCALE,
    }


@juror_required
def application_page(request, pk, application_pk):
    seat = request.seat
    application = application_of(seat.call, application_pk)
    review = services.review_of(seat, application)
    criteria = list(seat.call.criteria.all())
    if request.method != "POST":
        return render(
            request,
            "jury/application.html",
            application_context(
                seat, application, review, draft_form(review, criteria), ConflictForm()
            ),
        )
    form = GridForm(request.POST, criteria=criteria)
    if not form.is_valid():
        context = application_context(seat, application, review, form, ConflictForm())
        return render(request, "jury/application.html", context, status=400)
    try:
        review = services.save_scores(review, form.values(), form.cleaned_data["comment"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jury:application", pk, application.pk)
    if request.POST.get("action") == "soumettre":
        missing = [c.name for c, value in form.values().items() if value is None]
        if missing:
            form.add_error(None, f"Notez chaque critère avant de soumettre : {', '.join(missing)}.")
            context = application_context(seat, application, review, form, ConflictForm())
            return render(request, "jury/application.html", context, status=400)
        context = application_context(seat, application, review, form, None)
        return render(request, "jury/submit_confirm.html", context)
    messages.success(request, "Brouillon enregistré : vos notes restent modifiables.")
    return redirect("jury:application", pk, application.pk)


@require_POST
@juror_required
def submit(request, pk, application_pk):
    seat = request.seat
    application = application_of(seat.call, application_pk)
    review = services.review_of(seat, application)
    if request.POST.get("confirmation") != "oui":
        return redirect("jury:application", pk, application.pk)
    try:
        services.submit(review, list(seat.call.criteria.all()))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Notes soumises : vous voyez maintenant celles des autres jurés.")
    return redirect("jury:application", pk, application.pk)


@require_POST
@juror_required
def conflict(request, pk, application_pk):
    seat = request.seat
    application = application_of(seat.call, application_pk)
    review = services.review_of(seat, application)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        grid = draft_form(review, list(seat.call.criteria.all()))
        context = application_context(seat, application, review, grid, form)
        return render(request, "jury/application.html", context, status=400)
    if request.POST.get("confirmation") != "oui":
        return render(
            request,
            "jury/conflict_confirm.html",
            {
                "call": seat.call,
                "application": application,
                "reason": form.cleaned_data["reason"],
                "hidden": [("reason", form.cleaned_data["reason"])],
                "title": "Déclarer un conflit d’intérêts",
            },
        )
    try:
        services.declare_conflict(review, form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, "Conflit d’intérêts enregistré : vous ne notez pas cette candidature."
        )
    return redirect("jury:call", pk)


@juror_required
def business_plan(request, pk, application_pk):
    """The plan, privately, to the call's jurors (not to one who stepped aside)."""
    application = application_of(request.seat.call, application_pk)
    if Review.objects.filter(juror=request.seat, application=application, conflict=True).exists():
        raise PermissionDenied(services.CONFLICTED)
    try:
        handle = open(application.plan_path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=application.plan_file_name,
        content_type="application/pdf",
    )


# The team's pages -----------------------------------------------------------------------


def staff_page(request, template, context, status=200):
    return render(request, template, {"nav": "calls", **context}, status=status)


@town_staff_required()
def jurors(request, pk):
    call = call_for(request, pk)
    form = InviteForm()
    if request.method == "POST":
        if not request.membership.can_edit:
            raise PermissionDenied("Seuls les agents et administrateurs invitent des jurés.")
        form = InviteForm(request.POST)
        if form.is_valid():
            try:
                juror = services.invite(call, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("email", error.messages[0])
            else:
                messages.success(request, f"Invitation envoyée à {juror.user.email}.")
                return redirect("jury_admin:jurors", call.pk)
    seats = (
        Juror.objects.filter(call=call)
        .select_related("user")
        .annotate(
            submitted=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            conflicts=Count("reviews", filter=Q(reviews__conflict=True)),
        )
    )
    return staff_page(
        request,
        "jury/jurors.html",
        {
            "call": call,
            "seats": seats,
            "application_count": call.applications.count(),
            "form": form,
            "can_edit": request.membership.can_edit,
            "past_deadline": services.is_past_deadline(call),
            "title": f"Jury — {call.title}",
        },
        status=400 if form.errors else 200,
    )


@require_POST
@town_editor_required
def revoke(request, pk, juror_pk):
    call = call_for(request, pk)
    juror = juror_of(call, juror_pk)
    if request.POST.get("confirmation") != "oui":
        return staff_page(
            request,
            "jury/revoke_confirm.html",
            {"call": call, "juror": juror, "title": "Retirer un juré"},
        )
    if juror.is_active:
        services.revoke(juror)
        messages.success(request, f"{juror.name} ne fait plus partie du jury.")
    return redirect("jury_admin:jurors", call.pk)


@require_POST
@town_editor_required
def close(request, pk):
    call = call_for(request, pk)
    if request.POST.get("confirmation") != "oui":
        return staff_page(
            request, "jury/close_confirm.html", {"call": call, "title": "Clore l’appel"}
        )
    try:
        services.close(call)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Appel clos : les jurés peuvent noter les candidatures.")
    return redirect("jury_admin:jurors", call.pk)


def blind_gate(request, call):
    """The team's jurors see the ranking once they have scored (or stepped aside from)
    every application: until then it would show them the others' scores."""
    seat = seat_of(request.user, call)
    if seat is not None and services.still_to_review(seat).exists():
        raise PermissionDenied(
            "Vous êtes juré de cet appel : le classement s’affiche une fois toutes vos notes "
            "soumises."
        )
    return seat


@town_staff_required()
def ranking(request, pk):
    call = call_for(request, pk)
    seat = blind_gate(request, call)
    return staff_page(
        request,
        "jury/ranking.html",
        {
            "call": call,
            "rows": services.ranking(call, seat),
            "criteria": list(call.criteria.all()),
            "jurors": Juror.objects.filter(call=call).active().count(),
            "can_decide": request.membership.can_edit,
            "title": f"Classement — {call.title}",
            **SCALE,
        },
    )


@town_editor_required
def decision(request, pk):
    call = call_for(request, pk)
    seat = blind_gate(request, call)
    if not (services.scoring_open(call) or call.status == CallStatus.DECIDED):
        messages.error(request, "Clôturez l’appel avant de décider.")
        return redirect("jury_admin:jurors", call.pk)
    rows = services.ranking(call, seat)
    data = request.POST if request.method == "POST" else None
    forms = [(row, DecisionForm(data, application=row.application)) for row in rows]
    context = {"call": call, "forms": forms, "title": f"Décision — {call.title}"}
    if data is None:
        return staff_page(request, "jury/decision.html", context)
    if not all([form.is_valid() for _, form in forms]):
        return staff_page(request, "jury/decision.html", context, status=400)
    choices = {form.application: form.choice() for _, form in forms}
    if request.POST.get("confirmation") != "oui":
        hidden = [
            (name, value)
            for name, value in request.POST.items()
            if name not in ("csrfmiddlewaretoken", "confirmation")
        ]
        return staff_page(
            request,
            "jury/decision_confirm.html",
            {
                **context,
                "hidden": hidden,
                "changes": services.changes(choices),
                "title": "Envoyer la décision",
            },
        )
    try:
        changed = services.decide(call, choices, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("jury_admin:decision", call.pk)
    told = len(changed)
    message = f"Décision enregistrée : {told} candidat{pluralize(told)} informé{pluralize(told)}."
    if call.status == CallStatus.DECIDED:
        message += " L’appel est décidé."
    messages.success(request, message)
    return redirect("jury_admin:ranking", call.pk)
