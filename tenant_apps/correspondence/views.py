"""The team's pages: writing to a porteur from their demand, the files a reply brought,
and the town's email templates (admins)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from shared_apps.accounts.perms import (
    town_admin_required,
    town_editor_required,
    town_staff_required,
)
from tenant_apps.correspondence.forms import ComposeForm, EmailTemplateForm
from tenant_apps.correspondence.models import Attachment, EmailTemplate
from tenant_apps.correspondence.services import (
    CannotWrite,
    copy_candidates,
    render_for_porteur,
    send,
)
from tenant_apps.demands.perms import can_see_contact, demand_for


def template_initial(request):
    """Subject and text of the template picked with ?modele=<id>, if any (a GET only
    reads)."""
    pk = request.GET.get("modele", "")
    template = EmailTemplate.objects.filter(pk=pk).first() if pk.isdigit() else None
    if template is None:
        return {}
    return {"subject": template.subject, "body": template.body}


@town_editor_required
def compose(request, reference):
    """GET: the form, filled from a template if one is picked. POST: « Aperçu » shows the
    email as the porteur will read it; « Envoyer » sends it (once per form)."""
    demand = demand_for(request, reference)
    if demand.erased_at:
        messages.error(
            request, "Les données de ce porteur sont effacées : rien ne peut lui être envoyé."
        )
        return redirect("backoffice:demand", reference=reference)
    partners = copy_candidates(demand)
    preview = None
    if request.method == "POST":
        form = ComposeForm(request.POST, partners=partners)
        if form.is_valid():
            data = form.cleaned_data
            if request.POST.get("action") == "envoyer":
                try:
                    email, created = send(
                        demand,
                        user=request.user,
                        subject=data["subject"],
                        body=data["body"],
                        send_key=data["send_key"],
                        partner=data["partner"],
                    )
                except CannotWrite as error:
                    form.add_error(None, str(error))
                else:
                    if created:
                        messages.success(request, f"Courriel « {email.subject} » mis en envoi.")
                    else:
                        messages.info(
                            request, "Ce courriel était déjà parti : il n’est pas renvoyé."
                        )
                    return redirect(reverse("backoffice:demand", args=[reference]) + "#courriels")
            else:
                subject, body = render_for_porteur(
                    demand, request.user, data["subject"], data["body"]
                )
                preview = {"subject": subject, "body": body, "partner": data["partner"]}
        elif "send_key" in form.errors:
            form.renew_send_key()
    else:
        form = ComposeForm(partners=partners, initial=template_initial(request))
    return render(
        request,
        "correspondence/compose.html",
        {
            "demand": demand,
            "form": form,
            "preview": preview,
            "templates": EmailTemplate.objects.all(),
            "picked": request.GET.get("modele", ""),
            "nav": "demands",
            "title": f"Écrire au porteur — {demand.reference}",
        },
        status=400 if form.errors else 200,
    )


@town_staff_required()
def attachment(request, reference, pk):
    """A file a reply brought: to the town's agents and admins, never a public URL."""
    if not can_see_contact(request.membership):
        raise Http404
    demand = demand_for(request, reference)
    item = get_object_or_404(Attachment, pk=pk, email__demand=demand)
    try:
        handle = open(item.path, "rb")  # noqa: SIM115 — FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle, as_attachment=True, filename=item.file_name, content_type=item.content_type
    )


def settings_page(request, template, context, *, status=200):
    return render(
        request,
        f"correspondence/{template}",
        {"nav": "settings", "tab": "emails", **context},
        status=status,
    )


@town_admin_required
def templates(request):
    form = EmailTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Modèle « {form.instance.name} » ajouté.")
        return redirect("correspondence:templates")
    return settings_page(
        request,
        "templates.html",
        {"form": form, "templates": EmailTemplate.objects.all(), "title": "Modèles de courriel"},
        status=400 if form.errors else 200,
    )


@town_admin_required
def edit_template(request, pk):
    template = get_object_or_404(EmailTemplate, pk=pk)
    form = EmailTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Modèle « {form.instance.name} » enregistré.")
        return redirect("correspondence:templates")
    if form.errors:
        template.refresh_from_db()
    return settings_page(
        request,
        "template_form.html",
        {"form": form, "template": template, "title": f"Modèle « {template.name} »"},
        status=400 if form.errors else 200,
    )


@town_admin_required
def delete_template(request, pk):
    """GET asks for confirmation; a POST with confirmation=oui deletes."""
    template = get_object_or_404(EmailTemplate, pk=pk)
    if request.method == "POST" and request.POST.get("confirmation") == "oui":
        template.delete()
        messages.success(request, f"Modèle « {template.name} » supprimé.")
        return redirect("correspondence:templates")
    return settings_page(
        request,
        "template_delete.html",
        {
            "template": template,
            "action": reverse("correspondence:delete_template", args=[pk]),
            "cancel_url": reverse("correspondence:templates"),
            "title": f"Supprimer le modèle « {template.name} »",
        },
    )
