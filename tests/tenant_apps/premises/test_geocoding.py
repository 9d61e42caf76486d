"""The BAN client: a position when the answer is sure, None on any failure, quickly."""

import time

import pytest

from tenant_apps.premises.geocoding import geocode


def test_a_sure_answer_gives_the_position_and_the_label(geocoder):
    queries = geocoder("found")

    location = geocode("12 bd Clemenceau, 83300 Draguignan", citycode="83050")

    assert (location.latitude, location.longitude) == (43.537198, 6.464712)
    assert location.label == "12 Boulevard Georges Clemenceau 83300 Draguignan"
    assert queries[-1] == {
        "q": ["12 bd Clemenceau, 83300 Draguignan"],
        "limit": ["1"],
        "citycode": ["83050"],
    }


@pytest.mark.parametrize("mode", ["unsure", "nothing", "error", "garbage"])
def test_an_unsure_empty_failed_or_unreadable_answer_gives_nothing(geocoder, mode):
    geocoder(mode)
    assert geocode("12 bd Clemenceau, 83300 Draguignan", citycode="") is None


def test_a_hanging_geocoder_is_given_up_after_the_timeout(geocoder):
    geocoder("slow")
    started = time.perf_counter()

    assert geocode("12 bd Clemenceau, 83300 Draguignan", citycode="") is None
    assert time.perf_counter() - started < 1.2


def test_without_a_geocoder_nothing_is_asked(settings):
    settings.GEOCODER_URL = ""
    assert geocode("12 bd Clemenceau, 83300 Draguignan") is None


def test_an_unreachable_geocoder_gives_nothing(settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9/search/"  # discard port: refused
    settings.GEOCODER_TIMEOUT = 0.5
    assert geocode("12 bd Clemenceau, 83300 Draguignan", citycode="") is None


def test_an_answer_of_an_odd_shape_gives_nothing_instead_of_an_error(geocoder):
    geocoder("odd")  # "properties" is a list
    assert geocode("12 boulevard Clemenceau, Draguignan", citycode="") is None
