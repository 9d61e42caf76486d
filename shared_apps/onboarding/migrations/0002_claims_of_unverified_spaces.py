"""Spaces opened before claims existed, still in pre-opening, are unverified (tenants
0005): each of their admins gets a pending claim, with 30 days from now to be verified."""

from django.db import migrations


def claim_unverified_spaces(apps, schema_editor):
    Territory = apps.get_model("tenants", "Territory")
    Membership = apps.get_model("accounts", "Membership")
    Claim = apps.get_model("onboarding", "Claim")
    for town in Territory.objects.filter(verified_at=None).exclude(schema_name="public"):
        for membership in Membership.objects.filter(territory=town, role="admin"):
            Claim.objects.get_or_create(
                territory=town, claimant_id=membership.user_id, status="pending"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("onboarding", "0001_initial"),
        ("tenants", "0005_territory_verification"),
        ("accounts", "0001_initial"),
    ]

    operations = [migrations.RunPython(claim_unverified_spaces, migrations.RunPython.noop)]
