"""Choices for notifications."""

from django.db import models


class NotificationKind(models.TextChoices):
    ASSIGNMENT = "assignment", "Une demande vous est attribuée"
    PORTEUR_ANSWER = "porteur_answer", "Un porteur répond ou donne des nouvelles"
    PARTNER_ANSWER = "partner_answer", "Un partenaire répond à une alerte ou propose un local"
    EMAIL_REPLY = "email_reply", "Un porteur répond par courriel"
    OVERDUE_TASK = "overdue_task", "Une de vos tâches est en retard"


# What also goes by email until the person says otherwise: everything that emailed the
# team before the bell existed, and more; not overdue tasks, which the tasks' daily
# digest already lists.
EMAILED_BY_DEFAULT = [
    NotificationKind.ASSIGNMENT,
    NotificationKind.PORTEUR_ANSWER,
    NotificationKind.PARTNER_ANSWER,
    NotificationKind.EMAIL_REPLY,
]
