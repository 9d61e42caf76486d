"""Forms of the jury: an invitation, a scoring grid, a conflict of interest, a decision."""

from django import forms

from tenant_apps.calls.enums import Decision
from tenant_apps.jury.enums import MAX_COMMENT, MAX_REASON, SCORE_MAX, SCORE_MIN


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        error_messages={
            "required": "Indiquez l’adresse électronique du juré.",
            "invalid": "Saisissez une adresse électronique valide, par exemple nom@banque.fr.",
        },
    )
    first_name = forms.CharField(label="Prénom", max_length=150, required=False)
    last_name = forms.CharField(label="Nom", max_length=150, required=False)
    organisation = forms.CharField(
        label="Organisme",
        max_length=120,
        required=False,
        help_text="Par exemple : Banque Populaire, CCI du Var, BGE. Vide pour un membre de "
        "l’équipe.",
    )


class GridForm(forms.Form):
    """One score per criterion (0 to 10; empty while a draft) and the juror's comment."""

    comment = forms.CharField(
        label="Commentaire",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui a motivé vos notes : les autres jurés le liront une fois leurs "
        "propres notes soumises.",
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.key(criterion)] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight} %)",
                required=False,
                min_value=SCORE_MIN,
                max_value=SCORE_MAX,
                help_text=f"Note de {SCORE_MIN} à {SCORE_MAX}",
                widget=forms.NumberInput(
                    attrs={"min": SCORE_MIN, "max": SCORE_MAX, "inputmode": "numeric"}
                ),
                error_messages={
                    "invalid": f"Saisissez un nombre entier de {SCORE_MIN} à {SCORE_MAX}.",
                    "min_value": f"La note va de {SCORE_MIN} à {SCORE_MAX}.",
                    "max_value": f"La note va de {SCORE_MIN} à {SCORE_MAX}.",
                },
            )
        # Comment last, after the grid.
        self.order_fields([*(self.key(c) for c in criteria), "comment"])

    @staticmethod
    def key(criterion):
        return f"critere_{criterion.pk}"

    def score_fields(self):
        return [self[self.key(criterion)] for criterion in self.criteria]

    def values(self):
        return {c: self.cleaned_data[self.key(c)] for c in self.criteria}


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label="Motif du conflit d’intérêts",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="En une phrase : par exemple, « candidate de ma famille », « client de "
        "mon agence ».",
        error_messages={"required": "Indiquez en une phrase la raison du conflit."},
    )


DECIDED = [(d.value, d.label) for d in Decision if d != Decision.PENDING]
UNDECIDED = [(Decision.PENDING.value, "Pas encore décidé"), *DECIDED]


class DecisionForm(forms.Form):
    """The decision on one application (prefixed by its id on the page)."""

    decision = forms.ChoiceField(label="Décision", widget=forms.RadioSelect)
    reason = forms.CharField(
        label="Motif (communiqué au candidat)",
        required=False,
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Obligatoire quand la candidature n’est pas retenue.",
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(
            *args,
            prefix=f"candidature-{application.pk}",
            initial={"decision": application.decision, "reason": application.decision_reason},
            **kwargs,
        )
        self.application = application
        # A recorded decision may change (the winner withdraws), not go back to pending.
        pending = application.decision == Decision.PENDING
        self.fields["decision"].choices = UNDECIDED if pending else DECIDED
        self.fields["decision"].label = f"Décision pour {application.name}"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.DECLINED and not cleaned.get("reason", "").strip():
            self.add_error(
                "reason", "Indiquez le motif : il est communiqué au candidat non retenu."
            )
        return cleaned

    def choice(self):
        return self.cleaned_data["decision"], self.cleaned_data.get("reason", "")
