"""A porteur's application: its row, its business plan in the town's private folder and
its confirmation email, all or nothing."""

import contextlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tenant_apps.calls.models import Application, Call, private_dir
from tenant_apps.mailing.services import queue_email
from tenants.models import Territory

LATE = (
    "La date limite de candidature à cet appel est passée : votre candidature n’a pas pu "
    "être reçue."
)
ALREADY = (
    "Une candidature à cet appel a déjà été reçue avec cette adresse électronique. Pour la "
    "compléter, écrivez à l’équipe de la collectivité."
)


def apply(call, data, plan_bytes, file_name, demand=None):
    """Record the application to `call` (from the porteur's `demand` when they applied
    from their follow-up page); raises ValidationError (in French) when the deadline has
    passed or this email already applied. The confirmation email is queued in the same
    transaction, once (its outbox key is the application's)."""
    folder = private_dir()
    folder.mkdir(parents=True, exist_ok=True)
    application = Application(
        call=call,
        name=data["name"].strip(),
        email=data["email"],
        phone=data["phone"],
        project=data["project"].strip(),
        experience=data["experience"].strip(),
        motivation=data["motivation"].strip(),
        plan_file_name=safe_name(file_name),
        plan_size=len(plan_bytes),
        plan_stored_name=Application.new_stored_name(),
        demand=demand,
    )
    path = folder / application.plan_stored_name
    path.write_bytes(plan_bytes)
    try:
        with transaction.atomic():
            # Read again under a lock: the deadline is the server's, at the moment of saving.
            locked = Call.objects.select_for_update().get(pk=call.pk)
            if not locked.accepts_applications:
                raise ValidationError(LATE, code="late")
            try:
                with transaction.atomic():
                    application.save()
            except IntegrityError:
                raise ValidationError(ALREADY, code="already") from None
            territory = Territory.objects.current()
            queue_email(
                f"call:{call.pk}:application:{application.pk}",
                application.email,
                "calls/emails/application_received.txt",
                {
                    "territory": territory,
                    "call": locked,
                    "application": application,
                    "call_url": territory.url(reverse("calls:detail", args=[call.pk])),
                },
            )
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        raise
    return application


def safe_name(file_name):
    """The file's name as shown to the team: its last part, without control characters."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(char for char in name if char.isprintable()).strip()[:140]
    if not name.lower().endswith(".pdf"):
        name = (name or "plan-d-affaires") + ".pdf"
    return name
