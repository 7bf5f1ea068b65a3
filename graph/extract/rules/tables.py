"""Table rows that define or give uses.

* The second cell defines the entity the first cell names.
* Header cells that each name one thing compare them ("| Feature | SQS | SNS |": SQS ``compared_with`` SNS).
* A cell that is one name, in a column headed by an entity, is that entity's (``has``; a service: ``connects_to``).
* The rows of a table whose first column is headed "Type" (or "Kind", "Tier", "Level") name alternatives: each
  is ``compared_with`` the one before.
* In a table whose columns are services, a row labelled "Use cases" (see
  :func:`graph.extract.terms.label_role`) gives each column's service the use case in its cell.

Example: in ``| **Amazon SQS** | A fully managed message queue for decoupling services |`` the
second cell is a definition of ``service:sqs``; under ``| | CloudFormation | Beanstalk |``, the row
``| Use cases | Complex architectures | Web application deployment |`` gives
``service:elasticbeanstalk --used_for--> term:web application deployment``.
"""

from __future__ import annotations

import re

from graph.extract import terms
from graph.extract.context import NoteContext
from graph.extract.recorder import Recorder
from graph.extract.text import use_case_phrases
from graph.model import USE_CASE, service_key, term_node_key

__all__ = ["apply_to_block"]


def apply_to_block(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """Define the entity of a row's first cell by its second cell (block *index*)."""
    block = ctx.parsed.blocks[index]
    if block.kind == "cell" and block.depth == 0:
        _kind_row(ctx, rec, index)
    if not (block.kind == "cell" and block.depth >= 1 and index >= block.depth):
        return
    if ctx.header_cell(index) is None:
        _compared_columns(ctx, rec, index)
        return
    first = ctx.parsed.blocks[index - block.depth]
    if first.kind != "cell" or first.line != block.line or first.depth != 0:
        return
    if terms.label_role(first.text) == "use_case":
        _column_use_case(ctx, rec, index)
        return
    _column_term(ctx, rec, index)
    named = ctx.block_entities.get(index - 1, [])
    if block.depth == 1 and len(named) == 1 and len(first.text.split()) <= 6:
        rec.define(named[0].key, block.text, 2, index)


#: A first column headed so lists kinds: "| Type | Description |" under "### Azure Service Health".
_KINDS_HEADER = re.compile(r"^\W*(?:types?|kinds?|tiers?|levels?|classes|class)\W*$", re.IGNORECASE)


def _kind_row(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """ "| Resource Health | Custom view of your resources |" after "| Service Health | Narrower view |" in a
    "| Type | ... |" table: kinds listed side by side are alternatives, each compared with the one before."""
    header = ctx.header_cell(index)
    if header is None or not _KINDS_HEADER.match(ctx.parsed.blocks[header].text):
        return
    named = ctx.named_cell(index)
    before = _previous_row_start(ctx, index, header)
    other = ctx.named_cell(before) if before is not None else None
    if named and other and named != other and ctx.block_entities[index][0].kind != USE_CASE:
        rec.relate(other, named, "compared_with", True, index)


def _previous_row_start(ctx: NoteContext, index: int, header: int) -> int | None:
    """The first cell of the row before cell *index*'s (not the header row), or None."""
    blocks = ctx.parsed.blocks
    for at in range(index - 1, header, -1):
        if blocks[at].kind != "cell":
            return None
        if blocks[at].depth == 0:
            return at if blocks[at].line != blocks[header].line else None
    return None


def _compared_columns(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """ "| Feature | SQS | SNS |": header cells that each name one thing compare them, column by column."""
    this, before = ctx.named_cell(index), ctx.named_cell(index - 1)
    if this and before and this != before and ctx.parsed.blocks[index - 1].line == ctx.parsed.blocks[index].line:
        rec.relate(before, this, "compared_with", True, index)


def _column_term(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """ "| Purpose | Infrastructure as Code | ...": a cell that is one name, in the column of an entity, is its own."""
    header = ctx.header_cell(index)
    source = ctx.named_cell(header) if header is not None else None
    named = ctx.named_cell(index)
    if not source or not named or source == named or frozenset((source, named)) in rec.stated_pairs(index):
        return
    if named.startswith("service:"):
        rec.relate(source, named, "connects_to", True, index)
    elif ctx.block_entities[index][0].kind != USE_CASE:
        rec.relate(source, named, "has", True, index)


def _column_use_case(ctx: NoteContext, rec: Recorder, index: int) -> None:
    """A cell of a "Use cases" row: a use case of the service its column is headed by."""
    header = ctx.header_cell(index)
    services = ctx.services(header) if header is not None else []
    if len(services) != 1:
        return
    source = service_key(services[0].label_)
    for phrase in use_case_phrases(ctx.parsed.blocks[index].text, lists=False):
        key = term_node_key(terms.term_key(phrase))
        rec.mention(key, phrase, USE_CASE, "list", index)
        rec.relate(source, key, "used_for", True, index)
