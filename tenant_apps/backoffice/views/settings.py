"""The town's settings, for its admins: texts and form options, identity, areas, team."""

import contextlib
import errno

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shared_apps.accounts.models import Membership
from shared_apps.accounts.perms import town_admin_required
from tenant_apps.backoffice.team import TeamError, invite, update
from tenant_apps.demands.models import Demand
from tenant_apps.network.models import NetworkMember
from tenant_apps.premises.models import Area
from tenant_apps.townsite.forms import (
    AreaForm,
    IdentityForm,
    InvitationForm,
    MembershipForm,
    TownSettingsForm,
)
from tenant_apps.townsite.models import TownSettings


def page(request, template, context, *, form_errors=False):
    return render(
        request,
        f"backoffice/{template}",
        {"nav": "settings", **context},
        status=400 if form_errors else 200,
    )


@town_admin_required
def settings_form(request):
    form = TownSettingsForm(request.POST or None, instance=TownSettings.load())
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Les réglages sont enregistrés.")
        return redirect("backoffice:settings")
    return page(
        request,
        "settings.html",
        {"form": form, "tab": "form", "title": "Réglages"},
        form_errors=bool(form.errors),
    )


DISK_FULL = (
    "Le logo n’a pas pu être enregistré : l’espace de stockage du serveur est plein. "
    "Rien n’a été modifié et vos saisies sont conservées ci-dessous ; réessayez plus tard "
    "ou signalez-le à l’équipe BoursOloco."
)


def save_identity(form):
    """Save the identity form. A full disk raises OSError(ENOSPC) before the database is
    touched; the partial logo file it may leave is removed."""
    logo = form.cleaned_data.get("logo")
    target = None
    if isinstance(logo, UploadedFile):
        field = form.instance._meta.get_field("logo")
        target = field.generate_filename(form.instance, logo.name)
        target = None if field.storage.exists(target) else (field.storage, target)
    try:
        with transaction.atomic():  # a failed write leaves the request's transaction usable
            form.save()
    except OSError:
        if target is not None:
            storage, name = target
            with contextlib.suppress(OSError):
                if storage.exists(name):
                    storage.delete(name)
        raise


@town_admin_required
def identity(request):
    territory = request.tenant
    form = IdentityForm(request.POST or None, request.FILES or None, instance=territory)
    if request.method == "POST" and form.is_valid():
        try:
            save_identity(form)
        except OSError as error:
            if error.errno not in (errno.ENOSPC, errno.EDQUOT):
                raise
            form.add_error("logo", DISK_FULL)
        else:
            messages.success(request, "L’identité de la collectivité est enregistrée.")
            return redirect("backoffice:identity")
    if form.errors:
        territory.refresh_from_db()  # the header keeps showing what is saved
    return page(
        request,
        "settings_identity.html",
        {"form": form, "tab": "identity", "title": "Identité"},
        form_errors=bool(form.errors),
    )


@town_admin_required
def areas(request):
    form = AreaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Quartier « {form.instance.name} » ajouté.")
        return redirect("backoffice:areas")
    return page(
        request,
        "settings_areas.html",
        {"form": form, "areas": Area.objects.all(), "tab": "areas", "title": "Quartiers"},
        form_errors=bool(form.errors),
    )


@require_POST
@town_admin_required
def delete_area(request, pk):
    area = get_object_or_404(Area, pk=pk)
    # Only the demands that chose this area lose (or keep) a priority-area bonus.
    affected = list(area.demands.values_list("pk", flat=True))
    area.delete()
    Demand.objects.filter(pk__in=affected).refresh_priority()
    messages.success(request, f"Quartier « {area.name} » supprimé.")
    return redirect("backoffice:areas")


@town_admin_required
def team(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invite(
                request.tenant,
                form.cleaned_data["email"],
                form.cleaned_data["role"],
                by=request.user,
            )
        except TeamError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, f"Invitation envoyée à {form.cleaned_data['email']}.")
            return redirect("backoffice:team")
    members = (
        Membership.objects.filter(territory=request.tenant)
        .select_related("user")
        .order_by("-is_active", "user__email")
    )
    return page(
        request,
        "settings_team.html",
        {"form": form, "members": members, "tab": "team", "title": "Équipe"},
        form_errors=bool(form.errors),
    )


@require_POST
@town_admin_required
def change_member(request, pk):
    membership = get_object_or_404(Membership, pk=pk, territory=request.tenant)
    form = MembershipForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez un rôle valide.")
        return redirect("backoffice:team")
    deactivating = membership.is_active and not form.cleaned_data["is_active"]
    if deactivating and request.POST.get("confirmation") != "oui":
        # Deactivating someone cuts their access at once: a second page asks first,
        # and a POST without its button changes nothing.
        return page(
            request,
            "settings_team_confirm.html",
            {
                "member": membership,
                "hidden": [("role", form.cleaned_data["role"])],
                "tab": "team",
                "title": "Désactiver un membre de l’équipe",
            },
        )
    try:
        with transaction.atomic():
            update(request.tenant, membership, **form.cleaned_data)
    except TeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{membership.user.email} : {membership.get_role_display()}"
            f"{'' if membership.is_active else ', désactivé'}.",
        )
    return redirect("backoffice:team")


@town_admin_required
def getting_started(request):
    """The set-up checklist a new town lands on."""
    town_settings = TownSettings.load()
    steps = [
        ("Votre logo et votre couleur", "backoffice:identity", bool(request.tenant.logo)),
        ("Les quartiers de la ville", "backoffice:areas", Area.objects.exists()),
        (
            "Votre équipe",
            "backoffice:team",
            Membership.objects.filter(territory=request.tenant).count() > 1,
        ),
        (
            "Vos premiers partenaires (agences, bailleurs…)",
            "network_admin:network",
            NetworkMember.objects.exclude(status="declined").exists(),
        ),
        (
            "Les questions du formulaire et vos textes",
            "backoffice:settings",
            bool(town_settings.intro_text or town_settings.form_intro),
        ),
    ]
    return page(
        request,
        "getting_started.html",
        {"steps": steps, "form_url": request.tenant.url("/demande/"), "title": "Premiers pas"},
    )
