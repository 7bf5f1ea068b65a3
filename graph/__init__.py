"""Notes Graph: study notes in, a typed knowledge graph with evidence out.

The flow runs one way: :mod:`graph.ingest` (files to repaired text),
:mod:`graph.markdown` (text to sections and blocks), :mod:`graph.extract`
(blocks to mentions and relations, with :mod:`graph.nlp`'s spaCy pipeline),
:mod:`graph.build` (extractions to a NetworkX graph), then queries, gaps and
the CLI and app on top.
"""

__version__ = "0.1.0"
