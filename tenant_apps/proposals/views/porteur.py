"""The porteur's side, under their follow-up link /suivi/<token>/propositions/: browse the
catalogue as themselves, say « ce local m'intéresse », answer a proposal. Every change is a
POST; a GET shows what the POST would do."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tenant_apps.demands.views.followup import private, too_many_links, with_demand
from tenant_apps.premises.catalogue import catalogue_premises
from tenant_apps.proposals.forms import AnswerForm, PorteurEmailForm
from tenant_apps.proposals.recognition import remember
from tenant_apps.proposals.services import (
    NotProposable,
    answer_proposal,
    express_interest,
    send_interest_links,
)


def followup_anchor(token, anchor="propositions"):
    return redirect(f"{reverse('demands:followup', args=[token])}#{anchor}")


@with_demand
def browse(request, demand, token):
    """From the follow-up page to the catalogue, recognised."""
    remember(request, token)
    return redirect("catalogue:list")


@require_http_methods(["GET", "POST"])
@with_demand
def interest(request, demand, token, premises_pk):
    premises = get_object_or_404(catalogue_premises(), pk=premises_pk)
    if request.method == "POST":
        try:
            _, changed = express_interest(demand, premises)
        except NotProposable as error:
            messages.error(request, str(error))
            return followup_anchor(token)
        remember(request, token)
        if changed:
            messages.success(
                request,
                f"C’est noté : l’équipe de {request.tenant.name} sait que ce local vous "
                "intéresse et vous recontacte pour organiser une visite.",
            )
        else:
            messages.info(request, "Vous aviez déjà signalé votre intérêt pour ce local.")
        return followup_anchor(token)
    return render(
        request,
        "proposals/interest.html",
        {
            "demand": demand,
            "token": token,
            "premises": premises,
            "already": demand.proposals.filter(premises=premises, answer="interested").exists(),
            "title": "Ce local m’intéresse",
        },
    )


@require_http_methods(["GET", "POST"])
@with_demand
def answer(request, demand, token, pk):
    proposal = get_object_or_404(
        demand.proposals.select_related("premises__area", "partner"), pk=pk
    )
    answerable = demand.is_alive and proposal.premises.is_available
    data = request.POST if request.method == "POST" else None
    form = AnswerForm(data, prefix=f"p{proposal.pk}")
    if request.method == "POST" and answerable and form.is_valid():
        try:
            recorded = answer_proposal(proposal, form.cleaned_data["answer"], **form.details())
        except NotProposable as error:
            messages.error(request, str(error))
            return followup_anchor(token)
        if recorded:
            messages.success(request, "Merci ! Votre réponse est transmise à l’équipe.")
        else:
            messages.info(request, "Vous aviez déjà donné cette réponse.")
        return followup_anchor(token, f"proposition-{proposal.pk}")
    return render(
        request,
        "proposals/answer.html",
        {
            "demand": demand,
            "token": token,
            "proposal": proposal,
            "premises": proposal.premises,
            "photos": list(proposal.premises.photos.all()),
            "answerable": answerable,
            "form": form,
            "title": f"Proposition : {proposal.premises.get_kind_display()} de "
            f"{proposal.premises.surface} m²",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def interest_by_email(request, premises_pk):
    """A porteur without their follow-up link at hand: an email with a link that confirms
    their interest. The same answer whether the address is known or not."""
    premises = get_object_or_404(catalogue_premises(), pk=premises_pk)
    form = PorteurEmailForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if too_many_links(request, email):
            form.add_error(
                None, "Trop de demandes de lien depuis votre connexion : réessayez dans une heure."
            )
            status = 429
        else:
            send_interest_links(request.tenant, email, premises)
            return private(
                render(
                    request,
                    "proposals/interest_link_sent.html",
                    {"email": email, "premises": premises, "title": "Lien envoyé"},
                )
            )
    else:
        status = 400 if form.errors else 200
    return private(
        render(
            request,
            "proposals/interest_by_email.html",
            {"form": form, "premises": premises, "title": "Ce local m’intéresse"},
            status=status,
        )
    )
