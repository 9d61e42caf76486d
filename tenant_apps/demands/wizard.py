"""The demand form's steps and the draft kept between them: in the session on the town's
site, in the page itself (signed) when the form is embedded in another site."""

import math
from dataclasses import dataclass

from django import forms
from django.core import signing
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

from tenant_apps.demands.forms import ContactForm, PremisesForm, ProjectForm, SupportForm
from tenants.signing import town_salt

SESSION_KEY = "demand_draft"
# The embedded form's draft: a signed hidden field, valid for a day.
EMBEDDED_DRAFT_SALT = "boursoloco.brouillon"
EMBEDDED_DRAFT_MAX_AGE = 24 * 60 * 60
# A draft keeps what was typed, within reason: hostile posts cannot bloat the session.
MAX_VALUE_LENGTH = 2000
MAX_VALUES = 20
MAX_DRAFT_CHARACTERS = 20_000


@dataclass(frozen=True)
class Step:
    slug: str
    form_class: type
    flag: str = ""  # TownSettings flag that switches the whole step on

    @property
    def title(self):
        return self.form_class.title

    @property
    def url(self):
        if self.slug == STEPS[0].slug:
            return reverse("demands:start")
        return reverse("demands:step", args=[self.slug])


PREMISES_STEP = "local"
STEPS = [
    Step("projet", ProjectForm),
    Step(PREMISES_STEP, PremisesForm),
    Step("accompagnement", SupportForm, flag="ask_support"),
    Step("contact", ContactForm),
]


def active_steps(town_settings):
    return [step for step in STEPS if not step.flag or getattr(town_settings, step.flag)]


class Draft:
    """What the porteur typed at each step, and which steps passed validation."""

    def __init__(self, session):
        self.session = session
        stored = session.get(SESSION_KEY)
        if not isinstance(stored, dict):
            stored = {}
        self.steps = stored.get("steps") if isinstance(stored.get("steps"), dict) else {}
        self.valid = set(stored.get("valid") or [])
        # The catalogue premises the porteur started from (/demande/?local=<id>), if any.
        premises = stored.get("premises")
        self.premises_id = premises if isinstance(premises, int) else None

    def data(self, step):
        stored = self.steps.get(step.slug)
        return MultiValueDict(stored) if isinstance(stored, dict) else None

    def store(self, step, post, form, valid):
        stored = {}
        budget = MAX_DRAFT_CHARACTERS
        for name, values in post.lists():
            field = form.fields.get(name)
            if field is None:
                continue
            many = isinstance(field.widget, forms.CheckboxSelectMultiple)
            kept = [str(value)[:MAX_VALUE_LENGTH] for value in values[: MAX_VALUES if many else 1]]
            budget -= sum(len(value) for value in kept)
            if budget < 0:
                break
            stored[name] = kept
        self.steps[step.slug] = stored
        if valid:
            self.valid.add(step.slug)
        else:
            self.valid.discard(step.slug)
        self.save()

    def save(self):
        self.session[SESSION_KEY] = {
            "steps": self.steps,
            "valid": sorted(self.valid),
            "premises": self.premises_id,
        }

    def start_from(self, premises):
        """The porteur comes from a catalogue premises: the premises step starts with its
        kind, surface (give or take 20 %), price and area, to be checked again."""
        values = {
            "premises_kind": [premises.kind],
            "surface_min": [str(max(1, math.floor(premises.surface * 0.8)))],
            "surface_max": [str(min(10_000, math.ceil(premises.surface * 1.2)))],
        }
        if premises.monthly_rent:
            values["monthly_budget"] = [str(premises.monthly_rent)]
        if premises.sale_price:
            values["purchase_budget"] = [str(premises.sale_price)]
        if premises.area_id:
            values["areas"] = [str(premises.area_id)]
        self.steps[PREMISES_STEP] = values
        self.valid.discard(PREMISES_STEP)
        self.premises_id = premises.pk
        self.save()

    def clear(self):
        self.session.pop(SESSION_KEY, None)

    def first_incomplete(self, steps, before):
        """The first step before `before` that has not been validated, if any."""
        for step in steps:
            if step == before:
                return None
            if step.slug not in self.valid:
                return step
        return None

    def initial(self, step, form):
        """Values for an unbound form from the stored draft (no errors shown on GET)."""
        data = self.data(step)
        if data is None:
            return {}
        return {
            name: field.widget.value_from_datadict(data, MultiValueDict(), form.add_prefix(name))
            for name, field in form.fields.items()
        }


class EmbeddedDraft(Draft):
    """The draft of the embedded form, carried by the page from one step to the next in a
    signed hidden field instead of the session: inside a frame on another site, browsers
    neither send nor keep the town's cookies (see tenant_apps.demands.views.form)."""

    def __init__(self, signed=""):
        self.expired = False
        stored = {}
        if signed:
            try:
                stored = {
                    SESSION_KEY: signing.loads(
                        signed,
                        salt=town_salt(EMBEDDED_DRAFT_SALT),
                        max_age=EMBEDDED_DRAFT_MAX_AGE,
                    )
                }
            except signing.BadSignature:  # expired or tampered: start again
                self.expired = True
        super().__init__(stored)

    def signed(self):
        return signing.dumps(
            self.session.get(SESSION_KEY, {}),
            salt=town_salt(EMBEDDED_DRAFT_SALT),
            compress=True,
        )
