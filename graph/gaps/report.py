"""The gap report: every kind of coverage gap in a learner's notes, and what to do first.

Each kind of gap is one module with a function that takes the built graph
and returns plain dataclasses with the evidence behind every item (file and
line), and one :class:`~graph.gaps.base.GapKind` class that puts it behind
the interface this report iterates over (:data:`GAP_KINDS`, in this order):

- :mod:`graph.gaps.coverage`: each syllabus entry **covered**, **mentioned**
  only, or **missing**, per category and overall;
- :mod:`graph.gaps.unexplained`: topics the notes lean on but never explain;
- :mod:`graph.gaps.unfinished`: placeholders, to-dos, empty links and sections;
- :mod:`graph.gaps.thin`: explained services with no use case, no relation
  beyond co-occurrence, or only a one-line section;
- :mod:`graph.gaps.structural`: big topic clusters barely linked to each
  other, each with a bridging question;
- :mod:`graph.gaps.duplicates`: topics explained in more than one section.

:func:`gap_report` runs them all and orders the result by what to do first;
:mod:`graph.ui.report` lays it out as text or markdown. The names of the
kind modules are importable from here too.

>>> from graph.sources.bundled import BUNDLED_NOTES
>>> from graph.sources.syllabus import load_syllabus
>>> from graph.store.build import build_notes
>>> report = gap_report(build_notes(BUNDLED_NOTES).graph, load_syllabus("clf-c02"))
>>> [step.kind for step in report.steps][:2]
['syllabus', 'syllabus']
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import networkx as nx

from graph.gaps.base import GapContext, GapKind, Step
from graph.gaps.coverage import Coverage, CoverageKind
from graph.gaps.duplicates import DuplicatedTopic, DuplicatesKind
from graph.gaps.structural import StructuralGap, StructuralKind
from graph.gaps.thin import ThinKind, ThinTopic
from graph.gaps.unexplained import UnexplainedKind, UnexplainedTopic
from graph.gaps.unfinished import UnfinishedKind, UnfinishedSpot
from graph.sources.catalog import Catalog
from graph.sources.syllabus import Syllabus

__all__ = ["GAP_KINDS", "GapReport", "gap_report"]

#: The kinds of gap the report checks, in the order of what to do first (which orders the steps). Coverage
#: comes first: the kinds after it mark the topics the syllabus lists.
GAP_KINDS: tuple[GapKind, ...] = (
    CoverageKind(),
    UnexplainedKind(),
    UnfinishedKind(),
    ThinKind(),
    StructuralKind(),
    DuplicatesKind(),
)


@dataclass
class GapReport:
    """Every kind of gap, and the steps to take first.

    ``coverage`` is None without a syllabus; ``notes`` says what could not
    be checked (e.g. a graph file saved without placeholders).
    """

    files: list[str]
    coverage: Coverage | None
    steps: list[Step] = field(default_factory=list)
    unexplained: list[UnexplainedTopic] = field(default_factory=list)
    unfinished: list[UnfinishedSpot] = field(default_factory=list)
    thin: list[ThinTopic] = field(default_factory=list)
    structural: list[StructuralGap] = field(default_factory=list)
    duplicates: list[DuplicatedTopic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain JSON-ready data (tuples become lists)."""
        return asdict(self)


def gap_report(
    graph: nx.MultiDiGraph,
    syllabus: Syllabus | None = None,
    catalog: Catalog | None = None,
    min_mentions: int = 2,
    min_cluster: int | None = None,
    max_structural: int = 5,
) -> GapReport:
    """Every kind of gap in *graph*, with the steps to take first.

    Parameters
    ----------
    graph : MultiDiGraph
    syllabus : Syllabus, optional
        Check coverage against it; without one, the report has no coverage part.
    catalog : Catalog, optional
        For :func:`syllabus_coverage`.
    min_mentions : int, default 2
        For :func:`unexplained_entities`.
    min_cluster : int, optional
        Smallest cluster for :func:`structural_gaps`.
    max_structural : int, default 5
        Most structural gaps listed.

    Returns
    -------
    GapReport
        One field per kind in :data:`GAP_KINDS`. ``steps`` is ordered by what
        to do first: study what the syllabus has that the notes lack, explain
        what the notes name but never explain, finish placeholders, deepen
        thin topics, bridge clusters, merge duplicates. ``notes`` says first
        what a kind could not check for lack of data, then which kinds were
        not checked at all (no syllabus).
    """
    context = GapContext(
        syllabus=syllabus,
        catalog=catalog,
        min_mentions=min_mentions,
        min_cluster=min_cluster,
        max_structural=max_structural,
    )
    report = GapReport(files=list(graph.graph.get("files", [])), coverage=None)
    ran, not_checked = [], []
    for kind in GAP_KINDS:
        reason = kind.skip(context)
        if reason is not None:
            not_checked.append(reason)
            continue
        found = kind.find(graph, context)
        if found is None:
            report.notes.append(kind.no_data)
            continue
        context.found[kind.name] = found
        setattr(report, kind.name, found)
        ran.append((kind, found))
    report.notes += not_checked
    report.steps = [step for kind, found in ran for step in kind.steps(found, context)]
    return report
