"""Notes Graph: study notes in, a typed knowledge graph with evidence out.

The flow runs one way: :mod:`graph.sources.notes` (files to repaired text),
:mod:`graph.sources.markdown` (text to sections and blocks), :mod:`graph.extract.note`
(blocks to mentions and relations, with :mod:`graph.extract.pipeline`'s spaCy pipeline),
:mod:`graph.store.build` (extractions to a NetworkX graph), then queries, gaps and
the CLI and app on top.
"""

__version__ = "0.1.0"
