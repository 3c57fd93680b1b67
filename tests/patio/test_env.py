"""Settings read from the environment fail loudly on a bad value instead of guessing."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from patio.env import email_settings, env_bool, env_int, env_list, redis_cache_url


@pytest.mark.pure
@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("true", True), ("off", False), ("0", False)]
)
def test_booleans_are_read_in_their_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("PATIO_FLAG", raw)
    assert env_bool("PATIO_FLAG", not expected) is expected


@pytest.mark.pure
def test_a_boolean_that_is_not_one_names_the_variable(monkeypatch):
    monkeypatch.setenv("PATIO_FLAG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="PATIO_FLAG"):
        env_bool("PATIO_FLAG", False)


@pytest.mark.pure
def test_an_integer_that_is_not_one_names_the_variable(monkeypatch):
    monkeypatch.setenv("PATIO_NUMBER", "12h")
    with pytest.raises(ImproperlyConfigured, match="PATIO_NUMBER"):
        env_int("PATIO_NUMBER", 1)


@pytest.mark.pure
def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("PATIO_HOSTS", " patio.example , api.patio.example,")
    assert env_list("PATIO_HOSTS", []) == ["patio.example", "api.patio.example"]


@pytest.mark.pure
def test_smtp_email_url_becomes_djangos_settings():
    settings = email_settings("smtp://mailer:s%40cret@mail.patio.example:587?tls=1")
    assert settings["EMAIL_HOST"] == "mail.patio.example"
    assert settings["EMAIL_PORT"] == 587
    assert settings["EMAIL_HOST_USER"] == "mailer"
    assert settings["EMAIL_HOST_PASSWORD"] == "s@cret"
    assert settings["EMAIL_USE_TLS"] is True
    assert settings["EMAIL_USE_SSL"] is False


@pytest.mark.pure
@pytest.mark.parametrize("url", ["pigeon://mail.example", "smtp://", "smtp://host:notaport"])
def test_an_email_url_that_cannot_work_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        email_settings(url)


@pytest.mark.pure
def test_the_cache_uses_the_next_redis_database_after_the_brokers():
    assert redis_cache_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert redis_cache_url("redis://:pw@redis:6379") == "redis://:pw@redis:6379/1"


@pytest.mark.django_db
def test_clearing_the_cache_keeps_queued_tasks():
    from django.core.cache import cache

    from patio.celery import app, ping

    app.control.purge()
    ping.delay()
    with app.connection_for_read() as conn:
        queued_before = conn.default_channel.client.llen("celery")
    cache.clear()
    with app.connection_for_read() as conn:
        queued_after = conn.default_channel.client.llen("celery")
        app.control.purge()
    assert queued_before == 1
    assert queued_after == 1
