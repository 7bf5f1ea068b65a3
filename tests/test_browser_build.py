"""A build in a real browser (Debian's chromium, Playwright, ``streamlit run`` on loopback): its progress shows files
done of total and the current file, Cancel stops it, the graph shown before stays, and the stopped build is not
kept as done (pressing Build again builds it for real). Screenshots go to ``out/browser/``."""

from __future__ import annotations

import re
import uuid
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

