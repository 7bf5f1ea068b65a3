"""Regenerate ``data/catalog/gcp-services.json`` and ``data/catalog/azure-services.json``.

What it does
------------
Like ``scripts/build_catalog.py`` for AWS (botocore), this builds the Google Cloud and Azure
service catalogs from maintained, machine-readable sources that PyPI serves, never from notes:

* **Google Cloud**: the API discovery documents shipped inside ``google-api-python-client``
  (``googleapiclient/discovery_cache/documents/*.json``). One entry per API ``name`` whose
  ``documentationLink`` is on cloud.google.com (the Cloud products; Ads, Maps, Workspace APIs are
  left out). Names come from ``title`` (``"Cloud Pub/Sub API"`` -> ``"Cloud Pub/Sub"``; a
  ``(KMS)`` in parentheses is a short form) and ``canonicalName`` when it is a written name.
* **Azure**: the command-group help of the Azure CLI (the ``azure-cli`` package,
  ``azure/cli/command_modules/*/_help.py``). Every group's ``short-summary`` names the product it
  manages ("Manage Azure Kubernetes Services."); each product name written there ("Azure ...",
  "Microsoft ...") becomes an entry, with the group's command word as a short form when it is the
  name's initials (``aks`` -> ``AKS``, ``vmss`` -> ``VMSS``). Names that only extend another name
  of the same group ("Azure Service Bus Topic") are resource types, not products, and are left out.

Each vendor has a small hand-written override file beside the output
(``data/catalog/gcp-overrides.json``, ``data/catalog/azure-overrides.json``), in the same spirit
as the AWS ``overrides.json``: product families, products without an API or CLI group of their
own (the portal, Cloud Shell, the pricing calculator), the short forms people use (GCE, GCS, GKE,
AKS, VMSS, ARM templates) and renamed products (Azure Active Directory -> Microsoft Entra ID).
Every entry there has a ``_doc`` saying why it exists. An override entry whose ``id`` is a
generated id patches it (``label``/``full_name``/``kind``/``parent`` replace, ``aliases`` add,
``drop_aliases`` remove); any other id is a new entry. ``drop`` lists generated ids to leave out.

Entry ids are ``<vendor>/<id>`` (``gcp/pubsub``, ``azure/aks``), so a Google Cloud and an AWS
service never share a node (AWS ids keep no prefix: see :mod:`graph.sources.catalog`). Aliases
are each name with and without the vendor's prefix (``Google Cloud Storage``, ``Cloud Storage``;
``Azure Cosmos DB``, ``Cosmos DB``); a name without its prefix that is an everyday English word
alone (``Storage``, ``Functions``) is not kept. Single-word aliases that are everyday words are
listed in ``common_word_aliases``/``lowercase_word_aliases`` exactly as the AWS build does.

The source package is read from the installed package when it can be imported at the pinned
version, else from the pinned wheel fetched with ``pip download --no-deps`` (PyPI only)::

    python scripts/build_cloud_catalogs.py               # both vendors
    python scripts/build_cloud_catalogs.py --vendor gcp  # one
    python scripts/build_cloud_catalogs.py --source gcp=/path/google_api_python_client-X.whl

Re-run after editing an override file or moving the pinned version (``SOURCES``);
``tests/test_cloud_catalogs.py`` regenerates from the pinned source when it is installed and
checks the committed files are what the script writes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import build_catalog as aws

from graph.names import compact_key

render = aws.render  # same deterministic JSON layout as the AWS catalog
REPO = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO / "data" / "catalog"

#: The pinned source of each vendor's catalog: (PyPI package, version, import name).
SOURCES = {
    "gcp": ("google-api-python-client", "2.202.0", "googleapiclient"),
    "azure": ("azure-cli", "2.91.0", "azure.cli.command_modules"),
}
PREFIXES = {
    "gcp": ("Google Cloud", "Google", "GCP"),
    "azure": ("Azure", "Microsoft Azure", "Microsoft"),
}
_API_SUFFIX = re.compile(r"\s+(?:JSON\s+)?(?:Admin\s+)?(?:V\d+\s+)?API$|\s+\((?:Deprecated|Beta)\)$")
_PAREN = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[A-Z][A-Za-z0-9-]{1,9})\)(?P<rest>.*)$")
_AZ_NAME = re.compile(r"\b(?:Microsoft|Azure)(?: (?:[A-Z0-9][\w.+/-]*|for|on|of|\+))+")
_CLOUD_HOSTS = ("//cloud.google.com/", "//docs.cloud.google.com/")


# --------------------------------------------------------------------------
# reading the pinned sources
# --------------------------------------------------------------------------


def _source_files(vendor: str, given: Path | None) -> tuple[str, dict[str, str]]:
    """``(version, {path inside the package: text})`` of the files a vendor's catalog is read from."""
    package, version, _module = SOURCES[vendor]
    wanted = _wanted(vendor)
    if given is None:
        if _installed_version(package) == version:
            from importlib import metadata

            dist = metadata.distribution(package)
            return version, {
                str(f).replace("\\", "/"): f.read_text(encoding="utf8")
                for f in sorted(dist.files or [], key=str)
                if wanted(str(f).replace("\\", "/"))
            }
        tmp = Path(tempfile.mkdtemp(prefix="notes-graph-catalog-"))
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(tmp), f"{package}=={version}"],
            check=True,
        )
        given = next(tmp.glob("*.whl"))
    with zipfile.ZipFile(given) as wheel:
        match = re.search(r"-(\d[^-]*)-", given.name)
        found = match.group(1) if match else version
        return found, {n: wheel.read(n).decode("utf8") for n in sorted(wheel.namelist()) if wanted(n)}


def _installed_version(package: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def _wanted(vendor: str):
    if vendor == "gcp":
        return lambda n: n.startswith("googleapiclient/discovery_cache/documents/") and n.endswith(".json")
    return lambda n: n.startswith("azure/cli/command_modules/") and n.endswith("/_help.py")


def gcp_products(files: dict[str, str]) -> dict[str, dict]:
    """``{api name: {"names": [...], "source": ...}}`` for the Cloud APIs among the discovery documents."""
    products: dict[str, dict] = {}
    for path in sorted(files):
        doc = json.loads(files[path])
        name, title = doc.get("name"), " ".join(str(doc.get("title", "")).split())
        if not name or not title or name in products:
            continue
        link = str(doc.get("documentationLink", ""))
        names = []
        full = _API_SUFFIX.sub("", title)
        full = _API_SUFFIX.sub("", full)
        match = _PAREN.match(full)
        if match:
            full = " ".join(f"{match.group('name')}{match.group('rest')}".split())
            names.append(match.group("inner"))
        names.insert(0, full)
        canonical = " ".join(str(doc.get("canonicalName", "")).split())
        if " " in canonical and canonical != canonical.lower():
            names.append(canonical)
        products[name] = {
            "names": names,
            "cloud": any(h in link for h in _CLOUD_HOSTS),
            "source": {"api": name, "version": doc.get("version", ""), "title": title},
        }
    return products


def azure_products(files: dict[str, str]) -> dict[str, dict]:
    """``{group path: {"names": [...], "source": ...}}``: the product names each CLI command group's summary writes."""
    helps = re.compile(r"helps\[['\"]([^'\"]+)['\"]\]\s*=\s*\"\"\"(.*?)\"\"\"", re.S)
    groups: dict[str, str] = {}
    for path in sorted(files):
        for match in helps.finditer(files[path]):
            body = match.group(2)
            kind = re.search(r"^\s*type:\s*(\w+)", body, re.M)
            summary = re.search(r"^\s*short-summary:\s*(.+)$", body, re.M)
            if kind and kind.group(1) == "group" and summary:
                groups.setdefault(match.group(1).strip(), " ".join(summary.group(1).split()))
    products: dict[str, dict] = {}
    seen: set[str] = set()
    for group in sorted(groups, key=lambda g: (g.count(" "), g)):
        names = []
        for found in _AZ_NAME.finditer(groups[group]):
            name = re.sub(r"(?:\s+(?:for|on|of|\+))+$", "", found.group(0).rstrip(".")).strip()
            if len(name.split()) >= 2 and compact_key(name) not in seen:
                names.append(name)
        # A name that extends one already taken ("Azure Service Bus Topic") is a resource type of that product.
        names = [n for n in names if not any(compact_key(n).startswith(s) for s in seen)]
        if not names:
            continue
        seen.update(compact_key(_singular(n)) for n in names)
        seen.update(compact_key(n) for n in names)
        word = group.split()[-1]
        if re.fullmatch(r"[a-z]{2,5}", word) and word.upper() == _initials(names[0]):
            names.append(word.upper())  # "aks" for "Azure Kubernetes Service(s)"
        products[group.replace(" ", "-")] = {"names": names, "cloud": True, "source": {"cli_group": group}}
    return products


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w[0].isupper())


def _singular(name: str) -> str:
    """ "Azure Container Registries" -> "Azure Container Registry"; "Azure Kubernetes Services" -> "... Service"."""
    head, _, last = name.rpartition(" ")
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif last.endswith(("ses", "ces", "ps", "ts", "ns", "ks", "ms", "rs")) and not last.endswith("ss"):
        last = last[:-1]
    return f"{head} {last}".strip()


# --------------------------------------------------------------------------
# entries
# --------------------------------------------------------------------------


def _strip_prefix(vendor: str, name: str) -> str:
    for prefix in sorted(PREFIXES[vendor], key=len, reverse=True):
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


def _variants(vendor: str, name: str, probs: dict[str, float]) -> list[str]:
    """*name* with and without the vendor's prefix, and with each prefix people write."""
    bare = _strip_prefix(vendor, name)
    forms = [name]
    if vendor == "gcp" and bare.startswith("Cloud "):
        rest = bare[len("Cloud ") :]
        forms += [bare, f"Google {bare}"]  # "Cloud Storage", "Google Cloud Storage"
        if _distinct(rest, probs):
            forms.append(rest)  # "Bigtable", "Spanner"; never "Storage" or "DNS"
    elif vendor == "gcp":
        forms += [f"Google Cloud {bare}", f"Google {bare}"]
        if bare == name or _distinct(bare, probs):
            forms.append(bare)
    else:
        if bare != name:
            forms += [f"{p} {bare}" for p in PREFIXES[vendor][:2]]
            if _distinct(bare, probs):
                forms.append(bare)
    plural = _singular(name)
    if plural != name:
        forms.append(plural)
    return forms


def _distinct(name: str, probs: dict[str, float]) -> bool:
    """Whether a name without its prefix is still a name, not an everyday word ("Storage", "Functions")."""
    words = name.split()
    if len(words) > 1:
        return True
    word = words[0]
    if aws.is_generic(word) or len(word) < 5 or re.fullmatch(r"[A-Z]{2,6}s?", word):
        return False  # "DNS", "SQL", "VPN": a general acronym, not the product
    return not aws.is_common_word(word, probs)


def build(vendor: str, source: Path | None = None, overrides_path: Path | None = None) -> dict:
    """The catalog of *vendor* (``"gcp"`` or ``"azure"``) as a JSON-ready dict."""
    overrides_path = overrides_path or CATALOG_DIR / f"{vendor}-overrides.json"
    raw = overrides_path.read_bytes()
    overrides = json.loads(raw)
    version, files = _source_files(vendor, source)
    lookups_version, probs = aws.load_lexeme_probs()
    products = gcp_products(files) if vendor == "gcp" else azure_products(files)
    patches = {e["id"]: e for e in overrides["entries"]}
    for entry in overrides["entries"]:
        if not entry.get("_doc"):
            raise SystemExit(f"{overrides_path}: {entry['id']}: missing '_doc'")
    drop = set(overrides.get("drop", {}).get("ids", []))
    drop_aliases = {compact_key(a) for a in overrides.get("drop_aliases", {}).get("aliases", [])}

    drafts: dict[str, dict] = {}
    for pid, product in products.items():
        if pid in drop or (not product["cloud"] and pid not in patches):
            continue
        names = product["names"]
        drafts[pid] = {
            "label": names[0],
            "full_name": names[0],
            "kind": "service",
            "parent": None,
            "aliases": [(a, 1) for n in names for a in _variants(vendor, n, probs)],
            "source": product["source"],
        }
    for pid, patch in patches.items():
        draft = drafts.get(pid)
        if draft is None:
            missing = [f for f in ("label", "full_name", "kind") if f not in patch]
            if missing:
                raise SystemExit(f"{overrides_path}: new entry {pid!r} needs {missing}")
            draft = drafts[pid] = {"aliases": [], "source": None, "parent": None}
        for field in ("label", "full_name", "kind", "parent"):
            if field in patch:
                draft[field] = patch[field]
        for name in (draft["label"], draft["full_name"]):
            draft["aliases"] += [(a, 0) for a in _variants(vendor, name, probs)]
        draft["aliases"] += [(a, 0) for a in patch.get("aliases", [])]
        gone = {compact_key(a) for a in patch.get("drop_aliases", [])}
        draft["aliases"] = [(a, p) for a, p in draft["aliases"] if compact_key(a) not in gone]

    # A name two entries claim goes to the one that says it most directly (override first), else to none.
    owners: dict[str, dict[str, int]] = {}
    for pid, draft in drafts.items():
        for alias, priority in draft["aliases"]:
            key = compact_key(alias)
            if key in drop_aliases or aws.is_generic(alias):
                continue
            best = owners.setdefault(key, {})
            best[pid] = min(priority, best.get(pid, 9))
    keep: dict[str, str] = {}
    dropped: dict[str, list[str]] = {}
    for key, by_entry in owners.items():
        top = min(by_entry.values())
        winners = sorted(e for e, p in by_entry.items() if p == top)
        if len(winners) == 1:
            keep[key] = winners[0]
        else:
            dropped[key] = [f"{vendor}/{w}" for w in winners]

    entries = []
    for pid in sorted(drafts):
        draft = drafts[pid]
        if draft["parent"] is not None and draft["parent"] not in drafts:
            raise SystemExit(f"{vendor}/{pid}: unknown parent {draft['parent']!r}")
        rest = sorted(
            {a for a, _ in draft["aliases"] if keep.get(compact_key(a)) == pid}, key=lambda a: (a.casefold(), a)
        )
        aliases = list(dict.fromkeys([draft["label"], draft["full_name"], *rest]))
        entries.append(
            {
                "id": f"{vendor}/{pid}",
                "vendor": vendor,
                "label": draft["label"],
                "full_name": draft["full_name"],
                "kind": draft["kind"],
                "parent": f"{vendor}/{draft['parent']}" if draft["parent"] else None,
                "aliases": aliases,
                "common_word_aliases": [a for a in aliases if aws.is_common_word(a, probs)],
                "lowercase_word_aliases": [
                    a for a in aliases if aws.is_lowercase_word(a, probs) and not aws.is_common_word(a, probs)
                ],
                "source": draft["source"],
            }
        )
    package = SOURCES[vendor][0]
    return {
        "_doc": (
            f"{vendor} service catalog for Notes Graph. GENERATED by scripts/build_cloud_catalogs.py from {package} "
            f"plus data/catalog/{vendor}-overrides.json - do not edit by hand."
        ),
        "format": 1,
        "vendor": vendor,
        "generator": "scripts/build_cloud_catalogs.py",
        "source_package": package,
        "source_version": version,
        "spacy_lookups_data_version": lookups_version,
        "overrides_sha256": hashlib.sha256(raw).hexdigest(),
        "entry_count": len(entries),
        "alias_count": sum(len(e["aliases"]) for e in entries),
        "dropped_ambiguous_aliases": dict(sorted(dropped.items())),
        "entries": entries,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vendor", choices=("gcp", "azure", "all"), default="all")
    parser.add_argument("--source", action="append", default=[], help="VENDOR=WHEEL: read this wheel, not the pin")
    parser.add_argument("--out-dir", type=Path, default=CATALOG_DIR)
    args = parser.parse_args(argv)
    given = dict(s.split("=", 1) for s in args.source)
    for vendor in ("gcp", "azure") if args.vendor == "all" else (args.vendor,):
        catalog = build(vendor, Path(given[vendor]) if vendor in given else None)
        out = args.out_dir / f"{vendor}-services.json"
        out.write_text(render(catalog), encoding="utf8")
        print(f"wrote {out}: {catalog['entry_count']} entries, {catalog['alias_count']} aliases", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
