"""A build in a real browser (Debian's chromium, Playwright, ``streamlit run`` on loopback): its progress shows files
done of total and the current file, Cancel stops it, the graph shown before stays, and the stopped build is not
kept as done (pressing Build again builds it for real); a .zip of notes uploads in one request and the status says
how long reading it took. Screenshots go to ``out/browser/``."""

from __future__ import annotations

import io
import re
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from browser_helpers import CHROMIUM, REPO, OutsideGuard, StreamlitServer, guarded_context, launch_chromium

OUT = REPO / "out" / "browser"
NOTE = (
    "# Pipeline {n}\n\nAmazon Kinesis feeds Amazon S3; AWS Glue catalogs it and Amazon Athena queries it.\n\n"
    "- Amazon SQS -> AWS Lambda -> Amazon DynamoDB\n- **Shard** — a unit of capacity of a stream\n\nRun {run}\n"
)

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")


@pytest.fixture
def notes(tmp_path) -> Path:
    """500 notes never built before (the user's extraction cache has none of them): a build of several seconds."""
    folder = tmp_path / "notes"
    folder.mkdir()
    run = uuid.uuid4().hex
    for n in range(500):
        (folder / f"note{n:03d}.md").write_text(NOTE.format(n=n, run=run) * 4, encoding="utf-8")
    return folder


@pytest.fixture
def app_url(tmp_path, notes):
    with StreamlitServer(log=tmp_path / "streamlit.log", app_args=("--notes-root", str(notes.parent))) as server:
        yield server.url


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        guard = OutsideGuard()
        yield guarded_context(browser, guard, viewport={"width": 1400, "height": 1000}).new_page()
        browser.close()
        assert guard.outside == [], "requests to other hosts"


def test_a_build_shows_progress_and_cancel_keeps_the_graph_shown(app_url, notes, page):
    OUT.mkdir(parents=True, exist_ok=True)
    page.goto(app_url)
    page.get_by_text(re.compile(r"^Built \d+ topics, \d+ relations from 1 file")).wait_for(timeout=120_000)
    page.get_by_text("A folder on this machine").click()
    box = page.get_by_label("Folder or file", exact=True).and_(page.locator("input"))
    box.fill(str(notes))
    box.press("Enter")
    page.get_by_role("button", name="Build", exact=True).click()
    progress = page.get_by_text(" files analysed", exact=False).first
    progress.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => /[1-9][0-9]* of 500 files analysed · now note[0-9]{3}\\.md/.test(document.body.innerText)",
        timeout=60_000,
    )
    page.screenshot(path=str(OUT / "build-progress.png"))
    page.get_by_role("button", name="Cancel").click()
    cancelled = page.get_by_text("cancelled. Still showing the bundled notes.", exact=False)
    cancelled.wait_for(timeout=60_000)
    page.screenshot(path=str(OUT / "build-cancelled.png"))
    assert page.get_by_text("from 500 file(s)", exact=False).count() == 0

    page.get_by_role("button", name="Build", exact=True).click()  # not kept as done: it builds again, from 0
    page.get_by_text(" files analysed", exact=False).first.wait_for(timeout=60_000)
    page.get_by_text(re.compile(r"^Built \d+ topics, \d+ relations from 500 file")).wait_for(timeout=300_000)
    page.get_by_text("cancelled.", exact=False).wait_for(state="detached", timeout=60_000)  # gone when the run ends


@pytest.fixture
def bundled_url(tmp_path):
    with StreamlitServer(log=tmp_path / "streamlit.log") as server:
        yield server.url


def test_a_zip_of_notes_uploads_in_one_request_and_the_status_says_how_long_reading_took(bundled_url, page):
    """Issue 15: notes uploaded one file each took minutes to settle (one request and one re-render of the file list
    per file); a .zip of them is one request, and its hostile entries are skipped with a message."""
    run = uuid.uuid4().hex
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(200):
            archive.writestr(f"course/week{n % 5}/note{n:03d}.md", NOTE.format(n=n, run=run))
        archive.writestr("../../outside.md", "# Amazon Macie\n")
    uploads: list[str] = []
    page.on("requestfinished", lambda r: uploads.append(r.url) if "/_stcore/upload_file/" in r.url else None)
    page.goto(bundled_url)
    page.get_by_text(re.compile(r"^Built \d+ topics, \d+ relations from \d+ file")).wait_for(timeout=120_000)
    page.get_by_text("Uploaded files").click()
    dropzone = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    dropzone.wait_for(state="attached")
    dropzone.set_input_files([{"name": "course.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}])
    deadline = time.monotonic() + 60
    while not uploads or page.locator('[data-testid="stStatusWidget"]').count():
        assert time.monotonic() < deadline, "the zip was not uploaded"
        page.wait_for_timeout(100)
    page.get_by_role("button", name="Build", exact=True).click()
    status = page.get_by_text(re.compile(r"^Built \d+ topics, \d+ relations from 200 file\(s\) in [\d.]+ s \(uploads"))
    status.wait_for(timeout=300_000)
    reading, waited = re.search(r"in ([\d.]+) s \(uploads read in ([\d.]+) s\)$", status.inner_text()).group(2, 1)
    assert 0 <= float(reading) <= float(waited)
    assert len(uploads) == 1  # the whole course in one request
    page.get_by_text("Build summary").click()
    page.get_by_text("1 file(s) skipped or read with a caveat").wait_for()
    page.screenshot(path=str(OUT / "upload-zip.png"))
