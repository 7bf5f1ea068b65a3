"""The explorer's flow in a real browser (Debian's chromium, driven by Playwright, against the server as
``notes-graph app`` starts it): the place is kept and shared, every answer is one click from focus, the layout
fits a laptop and a phone.

* the chosen view survives a rerun (choosing a syllabus, a path end, a filter) and a reload;
* a link restores view, syllabus and path end;
* choosing a row of a gap table, a cluster, a path's hop focuses the topic (the URL's ``focus`` follows);
* at 1400x900 the graph and the topic card start side by side above the fold; at phone width they stack.

Nothing is fetched from any host but loopback (every other request is blocked and fails the test).
These tests read the page (headings, URL, tables), not the graph's drawing, which tests/test_browser.py checks.
Screenshots go to ``out/browser/``.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs

import pytest
from browser_helpers import CHROMIUM, REPO, OutsideGuard, StreamlitServer, guarded_context, launch_chromium

from graph.gaps.report import gap_report
from graph.query.overview import topic_clusters
from graph.ui.tables import shown_clusters

OUT = REPO / "out" / "browser"
#: Seconds to wait for the server, and for the page to show what a step asked for.
START_TIMEOUT, WAIT = 60, 60
#: The graph in the page (the component of graph/ui/component/graph.js).
GRAPH = ".ng-root"
#: A table's header and row height in pixels (Streamlit's data grid), and the x of its row-selection box.
HEADER, ROW, MARKER_X = 35, 35, 18

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed (scripts/test.sh installs Debian's chromium)"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The explorer on the bundled notes, started as ``notes-graph app`` starts it (pipeline made at start)."""
    log = tmp_path_factory.mktemp("logs") / "streamlit.log"
    with StreamlitServer(log=log, warmup=True, wait=START_TIMEOUT) as app:
        yield app.url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def _open(browser, width: int, height: int, **options):
    guard = OutsideGuard()
    context = guarded_context(browser, guard, viewport={"width": width, "height": height}, **options)
    tab = context.new_page()
    tab.set_default_timeout(WAIT * 1000)
    return context, tab, guard.outside


@pytest.fixture
def page(browser):
    context, tab, outside = _open(browser, 1400, 900)
    yield tab
    context.close()
    assert outside == [], "requests to other hosts"


@pytest.fixture
def phone(browser):
    context, tab, outside = _open(browser, 390, 844, is_mobile=True, has_touch=True, device_scale_factor=2)
    yield tab
    context.close()
    assert outside == [], "requests to other hosts"


# --- helpers: what the page shows ---------------------------------------------------------------------------------


def params(page) -> dict[str, str]:
    """The address bar's query parameters (read in the page: Playwright's ``page.url`` lags behind pushState)."""
    query = page.evaluate("() => window.location.search").removeprefix("?")
    return {key: values[-1] for key, values in parse_qs(query).items()}


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"waited {WAIT} s for {what}")


def wait_idle(page) -> None:
    """Until the app has finished its run (Streamlit's running indicator gone for a second)."""
    quiet = 0
    deadline = time.monotonic() + WAIT
    while quiet < 4:
        assert time.monotonic() < deadline, "the app kept running"
        quiet = quiet + 1 if page.locator('[data-testid="stStatusWidget"]').count() == 0 else 0
        time.sleep(0.25)


def topic_card(page, name: str):
    """The topic card's heading once it names *name* and the run that drew it has ended (until then the page may
    hold the old elements beside the new)."""
    heading = page.get_by_role("heading", name=name, exact=True).first
    heading.wait_for()
    wait_idle(page)
    return heading


def view_button(page, name: str):
    return page.get_by_role("radiogroup", name="View").get_by_role("radio", name=name)


def chosen_view(page) -> str:
    return page.get_by_role("radiogroup", name="View").locator('[aria-checked="true"]').first.inner_text().strip()


def choose_view(page, name: str) -> None:
    """Choose the view *name* and wait for the run that shows it (it writes the view into the URL)."""
    view_button(page, name).click()
    wanted = None if name == "Topic" else name.lower()
    wait_for(lambda: params(page).get("view") == wanted, f"the {name} view in the URL")
    wait_idle(page)


def table_after(page, title: str):
    """The data frame that follows the text *title* on the page."""
    heading = page.get_by_text(title, exact=False).first
    heading.wait_for()
    heading.scroll_into_view_if_needed()
    return heading.locator("xpath=following::*[@data-testid='stDataFrame'][1]")


def choose_row(page, table, row: int) -> None:
    """Tick *row*'s selection box in *table* (a data frame with row selection), as a person does."""
    table.scroll_into_view_if_needed()
    time.sleep(0.3)  # the scroll settles before the box is measured
    box = table.bounding_box()
    page.mouse.click(box["x"] + MARKER_X, box["y"] + HEADER + row * ROW + ROW / 2)


def selectbox_text(page, label: str) -> str:
    """What the selectbox labelled *label* shows."""
    box = page.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    return box.locator("input").first.input_value() or box.inner_text()


def shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"flow-{name}.png"))


# --- the place is kept --------------------------------------------------------------------------------------------


def test_the_chosen_view_survives_reruns_and_a_reload(server, page):
    page.goto(server)
    topic_card(page, "Amazon Kinesis")
    assert chosen_view(page) == "Topic"
    choose_view(page, "Gaps")
    syllabus = page.get_by_label("Check coverage of an exam syllabus")
    syllabus.click()
    page.get_by_role("option", name="SAA-C03").click()
    wait_for(lambda: params(page).get("syllabus") == "saa-c03", "the syllabus in the URL")
    wait_idle(page)
    assert chosen_view(page) == "Gaps"  # the rerun that answered kept the view
    page.get_by_text("Missing (84)").wait_for()
    choose_view(page, "Path")
    page.get_by_role("button", name="Amazon S3", exact=True).click()  # a pipeline partner: a path end in one click
    wait_for(lambda: params(page).get("to") == "service:s3", "the path end in the URL")
    wait_idle(page)
    assert chosen_view(page) == "Path"
    page.reload()
    topic_card(page, "Amazon Kinesis")
    assert chosen_view(page) == "Path"
    assert params(page) == {"view": "path", "focus": "service:kinesis", "to": "service:s3", "syllabus": "saa-c03"}
    shot(page, "view-kept")


def test_the_folded_filter_bar_opens_and_stays_open_while_its_filters_change(server, page):
    """Its controls are made only while it is open (issue 14: fewer widgets to draw on each click); a change reruns
    the explorer, and the bar stays open (its label never changes: a new label would fold it again)."""
    page.goto(server)
    topic_card(page, "Amazon Kinesis")
    stated = page.get_by_text("Stated only", exact=True)
    assert stated.count() == 0  # folded: not made
    page.get_by_text("Graph filters: depth 1, up to 40 topics.").wait_for()  # what is set, said under the graph
    page.locator('[data-testid="stExpander"] summary').filter(has_text="Graph filters").first.click()
    stated.wait_for()
    wait_idle(page)
    stated.click()
    wait_for(lambda: params(page).get("stated") == "1", "stated=1 in the URL")
    page.get_by_text("Graph filters: depth 1, stated relations only, up to 40 topics.").wait_for()
    wait_idle(page)
    assert stated.is_visible()  # still open after the run the change started
    shot(page, "filters-open")


def test_a_link_restores_view_syllabus_and_path_end(server, page):
    page.goto(f"{server}?view=gaps&syllabus=clf-c02&focus=sqs")
    topic_card(page, "Amazon SQS")
    assert chosen_view(page) == "Gaps"
    assert "CLF-C02" in selectbox_text(page, "Check coverage of an exam syllabus")
    page.get_by_text("Missing (77)").wait_for()
    page.goto(f"{server}?view=path&focus=kinesis&to=quicksight")
    topic_card(page, "Amazon Kinesis")
    assert chosen_view(page) == "Path"
    page.get_by_text("stated in your notes at aws-study-notes.md:854").first.wait_for()
    page.get_by_text("Picked out on the graph: Path: Amazon Kinesis → Amazon Data Firehose", exact=False).wait_for()


# --- every answer one click from focus ----------------------------------------------------------------------------


def test_choosing_a_gap_row_focuses_its_topic(server, page, bundled_graph):
    page.goto(f"{server}?view=gaps")
    topic_card(page, "Amazon Kinesis")
    table = table_after(page, "Mentioned but never explained")
    name = gap_report(bundled_graph, None).unexplained[0].label  # the first row, as the page lists them
    choose_row(page, table, 0)
    topic_card(page, name)
    assert params(page)["focus"] != "service:kinesis" and chosen_view(page) == "Gaps"
    shot(page, "gap-row")


def test_choosing_a_cluster_focuses_it_and_picks_it_out(server, page, bundled_graph):
    page.goto(f"{server}?view=overview")
    topic_card(page, "Amazon Kinesis")
    table = table_after(page, "The largest topic clusters")
    central = shown_clusters(topic_clusters(bundled_graph))[2].members[0].label  # row 3's most central topic
    choose_row(page, table, 2)
    topic_card(page, central)
    page.get_by_text("Picked out on the graph: Cluster 3", exact=False).wait_for()
    assert chosen_view(page) == "Overview"
    shot(page, "cluster")


def test_choosing_a_path_hop_focuses_it(server, page):
    page.goto(f"{server}?view=path&focus=kinesis&to=quicksight")
    topic_card(page, "Amazon Kinesis")
    table = table_after(page, "1. Amazon Kinesis → Amazon Data Firehose")
    choose_row(page, table, 1)  # "Amazon Data Firehose delivers to Amazon S3"
    topic_card(page, "Amazon S3")
    assert params(page)["focus"] == "service:s3" and chosen_view(page) == "Path"
    shot(page, "path-hop")


# --- the layout ---------------------------------------------------------------------------------------------------


def test_graph_and_topic_card_side_by_side_above_the_fold(server, page):
    page.goto(server)
    card = topic_card(page, "Amazon Kinesis").bounding_box()
    graph = page.locator(GRAPH).bounding_box()
    assert graph["y"] < 600 and card["y"] < 600, (graph, card)  # both start in the top two thirds of 900 px
    assert card["x"] >= graph["x"] + graph["width"]  # the card beside the graph, not under it
    page.get_by_role("button", name="Follow Amazon Kinesis to Amazon QuickSight").wait_for()
    shot(page, "first-screen")


def test_on_a_phone_the_graph_and_the_card_stack(server, phone):
    phone.goto(server)
    heading = topic_card(phone, "Amazon Kinesis")

    def boxes():  # measured together, again until the layout has settled (the graph's frame is sized after a draw)
        card, graph = heading.bounding_box(), phone.locator(GRAPH).bounding_box()
        return (card, graph) if card["y"] > graph["y"] + graph["height"] - 5 else None

    card, graph = wait_for(boxes, "the topic card below the graph on a phone")
    assert graph["width"] > 300 and card["width"] > 300  # each takes the width of the screen
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390 + 1  # nothing runs off sideways
    view_button(phone, "Related").click()
    wait_for(lambda: chosen_view(phone) == "Related", "the Related view on a phone")
    shot(phone, "phone")
