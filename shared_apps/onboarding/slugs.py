"""A space's address is derived from the territory's official name, never typed: the
claimant picks among a few forms (full, without the article, shortened), each with the
département number when another town holds it."""

from django.core.exceptions import ValidationError
from django.utils.text import slugify

from tenants.enums import TerritoryKind
from tenants.models import Domain, Territory
from tenants.validators import SLUG_VALIDATORS

MAX_LENGTH = 42
ARTICLES = {"le", "la", "les", "l"}
SHORTER = {"saint": "st", "sainte": "ste", "saints": "sts", "saintes": "stes"}
# The words of an EPCI's legal form and the links between them: "Communauté
# d'agglomération Dracénie Provence Verdon" → dracenie-provence-verdon.
EPCI_WORDS = {
    "communaute",
    "communes",
    "agglomeration",
    "urbaine",
    "metropole",
    "ca",
    "cc",
    "cu",
    "de",
    "des",
    "du",
    "d",
    "et",
    "en",
    *ARTICLES,
}


def ascii_words(name):
    text = name.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "-").replace("'", "-")
    return [word for word in slugify(text).split("-") if word]


def joined(words):
    """Words joined with dashes, cut at a word boundary to fit an address."""
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > MAX_LENGTH:
            break
        slug = candidate
    return slug


def forms_of(name, kind):
    words = ascii_words(name)
    forms = [joined(words)]
    if kind == TerritoryKind.EPCI:
        core = [word for word in words if word not in EPCI_WORDS]
        forms += [joined(core), joined(core[:2])]
    else:
        if len(words) > 1 and words[0] in ARTICLES:
            forms.append(joined(words[1:]))
        forms.append(joined([SHORTER.get(word, word) for word in words]))
    return forms


def is_valid(slug):
    try:
        for validator in SLUG_VALIDATORS:
            validator(slug)
    except ValidationError:
        return False
    return True


def is_taken(slug):
    return (
        Territory.objects.filter(slug=slug).exists()
        or Domain.objects.filter(domain__startswith=f"{slug}.").exists()
    )


def slug_choices(name, kind, department=""):
    """The addresses a claimant may pick for this territory, best first."""
    choices = []
    for form in forms_of(name, kind):
        if len(form) < 3 or not is_valid(form) or is_taken(form):
            form = joined([*form.split("-"), department]) if department else ""
        if form and form not in choices and is_valid(form) and not is_taken(form):
            choices.append(form)
    return choices
