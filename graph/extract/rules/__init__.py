"""The extraction rules, one module per family; :mod:`graph.extract.note` runs them in a fixed order.

Every module reads a :class:`~graph.extract.context.NoteContext` and writes to a
:class:`~graph.extract.recorder.Recorder`, through one entry function:

* ``apply(ctx, rec)`` for a rule that reads the whole note (:mod:`.subjects`, :mod:`.entities`,
  :mod:`.repeated_terms`, :mod:`.use_terms`, :mod:`.relation_nouns`, :mod:`.section_cooccurrence`,
  :mod:`.placeholders`);
* ``apply_to_block(ctx, rec, index)`` for a rule that reads one block (the others). For each block,
  in turn, every block rule runs, in order, so the facts of a block stay together in reading order.

To add a rule: write a module here with a docstring (what it finds, a tiny example), ``__all__``
and its entry function, then put it in its place in :data:`graph.extract.note.NOTE_RULES_BEFORE`,
:data:`~graph.extract.note.BLOCK_RULES` or :data:`~graph.extract.note.NOTE_RULES_AFTER`. The
extraction cache hashes every module of the package, so a new one invalidates cached extractions.
"""
