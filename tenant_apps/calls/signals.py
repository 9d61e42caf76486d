"""What a call tells the rest of the product; the apps that care connect to these.

`application_decided` is sent (after commit) for each application whose decision is
recorded or changed, with `application`; `call_decided` once the call's decisions are all
recorded and the call is marked decided, with `call`."""

from django.dispatch import Signal

application_decided = Signal()
call_decided = Signal()
