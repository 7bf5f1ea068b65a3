r"""Note text made safe to show: as one line, inside markdown, inside a graph tooltip, on a terminal.

Notes are untrusted: a heading may be ``<img src=x onerror=alert(1)>``. Every
bit of note text the app, the CLI and the gap reports show goes through one
of these functions, so it is displayed as the characters the author typed
and never interpreted:

* :func:`one_line`: whitespace collapsed, control characters dropped, optionally cut;
* :func:`markdown_text`: for Streamlit markdown (headings, captions, button labels):
  every ASCII punctuation character is backslash-escaped, which CommonMark
  defines as "this character, literally", so no tag, link, image, emphasis,
  LaTeX (``$``) or Streamlit directive (``:red[...]``) can start;
* :func:`tooltip_text`: for vis-network tooltips, which the browser shows as
  text (``innerText``); ``href`` is split with an invisible word joiner because
  pyvis switches every tooltip to HTML when any title contains ``href``;
* :func:`terminal_text`: for terminal output, whitespace collapsed and each
  control character shown as ``?`` (an escape sequence could restyle the screen);
  :func:`terminal_lines` does the same for whole lines of output, newlines kept
  and each line cut to a screenful;
* :func:`markdown_document_text`: for a markdown file people read as it is
  and render (the gap report download, ``notes-graph gaps --format markdown``):
  only what is markup is escaped, so the file stays readable: ``<``, ``>``
  and ``&`` as HTML entities, inline markup (``\ ` * _ [ ] | ~ !``) and what
  would start a block at the start of the text (``#``, ``+``, ``=``, ``-``,
  ``1.``, ``1)``) backslash-escaped.

>>> markdown_text("<b>*S3*</b>")
'\\<b\\>\\*S3\\*\\<\\/b\\>'
>>> markdown_document_text("# <b>*S3*</b> | notes.md:3")
'\\# &lt;b&gt;\\*S3\\*&lt;/b&gt; \\| notes.md:3'
>>> terminal_text("red\x1b[31m  text")
'red?[31m text'
"""

from __future__ import annotations

import html
import re

__all__ = [
    "TERMINAL_LINE",
    "WORD_JOINER",
    "markdown_document_text",
    "markdown_text",
    "one_line",
    "terminal_lines",
    "terminal_text",
    "tooltip_text",
]

# C0/C1 control characters except tab and newline (which one_line folds anyway).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Every ASCII punctuation character: CommonMark lets a backslash make any of them literal.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_HREF = re.compile(r"(h)(ref)", re.IGNORECASE)
# What markdown (CommonMark/GFM) treats as markup inside a line; HTML's <, >, & are escaped as entities.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|~!])")
# ... and at the start of a line: headings, list items, block quotes (already &gt;), setext underlines.
_MARKDOWN_LINE_START = re.compile(r"^(?:([#+=-])|(\d+)([.)]))")
#: Characters of one output line a terminal is shown (a 10 MB label is cut, with how much was left out).
TERMINAL_LINE = 2000
#: U+2060 WORD JOINER: invisible, and it keeps "href" from being the string pyvis looks for.
WORD_JOINER = "\u2060"


def one_line(text: object, width: int | None = None) -> str:
    """*text* as one line: runs of whitespace become one space, control characters go; cut to *width* with "…"."""
    line = " ".join(_CONTROL.sub("", str(text)).split())
    if width is not None and len(line) > width:
        line = line[: max(1, width - 1)].rstrip() + "…"
    return line


def markdown_text(text: object, width: int | None = None) -> str:
    """*text* (one line, see :func:`one_line`) escaped so Streamlit markdown shows it literally."""
    return _PUNCTUATION.sub(r"\\\1", one_line(text, width))


def tooltip_text(text: object) -> str:
    """*text* for a vis-network ``title``: control characters dropped (newlines kept), ``href`` defused."""
    lines = [" ".join(_CONTROL.sub("", line).split()) for line in str(text).split("\n")]
    return _HREF.sub(lambda m: m[1] + WORD_JOINER + m[2], "\n".join(lines))


def terminal_text(text: object) -> str:
    """*text* as one line for a terminal: whitespace collapsed, each control character left shown as ``?``."""
    return _CONTROL.sub("?", " ".join(str(text).split()))


def terminal_lines(text: str, width: int = TERMINAL_LINE) -> str:
    r"""*text* for a terminal as it is laid out: newlines and tabs kept, other control characters shown as ``?``,
    each line cut to *width* characters.

    >>> terminal_lines("ok\n\x1b]0;pwned\x07 title")
    'ok\n?]0;pwned? title'
    """
    shown = _CONTROL.sub("?", text)  # tab and newline are not in _CONTROL
    if len(shown) <= width:
        return shown
    return "\n".join(
        line if len(line) <= width else f"{line[:width]}… ({len(line) - width:,} more characters)"
        for line in shown.split("\n")
    )


def markdown_document_text(text: object) -> str:
    """*text* (one line, see :func:`terminal_text`) made inert in a markdown file that people also read raw.

    HTML special characters become entities and markdown markup is
    backslash-escaped, but other punctuation stays as typed (``notes.md:3``,
    not ``notes\\.md\\:3`` as :func:`markdown_text` writes it).
    """
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(terminal_text(text), quote=False))
    return _MARKDOWN_LINE_START.sub(lambda m: f"\\{m[1]}" if m[1] else f"{m[2]}\\{m[3]}", text)
