"""How two written names are compared: the one place that says when names are "the same".

Every stage that matches a name someone typed or wrote against a known one uses these keys: the
catalog builder and the catalog lookup (:func:`compact_key`), the name search, the syllabus reader
and the gap report (:func:`loose_key`, :func:`name_words`).

* :func:`compact_key` is strict: only case, Unicode width and separators (spaces, hyphens, dashes,
  underscores, slashes) are ignored, so ``"X-Ray"``, ``"x ray"`` and ``"XRay"`` meet while
  ``"Lambda@Edge"`` keeps its ``@``. Catalog aliases are indexed by it.
* :func:`loose_key` is what a person means by "the same name": no vendor prefix, no case, letters
  and digits only (``"Amazon S3 (Simple Storage Service)"`` is ``"s3simplestorageservice"``).

>>> compact_key("Kinesis Data-Firehose")
'kinesisdatafirehose'
>>> loose_key("AWS Step Functions")
'stepfunctions'
>>> name_words("Amazon Kinesis Data Firehose")
('kinesis', 'data', 'firehose')
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from graph.vendors import strip_any_vendor

__all__ = ["compact_key", "loose_key", "name_words", "strip_vendor"]
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015_/]+")
_WORD = re.compile(r"[0-9a-z]+")


def strip_vendor(name: str) -> str:
    """*name* without the vendor names written before it, of any cloud (:mod:`graph.vendors`):
    ``"Amazon SQS"`` -> ``"SQS"``, ``"AWS Amazon Step Functions"`` -> ``"Step Functions"``."""
    name = name.strip()
    while (bare := strip_any_vendor(name)) != name:
        name = bare
    return name


@lru_cache(maxsize=65536)  # pure; the catalog is asked for the same names in every note
def compact_key(text: str) -> str:
    """The strict comparison key: NFKC, case-folded, without spaces, hyphens, dashes, underscores or slashes."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


def name_words(name: str) -> tuple[str, ...]:
    """The words of *name* in compared form: no vendor prefix, lower case, letters and digits only."""
    return tuple(_WORD.findall(strip_vendor(name).casefold()))


def loose_key(name: str) -> str:
    """The loose comparison key: :func:`name_words` run together."""
    return "".join(name_words(name))
