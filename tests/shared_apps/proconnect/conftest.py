"""ProConnect on, pointed at the local provider."""

import pytest


@pytest.fixture
def proconnect(local_proconnect, settings):
    for name, value in local_proconnect.settings().items():
        setattr(settings, name, value)
    return local_proconnect
