"""Coverage gaps: what a learner's notes leave out, explain thinly, or leave unfinished.

One module per kind of gap, each with its finding function and its
:class:`GapKind` class (:mod:`graph.gaps.coverage`, :mod:`graph.gaps.unexplained`,
:mod:`graph.gaps.unfinished`, :mod:`graph.gaps.thin`,
:mod:`graph.gaps.structural`, :mod:`graph.gaps.duplicates`); what they share
in :mod:`graph.gaps.common` and :mod:`graph.gaps.base`; :func:`gap_report`
(:mod:`graph.gaps.report`) runs every kind in :data:`GAP_KINDS` and orders
the steps to take first.
"""

from graph.gaps.base import GapContext, GapKind, Step
from graph.gaps.common import MAX_PLACES, Place
from graph.gaps.coverage import (
    COVERED,
    MENTIONED,
    MISSING,
    CategoryCoverage,
    Coverage,
    CoverageItem,
    CoverageKind,
    syllabus_coverage,
)
from graph.gaps.duplicates import DuplicatedTopic, DuplicatesKind, duplicated_coverage
from graph.gaps.report import GAP_KINDS, GapReport, gap_report
from graph.gaps.structural import ClusterSummary, StructuralGap, StructuralKind, structural_gaps
from graph.gaps.thin import (
    CATALOG_EVIDENCE,
    NO_USE_CASE,
    ONE_LINE_SECTION,
    ONLY_COOCCURRENCE,
    ThinKind,
    ThinTopic,
    thin_topics,
)
from graph.gaps.unexplained import UnexplainedKind, UnexplainedTopic, unexplained_entities
from graph.gaps.unfinished import UnfinishedKind, UnfinishedSpot, unfinished_notes

__all__ = [
    "CATALOG_EVIDENCE",
    "COVERED",
    "GAP_KINDS",
    "MAX_PLACES",
    "MENTIONED",
    "MISSING",
    "NO_USE_CASE",
    "ONE_LINE_SECTION",
    "ONLY_COOCCURRENCE",
    "CategoryCoverage",
    "ClusterSummary",
    "Coverage",
    "CoverageItem",
    "CoverageKind",
    "DuplicatedTopic",
    "DuplicatesKind",
    "GapContext",
    "GapKind",
    "GapReport",
    "Place",
    "Step",
    "StructuralGap",
    "StructuralKind",
    "ThinKind",
    "ThinTopic",
    "UnexplainedKind",
    "UnexplainedTopic",
    "UnfinishedKind",
    "UnfinishedSpot",
    "duplicated_coverage",
    "gap_report",
    "structural_gaps",
    "syllabus_coverage",
    "thin_topics",
    "unexplained_entities",
    "unfinished_notes",
]
