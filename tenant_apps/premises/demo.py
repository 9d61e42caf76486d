"""The premises' part of the demo: the public catalogue. Run inside a town's schema, with
its own random draws (the rest of the demo stays as it was)."""

import random

from tenant_apps.premises.models import Premises

PUBLISHED_SHARE = 0.7
DESCRIPTIONS = [
    "Local lumineux en rez-de-chaussée, réserve à l’arrière, sanitaires.",
    "Ancienne boutique refaite à neuf, grande vitrine sur rue passante.",
    "Local traversant, idéal commerce de bouche ; extraction possible.",
    "Surface en angle, deux vitrines, à deux pas de la place du marché.",
    "Local brut, à aménager ; loyer progressif possible la première année.",
]


def publish_some(seed):
    """Publish most available premises in the catalogue, each with a short description."""
    rng = random.Random(seed + 7)
    chosen = []
    for premises in Premises.objects.available().order_by("pk"):
        if rng.random() < PUBLISHED_SHARE:
            premises.is_published = True
            premises.description = rng.choice(DESCRIPTIONS)
            chosen.append(premises)
    Premises.objects.bulk_update(chosen, ["is_published", "description"])
    return len(chosen)
