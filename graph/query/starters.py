"""Where to begin: three first questions worth asking of these notes, computed from the notes themselves.

The explorer's first screen offers them as buttons, so a new user sees what
the app can answer before learning its controls:

* the most connected **service** (the topic a map of the notes is best centred on);
* a **coverage check** against the built-in exam syllabus these notes match
  best (:func:`detect_syllabus`: the largest share of its catalog services
  named in the notes, at least :data:`MIN_SYLLABUS_SHARE`);
* a **path** between the two ends of the longest pipeline the notes state
  (an arrow chain such as ``Kinesis → Firehose → S3 → Athena``), so the route
  drawn is one the student wrote.

Each is left out when the notes do not support it (no service, no syllabus
shares enough services, no pipeline of three topics or more).

>>> from graph.store.build import build_notes
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "a.md").write_text("# Flow\\n\\nAmazon Kinesis -> Amazon S3 -> Amazon Athena\\n")
>>> [s.kind for s in starter_actions(build_notes(folder).graph)]
['topic', 'path']
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from graph.model import SERVICE, service_key
from graph.query.describe import summarize
from graph.sources.syllabus import SyllabusError, builtin_syllabi, load_syllabus
from graph.store.index import explore_index

__all__ = ["MIN_PIPELINE", "MIN_SYLLABUS_SHARE", "Starter", "detect_syllabus", "starter_actions"]

#: A syllabus is offered when at least this share of its catalog services is named in the notes.
MIN_SYLLABUS_SHARE = 0.1
#: Fewest topics in a pipeline whose ends make a path worth showing.
MIN_PIPELINE = 3


@dataclass(frozen=True)
class Starter:
    """One first action: ``kind`` (``"topic"``, ``"gaps"`` or ``"path"``), a ``title`` for its button, a ``why``
    sentence, and what it opens: ``focus`` (a node id), ``target`` (path end) or ``syllabus`` (a built-in name)."""

    kind: str
    title: str
    why: str
    focus: str = ""
    target: str = ""
    syllabus: str = ""


def detect_syllabus(graph: nx.MultiDiGraph) -> tuple[str, float] | None:
    """The built-in syllabus the notes match best and the share of its catalog services they name, or ``None``.

    Ties go to the syllabus with more services (the broader exam), then to the name.
    """
    scored = []
    for name in builtin_syllabi():
        try:
            syllabus = load_syllabus(name)
        except SyllabusError:
            continue
        ids = {e.catalog_id for e in syllabus.entries if e.catalog_id}
        if ids:
            share = sum(1 for i in ids if service_key(i) in graph) / len(ids)
            scored.append((-share, -len(ids), name))
    if not scored:
        return None
    share, _, name = min(scored)
    return (name, round(-share, 3)) if -share >= MIN_SYLLABUS_SHARE else None


def starter_actions(graph: nx.MultiDiGraph) -> list[Starter]:
    """Up to three first actions for *graph* (see the module notes), in the order topic, gaps, path."""
    starters = []
    top = [t for t in summarize(graph, top=50)["top"] if t["type"] == SERVICE]
    if top:
        best = top[0]
        starters.append(
            Starter(
                "topic",
                f"Explore {best['label']}",
                f"the service your notes connect most: {best['stated_neighbours']} topics through stated relations",
                focus=best["id"],
            )
        )
    detected = detect_syllabus(graph)
    if detected:
        name, share = detected
        starters.append(
            Starter(
                "gaps",
                f"Check coverage of {name.upper()}",
                f"your notes name {share:.0%} of the services this exam syllabus lists",
                syllabus=name,
            )
        )
    pipeline = _longest_pipeline(graph)
    if pipeline:
        first, last = pipeline["members"][0], pipeline["members"][-1]
        label = lambda n: str(graph.nodes[n].get("label", n))  # noqa: E731
        starters.append(
            Starter(
                "path",
                f"Follow {label(first)} to {label(last)}",
                f"a pipeline your notes state ({pipeline['file']}:{pipeline['line']}), "
                f"{len(pipeline['members'])} topics long",
                focus=first,
                target=last,
            )
        )
    return starters


def _longest_pipeline(graph: nx.MultiDiGraph) -> dict | None:
    """The stated pipeline with the most services (then the most topics) and at least :data:`MIN_PIPELINE` topics,
    trimmed to start and end at a service when it has two; first in the notes on a tie."""
    best, best_key = None, None
    for pipeline in explore_index(graph).pipelines:
        members = [m for m in pipeline["members"] if m in graph]
        services = [i for i, m in enumerate(members) if graph.nodes[m].get("type") == SERVICE]
        if len(services) >= 2:
            members = members[services[0] : services[-1] + 1]
        if len(members) < MIN_PIPELINE:
            continue
        key = (len(services), len(members))
        if best_key is None or key > best_key:
            best, best_key = {**pipeline, "members": members}, key
    return best
