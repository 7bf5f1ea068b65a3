"""What the gap kinds share: places in the notes, when a topic counts as explained, and name matching.

Every gap item carries its evidence as :class:`Place` values (file, line,
text). A topic is *explained* when it has a section of its own that holds
something (text or sub-sections: an empty heading is unfinished, not an
explanation) or a definition found in the notes; its places are those
sections and that definition (:func:`_explained_places`), else its first
mentions (:func:`_mention_places`).

Names are compared with :func:`graph.names.loose_key` (a syllabus name
against topic labels, :func:`_node_by_name`) or found as whole words in a
heading (:func:`_first_match`, and :func:`_services_named_in` for many names
at once).

>>> Place("notes/compute.md", 12, "AWS Lambda").cite()
'notes/compute.md:12'
>>> _first_match("Athena = SQL Over S3", ["S3", "Amazon Athena", "Athena"])
(0, 6)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

import networkx as nx

from graph.names import loose_key
from graph.store.communities import undirected_view
from graph.store.index import cached

__all__ = ["MAX_PLACES", "Place"]

#: How many places are kept per item (counts stay exact).
MAX_PLACES = 5
#: Blank and rule lines a section may span beyond its text and still have no sub-sections.
_SECTION_SLACK = 3
#: Letters in the key of a name's bucket (:func:`_by_rare_gram`); shorter names are their own key.
_GRAM = 4


@dataclass(frozen=True)
class Place:
    """A place in the notes: file, 1-based line, and the text there (a sentence or a heading)."""

    file: str
    line: int
    text: str = ""

    def cite(self) -> str:
        return f"{self.file}:{self.line}"


# --- explained or mentioned ----------------------------------------------------------------------------------------


def _explained(data: dict) -> bool:
    return bool(_explaining_sections(data)) or bool(data.get("definition"))


def _explaining_sections(data: dict) -> list[dict]:
    """The topic's own sections that hold something: an empty heading explains nothing (it is unfinished)."""
    return [s for s in data.get("sections", []) if int(s.get("content_lines", 0)) > 0 or _has_subsections(s)]


def _has_subsections(section: dict) -> bool:
    # A section spans its sub-sections too, so a span longer than its own text plus some blank lines holds more.
    content = int(section.get("content_lines", 0))
    return int(section["end_line"]) - int(section["start_line"]) > content + _SECTION_SLACK


def _mention_places(data: dict, limit: int = MAX_PLACES) -> tuple[Place, ...]:
    return tuple(Place(m["file"], int(m["line"]), m.get("text", "")) for m in data.get("mentions", [])[:limit])


def _explained_places(data: dict) -> tuple[Place, ...]:
    places = [Place(s["file"], int(s["start_line"]), s["title"]) for s in _explaining_sections(data)]
    evidence = data.get("definition_evidence")
    if data.get("definition") and evidence:
        places.append(Place(evidence["file"], int(evidence["line"]), data["definition"]))
    # A heading's tagline is the same place as the heading: keep the first of each place, in order.
    unique: dict[tuple[str, int], Place] = {}
    for place in places:
        unique.setdefault((place.file, place.line), place)
    return tuple(unique.values())[:MAX_PLACES]


def _undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """:func:`graph.store.communities.undirected_view` of *graph*, made once per graph for the report's parts."""
    return cached(graph, "_undirected_view", undirected_view)


# --- name matching -------------------------------------------------------------------------------------------------


def _names(data: dict) -> list[str]:
    return [n for n in {data.get("label", ""), *data.get("aliases", []), *data.get("names", [])} if n]


def _node_by_name(graph: nx.MultiDiGraph, name: str) -> str | None:
    """The topic a name outside the catalog refers to: same name as a label or alias, whole or either side of
    parentheses (the most mentioned topic if several)."""
    forms = {loose_key(f) for f in (name, re.sub(r"\s*\([^()]*\)", "", name), *re.findall(r"\(([^()]*)\)", name))}
    forms.discard("")
    found = [
        node
        for node, data in graph.nodes(data=True)
        if forms & {loose_key(n) for n in (data.get("label", ""), *data.get("aliases", []), *data.get("names", []))}
    ]
    return max(found, key=lambda n: (graph.nodes[n].get("mention_count", 0), n), default=None)


def _first_match(title: str, names: list[str]) -> tuple[int, int] | None:
    best = None
    folded = title.casefold()
    for name in names:
        if name.casefold() not in folded:
            continue  # the cheap test first: most names are not in most titles
        match = _name_pattern(name).search(title)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), match.end())
    return best


@lru_cache(maxsize=65536)
def _name_pattern(name: str) -> re.Pattern[str]:
    """A compiled whole-word pattern for *name* (compiling one per title and name was most of the report's time)."""
    return re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE)


def _services_named_in(service_names: dict[str, list[str]]) -> Callable[[str], dict[str, tuple[int, int]]]:
    """A function from a heading to ``{service: its first match}`` for every service the heading names.

    The same as :func:`_first_match` per service, but each distinct heading is matched once, and only against
    the names that share their rarest few letters with it (:func:`_by_rare_gram`): each of a 10,000-note
    graph's 25,000 sections used to try all 2,100 names of the other services, 6.5 s of the report.
    """
    named = [(name.casefold(), name, service) for service, names in service_names.items() for name in names]
    candidates = _by_rare_gram(named)

    @cache
    def named_in(title: str) -> dict[str, tuple[int, int]]:
        folded = title.casefold()
        pieces = {folded[at : at + size] for size in range(1, _GRAM + 1) for at in range(len(folded))}
        maybe = {i for piece in pieces for i in candidates.get(piece, ())}
        found: dict[str, tuple[int, int]] = {}
        for i in sorted(maybe):  # in the order of the names, as _first_match tries them
            folded_name, name, service = named[i]
            if folded_name not in folded:
                continue
            match = _name_pattern(name).search(title)
            if match and (service not in found or match.start() < found[service][0]):
                found[service] = (match.start(), match.end())
        return found

    return named_in


def _by_rare_gram(named: list[tuple[str, str, str]]) -> dict[str, list[int]]:
    """Positions in *named* by one of their folded name's substrings of :data:`_GRAM` letters, the one fewest
    names share ("amaz" is in hundreds, " sqs" in one). A name can be in a heading only if that key is too."""

    def grams(text: str) -> set[str]:
        return {text[at : at + _GRAM] for at in range(max(1, len(text) - _GRAM + 1))}

    share = Counter(gram for folded_name, _, _ in named for gram in grams(folded_name))
    buckets: dict[str, list[int]] = {}
    for i, (folded_name, _, _) in enumerate(named):
        key = min(grams(folded_name), key=lambda gram: (share[gram], gram))
        buckets.setdefault(key, []).append(i)
    return buckets
