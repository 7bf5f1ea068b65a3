"""Build the knowledge graph from per-note extractions.

:func:`build_graph` merges :class:`~graph.model.Extraction` objects into a
``networkx.MultiDiGraph``: one node per entity (every alias it was written
as, its type, best definition, where it is mentioned, its own sections), and
one edge per (source, target, relation) with its weight, whether it was
stated or inferred, and the evidence for it. The edge key is the relation
name, so parallel edges of different relations coexist between two nodes.

:func:`build_notes` runs the whole flow for a path: read, parse, extract
(reusing cached extractions of unchanged files), build.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, nullcontext, suppress
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import networkx as nx
from spacy.language import Language

from graph.extract.note import extract_note
from graph.extract.pipeline import make_pipeline, pipeline_catalog, pipeline_catalog_path
from graph.model import (
    CONCEPT,
    INFERRED,
    SERVICE,
    TECHNOLOGY,
    USE_CASE,
    Definition,
    Evidence,
    Extraction,
    Mention,
    Relation,
    service_key,
)
from graph.sources.catalog import Catalog
from graph.sources.markdown import parse_note
from graph.sources.notes import NoNotesError, Note, Problem, ReadResult, read_notes, read_uploads
from graph.store.adjacency import add_keyed_edges
from graph.store.cache import CacheRefused, ExtractionCache
from graph.store.gcfreeze import FreeableMultiDiGraph, collector_paused
from graph.store.graphfile import SCHEMA_VERSION
from graph.store.index import add_index
from graph.store.stated import read_lines, relations_of, stated_work
from graph.store.terms import corpus_terms

__all__ = [
    "MAX_EVIDENCE",
    "MAX_PLACES",
    "PARALLEL_MIN_BYTES",
    "PARALLEL_MIN_BYTES_FRESH",
    "BuildCancelled",
    "BuildResult",
    "Progress",
    "ProgressCallback",
    "build_graph",
    "build_notes",
    "build_read_notes",
    "build_uploads",
]

#: How many places and evidence items are kept per node and per edge (counts are always exact).
MAX_PLACES = 200
MAX_EVIDENCE = 20

_STRONG = {"heading", "definition", "list", "arrow", "emphasis", "comparison", "alias", "use"}
_SYMMETRIC = {"compared_with", INFERRED}


@dataclass
class BuildResult:
    """A built graph, the problems met on the way, and timing/count figures."""

    graph: nx.MultiDiGraph
    problems: list[Problem] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    seconds: float = 0.0
    cached_files: int = 0


@dataclass(frozen=True)
class Progress:
    """How far a build is: *done* of *total* note files analysed (*cached* of them from the cache), and
    *current*, the file being analysed now ("" before the first and after the last)."""

    done: int
    total: int
    current: str = ""
    cached: int = 0


#: Called with a :class:`Progress` before the first file, between files and at the end; returning ``False``
#: stops the build there (:class:`BuildCancelled`), and so does any exception it raises (passed on as it is).
ProgressCallback = Callable[[Progress], object]


class BuildCancelled(Exception):
    """Raised when a progress callback stopped a build: nothing was built, and nothing a caller had is replaced."""


#: ``spread(work, items)`` starts ``work`` on parts of *items*, maybe in other processes, and returns a function
#: that gives what ``work(items)`` would: the parts' results end to end.
Spread = Callable[[Callable[[list], list], list], Callable[[], list]]


def build_graph(extractions: list[Extraction], catalog: Catalog, spread: Spread | None = None) -> nx.MultiDiGraph:
    """Merge *extractions* into a MultiDiGraph (see the module docstring for its attributes).

    With *spread*, the corpus step reads the lines of its new terms in parts beside the rest of the build
    (the worker processes of :func:`build_notes`); the graph is the same.
    """
    graph = FreeableMultiDiGraph()  # frozen when built: must be on no reference cycle
    cite = _citer()
    mentions: dict[str, list[Mention]] = defaultdict(list)
    definitions: dict[str, list[Definition]] = defaultdict(list)
    sections: dict[str, list] = defaultdict(list)
    corpus = corpus_terms(extractions, catalog)
    same = corpus.same_as  # "AMI" -> "Amazon Machine Image", "Azure Resource Groups" -> "Resource group"
    dropped = corpus.dropped  # everyday acronyms the notes never explain ("OS", "URL"): no topic
    # What the wording says of the corpus' new terms, read while the topics are made.
    lines, cited = stated_work(extractions, corpus.mentions)
    said = (spread or _in_turn)(read_lines, lines)
    for ext in extractions:
        for mention in ext.mentions:
            mentions[same.get(mention.key, mention.key)].append(mention)
        for definition in ext.definitions:
            definitions[same.get(definition.key, definition.key)].append(definition)
        for own in ext.sections:
            sections[same.get(own.key, own.key)].append(own)
    for mention in corpus.mentions:
        mentions[same.get(mention.key, mention.key)].append(mention)
    for key, found in mentions.items():
        if key not in dropped:
            owns = sections.get(key, [])
            graph.add_node(key, **_node_attributes(key, found, definitions.get(key, []), owns, catalog, cite))
    stated = _results(lambda: relations_of(said(), cited))
    relations = chain((r for ext in extractions for r in ext.relations), stated, corpus.relations)
    add_keyed_edges(graph, _merged_edges(relations, same, set(graph), cite))
    _add_catalog_families(graph, catalog)
    graph.graph.update(
        schema=SCHEMA_VERSION,
        files=sorted(ext.path for ext in extractions),
        words=sum(ext.words for ext in extractions),
        catalog=catalog.version,
    )
    # Unfinished bits travel with the graph, so the gap report works from a saved graph file too.
    graph.graph["placeholders"] = [
        {"kind": p.kind, "file": p.file, "line": p.line, "text": p.text, "section": list(p.section)}
        for ext in extractions
        for p in sorted(ext.placeholders, key=lambda p: (p.file, p.line, p.kind))
    ]
    return add_index(graph)  # hubs, components, communities, bridges, pipelines: saved with the graph


def _node_attributes(
    key, found: list[Mention], defs: list[Definition], owns: list, catalog: Catalog, cite: Cite = Evidence.to_dict
) -> dict:
    surfaces = Counter(m.surface for m in found if m.surface)
    entry = catalog.entries.get(key.split(":", 1)[1]) if key.startswith("service:") else None
    if entry is not None:
        node_type = SERVICE
        label = entry.label
    else:
        node_type = _vote_type(found)
        label = _best_surface(surfaces)
    aliases = _aliases(surfaces, label)
    by_place = {(m.evidence.file, m.evidence.line): m.evidence for m in found}
    places = [by_place[place] for place in sorted(by_place)]  # by file and line: sorting the places is cheaper
    folded = [surface.casefold() for surface in surfaces]  # once per node, not once per definition
    # Strength ranks first: only the strongest need the full rank (a much-named service has thousands of candidates).
    strongest = max((d.strength for d in defs), default=0)
    best = min((d for d in defs if d.strength == strongest), key=lambda d: _definition_rank(d, folded), default=None)
    attrs = {
        "label": label,
        "type": node_type,
        "aliases": aliases,
        "definition": best.text if best else "",
        "definition_evidence": cite(best.evidence) if best else None,
        "mention_count": len(places),
        "mentions": [cite(e) for e in places[:MAX_PLACES]],
        "files": sorted({file for file, _ in by_place}),
        "has_section": bool(owns),
        "sections": [
            {
                "file": o.evidence.file,
                "title": o.title,
                "start_line": o.start_line,
                "end_line": o.end_line,
                "content_lines": o.content_lines,
            }
            for o in sorted(owns, key=lambda o: (o.evidence.file, o.start_line))
        ],
    }
    if entry is not None:
        attrs.update(
            full_name=entry.full_name,
            catalog_id=entry.id,
            vendor=entry.vendor,
            kind=entry.kind,
            parent=entry.parent or "",
            names=sorted(set(entry.aliases)),
        )
    return attrs


def _definition_rank(definition: Definition, folded: list[str]) -> tuple:
    """Strongest first; among equals one that names the entity (*folded*: its spellings, case-folded), then a
    fuller one, then the earliest."""
    text = definition.text.casefold()
    names_it = any(surface in text for surface in folded)
    opens_like_one = text.startswith(("a ", "an ", "the ")) or any(text.startswith(s) for s in folded)
    words = min(len(definition.text.split()), 25)
    return (
        -definition.strength,
        not opens_like_one,
        not names_it,
        -words,
        definition.evidence.file,
        definition.evidence.line,
    )


def _vote_type(found: list[Mention]) -> str:
    strong = Counter(m.kind for m in found if m.how in _STRONG and m.kind != SERVICE)
    votes = strong or Counter(m.kind for m in found if m.kind != SERVICE)
    if not votes:
        # Only SERVICE mentions of a name no catalog has ("AWS OpsHub"): a product of that cloud.
        return SERVICE if found else CONCEPT
    top = max(votes.values())
    for kind in (USE_CASE, TECHNOLOGY, CONCEPT):
        if votes.get(kind) == top:
            return kind
    return CONCEPT


def _best_surface(surfaces: Counter) -> str:
    # Most frequent spelling; among equals prefer one with capitals (a name as its author wrote it).
    return max(surfaces.items(), key=lambda kv: (kv[1], any(c.isupper() for c in kv[0]), -len(kv[0]), kv[0]))[0]


def _aliases(surfaces: Counter, label: str) -> list[str]:
    seen: dict[str, str] = {label.casefold(): label}
    for surface, _ in surfaces.most_common():
        seen.setdefault(surface.casefold(), surface)
    return sorted(seen.values(), key=str.casefold)


#: An evidence item as the graph keeps it: its dict (:meth:`Evidence.to_dict`).
Cite = Callable[[Evidence], dict]


def _citer() -> Cite:
    """A :data:`Cite` that makes one dict per evidence item however many topics and edges cite it (a loaded graph
    shares its items the same way): 40% fewer dicts at 10,000 notes, and the file's writer meets each once."""
    made: dict[int, tuple[Evidence, dict]] = {}  # the item is kept with its dict: its id is never reused meanwhile

    def cite(evidence: Evidence) -> dict:
        found = made.get(id(evidence))
        if found is None:
            found = made[id(evidence)] = (evidence, evidence.to_dict())
        return found[1]

    return cite


def _in_turn(work: Callable[[list], list], items: list) -> Callable[[], list]:
    """The :data:`Spread` of a build without worker processes: ``work(items)``, here, when asked for."""
    return lambda: work(items)


def _results(get: Callable[[], list]) -> Iterator:
    """What *get* gives, got when the first item is wanted (relations read elsewhere arrive in the meantime)."""
    yield from get()


def _merged_edges(
    relations: Iterable[Relation], same: dict[str, str], present: set[str], cite: Cite = Evidence.to_dict
) -> list[tuple]:
    """One ``(source, target, relation, attributes)`` per edge of *relations*, in the order first stated.

    Each relation's ends are renamed by *same* (a relation that becomes a loop is dropped); one between a
    node not *present* is left out. The relations of one edge add up: weight summed, stated if any is,
    counted, the first :data:`MAX_EVIDENCE` distinct evidence items kept. A symmetric relation is one edge,
    in the direction it was first stated. Evidence items are compared by value and kept as *cite* gives them.
    """
    edges: dict[tuple[str, str, str], dict] = {}
    cited: dict[tuple[str, str, str], set[tuple]] = {}
    for relation in relations:
        source, target, name = relation.source, relation.target, relation.relation
        if source in same or target in same:
            source, target = same.get(source, source), same.get(target, target)
            if source == target:
                continue
        if source not in present or target not in present:
            continue
        if name in _SYMMETRIC and (target, source, name) in edges:
            source, target = target, source
        key = (source, target, name)
        evidence = relation.evidence
        data = edges.get(key)
        if data is None:
            edges[key] = {
                "relation": name,
                "weight": relation.weight,
                "stated": relation.stated,
                "count": 1,
                "evidence": [evidence],
            }
            cited[key] = {_cited(evidence)}
            continue
        data["weight"] = round(data["weight"] + relation.weight, 3)
        data["stated"] = data["stated"] or relation.stated
        data["count"] += 1
        if len(data["evidence"]) < MAX_EVIDENCE and (place := _cited(evidence)) not in cited[key]:
            data["evidence"].append(evidence)
            cited[key].add(place)
    for data in edges.values():
        data["evidence"] = [cite(evidence) for evidence in data["evidence"]]
    return [(source, target, name, data) for (source, target, name), data in edges.items()]


def _cited(evidence: Evidence) -> tuple:
    """What makes two evidence items the same item (as their saved dicts compare)."""
    return (evidence.file, evidence.line, tuple(evidence.section), evidence.text)


def _add_catalog_families(graph: nx.MultiDiGraph, catalog: Catalog) -> None:
    """Where the notes name both a service and its family or parent product, link them (part_of)."""
    for node, data in list(graph.nodes(data=True)):
        parent = data.get("parent")
        if not parent:
            continue
        parent_key = service_key(parent)
        if parent_key not in graph or graph.has_edge(node, parent_key, key="part_of"):
            continue
        evidence = Evidence(
            "(service catalog)", 0, (), f"{data['label']} is part of {graph.nodes[parent_key]['label']}"
        )
        graph.add_edge(
            node,
            parent_key,
            key="part_of",
            relation="part_of",
            weight=1.0,
            stated=False,
            count=1,
            evidence=[evidence.to_dict()],
        )


def build_notes(
    path: str | Path,
    catalog_path: str | None = None,
    cache_dir: str | Path | None = None,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Read, parse, extract and build the notes under *path*.

    Raises :class:`graph.sources.notes.NoNotesError` when nothing could be read.
    With *cache_dir*, extractions of unchanged files are reused (keyed on the
    file's path and bytes, the code and the catalog version). *nlp* is a pipeline
    from :func:`~graph.extract.pipeline.make_pipeline` set up beforehand (the app
    keeps one per server); without it one is made for *catalog_path*. *progress* is
    called between files and can stop the build (see :data:`ProgressCallback`).
    """
    started = time.perf_counter()
    return build_read_notes(read_notes(path), catalog_path, cache_dir, started, nlp, progress)


def build_uploads(
    files: list[tuple[str, bytes]],
    catalog_path: str | None = None,
    cache_dir: str | Path | None = None,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Build notes given as (file name, bytes) pairs, e.g. uploads; names are never used as paths.

    Raises :class:`graph.sources.notes.NoNotesError` when none could be read.
    """
    started = time.perf_counter()
    return build_read_notes(read_uploads(files), catalog_path, cache_dir, started, nlp, progress)


def build_read_notes(
    result: ReadResult,
    catalog_path: str | None = None,
    cache_dir: str | Path | None = None,
    started: float | None = None,
    nlp: Language | None = None,
    progress: ProgressCallback | None = None,
) -> BuildResult:
    """Extract and build notes already read (see :func:`graph.sources.notes.read_notes`)."""
    with collector_paused():
        return _build_read_notes(result, catalog_path, cache_dir, started, nlp, progress)


def _build_read_notes(
    result: ReadResult,
    catalog_path: str | None,
    cache_dir: str | Path | None,
    started: float | None,
    nlp: Language | None,
    progress: ProgressCallback | None,
) -> BuildResult:
    started = time.perf_counter() if started is None else started
    if nlp is None:
        nlp = make_pipeline(catalog_path)
    else:  # worker processes make their own pipeline: for the catalog this one matches against
        catalog_path = pipeline_catalog_path(nlp)
    catalog = pipeline_catalog(nlp)
    problems = list(result.problems)
    try:
        cache = ExtractionCache(cache_dir, catalog.version) if cache_dir else None
    except CacheRefused as refused:
        cache = None
        problems.append(Problem("(extraction cache)", f"not used: {refused}", skipped=False))
    found: dict[int, Extraction] = {}
    todo: list[tuple[int, Note]] = []
    total = len(result.notes)
    with ExitStack() as stack:  # the workers outlive the cache: the corpus step uses them too
        with cache or nullcontext():
            for position, note in enumerate(result.notes):
                extraction = cache.get(note) if cache else None
                if extraction is not None:
                    found[position] = extraction
                else:
                    todo.append((position, note))
            cached = len(found)
            tell = _teller(progress, total, cached)
            tell(cached, todo[0][1].path if todo else "")
            done = cached
            workers = stack.enter_context(_Workers(todo))  # stopped at once on a cancel or an error
            for position, outcome, current in _extract_all(todo, nlp, catalog_path, workers):
                note = result.notes[position]
                done += 1
                if isinstance(outcome, str):
                    problems.append(Problem(note.path, outcome))
                else:
                    found[position] = outcome
                    if cache:
                        cache.put(note, outcome)
                tell(done, current)
        extractions = [found[i] for i in sorted(found)]
        if not extractions:  # nothing to show: fail, so no caller replaces a good graph with an empty one
            reasons = "; ".join(str(p) for p in problems[:3]) + (" ..." if len(problems) > 3 else "")
            raise NoNotesError(f"none of the {len(result.notes)} note(s) could be analysed ({reasons})")
        graph = build_graph(extractions, catalog, workers.spread)
    graph.graph["problems"] = [str(p) for p in problems]
    return BuildResult(graph, problems, extractions, time.perf_counter() - started, cached)


#: Below this much text, starting worker processes costs more than it saves. Forked workers share the loaded
#: pipeline; fresh ones (see :func:`_worker_context`) import spaCy and build it again (about 1.5 s each).
PARALLEL_MIN_BYTES = 200_000
PARALLEL_MIN_BYTES_FRESH = 2_000_000


def _teller(progress: ProgressCallback | None, total: int, cached: int) -> Callable[[int, str], None]:
    """``tell(done, current)``: pass how far the build is to *progress*, and stop the build if it says so."""

    def tell(done: int, current: str) -> None:
        if progress is not None and progress(Progress(done, total, current, cached)) is False:
            raise BuildCancelled(f"build cancelled after {done} of {total} file(s)")

    return tell


#: A batch sent to one worker at a time: small, so progress moves and a cancelled build stops soon.
BATCH_FILES, BATCH_BYTES = 64, 256_000


#: Below this many items the corpus step's work is done in this process: sending it would cost more.
SPREAD_MIN_ITEMS = 2_000


class _Workers:
    """The worker processes of one build, or none (:attr:`pool` is None): made when the notes left to analyse
    are large enough to pay for them, used to analyse the notes and then by the corpus step (:meth:`spread`).
    As a context manager, stops them at the end: at once, and killed if need be, after a cancel or an error."""

    def __init__(self, todo: list[tuple[int, Note]]) -> None:
        size = sum(len(note.text) for _, note in todo)
        self.count = min(os.cpu_count() or 1, 4)
        context, min_bytes = _worker_context()
        self.pool: ProcessPoolExecutor | None = None
        if self.count > 1 and size >= min_bytes:
            # No worker processes here (sandbox, resource limits): the work is done in this process.
            with suppress(OSError):
                self.pool = ProcessPoolExecutor(self.count, mp_context=context, initializer=_ignore_interrupts)

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, kind, error, trace) -> None:
        self.stop(finished=kind is None)

    def stop(self, finished: bool) -> None:
        """Stop the workers (see :func:`_stop_pool`); the rest of the build is done in this process."""
        if self.pool is not None:
            pool, self.pool = self.pool, None
            _stop_pool(pool, finished)

    def spread(self, work: Callable[[list], list], items: list) -> Callable[[], list]:
        """A :data:`Spread` over the workers: *items* in a part per worker, each sent as it is made."""
        if self.pool is None or len(items) < SPREAD_MIN_ITEMS:
            return _in_turn(work, items)
        size = -(-len(items) // self.count)
        try:
            futures = [self.pool.submit(work, items[at : at + size]) for at in range(0, len(items), size)]
        except (OSError, RuntimeError, BrokenProcessPool):
            self.stop(finished=False)
            return _in_turn(work, items)

        def results() -> list:
            try:
                return [item for future in futures for item in future.result()]
            except (OSError, BrokenProcessPool):  # a worker died: the same work, here
                self.stop(finished=False)
                return work(items)

        return results


def _extract_all(
    todo: list[tuple[int, Note]], nlp, catalog_path: str | None, workers: _Workers
) -> Iterator[tuple[int, object, str]]:
    """Yield (position, Extraction or error message, the file analysed next) for each note, in the *workers*
    when there are any."""
    left = todo
    if workers.pool is not None:
        done: set[int] = set()
        try:
            for position, outcome, current in _extract_in(workers.pool, todo, catalog_path):
                done.add(position)
                yield position, outcome, current
            return
        except (OSError, BrokenProcessPool):
            workers.stop(finished=False)
            left = [item for item in todo if item[0] not in done]  # a worker died: the rest in this process
    nlp = nlp or make_pipeline(catalog_path)
    for at, (position, note) in enumerate(left):
        outcome = _extract_chunk([(position, note)], catalog_path, nlp)[0][1]
        yield position, outcome, left[at + 1][1].path if at + 1 < len(left) else ""


def _extract_in(pool: ProcessPoolExecutor, todo: list[tuple[int, Note]], catalog_path: str | None):
    """Yield what :func:`_extract_all` yields, from batches analysed in *pool*."""
    batches: list[list[tuple[int, Note]]] = [[]]
    for item in todo:
        batch = batches[-1]
        if batch and (len(batch) >= BATCH_FILES or sum(len(n.text) for _, n in batch) >= BATCH_BYTES):
            batches.append(batch := [])
        batch.append(item)
    futures: dict[Future, int] = {pool.submit(_extract_chunk, b, catalog_path): i for i, b in enumerate(batches)}
    pending = set(futures)
    while pending:
        ready, pending = wait(pending, return_when=FIRST_COMPLETED)
        first_left = min((futures[f] for f in pending), default=None)
        current = batches[first_left][0][1].path if first_left is not None else ""
        for future in ready:
            for position, outcome in future.result():
                yield position, outcome, current


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the parent's to handle (a terminal sends it to every process of the group)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


#: How long a stopped worker is given to end before it is killed.
WORKER_STOP_SECONDS = 2.0


def _stop_pool(pool: ProcessPoolExecutor, finished: bool) -> None:
    """Shut *pool* down; after a cancelled or failed build, without waiting for the batches still running."""
    if finished:
        pool.shutdown(wait=True)
        return
    workers = list((getattr(pool, "_processes", None) or {}).values())  # no public way to stop a worker
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        if process.is_alive():
            process.terminate()
    for process in workers:  # a worker that has not ended a moment after SIGTERM is killed: none is left running
        process.join(timeout=WORKER_STOP_SECONDS)
        if process.is_alive():
            process.kill()
            process.join(timeout=WORKER_STOP_SECONDS)


def _worker_context() -> tuple[multiprocessing.context.BaseContext, int]:
    """How to start workers here, and from how much text they pay.

    Forking is cheapest, but a child forked while other threads run (the app's web server) can wait forever on
    a lock one of them held at that moment; then workers start fresh and pay only for larger builds.
    """
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork"), PARALLEL_MIN_BYTES
    fresh = "forkserver" if "forkserver" in methods else "spawn"
    return multiprocessing.get_context(fresh), PARALLEL_MIN_BYTES_FRESH


def _extract_chunk(todo: list[tuple[int, Note]], catalog_path: str | None, nlp=None) -> list[tuple[int, object]]:
    nlp = nlp or make_pipeline(catalog_path)
    out: list[tuple[int, object]] = []
    for position, note in todo:
        try:
            out.append((position, extract_note(parse_note(note), nlp)))
        except Exception as err:  # one bad file must never lose the rest of the work
            out.append((position, f"could not be analysed ({type(err).__name__}: {err})"))
    return out
