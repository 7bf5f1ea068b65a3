"""A build in a real browser (Debian's chromium, Playwright, ``streamlit run`` on loopback): its progress shows files
done of total and the current file, Cancel stops it, the graph shown before stays, and the stopped build is not
kept as done (pressing Build again builds it for real); notes chosen in the upload control (files, a folder or a
.zip) go to the app in one message and the status says how long reading them took. Screenshots: ``out/browser/``."""

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


def choose(page, url: str, control: str, files) -> float:
    """Open *url*, choose *files* in the sidebar's upload control (*control*: "Files" or "Folder"), wait until the
    page has them; the seconds from the choice to the control saying so."""
    if page.url != url:
        page.goto(url)
        # The graph drawn: a page on notes the server has built already shows no build status.
        page.locator(".ng-root").wait_for(timeout=120_000)
        page.get_by_text("Uploaded files").click()
    before = page.get_by_test_id("ngUploadStatus").inner_text() if page.get_by_test_id("ngUploadStatus").count() else ""
    chooser = page.get_by_test_id(f"ngUpload{control}")
    chooser.wait_for(state="attached")
    start = time.monotonic()
    chooser.set_input_files(files)
    status = page.get_by_test_id("ngUploadStatus")
    deadline = start + 60
    while not status.inner_text().endswith("press Build.") or status.inner_text() == before:
        assert time.monotonic() < deadline, f"the control still says {status.inner_text()!r}"
        page.wait_for_timeout(50)
    return time.monotonic() - start


def built_status(page, files: int):
    page.get_by_role("button", name="Build", exact=True).click()
    status = page.get_by_text(re.compile(rf"^Built \d+ topics, \d+ relations from {files} file\(s\) in [\d.]+ s \(upl"))
    status.wait_for(timeout=300_000)
    return status


def test_200_notes_chosen_as_files_go_in_one_message_and_what_is_kept_back_is_named(bundled_url, page, tmp_path):
    """Issue 15: 1,500 notes chosen in Streamlit's uploader took minutes to settle (a request and a redraw of its
    file list per file); the upload control reads them in the browser and sends them in one websocket message, and
    keeps back, before sending, what is not a note or is over a limit."""
    run = uuid.uuid4().hex
    notes = [
        {"name": f"note{n:03d}.md", "mimeType": "text/markdown", "buffer": NOTE.format(n=n, run=run).encode()}
        for n in range(200)
    ]
    huge = {"name": "huge.md", "mimeType": "text/markdown", "buffer": b"# Huge\n" + b"x" * (6 * 1024 * 1024)}
    photo = {"name": "photo.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"}
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda frame: frames.append(len(frame))))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if "/_stcore/upload_file" in r.url else None)
    settled = choose(page, bundled_url, "Files", [*notes, huge, photo])
    text = page.get_by_test_id("ngUploadStatus").inner_text()
    assert re.fullmatch(r"200 files chosen \(\d+ KB\), 2 kept back \(see the build summary\): press Build\.", text)
    assert settled < 30  # 1,500 files took minutes in Streamlit's uploader; these are sent in one message
    sent = sum(len(n["buffer"]) for n in notes)
    assert len([f for f in frames if f > sent]) == 1 and not [f for f in frames if f > 5 * 1024 * 1024]  # not huge.md
    assert requests == []  # nothing through Streamlit's upload requests
    built_status(page, 200)
    assert len([f for f in frames if f > sent]) == 1  # the build's run did not send the notes again
    page.get_by_text("Build summary", exact=True).click()
    page.get_by_text("2 file(s) skipped or read with a caveat").wait_for()
    page.screenshot(path=str(OUT / "upload-files.png"))

    # A folder: its notes, in its subfolders; hidden files and files that are not notes are left out, as the folder
    # box reads a folder.
    folder = tmp_path / "course"
    for path in ("week1/queues.md", "week2/topics.markdown", "README.txt", ".obsidian/workspace.md", "img/a.png"):
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(f"# Amazon SQS\n\nAmazon SQS feeds AWS Lambda. {run} {path}\n", encoding="utf-8")
    choose(page, bundled_url, "Folder", folder)
    assert re.fullmatch(r"3 files chosen \(\d+ KB\): press Build\.", page.get_by_test_id("ngUploadStatus").inner_text())
    built_status(page, 3)


def test_a_zip_of_notes_goes_in_one_message_and_the_status_says_how_long_reading_took(bundled_url, page):
    """A .zip of notes is sent whole (as base64) and read in memory like a folder; its hostile entries are skipped
    with a message."""
    run = uuid.uuid4().hex
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(200):
            archive.writestr(f"course/week{n % 5}/note{n:03d}.md", NOTE.format(n=n, run=run))
        archive.writestr("../../outside.md", "# Amazon Macie\n")
    choose(
        page, bundled_url, "Files", [{"name": "course.zip", "mimeType": "application/zip", "buffer": buffer.getvalue()}]
    )
    status = built_status(page, 200)
    reading, waited = re.search(r"in ([\d.]+) s \(uploads read in ([\d.]+) s\)$", status.inner_text()).group(2, 1)
    assert 0 <= float(reading) <= float(waited)
    page.get_by_text("Build summary", exact=True).click()
    page.get_by_text("1 file(s) skipped or read with a caveat").wait_for()
    page.screenshot(path=str(OUT / "upload-zip.png"))
