"""Note text made safe to show: as one line, inside markdown, inside a graph tooltip.

Notes are untrusted: a heading may be ``<img src=x onerror=alert(1)>``. Every
bit of note text the app shows goes through one of these functions, so it is
displayed as the characters the author typed and never interpreted:

* :func:`one_line`: whitespace collapsed, control characters dropped, optionally cut;
* :func:`markdown_text`: for Streamlit markdown (headings, captions, button labels):
  every ASCII punctuation character is backslash-escaped, which CommonMark
  defines as "this character, literally", so no tag, link, image, emphasis,
  LaTeX (``$``) or Streamlit directive (``:red[...]``) can start;
* :func:`tooltip_text`: for vis-network tooltips, which the browser shows as
  text (``innerText``); ``href`` is split with an invisible word joiner because
  pyvis switches every tooltip to HTML when any title contains ``href``.
"""

from __future__ import annotations

import re

# C0/C1 control characters except tab and newline (which one_line folds anyway).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Every ASCII punctuation character: CommonMark lets a backslash make any of them literal.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_HREF = re.compile(r"(h)(ref)", re.IGNORECASE)
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
