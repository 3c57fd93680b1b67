"""A newcomer downloads the whole public network: on /open-data/ they find the demo's dump
with its licence and checksums, download the latest ZIP, and it unzips to the CSV files its
README documents, the demo's federation among the co-ops."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from playwright.sync_api import Page, expect

from opendata.dcat import LICENCE
from opendata.selectors import published
from tests.opendata.conftest import documented_columns, header, rows

FEDERATION = "Federation of Co-operative Makers"


def test_a_visitor_downloads_the_latest_dump_and_it_unzips_to_the_files_its_readme_documents(
    page: Page, tmp_path: Path
):
    dump = published().first()
    assert dump is not None, "the demo publishes a dump"

    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open data")
    latest = page.locator(f"#v{dump.version}")
    expect(latest.get_by_role("link", name="CC BY 4.0")).to_have_attribute("href", LICENCE)
    expect(latest.locator("code").first).to_have_text(dump.zip_sha256)

    with page.expect_download() as download_info:
        latest.get_by_role("link", name="CSV files and README (ZIP)").click()
    download = download_info.value
    assert download.suggested_filename == f"{dump.stem}.zip"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    assert hashlib.sha256(saved.read_bytes()).hexdigest() == dump.zip_sha256
    with zipfile.ZipFile(saved) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    documented = documented_columns(files["README.md"].decode())
    assert set(files) == {"README.md", "dcat.jsonld", *documented}
    for name, columns in documented.items():
        assert header(files[name]) == columns, name
    coops = {row["name"]: row for row in rows(files["coops.csv"])}
    assert coops[FEDERATION]["kind"] == "federation"
    assert coops[FEDERATION]["status"] == "member"
    people = rows(files["people.csv"])
    assert len(people) == dump.counts["people"] > 0
