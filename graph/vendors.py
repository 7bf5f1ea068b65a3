"""The cloud vendors Notes Graph knows, and the words that name them.

One place that says which vendor a written name belongs to, for the catalog (which vendor's
product a name is), the extractor (which cloud a note or section is about) and the term filter
(a vendor's own name is never a topic of its own).

* :data:`VENDORS` are the vendor ids, in catalog order: ``"aws"``, ``"azure"``, ``"gcp"``.
* :func:`vendor_prefix` reads a vendor name written before a product's ("Amazon S3",
  "Microsoft Entra ID", "Google Cloud Storage", "GCP Pub/Sub").
* :func:`vendor_words` finds the words in a line of text that say which cloud it is about: vendor
  names and the vendors' command-line tools (``aws s3 ls``, ``az vm create``, ``gcloud``,
  ``gsutil``, ``bq``).
* :data:`VENDOR_NAMES` are the names alone, lower-cased ("aws", "microsoft azure", "google cloud").

>>> vendor_prefix("Google Cloud Storage")
('gcp', 'Google Cloud ')
>>> vendor_prefix("Storage") is None
True
>>> sorted(vendor_words("Run `gcloud compute instances list`, unlike Azure."))
['azure', 'gcp']
"""

from __future__ import annotations

import re

__all__ = [
    "VENDORS",
    "VENDOR_LABELS",
    "VENDOR_NAMES",
    "strip_any_vendor",
    "vendor_prefix",
    "vendor_words",
]

#: Vendor ids, in catalog order (AWS first: its node ids keep no prefix, see graph.sources.catalog).
VENDORS = ("aws", "azure", "gcp")
#: How each vendor is shown.
VENDOR_LABELS = {"aws": "AWS", "azure": "Azure", "gcp": "Google Cloud"}

# Written vendor names, longest first so "Google Cloud Platform" wins over "Google".
_NAMES: dict[str, tuple[str, ...]] = {
    "aws": ("Amazon Web Services", "Amazon", "AWS"),
    "azure": ("Microsoft Azure", "Azure", "Microsoft"),
    "gcp": ("Google Cloud Platform", "Google Cloud", "GCP", "Google"),
}
#: Every vendor name, lower-cased: never a topic of its own.
VENDOR_NAMES = frozenset(name.lower() for names in _NAMES.values() for name in names) | {"amazon aws"}

_PREFIX = re.compile(
    r"^(?:(?P<aws>(?:Amazon Web Services|Amazon|AWS)\s+)|(?P<azure>(?:Microsoft Azure|Azure|Microsoft)\s+)|"
    r"(?P<gcp>(?:Google Cloud Platform|Google Cloud|GCP|Google)\s+))",
    re.IGNORECASE,
)
# Vendor names as words in running text (case as people write them: "Azure", "AWS", "GCP"), and
# the command-line tools, which only one vendor ships: "az" and "bq" only in code or before a subcommand.
# A CLI word counts before a lower-case subcommand and another word or an option ("az vm create", "aws s3 ls").
# The lookahead (every alternative's first letter) lets the engine skip to where a match can start.
_WORDS = re.compile(
    r"(?=[AMGabg])(?:(?P<aws>\b(?:AWS|Amazon Web Services)\b|\bAmazon (?=[A-Z])|\baws\s+[a-z][a-z0-9-]*\s+(?:--|[a-z]))"
    r"|(?P<azure>\b(?:Azure|AZURE)\b|\bMicrosoft (?=[A-Z])|\baz\s+[a-z][a-z0-9-]*\s+(?:--|[a-z]))"
    r"|(?P<gcp>\b(?:GCP|Google Cloud)\b|\bGoogle (?=[A-Z])|\bgcloud\b|\bgsutil\b"
    r"|\bbq\s+[a-z][a-z0-9-]*\s+(?:--|[a-z])))"
)


def vendor_prefix(name: str) -> tuple[str, str] | None:
    """``(vendor id, the prefix as written)`` when *name* starts with a vendor's name, else None."""
    match = _PREFIX.match(name.strip())
    if not match:
        return None
    vendor = match.lastgroup
    return (vendor, match.group(vendor)) if vendor else None


def strip_any_vendor(name: str) -> str:
    """*name* without a leading vendor name of any vendor: ``"Azure Blob Storage"`` -> ``"Blob Storage"``."""
    name = name.strip()
    found = vendor_prefix(name)
    return name[len(found[1]) :] if found else name


def vendor_words(text: str) -> dict[str, int]:
    """How often each vendor is named in *text* (vendor names, command-line tools); vendors not named are left out."""
    counts: dict[str, int] = {}
    for match in _WORDS.finditer(text):
        counts[match.lastgroup] = counts.get(match.lastgroup, 0) + 1
    return counts
