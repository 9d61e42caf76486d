"""The multi-step demand form: /demande/, one step per page, works without JavaScript.

/demande/integree/ is the same form for a town's own website, in a frame (the kit's
integration code). Inside a frame on another site, browsers do not send the town's
cookies: Lax ones by design, SameSite=None ones only over HTTPS and not at all where
third-party cookies are blocked (Safari, Firefox's strict mode, Chrome's incognito).
Partitioned cookies (CHIPS) need HTTPS too, so neither would work in development over
HTTP. The embedded form therefore depends on no cookie at all: each page carries the
draft in a signed hidden field (wizard.EmbeddedDraft) and shows the next step in the
response to its POST; it answers with the reference on the spot. With no session there
is nothing for a forged request to ride on, so Django's CSRF cookie check is replaced
by the Origin check browsers allow: a POST from another site is refused.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from shared_apps.referential.naf import naf_options
from tenant_apps.demands.ratelimit import over_limit
from tenant_apps.demands.services import submit_demand
from tenant_apps.demands.wizard import Draft, EmbeddedDraft, active_steps
from tenant_apps.premises.models import Premises
from tenant_apps.proposals.services import NotProposable, express_interest
from tenant_apps.townsite.embedding import embeddable
from tenant_apps.townsite.models import TownSettings

SUBMITTED_KEY = "demand_submitted"
# The embedded form's hidden fields: its current step and its signed draft.
STEP_FIELD = "etape"
DRAFT_FIELD = "brouillon"
LIMITED = (
    "Trop de demandes ont été envoyées depuis votre connexion. Vos réponses sont "
    "conservées : réessayez dans une heure, ou contactez directement la mairie."
)


def framed_by_another_site(request):
    """The town's /demande/ opened in a frame of another site (an integration code older
    than /demande/integree/): the cookies it needs will not come."""
    return (
        request.headers.get("Sec-Fetch-Dest") == "iframe"
        and request.headers.get("Sec-Fetch-Site") == "cross-site"
    )


@require_http_methods(["GET", "POST"])
@embeddable
def step(request, slug=None):
    if request.method == "GET" and slug is None and framed_by_another_site(request):
        return redirect("demands:embedded")
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
        form = unbound_form(current, draft, town_settings)
    return render_step(request, steps, current, form, town_settings)


def published_premises(pk):
    """A premises of the catalogue by its id as typed in a URL, or None."""
    if not isinstance(pk, str | int) or not str(pk).isdigit() or len(str(pk)) > 12:
        return None
    return Premises.objects.published().filter(pk=int(pk)).first()


def unbound_form(step, draft, town_settings):
    form = step.form_class(town_settings=town_settings)
    form.initial = draft.initial(step, form)
    return form


def render_step(request, steps, current, form, town_settings, status=200, embedded=None, notice=""):
    """One step of the form; `embedded` (the EmbeddedDraft) for the framed form, which
    says with `notice` what the other form says with a message."""
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
            "title": f"{current.title} — Déposer une demande",
            "notice": notice,
            # The premises of the catalogue the porteur came from, if any.
            "premises": None
            if embedded
            else published_premises(Draft(request.session).premises_id),
            **embedded_context(embedded),
        },
        status=status,
    )


def embedded_context(embedded):
    if embedded is None:
        return {"layout": "components/layout_town.html"}
    return {
        "layout": "components/layout_embedded.html",
        "embedded": True,
        "draft_field": DRAFT_FIELD,
        "signed_draft": embedded.signed(),
        "step_field": STEP_FIELD,
    }


def save(request, draft, steps, town_settings, contact_form):
    """Check every step and save the demand. Returns what the porteur is told
    (submitted), or the step to go back to, or neither when the address is over its
    limit (the contact form then carries the error)."""
    if contact_form.is_spam:
        # Robots get the same answer as people, and nothing is saved or sent.
        draft.clear()
        return {"reference": "", "email": ""}, None
    forms = {steps[-1].slug: contact_form}  # the step just validated
    for each in steps[:-1]:
        form = each.form_class(draft.data(each), town_settings=town_settings, shown=False)
        if not form.is_valid():
            return None, each
        forms[each.slug] = form
    if over_limit(request, "demand-submit", settings.DEMAND_SUBMISSIONS_PER_HOUR):
        contact_form.add_error(None, LIMITED)
        return None, None
    premises = published_premises(getattr(draft, "premises_id", None))
    with transaction.atomic():
        demand, created = submit_demand(request.tenant, forms)
        if premises is not None:
            # The demand starts with the porteur's interest in the premises they came from.
            try:
                express_interest(demand, premises)
            except NotProposable:
                premises = None
    draft.clear()
    return {
        "reference": demand.reference,
        "email": demand.applicant.email,
        "updated": not created,
        "premises": premises.address if premises else "",
    }, None


def submit(request, draft, steps, town_settings, contact_form):
    submitted, to_fix = save(request, draft, steps, town_settings, contact_form)
    if to_fix is not None:
        messages.error(request, f"Vérifiez l’étape « {to_fix.title} » avant d’envoyer.")
        return redirect(to_fix.url)
    if submitted is None:
        return render_step(request, steps, steps[-1], contact_form, town_settings, status=429)
    request.session[SUBMITTED_KEY] = submitted
    return redirect("demands:done")


@embeddable
def done(request):
    submitted = request.session.get(SUBMITTED_KEY)
    if not submitted:
        return redirect("demands:start")
    return render(
        request,
        "demands/done.html",
        {
            "submitted": submitted,
            "title": "Demande envoyée",
            "layout": "components/layout_town.html",
        },
    )


def same_origin(request):
    """Browsers send Origin with every POST of a form: it must be the town's own page."""
    origin = request.headers.get("Origin")
    return origin is None or origin == f"{request.scheme}://{request.get_host()}"


@csrf_exempt  # no cookie in a frame: see the module's docstring (Origin check instead)
@require_http_methods(["GET", "POST"])
@embeddable
def embedded(request):
    """The form inside a town's website: every step at this one address, no cookie."""
    town_settings = TownSettings.for_request(request)
    steps = active_steps(town_settings)
    if request.method == "GET":
        draft = EmbeddedDraft()
        return render_step(
            request,
            steps,
            steps[0],
            unbound_form(steps[0], draft, town_settings),
            town_settings,
            embedded=draft,
        )
    if not same_origin(request):
        raise PermissionDenied("Formulaire envoyé depuis un autre site.")
    draft = EmbeddedDraft(request.POST.get(DRAFT_FIELD, ""))
    current = next((s for s in steps if s.slug == request.POST.get(STEP_FIELD)), steps[0])

    def show(step, form=None, notice="", status=200):
        if form is None:
            form = unbound_form(step, draft, town_settings)
        return render_step(
            request, steps, step, form, town_settings, status, embedded=draft, notice=notice
        )

    missing = draft.first_incomplete(steps, before=current)
    if missing is not None:
        notice = (
            "Votre brouillon a expiré : reprenons depuis le début."
            if draft.expired
            else f"Complétez d’abord l’étape « {missing.title} »."
        )
        return show(missing, notice=notice)
    index = steps.index(current)
    form = current.form_class(request.POST, town_settings=town_settings)
    valid = form.is_valid()
    draft.store(current, request.POST, form, valid)
    if "previous" in request.POST and index > 0:
        return show(steps[index - 1])
    if not valid:
        return show(current, form)
    if index + 1 < len(steps):
        return show(steps[index + 1])
    submitted, to_fix = save(request, draft, steps, town_settings, form)
    if to_fix is not None:
        bound = to_fix.form_class(draft.data(to_fix), town_settings=town_settings)
        return show(to_fix, bound, notice=f"Vérifiez l’étape « {to_fix.title} » avant d’envoyer.")
    if submitted is None:
        return show(current, form, status=429)
    return render(
        request,
        "demands/done.html",
        {
            "submitted": submitted,
            "title": "Demande envoyée",
            "layout": "components/layout_embedded.html",
            "embedded": True,
        },
    )
