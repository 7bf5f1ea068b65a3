"""``notes-graph build`` on a terminal: progress after a second, Ctrl-C ends it with one line and keeps the graph file.

The command runs in a pseudo-terminal (as in a person's shell) so that stderr is a TTY; the same build with
``--json`` or into a pipe prints no progress at all.
"""

from __future__ import annotations

import io
import json
import os
import pty
import select
import signal
import subprocess
import sys
import time

import pytest

from graph.cli.progress import TerminalProgress, progress_line
from graph.store.build import Progress

NOTE = "# Topic {n}\n\nAmazon SQS feeds AWS Lambda; Amazon S3 stores what Amazon Athena reads.\n\n- {n} -> Amazon SNS\n"


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_line_says_files_done_of_total_and_the_current_file():
    assert progress_line(Progress(3, 10, "notes/s3.md")) == "Analysing notes: 3 of 10 files (30%), now notes/s3.md"
    assert progress_line(Progress(10, 10, "")) == "Analysing notes: 10 of 10 files (100%)"
    hostile = progress_line(Progress(1, 2, "evil\x1b]0;title\x07.md"), width=40)
    assert hostile == "Analysing notes: 1 of 2 files (50%), no…" and "\x1b" not in hostile


def test_nothing_is_drawn_in_the_first_second_nor_off_a_terminal():
    quick = TerminalProgress(FakeTerminal())
    quick(Progress(1, 2, "a.md"))
    assert quick.stream.getvalue() == ""
    slow = TerminalProgress(FakeTerminal(), delay=0)
    slow(Progress(1, 2, "a.md"))
    slow.clear()
    assert slow.stream.getvalue() == "\r\x1b[KAnalysing notes: 1 of 2 files (50%), now a.md\r\x1b[K"
    piped = TerminalProgress(io.StringIO(), delay=0)
    piped(Progress(1, 2, "a.md"))
    assert piped.stream.getvalue() == ""


class InterruptedTerminal(FakeTerminal):
    """A terminal where Ctrl-C lands while the progress line is being flushed: the text is out, the call is not."""

    def flush(self) -> None:
        if self.getvalue() and not self.getvalue().endswith("\r\x1b[K"):
            raise KeyboardInterrupt


def test_a_line_interrupted_while_drawn_is_still_wiped():
    shown = TerminalProgress(InterruptedTerminal(), delay=0)
    with pytest.raises(KeyboardInterrupt):
        shown(Progress(1, 2, "a.md"))
    shown.clear()
    assert shown.stream.getvalue() == "\r\x1b[KAnalysing notes: 1 of 2 files (50%), now a.md\r\x1b[K"


def in_terminal(args: list[str], cwd, until: str | None = None, then_signal: int | None = None, timeout=300):
    """Run ``notes-graph ARGS`` with stdout and stderr on a pseudo-terminal: (exit status, everything shown).

    With *until*, send *then_signal* to the process group (as a terminal's Ctrl-C does) once *until* is shown.
    """
    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "graph.cli", *args]
    process = subprocess.Popen(command, stdout=follower, stderr=follower, cwd=cwd, start_new_session=True)
    os.close(follower)
    shown, sent = b"", False
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed: the process ended
                break
            if not chunk:
                break
            shown += chunk
        if until and not sent and until.encode() in shown:
            os.killpg(process.pid, then_signal)
            sent = True
        if process.poll() is not None and not ready:
            break
    os.close(leader)
    return process.wait(timeout=60), shown.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def many_notes(tmp_path_factory):
    folder = tmp_path_factory.mktemp("many") / "notes"
    folder.mkdir()
    for n in range(1000):
        (folder / f"n{n:04d}.md").write_text(NOTE.format(n=n) * 3, encoding="utf-8")
    return folder


def test_a_build_on_a_terminal_shows_progress_and_then_only_the_summary(many_notes, tmp_path):
    status, shown = in_terminal(["build", str(many_notes), "-o", str(tmp_path / "g.json"), "--no-cache"], tmp_path)
    assert status == 0, shown
    assert "\r\x1b[KAnalysing notes: " in shown and " of 1,000 files (" in shown
    assert "Analysing notes: 1,000 of 1,000 files (100%)" in shown
    summary = shown.rsplit("\r\x1b[K", 1)[1]  # the line is wiped before the summary
    assert summary.lstrip().startswith(f"Built {tmp_path / 'g.json'} from 1000 note file(s)")


def test_json_and_pipes_stay_clean(many_notes, tmp_path):
    status, shown = in_terminal(["build", str(many_notes), "-o", str(tmp_path / "g.json"), "--json"], tmp_path)
    assert status == 0 and "Analysing" not in shown and "\x1b" not in shown
    assert json.loads(shown)["files"] == 1000
    command = [sys.executable, "-m", "graph.cli", "build", str(many_notes), "-o", str(tmp_path / "h.json")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0 and done.stderr == "" and done.stdout.startswith("Built ")


def test_ctrl_c_ends_the_build_with_one_line_and_keeps_the_earlier_graph_file(many_notes, tmp_path):
    graph_file = tmp_path / "g.json"
    graph_file.write_text('{"an": "earlier graph"}', encoding="utf-8")
    args = ["build", str(many_notes), "-o", str(graph_file), "--no-cache"]
    status, shown = in_terminal(args, tmp_path, until="Analysing notes", then_signal=signal.SIGINT)
    assert status == 130, shown
    assert "Traceback" not in shown and "KeyboardInterrupt" not in shown
    last = shown.rsplit("\r\x1b[K", 1)[1].strip()
    assert last == f"notes-graph: build cancelled (Ctrl-C); {graph_file} is unchanged"
    assert graph_file.read_text(encoding="utf-8") == '{"an": "earlier graph"}'
