"""Reading what the partners received."""

import re

from django.core import mail


def emails_to(address):
    return [message for message in mail.outbox if address in message.to]


def answer_links(message):
    """{'maybe': url, 'nothing': url, 'unsubscribe': url} from an alert email."""
    urls = re.findall(r"https?://\S+/partenaires/reponse/\S+/", message.body)
    return dict(zip(["maybe", "nothing", "unsubscribe"], urls, strict=True))


def path_of(url):
    return "/" + url.split("/", 3)[3]
