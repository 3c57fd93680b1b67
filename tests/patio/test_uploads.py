"""Uploads over the limit are refused while they stream: no temporary file, a clear form error."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from PIL import Image

from members.forms import OrganisationForm
from members.models import Organisation

pytestmark = pytest.mark.django_db


def png(size: tuple[int, int] = (32, 32), padding: int = 0) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    # A PNG may carry bytes after its end: a valid image of any length.
    return buffer.getvalue() + b"\0" * padding


def coop_form_data(coop: Organisation, **changes: object) -> dict[str, object]:
    values = model_to_dict(coop, fields=[f for f in OrganisationForm._meta.fields if f != "logo"])
    data: dict[str, object] = {}
    for name, value in (values | changes).items():
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = "" if value is None else value
    return data


@pytest.fixture
def upload_dirs(settings, tmp_path: Path) -> tuple[Path, Path]:
    temp, media = tmp_path / "temp", tmp_path / "media"
    temp.mkdir()
    media.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(temp)
    settings.MEDIA_ROOT = str(media)
    settings.UPLOAD_MAX_BYTES = 512 * 1024
    return temp, media


def test_a_logo_over_the_limit_is_refused_with_the_limit_and_nothing_on_disk(
    login, coop_admin, upload_dirs
):
    temp, media = upload_dirs
    coop = coop_admin.organisation
    client = login(coop_admin.user)
    big = SimpleUploadedFile("logo.png", png(padding=3 * 1024 * 1024), content_type="image/png")

    response = client.post(
        f"/coops/{coop.slug}/edit/",
        coop_form_data(coop, short_description="Renamed while uploading") | {"logo": big},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "This file is too large. Files can be at most 512.0\xa0KB." in page
    # The rest of the form arrived: what the person typed is still there.
    assert "Renamed while uploading" in page
    assert list(temp.iterdir()) == [] and list(media.rglob("*")) == []
    coop.refresh_from_db()
    assert coop.short_description != "Renamed while uploading" and not coop.logo


def test_a_logo_within_the_limit_is_saved(login, coop_admin, upload_dirs):
    temp, media = upload_dirs
    coop = coop_admin.organisation
    client = login(coop_admin.user)
    small = SimpleUploadedFile("logo.png", png(), content_type="image/png")

    response = client.post(f"/coops/{coop.slug}/edit/", coop_form_data(coop) | {"logo": small})

    assert response.status_code == 302
    coop.refresh_from_db()
    assert coop.logo and (media / coop.logo.name).read_bytes() == png()
    assert list(temp.iterdir()) == []


def test_a_logo_given_to_the_form_directly_is_held_to_the_same_limit(coop, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("logo.png", png(padding=4096), content_type="image/png")

    form = OrganisationForm(coop_form_data(coop), {"logo": big}, instance=coop)

    assert not form.is_valid()
    assert form.errors["logo"] == ["This file is too large. Files can be at most 1.0\xa0KB."]
