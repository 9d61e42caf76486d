"""Disk full for uploads: a town admin changes the identity (name, colour, new logo) when
the disk holding MEDIA_ROOT is full — a clear French message, what was typed kept in the
form, the saved identity and the old logo untouched, no partial file, no 500.

The full disk is real: a 512 KiB tmpfs mounted as MEDIA_ROOT and filled up (we run as
root in CI and in the sandbox). Where mounting is not allowed, the test falls back to a
file system storage whose writes fail with OSError(ENOSPC), which is what the app sees."""

import errno
import subprocess

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import logged_in_client
from tests.factories import MembershipFactory
from tests.tenant_apps.backoffice.test_settings import png

pytestmark = pytest.mark.django_db


class Disk:
    def __init__(self, root, monkeypatch):
        self.root = root
        self.monkeypatch = monkeypatch
        command = ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(root)]
        try:
            mounted = subprocess.run(command, capture_output=True, check=False)
        except FileNotFoundError:  # no mount command
            self.mounted = False
        else:
            self.mounted = mounted.returncode == 0

    def fill(self):
        if not self.mounted:

            def no_space(*args, **kwargs):
                raise OSError(errno.ENOSPC, "No space left on device")

            self.monkeypatch.setattr(FileSystemStorage, "_save", no_space)
            return
        try:
            with open(self.root / "remplissage", "wb") as filler:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC

    def free(self):
        if self.mounted:
            (self.root / "remplissage").unlink()
        else:
            self.monkeypatch.undo()

    def unmount(self):
        if self.mounted:
            subprocess.run(["umount", str(self.root)], check=True)


@pytest.fixture
def disk(tmp_path, settings, monkeypatch):
    root = tmp_path / "media"
    root.mkdir()
    disk = Disk(root, monkeypatch)
    settings.MEDIA_ROOT = root
    yield disk
    disk.unmount()


def identity(client, logo_name, **fields):
    data = {"name": "Ville A", "accent_color": "#000091", **fields}
    logo = SimpleUploadedFile(logo_name, png(size=(300, 200)), content_type="image/png")
    return client.post("/gestion/reglages/identite/", {**data, "logo": logo})


def test_a_logo_uploaded_on_a_full_disk_gets_a_clear_message_and_loses_nothing(town_a, disk):
    admin = MembershipFactory(territory=town_a, role="admin").user
    client = logged_in_client(town_a, admin)
    assert identity(client, "ancien.png").status_code == 302
    town_a.refresh_from_db()
    old_logo = town_a.logo.name
    old_content = (disk.root / old_logo).read_bytes()

    disk.fill()
    response = identity(client, "nouveau.png", name="Ville A-sur-Mer", accent_color="#18753c")

    assert response.status_code == 400
    assert "l’espace de stockage du serveur est plein" in response.text
    assert 'value="Ville A-sur-Mer"' in response.text  # what was typed is still there
    assert 'value="#18753c"' in response.text
    town_a.refresh_from_db()
    assert (town_a.name, town_a.accent_color, town_a.logo.name) == ("Ville A", "#000091", old_logo)
    assert (disk.root / old_logo).read_bytes() == old_content
    identity_dir = (disk.root / old_logo).parent
    assert [path.name for path in identity_dir.iterdir()] == [(disk.root / old_logo).name]

    disk.free()  # once space is back, the same form goes through
    response = identity(client, "nouveau.png", name="Ville A-sur-Mer", accent_color="#18753c")
    assert response.status_code == 302
    town_a.refresh_from_db()
    assert town_a.name == "Ville A-sur-Mer" and town_a.logo.name.endswith("nouveau.png")
