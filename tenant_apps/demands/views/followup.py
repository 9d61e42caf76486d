"""The porteur's private follow-up page, /suivi/<token>/, and its actions."""

import hashlib
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from tenant_apps.demands.enums import REOPEN_DAYS, Outcome
from tenant_apps.demands.forms import NeedsForm
from tenant_apps.demands.models import Demand
from tenant_apps.demands.ratelimit import over_limit
from tenant_apps.demands.services import send_new_links
from tenant_apps.townsite.models import TownSettings


def private(response):
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def with_demand(view):
    """Resolve the token to its demand, or explain why the link no longer works."""

    @wraps(view)
    def wrapper(request, token, *args, **kwargs):
        try:
            demand = Demand.all_objects.select_related("applicant").from_followup_token(token)
        except signing.SignatureExpired:
            return private(invalid_link(request, expired=True))
        except (signing.BadSignature, Demand.DoesNotExist, ValueError, TypeError):
            return private(invalid_link(request, expired=False))
        if demand.is_merged:
            return private(to_merged_demand(request, demand, token))
        return private(view(request, demand, token, *args, **kwargs))

    return wrapper


def to_merged_demand(request, demand, token):
    """The link of a demand merged into another leads to the same page of that one (a
    POST does nothing: the porteur acts again on the page they land on)."""
    target = Demand.objects.not_erased().filter(pk=demand.merged_into_id).first()
    if target is None:
        return invalid_link(request, expired=False)
    messages.info(
        request,
        f"Votre demande {demand.reference} a été réunie à la demande {target.reference} : "
        "vous la suivez désormais ici.",
    )
    rest = request.path.split(f"/{token}/", 1)[1]
    return redirect(f"{target.followup_path()}{rest}")


def invalid_link(request, expired):
    return render(
        request,
        "demands/followup_invalid.html",
        {"expired": expired, "form": NewLinkForm(), "title": "Lien de suivi"},
        status=410 if expired else 404,
    )


@with_demand
def followup(request, demand, token):
    return render(
        request,
        "demands/followup.html",
        {
            "demand": demand,
            "token": token,
            "events": demand.events.filter(visible_to_applicant=True),
            "outcomes": Outcome.choices,
            "title": f"Suivi de la demande {demand.reference}",
        },
    )


# What confirms an irreversible act: the button of its confirmation page. A POST without
# it (the first click, a forged or replayed form) shows that page and changes nothing.
CONFIRMATION = "oui"


def confirmed(request):
    return request.POST.get("confirmation") == CONFIRMATION


@require_http_methods(["GET", "POST"])
@with_demand
def still_searching(request, demand, token):
    """The link of the reminder email. Mail scanners open links: a GET only shows the
    question, the porteur's click on its button (a POST) answers it."""
    if request.method == "POST":
        demand.confirm_still_searching()
        messages.success(request, "Merci ! L’équipe sait que vous cherchez toujours.")
        return redirect("demands:followup", token=token)
    if not demand.is_alive:
        return redirect("demands:followup", token=token)
    return render(
        request,
        "demands/followup_still_searching.html",
        {"demand": demand, "token": token, "title": "Cherchez-vous toujours un local ?"},
    )


ACTIONS = {"still_searching", "reopen", *Outcome.values}


@require_POST
@with_demand
def act(request, demand, token):
    action = request.POST.get("action")
    if action not in ACTIONS:
        messages.error(request, "Cette action n’existe pas.")
    elif action == "reopen":
        if demand.can_reopen:
            demand.reopen_by_applicant()
            messages.success(request, "Votre demande est rouverte : l’équipe reprend sa recherche.")
        else:
            messages.info(request, "Cette demande ne peut plus être rouverte.")
    elif not demand.is_alive and action != "still_searching":
        messages.info(request, "Votre demande est déjà close.")
    elif action == "still_searching":
        demand.confirm_still_searching()
        messages.success(request, "Merci ! L’équipe sait que vous cherchez toujours.")
    elif not confirmed(request):
        return render(
            request,
            "demands/followup_close.html",
            {
                "demand": demand,
                "token": token,
                "outcome": Outcome(action),
                "hidden": [("action", action)],
                "reopen_days": REOPEN_DAYS,
                "title": "Clore ma demande",
            },
        )
    else:
        demand.close_by_applicant(action)
        messages.success(
            request,
            "C’est noté : votre demande est close. Vous pouvez la rouvrir pendant "
            f"{REOPEN_DAYS} jours depuis cette page.",
        )
    return redirect("demands:followup", token=token)


@require_http_methods(["GET", "POST"])
@with_demand
def update_needs(request, demand, token):
    if not demand.is_alive:
        messages.info(request, "Votre demande est close : il n’y a plus de besoins à modifier.")
        return redirect("demands:followup", token=token)
    town_settings = TownSettings.for_request(request)
    if request.method == "POST":
        form = NeedsForm(request.POST, town_settings=town_settings)
        if form.is_valid():
            demand.update_needs(form.cleaned_data)
            messages.success(request, "Vos besoins sont à jour.")
            return redirect("demands:followup", token=token)
    else:
        initial = {name: getattr(demand, name) for name in NeedsForm.base_fields if name != "areas"}
        initial["areas"] = list(demand.areas.all())
        form = NeedsForm(initial=initial, town_settings=town_settings)
    return render(
        request,
        "demands/followup_update.html",
        {"demand": demand, "token": token, "form": form, "title": "Modifier mes besoins"},
    )


@require_http_methods(["GET", "POST"])
@with_demand
def erase(request, demand, token):
    if request.method == "POST" and confirmed(request):
        demand.erase()
        return render(request, "demands/followup_erased.html", {"title": "Données effacées"})
    return render(
        request,
        "demands/followup_erase.html",
        {"demand": demand, "token": token, "title": "Effacer mes données"},
    )


class NewLinkForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique utilisée pour votre demande",
        max_length=254,
        error_messages={
            "required": "Indiquez votre adresse électronique.",
            "invalid": "Cette adresse électronique n’est pas valide. Exemple : nom@domaine.fr.",
        },
    )


def too_many_links(request, email):
    """Counts one more emailed link, from this address and to this porteur; True when
    either is over its hourly limit."""
    return over_limit(
        request, "followup-link", settings.FOLLOWUP_LINK_REQUESTS_PER_HOUR
    ) or over_limit(
        request,
        "followup-link-to",
        settings.FOLLOWUP_LINKS_PER_RECIPIENT_PER_HOUR,
        key=hashlib.sha256(email.encode()).hexdigest(),
    )


@require_http_methods(["GET", "POST"])
def new_link(request):
    form = NewLinkForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        if too_many_links(request, email):
            form.add_error(
                None, "Trop de demandes de lien depuis votre connexion : réessayez dans une heure."
            )
            status = 429
        else:
            send_new_links(request.tenant, form.cleaned_data["email"])
            return render(
                request,
                "demands/followup_link_sent.html",
                {"email": form.cleaned_data["email"], "title": "Nouveau lien envoyé"},
            )
    return private(
        render(
            request,
            "demands/followup_new_link.html",
            {"form": form, "title": "Recevoir un nouveau lien"},
            status=status,
        )
    )
