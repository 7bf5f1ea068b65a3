"""Notes that attack whatever shows them: script, HTML, markdown, Streamlit directives, pyvis's ``href`` switch.

Shared by ``tests/test_xss.py`` (every output of the library) and
``tests/test_browser.py`` (the app in a real browser).

* :data:`PAYLOADS` (45): each is written into a note of its own, in a heading
  about Amazon SQS, in a sentence, in a list item and in a TODO line, so it
  reaches section titles, evidence, relations and the gap report;
* :data:`LABEL_PAYLOADS` (5): each becomes a topic's label (and, written in
  the plural too, one of its aliases), so it is drawn in the graph view;
* :data:`FILE_NAME_PAYLOADS` (5): file names, each a note about Amazon SNS,
  so they are shown as file names (and, uploaded, never used as paths).

The notes write each payload through :func:`literal`, so markdown reads it as
exactly the characters of the payload: the graph then holds the payload
itself, which every output must show as text.
"""

from __future__ import annotations

import re

#: Payloads that must stay text wherever note text is shown. One line each, no doubled spaces.
PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    '<iframe src="javascript:alert(4)"></iframe>',
    '<a href="javascript:alert(5)">docs</a>',
    "<body onload=alert(6)>",
    "<details open ontoggle=alert(7)>",
    "<input autofocus onfocus=alert(8)>",
    "<video><source onerror=alert(9)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
    '"><script>alert(11)</script>',
    "'><img src=x onerror=alert(12)>",
    "</script><script>alert(13)</script>",
    "</textarea><script>alert(14)</script>",
    '<style>body{background:url("http://evil.example/15.png")}</style>',
    "<link rel=stylesheet href=http://evil.example/16.css>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(17)">',
    '<object data="javascript:alert(18)"></object>',
    '<embed src="javascript:alert(19)">',
    '<form action="javascript:alert(20)"><button>go</button></form>',
    '<base href="http://evil.example/">',
    '<img src="http://evil.example/22.png">',
    "![tracker](http://evil.example/23.png)",
    "[click me](javascript:alert(24))",
    '[docs](http://evil.example/25 "title")',
    "<http://evil.example/26>",
    "<javascript:alert(27)>",
    "&lt;script&gt;alert(28)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(29)&#62;",
    "{{7*7}} ${alert(30)}",
    ":red[alert(31)] :material/warning:",
    "$\\href{javascript:alert(32)}{x}$",
    "javascript:alert(33)",
    "data:text/html,<script>alert(34)</script>",
    '<img src=x onerror="alert(35)"',
    "<scr<script>ipt>alert(36)</scr</script>ipt>",
    "<IMG SRC=JaVaScRiPt:alert(37)>",
    "<img src=x onerror=&#97;lert(38)>",
    '<div style="background:url(javascript:alert(39))">',
    "<!--<img src=x onerror=alert(40)>-->",
    "<![CDATA[<script>alert(41)</script>]]>",
    "<x onclick=alert(42)>click</x>",
    "<marquee onstart=alert(43)>",
    '";alert(44);//',
    "<svg><animate onbegin=alert(45) attributeName=x>",
)

#: Payloads that become topic labels: short noun phrases (the last word takes a plural), no parentheses or commas.
LABEL_PAYLOADS = (
    "<img src=x onerror=alert`46`> queue",
    "<script>alert`47`</script> widget",
    "<svg onload=alert`48`> stream",
    "<b onmouseover=alert`49`>bold</b> buffer",
    "<iframe srcdoc=<b>x</b>> cache",
)

#: Payloads as file names (no slash: a file name cannot hold one, and an upload's is cut at it).
FILE_NAME_PAYLOADS = (
    "<img src=x onerror=alert(51)>.md",
    "<svg onload=alert(52)>.md",
    "javascript:alert(53).md",
    "[x](javascript:alert(54)).md",
    "' onmouseover='alert(55)'.md",
)

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def literal(text: str) -> str:
    """*text* for a markdown note such that markdown reads exactly *text*: ASCII punctuation backslash-escaped."""
    return _PUNCTUATION.sub(r"\\\1", text)


def xss_notes() -> dict[str, str]:
    """The attack notes as {file name: text}: one note per payload, one with the label payloads, one per file name."""
    notes = {}
    for number, payload in enumerate(PAYLOADS, start=1):
        text = literal(payload)
        notes[f"payload-{number:02d}.md"] = (
            f"# Payload {number}\n\n"
            f"## Amazon SQS {text}\n\n"
            f"Amazon SQS queues messages for AWS Lambda {text}\n\n"
            f"- Amazon SQS integrates with AWS Lambda {text}\n\n"
            f"TODO: check {text}\n"
        )
    lines = ["# Topics named by payloads", ""]
    for payload in LABEL_PAYLOADS:
        text = literal(payload)
        lines += [
            f"## {text}",
            "",
            f"**{text}** — a part of Amazon SQS that holds messages.",
            "",
            f"- Amazon SQS uses a {text} for each consumer.",
            f"- Amazon SQS keeps **{text}s** apart.",
            "",
        ]
    notes["labels.md"] = "\n".join(lines)
    for number, name in enumerate(FILE_NAME_PAYLOADS, start=1):
        notes[name] = f"# File {number}\n\nAmazon SNS fans out messages to subscribers.\n"
    return notes
