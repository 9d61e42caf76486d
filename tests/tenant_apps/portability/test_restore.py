"""Restoring a town's archive into an empty space of the same town: export → an empty
schema → restore gives back the same rows and files; a filled space or another town's
archive is refused with a French message."""

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_context

from shared_apps.accounts.models import Membership
from tenant_apps.correspondence.models import EmailTemplate
from tenant_apps.portability.archive import town_models, write_town_archive
from tenants.enums import TerritoryKind, TerritoryStatus
from tenants.provisioning import create_schema_from_snapshot, current_snapshot, provision_territory
from tests.factories import DemandFactory
from tests.tenant_apps.calls.factories import PDF
from tests.tenant_apps.portability.conftest import PHOTO, fill, remove_files

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(in_town):
    """A town of this test's own, so that emptying its schema disturbs no other."""
    town = provision_territory(
        name="Ville Archivée",
        slug="ville-archivee",
        kind=TerritoryKind.COMMUNE,
        status=TerritoryStatus.OPEN,
    )
    yield town
    remove_files(town)


def every_row():
    """Every row of every town model; many-to-many links sorted (a set has no order)."""
    rows = {}
    for model in town_models():
        items = serializers.serialize("python", model._base_manager.order_by("pk"))
        for item in items:
            for field in model._meta.many_to_many:
                item["fields"][field.name].sort()
        rows[model._meta.label_lower] = items
    return rows


def files_of(made):
    from tenant_apps.calls.models import private_dir as calls_dir
    from tenant_apps.correspondence.models import private_dir as mail_dir
    from tenant_apps.premises.models import PremisesPhoto

    with PremisesPhoto.objects.get().image.open("rb") as photo:
        image = photo.read()
    return {
        "photo": image,
        "plan": (calls_dir() / made["plan"]).read_bytes(),
        "attachment": (mail_dir() / made["attachment"]).read_bytes(),
    }


def test_an_archive_restored_into_an_empty_space_gives_back_the_same_rows_and_files(
    town, in_town, tmp_path
):
    made = fill(town, in_town, "CCC")
    with in_town(town):
        EmailTemplate.objects.add_ready()
        rows, files = every_row(), files_of(made)
        path = tmp_path / "archive.zip"
        with open(path, "wb") as file:
            write_town_archive(file)
    assert rows["demands.demand"] and rows["exchanges.exchange"][0]["fields"]["team_members"]
    assert len(rows["network.broadcast"]) == 1
    assert files["photo"] == PHOTO and files["plan"] == PDF

    # The town's space emptied: a new schema, as provisioning makes it, and no files.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'DROP SCHEMA "{town.schema_name}" CASCADE')
    create_schema_from_snapshot(town.schema_name, current_snapshot())
    remove_files(town)
    Membership.objects.filter(territory=town).delete()
    with in_town(town):
        EmailTemplate.objects.add_ready()  # what a new town is given at creation

    call_command("restore_town", town.slug, str(path))

    with connection.cursor() as cursor:  # every foreign key holds
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with in_town(town):
        assert every_row() == rows  # to the microsecond
        assert files_of(made) == files
        # Ids go on from where they were: the next demand does not collide.
        assert DemandFactory().pk > made["demand"].pk
    team = Membership.objects.filter(territory=town)
    assert {(m.user_id, m.role) for m in team} == {
        (made["admin"].pk, "admin"),
        (made["agent"].pk, "agent"),
    }


def test_a_space_that_is_not_empty_is_refused(town, in_town, tmp_path):
    fill(town, in_town, "DDD")
    path = tmp_path / "archive.zip"
    with in_town(town), open(path, "wb") as file:
        write_town_archive(file)
    with pytest.raises(CommandError, match="n’est pas vide"):
        call_command("restore_town", town.slug, str(path))


def test_another_towns_archive_is_refused(town, town_a, in_town, tmp_path):
    path = tmp_path / "archive.zip"
    with in_town(town_a), open(path, "wb") as file:
        write_town_archive(file)
    with pytest.raises(CommandError, match="pas de « Ville Archivée »"):
        call_command("restore_town", town.slug, str(path))
    with schema_context(town.schema_name):
        assert not EmailTemplate.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused(town, tmp_path):
    import zipfile

    path = tmp_path / "autre.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("photo.jpg", b"x")
    with pytest.raises(CommandError, match="pas une archive BoursOloco"):
        call_command("restore_town", town.slug, str(path))
    with pytest.raises(CommandError, match="introuvable"):
        call_command("restore_town", town.slug, str(tmp_path / "absent.zip"))


def test_a_person_whose_account_is_gone_is_found_again_by_address_or_recreated(db, tmp_path):
    import io
    import json
    import zipfile

    from shared_apps.accounts.models import User
    from tenant_apps.portability.restore import users_by_old_id
    from tests.factories import UserFactory

    known = UserFactory(email="connue@example.fr")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        people = [
            {"id": 990_001, "email": "CONNUE@example.fr", "first_name": "", "last_name": ""},
            {"id": 990_002, "email": "partie@example.fr", "first_name": "Léa", "last_name": "P"},
        ]
        archive.writestr("public/accounts.user.json", json.dumps(people))
    with zipfile.ZipFile(buffer) as archive:
        mapping = users_by_old_id(archive)
    recreated = User.objects.get(email="partie@example.fr")
    assert mapping == {990_001: known.pk, 990_002: recreated.pk}
    assert recreated.first_name == "Léa" and not recreated.has_usable_password()
