"""The multi-step demand form: /demande/, one step per page, works without JavaScript."""

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shared_apps.referential.naf import naf_options
from tenant_apps.demands.ratelimit import over_limit
from tenant_apps.demands.services import submit_demand
from tenant_apps.demands.wizard import Draft, active_steps
from tenant_apps.premises.models import Premises
from tenant_apps.proposals.services import NotProposable, express_interest
from tenant_apps.townsite.embedding import embeddable
from tenant_apps.townsite.models import TownSettings

SUBMITTED_KEY = "demand_submitted"


@require_http_methods(["GET", "POST"])
@embeddable
def step(request, slug=None):
    town_settings = TownSettings.for_request(request)
    steps = active_steps(town_settings)
    current = steps[0] if slug is None else next((s for s in steps if s.slug == slug), None)
    if current is None:
        raise Http404
    draft = Draft(request.session)
    if slug is None and request.method == "GET" and "local" in request.GET:
        premises = published_premises(request.GET["local"])
        if premises is not None:
            draft.start_from(premises)
    missing = draft.first_incomplete(steps, before=current)
    if missing is not None:
        messages.info(request, f"Complétez d’abord l’étape « {missing.title} ».")
        return redirect(missing.url)
    index = steps.index(current)

    if request.method == "POST":
        form = current.form_class(request.POST, town_settings=town_settings)
        valid = form.is_valid()
        draft.store(current, request.POST, form, valid)
        if "previous" in request.POST and index > 0:
            return redirect(steps[index - 1].url)
        if valid:
            if index + 1 < len(steps):
                return redirect(steps[index + 1].url)
            return submit(request, draft, steps, town_settings, form)
    else:
        form = current.form_class(town_settings=town_settings)
        form.initial = draft.initial(current, form)
    return render_step(request, steps, current, form, town_settings)


def published_premises(pk):
    """A premises of the catalogue by its id as typed in a URL, or None."""
    if not isinstance(pk, str | int) or not str(pk).isdigit() or len(str(pk)) > 12:
        return None
    return Premises.objects.published().filter(pk=int(pk)).first()


def render_step(request, steps, current, form, town_settings, status=200):
    index = steps.index(current)
    return render(
        request,
        "demands/form_step.html",
        {
            "form": form,
            "step": current,
            "number": index + 1,
            "total": len(steps),
            "next_step": steps[index + 1] if index + 1 < len(steps) else None,
            "previous_step": steps[index - 1] if index > 0 else None,
            "town_settings": town_settings,
            "naf_options": naf_options() if current.slug == "projet" else [],
            "premises": published_premises(Draft(request.session).premises_id),
            "title": f"{current.title} — Déposer une demande",
        },
        status=status,
    )


def submit(request, draft, steps, town_settings, contact_form):
    if contact_form.is_spam:
        # Robots get the same answer as people, and nothing is saved or sent.
        draft.clear()
        request.session[SUBMITTED_KEY] = {"reference": "", "email": ""}
        return redirect("demands:done")
    forms = {steps[-1].slug: contact_form}  # the step just validated
    for each in steps[:-1]:
        form = each.form_class(draft.data(each), town_settings=town_settings)
        if not form.is_valid():
            messages.error(request, f"Vérifiez l’étape « {each.title} » avant d’envoyer.")
            return redirect(each.url)
        forms[each.slug] = form
    if over_limit(request, "demand-submit", settings.DEMAND_SUBMISSIONS_PER_HOUR):
        contact_form.add_error(
            None,
            "Trop de demandes ont été envoyées depuis votre connexion. Vos réponses sont "
            "conservées : réessayez dans une heure, ou contactez directement la mairie.",
        )
        return render_step(request, steps, steps[-1], contact_form, town_settings, status=429)
    premises = published_premises(draft.premises_id)
    with transaction.atomic():
        demand, created = submit_demand(request.tenant, forms)
        if premises is not None:
            # The demand starts with the porteur's interest in the premises they came from.
            try:
                express_interest(demand, premises)
            except NotProposable:
                premises = None
    draft.clear()
    request.session[SUBMITTED_KEY] = {
        "reference": demand.reference,
        "email": demand.applicant.email,
        "updated": not created,
        "premises": premises.address if premises else "",
    }
    return redirect("demands:done")


@embeddable
def done(request):
    submitted = request.session.get(SUBMITTED_KEY)
    if not submitted:
        return redirect("demands:start")
    return render(
        request, "demands/done.html", {"submitted": submitted, "title": "Demande envoyée"}
    )
