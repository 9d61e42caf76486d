"""Filling the demand form like a porteur would, step by step."""

from datetime import date, timedelta

PROJECT = {
    "activity": "Boulangerie artisanale",
    "activity_category": "food",
    "description": "Pain au levain et viennoiseries maison.",
    "stage": "creating",
    "siret": "",
    "opening_date": (date.today() + timedelta(days=120)).isoformat(),
}
PREMISES = {
    "premises_kind": "shop",
    "surface_min": "40",
    "surface_max": "90",
    "monthly_budget": "1200",
    "purchase_budget": "",
    "lease_kinds": ["commercial"],
    "needs_shop_window": "on",
    "other_needs": "Un fournil à l’arrière.",
}
SUPPORT = {"support": ["funding", "chambers"]}
CONTACT = {
    "first_name": "Camille",
    "last_name": "Lefèvre",
    "email": "camille.lefevre@example.fr",
    "phone": "06 12 34 56 78",
    "heard_from": "town",
    "consent_to_share": "on",
    "website": "",
}
STEPS = [
    ("/demande/", PROJECT),
    ("/demande/local/", PREMISES),
    ("/demande/accompagnement/", SUPPORT),
    ("/demande/contact/", CONTACT),
]


def submit_demand(client, **overrides):
    """Post every step; `overrides` maps a step's path to fields to change. Returns the
    last response."""
    response = None
    for path, data in STEPS:
        response = client.post(path, {**data, **overrides.get(path, {})})
        if response.status_code != 302:
            return response
    return response
