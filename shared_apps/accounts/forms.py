"""allauth's form for the emailed sign-in code, labelled and typed like the other codes'
(onboarding.forms.CodeForm): six digits, a numeric keyboard on phones."""

from allauth.account.forms import ConfirmLoginCodeForm as AllauthConfirmLoginCodeForm


class ConfirmLoginCodeForm(AllauthConfirmLoginCodeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Code reçu par courriel"
        code.help_text = "6 chiffres."
        code.widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": ""}
        )
