"""`manage.py read_maildir`: a real Maildir, each reply attached once, read messages moved
to cur/, what cannot be attached to the quarantine folder."""

import mailbox

import pytest
from django.core.management import CommandError, call_command

from tenant_apps.correspondence.addresses import reply_address
from tenant_apps.correspondence.models import DemandEmail
from tests.factories import DemandFactory
from tests.tenant_apps.correspondence.helpers import reply

pytestmark = pytest.mark.django_db


def delivered(address, **kwargs):
    """A reply as Postfix leaves it in a Maildir: the envelope recipient in Delivered-To."""
    message = reply(f"Ville <{address}>", **kwargs)
    message["Delivered-To"] = address
    return message.as_bytes()


def test_replies_in_a_maildir_are_attached_once_and_moved_to_cur(tmp_path, town_a, town_b, in_town):
    with in_town(town_a):
        demand_a = DemandFactory()
        address_a = reply_address(demand_a)
    with in_town(town_b):
        demand_b = DemandFactory()
        address_b = reply_address(demand_b)
    box = mailbox.Maildir(tmp_path / "reponses")
    box.add(delivered(address_a, text="Pour la ville A."))
    box.add(delivered(address_b, text="Pour la ville B."))
    box.add(delivered(address_a.replace("reponse+", "reponse+x"), text="Faux jeton."))
    box.add(b"From: x@example.fr\nSubject: pas pour nous\n\nRien.")

    call_command("read_maildir", str(tmp_path / "reponses"))

    with in_town(town_a):
        assert [e.body for e in DemandEmail.objects.filter(demand=demand_a)] == ["Pour la ville A."]
    with in_town(town_b):
        assert [e.body for e in DemandEmail.objects.filter(demand=demand_b)] == ["Pour la ville B."]
    assert not list((tmp_path / "reponses" / "new").iterdir())
    assert sorted(p.name.split(":")[1] for p in (tmp_path / "reponses" / "cur").iterdir()) == [
        "2,S",
        "2,S",
    ]
    quarantine = mailbox.Maildir(tmp_path / "reponses" / ".quarantine")
    assert sorted(m["Subject"] for m in quarantine) == ["Re: Votre demande", "pas pour nous"]

    # The same message delivered again (a retry of the mail server) is not attached twice.
    box.add(delivered(address_a, text="Pour la ville A.", message_id="<deux-fois@example.fr>"))
    box.add(delivered(address_a, text="Pour la ville A.", message_id="<deux-fois@example.fr>"))
    call_command("read_maildir", str(tmp_path / "reponses"))
    with in_town(town_a):
        assert DemandEmail.objects.filter(demand=demand_a).count() == 2
    assert len(list((tmp_path / "reponses" / "cur").iterdir())) == 4


def test_a_path_that_is_not_a_maildir_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="n’est pas un Maildir"):
        call_command("read_maildir", str(tmp_path / "absent"))
