"""Parsing markdown into sections and labelled blocks."""

from __future__ import annotations

import textwrap

from graph.sources.markdown import parse_note
from graph.sources.notes import Note


def parse(text: str):
    return parse_note(Note(path="n.md", text=text, digest="0"))


def test_section_tree_paths_and_line_ranges():
    parsed = parse("# A\n\ntext\n\n## B\n\n- item\n\n### C\n\nmore\n\n## D\n")
    sections = [(s.title, s.level, s.path, s.start_line, s.end_line) for s in parsed.sections[1:]]
    assert sections == [
        ("A", 1, ("A",), 1, 13),
        ("B", 2, ("A", "B"), 5, 11),
        ("C", 3, ("A", "B", "C"), 9, 11),
        ("D", 2, ("A", "D"), 13, 13),
    ]


def test_labels_govern_the_list_after_them_and_nested_items_hang_under_their_parent():
    parsed = parse(
        "**Use Cases**\n\n- Log analytics\n  - with dashboards\n- Search\n\nAfter the list.\n\n"
        "- Common use cases:\n  - Clickstream analysis\n"
    )
    blocks = {b.text: b for b in parsed.blocks}
    label = parsed.blocks.index(blocks["Use Cases"])
    assert blocks["Use Cases"].is_label
    assert blocks["Log analytics"].label == label and blocks["Log analytics"].depth == 1
    assert blocks["Search"].label == label
    nested = blocks["with dashboards"]
    assert nested.depth == 2 and parsed.blocks[nested.parent].text == "Log analytics"
    assert parsed.blocks[nested.label].text == "Log analytics"
    assert blocks["After the list."].label is None  # the label ended with its list
    assert parsed.blocks[blocks["Clickstream analysis"].label].text == "Common use cases:"


def test_hard_breaks_split_lines_and_soft_wrapped_arrows_join():
    parsed = parse("**What it is**  \nA managed service.\n\nS3 (raw data)\n→ Glue\n→ Athena\n")
    texts = [(b.kind, b.text, b.line) for b in parsed.blocks]
    assert texts == [
        ("paragraph", "What it is", 1),
        ("paragraph", "A managed service.", 2),
        ("paragraph", "S3 (raw data) → Glue → Athena", 4),
    ]


def test_lines_that_each_open_with_a_lead_and_a_dash_are_a_list_without_markers():
    parsed = parse("SRR - Log aggregation\nCRR - Latency reduction\n\nA sentence that wraps - here\nand goes on.\n")
    texts = [(b.kind, b.text, b.line) for b in parsed.blocks]
    assert texts == [
        ("paragraph", "SRR - Log aggregation", 1),
        ("paragraph", "CRR - Latency reduction", 2),
        ("paragraph", "A sentence that wraps - here and goes on.", 4),
    ]


def test_emphasis_links_images_html_and_code():
    parsed = parse('Use **Data Catalog** and *crawlers* <a name="x"></a>[Shot](#) ![img](a.png) `code`\n')
    block = parsed.blocks[0]
    assert block.text == "Use Data Catalog and crawlers Shot  code"
    assert block.emphasised() == ["Data Catalog", "crawlers"]
    assert [(link.text, link.target, link.empty) for link in parsed.links] == [("Shot", "#", True)]


def test_code_fences_tables_and_deep_nesting():
    deep = "".join("  " * i + "- level\n" for i in range(50))
    parsed = parse("```\nA → B → C\n```\n\n| Service | Use |\n|---|---|\n| SQS | queues |\n\n" + deep)
    code = [b for b in parsed.blocks if b.kind == "code"]
    assert [(b.text, b.line) for b in code] == [("A → B → C", 2)]
    cells = [b.text for b in parsed.blocks if b.kind == "cell"]
    assert cells == ["Service", "Use", "SQS", "queues"]
    assert max(b.depth for b in parsed.blocks) >= 10


def test_heading_emoji_and_navigation_links_are_dropped():
    parsed = parse("## 🟣 Amazon Kinesis [↑ top](#toc)\n\n## [Amazon SNS](#sns)\n")
    assert [s.title for s in parsed.sections[1:]] == ["Amazon Kinesis", "Amazon SNS"]


def test_a_soft_wrapped_paragraph_is_one_block_and_its_links_are_noted_once():
    text = "# T\n\nAmazon SQS [queues](https://example.com/q) hold\nmessages for consumers that poll\nthem later.\n"
    parsed = parse(text)
    [block] = [b for b in parsed.blocks if b.kind == "paragraph"]
    assert block.text == "Amazon SQS queues hold messages for consumers that poll them later."
    assert [(link.text, link.target, link.line) for link in parsed.links] == [("queues", "https://example.com/q", 3)]


def test_a_paragraph_past_the_block_limit_is_read_in_pieces_and_said_so(monkeypatch):
    from graph.sources import markdown

    monkeypatch.setattr(markdown, "MAX_BLOCK_CHARS", 100)
    words = " ".join(f"word{i}" for i in range(60))  # 409 characters, soft-wrapped
    parsed = parse("# T\n\n" + "\n".join(textwrap.wrap(words, 80)) + "\n")
    pieces = [b.text for b in parsed.blocks if b.kind == "paragraph"]
    assert " ".join(pieces) == words
    assert all(len(p) <= 100 for p in pieces) and len(pieces) == 5
    assert {b.line for b in parsed.blocks if b.kind == "paragraph"} == {3}
    assert parsed.cuts == ("line 3: a paragraph of 409 characters was read in 5 pieces of up to 100",)
