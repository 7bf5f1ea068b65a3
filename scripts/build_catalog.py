"""Regenerate ``data/catalog/aws-services.json``, the AWS service catalog.

What it does
------------
Notes Graph recognises AWS service names in notes it has never seen, so the
names must come from a maintained outside source, never from the notes. This
script builds the catalog from three inputs:

1. The service models shipped with the installed **botocore** (the data
   behind the AWS SDK for Python). For every service it reads the metadata of
   the latest API version (``serviceFullName``, ``serviceAbbreviation``,
   ``serviceId``, ``endpointPrefix``) through ``botocore.loaders.Loader``,
   looking only in botocore's own data folder (not ``~/.aws/models``) so the
   result depends on the botocore version alone.
2. ``data/catalog/aws-product-names.json``: product names that no API model
   gives, written by ``--refresh-names`` from two pinned packages: AWS's
   official architecture icon set (npm ``aws-icons``; each SVG's ``<title>``
   keeps AWS's file name, e.g. ``Arch_Amazon-FSx-for-Lustre_48``, and resource
   icons name their product: ``Res_AWS-Systems-Manager_Session-Manager_48``)
   and the IAM service names of PyPI ``awacs`` (AWS's Service Authorization
   Reference: ``AWS OpsWorks``, ``Amazon Sumerian``). Which of them become
   entries, and under which parent, is decided by :func:`add_icon_products` and
   :func:`add_iam_products` (written like a product, not a name the catalog
   already has, a sub-product's name always capitalised in its parent's own
   API documentation, ...), never by a list.
3. ``data/catalog/overrides.json``: a small hand-written file for well-known
   names that have no API of their own (product families such as the Snow
   Family, S3 storage classes, load balancer types, support plans, the
   console/CLI/SDKs, Amazon Aurora, ...), for names people write differently
   from the API metadata, and for grouping several API models into one
   product. Every entry there carries a ``_doc`` string saying why it exists.

The output is deterministic (entries sorted by id, no timestamps, ``indent=1``)
and records the botocore and spacy-lookups-data versions it came from plus a
hash of the overrides file, so ``tests/test_catalog.py`` can check that the
committed JSON is up to date.

When to re-run
--------------
Re-run after editing ``overrides.json`` or upgrading botocore (new AWS
services appear in every botocore release) or spacy-lookups-data, and with
``--refresh-names`` after moving ``ICON_PACKAGE``/``IAM_PACKAGE`` (needs npm and pip)::

    python scripts/build_catalog.py            # writes data/catalog/aws-services.json
    python scripts/build_catalog.py --refresh-names
    python scripts/build_catalog.py --out x.json

Rules
-----
*One product = one entry.* Several botocore models can describe one product a
learner knows by one name. They are collapsed into one entry by, in order:

- explicit ``merge_from`` lists (glob patterns over botocore service names) on
  override entries, e.g. ``es`` into ``opensearch`` or ``sagemaker-*`` into
  ``sagemaker``;
- the *version rule*: ``elbv2`` -> ``elb``, ``wafv2`` -> ``waf``,
  ``lexv2-models`` -> ``lex-models`` (name with ``vN`` removed, if that name
  exists);
- the *data-plane rule*: a name ending in ``-runtime``, ``-data``, ``data``,
  ``-events``, ``-query``, ``query``, ``-write``, ``-control``, ``-models`` or
  ``domain`` is merged into the name without that suffix, if it exists
  (``sagemaker-runtime`` -> ``sagemaker``, ``iot-data`` -> ``iot``).

Rules are applied repeatedly (``lexv2-runtime`` -> ``lex-runtime`` -> ``lex``).
A merged model's names become aliases of the product entry; the entry keeps
the id of the product (the botocore service name of the main model, or the
override id).

*Aliases* of a botocore entry: the full name (``serviceFullName`` with a glued
vendor fixed, ``AWSBudgets`` -> ``AWS Budgets``, a trailing ``(ABBR)`` split
off and a trailing ``Service`` dropped when the service id shows it is not
part of the name, e.g. ``Amazon Transcribe Service``), the raw full name, the
abbreviation, each with and without the ``Amazon``/``AWS`` prefix, the
abbreviation under both vendor prefixes when it is an acronym (``Amazon SQS``,
``AWS SQS``), and the ``serviceId`` unless it is an all-lowercase identifier.
Override entries add their label and full name (also without the vendor
prefix) and their ``aliases`` exactly as written (no prefix stripping).
Aliases are then dropped when they are shorter than 2 characters, pure
numbers/punctuation, a generic word (:data:`GENERIC_ALIASES`), end in a
version tag (``CloudHSM V2``; only for names derived from botocore), or are
listed in the overrides' global ``drop_aliases``.

*Label*: ``<vendor> <acronym>`` when the abbreviation is a short acronym whose
letters appear in order among the initials of the full name (``Amazon SQS``,
``Amazon EC2``, ``AWS KMS``), otherwise the cleaned full name; overrides win.

*Parent* of a botocore entry without an explicit parent: the entry whose
(vendor-less) label or full name is the longest word-prefix of this entry's
name (``CloudWatch Logs`` -> ``cloudwatch``, ``Kinesis Video Streams`` ->
``kinesis``).

*Ambiguous aliases*: aliases are compared by a compact key (case-folded, no
spaces/hyphens). Each alias has a priority: 0 = written literally in
overrides.json (or an override's label/full name), 1 = derived from the
entry's own model (or the vendor-less form of a priority-0 name), 2 = taken
from a merged model. When one key belongs to several entries, the entries
with the best priority keep it; if that is still more than one entry the alias
is dropped from all of them and listed under ``dropped_ambiguous_aliases`` in
the output. A label or full name may not be lost that way (the build fails).

*Common words*: ``common_word_aliases`` lists single-word aliases that are
ordinary English words: the lowercase form has a log-probability above
:data:`COMMON_WORD_MIN_PROB` in spaCy's ``en_lexeme_prob`` table
(spacy-lookups-data) and is more frequent than the capitalised form
(``Batch``, ``Glue``, ``Support``; not ``SQS``, ``Athena``).
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import hashlib
import json
import re
import sys
from importlib import metadata as importlib_metadata
from pathlib import Path

from graph.names import compact_key, strip_vendor

REPO = Path(__file__).resolve().parent.parent
CATALOG_DIR = REPO / "data" / "catalog"
DEFAULT_OUT = CATALOG_DIR / "aws-services.json"
DEFAULT_OVERRIDES = CATALOG_DIR / "overrides.json"
DEFAULT_PRODUCT_NAMES = CATALOG_DIR / "aws-product-names.json"

#: The pinned source of product names that have no API of their own: AWS's official architecture
#: icon set, as the npm package ``aws-icons`` ships it (MIT; one SVG per icon, whose ``<title>``
#: keeps AWS's own file name, e.g. ``Arch_Amazon-FSx-for-Lustre_48``). Only the names are used.
ICON_PACKAGE = ("aws-icons", "3.3.0")
#: The pinned source of older or console-only product names: the IAM service names (AWS's Service
#: Authorization Reference) that the PyPI package ``awacs`` (BSD) keeps, one module per service
#: (``service_name = "AWS OpsWorks"``).
IAM_PACKAGE = ("awacs", "2.6.1")
#: Icon style variants, not names ("AWS Marketplace Dark", "Amazon RDS Instance Alternate").
_ICON_VARIANTS = frozenset({"dark", "light", "alternate", "aternate"})
#: Words a product name keeps in lower case ("Amazon FSx for Lustre", "Oracle Database at AWS").
_NAME_FUNCTION_WORDS = frozenset({"for", "on", "of", "and", "at", "in", "to", "with", "the", "a"})

KINDS = ("service", "family", "feature")
VENDORS = ("Amazon", "AWS")

#: Aliases that are never useful alone (compared case-insensitively).
GENERIC_ALIASES = frozenset(
    {
        "amazon",
        "aws",
        "amazon web services",
        "api",
        "apis",
        "service",
        "services",
        "cloud",
        "data",
        "runtime",
        "control",
        "core",
        "web",
        "console",
        "client",
        "sdk",
        "cli",
        "management",
        "manager",
        "admin",
    }
)

#: A single-word alias is a common English word when its lowercase form has a
#: log-probability above this value in spaCy's en_lexeme_prob table (and is
#: more frequent than its capitalised form).
COMMON_WORD_MIN_PROB = -14.0
LOWERCASE_WORD_MIN_PROB = -18.5

#: Suffixes of botocore service names that mark a data-plane/runtime split of
#: a product (the data-plane rule).
DATA_PLANE_SUFFIXES = (
    "-runtime",
    "-data",
    "data",
    "-events",
    "-query",
    "query",
    "-write",
    "-control",
    "-models",
    "domain",
)

_VERSION_NAME = re.compile(r"^(?P<base>.+?)-?v\d+(?P<rest>-.+)?$")
_VERSION_ALIAS = re.compile(r"(?:\s|-)?[vV]\d+$")
_GLUED_VENDOR = re.compile(r"^(Amazon|AWS)(?=[A-Z])")
_TRAILING_PARENS = re.compile(r"^(?P<name>.*?)\s*\((?P<inner>[^()]+)\)$")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,4}$")
_PAREN_ABBREV = re.compile(r"^(?:(?:Amazon|AWS) )?[A-Z][A-Z0-9-]{1,9}$")


# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


def collapse_ws(text: str) -> str:
    return " ".join(text.split())


def vendor_of(name: str) -> str | None:
    for vendor in VENDORS:
        if name.startswith(vendor + " "):
            return vendor
    return None


def fix_glued_vendor(name: str) -> str:
    """``AWSBudgets`` -> ``AWS Budgets``; ``AmazonMQ`` -> ``Amazon MQ``."""
    return _GLUED_VENDOR.sub(r"\1 ", collapse_ws(name), count=1)


def initials(name: str) -> str:
    return "".join(w[0].upper() for w in re.split(r"[\s\-]+", name) if w)


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def is_generic(alias: str) -> bool:
    """Too short, no letters, or a generic word (``"AWS SDK"`` is fine, ``"SDK"`` is not)."""
    alias = alias.strip()
    if len(alias) < 2 or not re.search(r"[A-Za-z]", alias):
        return True  # short, or pure numbers / punctuation
    return alias.casefold() in GENERIC_ALIASES


# --------------------------------------------------------------------------
# inputs
# --------------------------------------------------------------------------


def spelling_variants(alias: str) -> list[str]:
    """Other ways people write an alias: the other vendor prefix ("AWS Inspector" for
    "Amazon Inspector"), a CamelCase name split ("Event Bridge"), a number joined on
    ("Route53"). They get the lowest priority, so they never take a name from another entry.
    """
    variants = []
    vendor = vendor_of(alias)
    if vendor:
        other = "AWS" if vendor == "Amazon" else "Amazon"
        variants.append(f"{other} {strip_vendor(alias)}")
    bare = strip_vendor(alias)
    camel = re.fullmatch(r"([A-Z][a-z]{2,})([A-Z][a-z]{2,}|[A-Z]{2,})", bare)
    if camel:
        variants.append(alias.replace(bare, f"{camel.group(1)} {camel.group(2)}"))
    if alias.endswith(" Service"):
        variants.append(alias + "s")  # "AWS Directory Services"
    joined = re.sub(r"(?<=[A-Za-z]) (?=\d+$)", "", alias)
    if joined != alias:
        variants.append(joined)
    return variants


def load_overrides(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SystemExit(f"overrides file not found: {path}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise SystemExit(f"{path}: not valid JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise SystemExit(f"{path}: expected an object with an 'entries' list")
    seen = set()
    for i, entry in enumerate(data["entries"]):
        where = f"{path}: entries[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise SystemExit(f"{where}: each entry needs a string 'id'")
        if entry["id"] in seen:
            raise SystemExit(f"{where}: duplicate id {entry['id']!r}")
        seen.add(entry["id"])
        if not entry.get("_doc"):
            raise SystemExit(f"{where} ({entry['id']}): missing '_doc' (say why it exists)")
        if "kind" in entry and entry["kind"] not in KINDS:
            raise SystemExit(f"{where}: kind must be one of {KINDS}")
        for field in ("aliases", "drop_aliases", "merge_from"):
            value = entry.get(field, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise SystemExit(f"{where}: {field!r} must be a list of strings")
    return {"data": data, "sha256": hashlib.sha256(raw).hexdigest()}


def load_botocore_models() -> tuple[str, dict[str, dict]]:
    """Return (botocore version, {service name: metadata of latest API version})."""
    import botocore
    from botocore.loaders import Loader

    loader = Loader(
        extra_search_paths=[Loader.BUILTIN_DATA_PATH],
        include_default_search_paths=False,
    )
    models = {}
    for name in sorted(loader.list_available_services("service-2")):
        api_version = loader.determine_latest_version(name, "service-2")
        model = loader.load_service_model(name, "service-2", api_version=api_version)
        meta = model.get("metadata", {})
        models[name] = {
            "service": name,
            "api_version": api_version,
            "full_name": meta.get("serviceFullName") or "",
            "abbreviation": meta.get("serviceAbbreviation") or "",
            "service_id": meta.get("serviceId") or "",
            "endpoint_prefix": meta.get("endpointPrefix") or "",
        }
    return botocore.__version__, models


def load_lexeme_probs() -> tuple[str, dict[str, float]]:
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).resolve().parent / "data" / "en_lexeme_prob.json.gz"
    with gzip.open(path, "rt", encoding="utf8") as fh:
        probs = json.load(fh)
    return importlib_metadata.version("spacy-lookups-data"), probs


def is_common_word(alias: str, probs: dict[str, float]) -> bool:
    """Single-word alias whose lowercase form is a frequent English word."""
    if any(ch.isspace() for ch in alias) or not alias[1:].islower():
        return False  # acronyms and CamelCase names ("ADS", "AppSync") are matched as written
    lower = alias.lower()
    capitalised = lower[:1].upper() + lower[1:]
    p_lower = probs.get(lower)
    if p_lower is None or p_lower <= COMMON_WORD_MIN_PROB:
        return False
    p_cap = probs.get(capitalised)
    return p_cap is None or p_lower > p_cap


def is_everyday_phrase(alias: str, probs: dict[str, float]) -> bool:
    """Several words, each a frequent English word in lower case ("Session Manager", "Simple AD")."""
    words = alias.split()
    return len(words) > 1 and all(probs.get(w.lower(), -99.0) > COMMON_WORD_MIN_PROB for w in words)


def is_lowercase_word(alias: str, probs: dict[str, float]) -> bool:
    """Single-word alias that is a real (if rarer) English word, more often written in lower case."""
    if not alias.isalpha() or not alias[1:].islower():
        return False
    lower = alias.lower()
    p_lower = probs.get(lower)
    if p_lower is None or p_lower <= LOWERCASE_WORD_MIN_PROB:
        return False
    p_cap = probs.get(lower[:1].upper() + lower[1:])
    return p_cap is None or p_lower >= p_cap


# --------------------------------------------------------------------------
# product names from AWS's architecture icon set
# --------------------------------------------------------------------------

_ICON_TITLE = re.compile(r"<title>\s*(?P<title>[^<]+?)\s*</title>")
_ARCH_TITLE = re.compile(r"(?:^|/)Arch_(?P<name>.+?)_\d+$")
_RES_TITLE = re.compile(r"(?:^|/)Res_(?P<parent>[^_/]+)_(?P<child>.+?)_\d+(?:_(?:Light|Dark))?$")


def _icon_words(name: str) -> str:
    """``"Amazon-FSx-for-Lustre"`` -> ``"Amazon FSx for Lustre"`` (AWS's icon files join words with hyphens)."""
    return collapse_ws(name.replace("-", " ").replace("_", " "))


def icon_names_from_folder(folder: Path) -> dict:
    """The names in an unpacked ``aws-icons`` package: ``{"services": [...], "resources": [[parent, child], ...]}``.

    ``services`` are the *architecture service* icons (one per product: ``"Amazon FSx for Lustre"``);
    ``resources`` the *resource* icons, each drawn for a parent product (``["AWS Systems Manager",
    "Session Manager"]``, ``["Amazon Simple Storage Service", "Bucket"]``): sub-products and resource
    types alike, sorted out by :func:`add_icon_products`.
    """
    services, resources = set(), set()
    for svg in sorted(folder.rglob("*.svg")):
        match = _ICON_TITLE.search(svg.read_text(encoding="utf8", errors="replace"))
        if match is None:
            continue
        title = match.group("title")
        if "architecture-service" in svg.parts and (arch := _ARCH_TITLE.search(title)):
            services.add(_icon_words(arch.group("name")))
        elif "resource" in svg.parts and (res := _RES_TITLE.search(title)):
            resources.add((_icon_words(res.group("parent")), _icon_words(res.group("child"))))
    return {"services": sorted(services), "resources": [list(r) for r in sorted(resources)]}


_IAM_SERVICE_NAME = re.compile(r'^service_name = "(?P<name>[^"]+)"', re.M)


def iam_names_from_wheel(wheel: Path) -> list[str]:
    """The ``service_name`` of every module of an ``awacs`` wheel ("AWS OpsWorks", "Amazon Sumerian")."""
    import zipfile

    names = set()
    with zipfile.ZipFile(wheel) as archive:
        for member in archive.namelist():
            if member.startswith("awacs/") and member.endswith(".py"):
                match = _IAM_SERVICE_NAME.search(archive.read(member).decode("utf8"))
                if match:
                    names.add(collapse_ws(match.group("name")))
    return sorted(names)


def refresh_product_names(out: Path = DEFAULT_PRODUCT_NAMES) -> dict:
    """Fetch the pinned sources (``npm pack``, ``pip download``) and write their names to *out* (committed)."""
    import subprocess
    import tarfile
    import tempfile

    data: dict = {
        "_doc": (
            "AWS product names that no botocore API model gives, from two maintained packages: AWS's official "
            f"architecture icon set (SVG <title>s of the npm package {ICON_PACKAGE[0]}) and the IAM service "
            f"names of the PyPI package {IAM_PACKAGE[0]} (AWS's Service Authorization Reference). GENERATED by "
            "scripts/build_catalog.py --refresh-names; read by the same script."
        )
    }
    with tempfile.TemporaryDirectory(prefix="notes-graph-names-") as tmp:
        folder = Path(tmp)
        package, version = ICON_PACKAGE
        subprocess.run(["npm", "pack", "--silent", f"{package}@{version}"], cwd=folder, check=True, capture_output=True)
        tarball = next(folder.glob("*.tgz"))
        with tarfile.open(tarball) as tar:
            tar.extractall(folder / "unpacked", filter="data")
        data["icons"] = {
            "package": package,
            "version": version,
            "sha256": hashlib.sha256(tarball.read_bytes()).hexdigest(),
            **icon_names_from_folder(folder / "unpacked"),
        }
        package, version = IAM_PACKAGE
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(folder), f"{package}=={version}"],
            check=True,
            capture_output=True,
        )
        wheel = next(folder.glob("*.whl"))
        data["iam"] = {
            "package": package,
            "version": version,
            "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
            "services": iam_names_from_wheel(wheel),
        }
    out.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf8")
    return data


def load_product_names(path: Path) -> dict:
    """The committed names file: ``{"icons": {"services", "resources"}, "iam": {"services"}, "sha256"}``."""
    if not path.exists():
        return {"icons": {"services": [], "resources": []}, "iam": {"services": []}, "sha256": ""}
    raw = path.read_bytes()
    data = json.loads(raw)
    return {"icons": data["icons"], "iam": data["iam"], "sha256": hashlib.sha256(raw).hexdigest()}


def is_product_name(name: str) -> bool:
    """Written like a product name: capitalised words, lower case only for "for", "on", "of"...; no icon style word.

    >>> [is_product_name(n) for n in ("Amazon FSx for Lustre", "AWS Outposts family", "AWS WAF Dark")]
    [True, False, False]
    """
    words = name.split()
    if not words or words[-1].casefold() in _ICON_VARIANTS:
        return False
    return all(not w.islower() or w in _NAME_FUNCTION_WORDS for w in words) and not words[0].islower()


def _docs_write_as_name(phrase: str, text: str) -> bool:
    """*text* (a product's API documentation) writes *phrase*, and always with its capitals ("Session Manager",
    never "session manager" or "MQTT protocol")."""
    found = re.findall(r"\b" + re.escape(phrase) + r"s?\b", text, flags=re.IGNORECASE)
    return bool(found) and all(hit.rstrip("s") == phrase.rstrip("s") for hit in found)


def add_icon_products(drafts: dict[str, _Draft], icons: dict, model_docs) -> list[str]:
    """Add the icon set's products that no API model names (FSx for Lustre, Session Manager, Shield Advanced).

    * An *architecture service* icon names a product: added unless a catalog name already is it.
      Its parent is derived later like a botocore entry's ("Amazon FSx for Lustre" -> ``fsx``).
    * A *resource* icon drawn for a product names a sub-product of it (parent = that product) when
      the name is a product name of its own: written with the vendor ("AWS Shield Advanced"), or two
      or more capitalised words that do not start with the parent's name ("Session Manager", "AD
      Connector"; not "S3 Replication": a feature named after its product is a concept of it) and
      that the parent's own API documentation (botocore) always writes capitalised ("Parameter
      Store" is a name there; "Internet Gateway" and "Virtual Node" are written in lower case).
      A resource whose last word is another resource icon of the same product alone ("Spot
      Instance" beside "Instance") is a kind of that resource, not a product.

    Returns the added ids. *model_docs* maps a draft to the text of its API models' documentation.
    """
    index: dict[str, str] = {}
    for draft in drafts.values():
        for alias, _ in draft.aliases:
            index.setdefault(compact_key(alias), draft.id)
            index.setdefault(compact_key(strip_vendor(alias)), draft.id)

    def known(name: str) -> str | None:
        name = _without_parens(name)
        return index.get(compact_key(name)) or index.get(compact_key(strip_vendor(name)))

    added: list[str] = []

    def add(entry_id: str, label: str, aliases: list[tuple[str, int]], parent: str | None) -> None:
        entry_id = entry_id if entry_id not in drafts else f"{entry_id}-icon"
        draft = _Draft(entry_id)
        draft.label = draft.full_name = label
        draft.from_icons = True
        if parent is not None:
            draft.parent, draft.parent_explicit = parent, True
        draft.add(label, 1)
        shortened = initials_alias(label) if parent is None else []  # not "AWS SMSM" for a sub-product
        for alias, priority in [*aliases, *((a, 3) for a in shortened)]:
            draft.add(alias, priority, strip=False)
        drafts[entry_id] = draft
        added.append(entry_id)
        for alias, _ in draft.aliases:
            index.setdefault(compact_key(alias), entry_id)

    for name in icons["services"]:
        if is_product_name(name) and vendor_of(name) and known(name) is None:
            full = _expand_acronym(name, known, drafts, model_docs)
            add(_slug(strip_vendor(full)), full, [(name, 1)] if full != name else [], None)

    singles: dict[str, set[str]] = {}
    for parent, child in icons["resources"]:
        if len(child.split()) == 1:
            singles.setdefault(parent, set()).add(child.casefold().rstrip("s"))
    for parent_name, child in icons["resources"]:
        parent_id = known(parent_name)
        if parent_id is None or not is_product_name(child) or known(child) is not None:
            continue
        parent = drafts[parent_id]
        words = child.split()
        if words[-1].casefold().rstrip("s") in singles.get(parent_name, set()):
            continue  # "Spot Instance": a kind of the resource "Instance"
        if vendor_of(child):
            bare = strip_vendor(child)
            if known(" ".join(child.split()[:-1])) not in (None, parent_id):
                continue  # "Amazon RDS Instance" drawn for Aurora: another product's resource
            aliases = [(bare, 1)] if len(bare.split()) > 1 else []
            add(_slug(bare), child, aliases, parent_id)
            continue
        parent_names = {n for n in (parent.label, parent.full_name) if n}
        parent_names |= {strip_vendor(n) for n in parent_names}
        parent_names |= {a for a, _ in parent.aliases if _ACRONYM.match(a)}
        firsts = {strip_vendor(n).split()[0] for n in (parent.label, parent.full_name) if n}
        if len(words) < 2 or any(compact_key(child).startswith(compact_key(n)) for n in parent_names | firsts):
            continue
        if not _docs_write_as_name(child, model_docs(parent)):
            continue
        label = f"{parent.label} {child}"
        combos = sorted({f"{n} {child}" for n in parent_names} - {label})
        add(f"{parent_id}-{_slug(child)}", label, [(child, 1), *((c, 2) for c in combos)], parent_id)
        # "Session Manager", "MQTT Protocol" alone: matched as written, and only where the notes support them
        drafts[added[-1]].weak.add(child)
    return added


def add_iam_products(drafts: dict[str, _Draft], names: list[str], probs: dict[str, float]) -> list[str]:
    """Add the IAM service names that no catalog name is yet ("AWS OpsWorks", "Amazon Sumerian").

    Only names written like a product with the vendor ("AWS Server Migration Service"; not "Account
    access manager") are taken. The bare name is an alias only when it is not a phrase of everyday
    words: "OpsWorks" and "Sumerian" are names, while "Consolidated Billing" or "Support Plans" alone
    are ideas the notes explain, so only "AWS Consolidated Billing" names the product.
    """
    index = {compact_key(strip_vendor(a)) for d in drafts.values() for a, _ in d.aliases}
    index |= {compact_key(a) for d in drafts.values() for a, _ in d.aliases}
    added = []
    for name in names:
        if not is_product_name(name) or not vendor_of(name):
            continue
        name = _without_parens(name)  # "AWS Resource Access Manager (RAM)": the catalog has it as "AWS RAM"
        bare = strip_vendor(name)
        if compact_key(name) in index or compact_key(bare) in index:
            continue
        entry_id = _slug(bare)
        if entry_id in drafts:
            entry_id += "-iam"
        draft = _Draft(entry_id)
        draft.label = draft.full_name = name
        draft.from_icons = True
        words = bare.split()
        everyday = len(words) > 1 and all(probs.get(w.lower(), -99.0) > LOWERCASE_WORD_MIN_PROB for w in words)
        draft.keep_bare = not everyday and not (len(words) == 1 and bare.isupper())
        draft.add(name, 1, strip=draft.keep_bare)
        for alias in initials_alias(name):
            draft.add(alias, 3, strip=False)
        drafts[entry_id] = draft
        index |= {compact_key(name), compact_key(bare)}
        added.append(entry_id)
    return added


def _expand_acronym(name: str, known, drafts: dict[str, _Draft], model_docs) -> str:
    """*name* with a short form spelled out as the API docs of the product it starts with write it.

    The icon set shortens some names ("Amazon FSx for WFS"); the FSx API documentation writes "Amazon
    FSx for Windows File Server", whose initials are WFS. Unchanged when no such phrase is there.
    """
    words = name.split()
    for i, word in enumerate(words):
        if i < 2 or not _ACRONYM.match(word) or len(word) < 3:
            continue
        stem = words[:i]
        while stem and stem[-1] in _NAME_FUNCTION_WORDS:
            stem = stem[:-1]
        owner = known(" ".join(stem))
        if owner is None:
            continue
        lead = re.escape(" ".join(strip_vendor(" ".join(words[:i])).split()))
        pattern = lead + r"\s+" + r"\s+".join([r"([A-Z][a-z]+)"] * len(word))
        for match in re.finditer(pattern, model_docs(drafts[owner])):
            if "".join(g[0] for g in match.groups()) == word:
                return " ".join([*words[:i], *match.groups(), *words[i + 1 :]])
    return name


def initials_alias(name: str) -> list[str]:
    """The vendor and the initials of a name of three or more plain words, as people shorten it.

    >>> initials_alias("AWS Cloud Development Kit"), initials_alias("AWS Server Migration Service")
    (['AWS CDK'], ['AWS SMS'])
    >>> initials_alias("Amazon FSx for Lustre"), initials_alias("AWS Shield Advanced")
    ([], [])

    Kept with the vendor only ("AWS CDK", not "CDK") and at the lowest priority, so a name another
    entry has keeps its owner.
    """
    vendor = vendor_of(name)
    words = [w for w in strip_vendor(name).split() if w not in _NAME_FUNCTION_WORDS]
    if vendor is None or len(words) < 3 or not all(w[:1].isupper() and w[1:].islower() for w in words):
        return []
    return [f"{vendor} {''.join(w[0] for w in words)}"]


def _without_parens(name: str) -> str:
    match = _TRAILING_PARENS.match(name)
    return match.group("name") if match else name


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


# --------------------------------------------------------------------------
# names from botocore metadata
# --------------------------------------------------------------------------


def clean_model_names(model: dict) -> dict:
    """Derive full name, label and aliases (in preference order) from a model."""
    raw_full = fix_glued_vendor(model["full_name"] or model["service"])
    service_id = collapse_ws(model["service_id"])
    abbreviation = fix_glued_vendor(model["abbreviation"]) if model["abbreviation"] else ""

    full = raw_full
    paren_abbrev = ""
    match = _TRAILING_PARENS.match(full)
    if match:  # "Amazon Simple Systems Manager (SSM)"; "(Preview)" is dropped, not an alias
        full, inner = match.group("name"), match.group("inner").strip()
        paren_abbrev = inner if _PAREN_ABBREV.match(inner) else ""
    if full.endswith(" Service") and not service_id.endswith("Service"):
        core = full[: -len(" Service")]
        if service_id and compact_key(strip_vendor(core)).endswith(compact_key(service_id)):
            full = core

    vendor = vendor_of(full) or vendor_of(abbreviation)
    aliases: list[str] = [full, raw_full]
    acronyms = []
    for abbr in (abbreviation, paren_abbrev):
        if not abbr or abbr == abbr.lower():  # lowercase = code identifier, not a name
            continue
        aliases.append(abbr)
        bare = strip_vendor(abbr)
        if _ACRONYM.match(bare):
            acronyms.append(bare)
            aliases.extend(f"{v} {bare}" for v in VENDORS)
    if service_id and service_id != service_id.lower():
        aliases.append(service_id)

    label = full
    for acronym in acronyms:
        letters = re.sub(r"[^A-Z]", "", acronym)
        if letters and is_subsequence(letters, initials(strip_vendor(full))):
            label = f"{vendor} {acronym}" if vendor else acronym
            break
    aliases.insert(0, label)
    return {"label": label, "full_name": full, "raw_full_name": raw_full, "aliases": aliases}


# --------------------------------------------------------------------------
# merging models into products
# --------------------------------------------------------------------------


def plan_merges(models: dict[str, dict], overrides: list[dict]) -> dict[str, str]:
    """Map each merged botocore service name to the id of its product entry."""
    override_ids = {e["id"] for e in overrides}
    known = set(models) | override_ids
    merged: dict[str, str] = {}
    for entry in overrides:
        for pattern in entry.get("merge_from", []):
            hits = sorted(n for n in models if fnmatch.fnmatchcase(n, pattern))
            if not hits:
                print(
                    f"warning: merge_from {pattern!r} of {entry['id']!r} matches no botocore service", file=sys.stderr
                )
            for name in hits:
                if name == entry["id"]:
                    continue
                if name in merged and merged[name] != entry["id"]:
                    raise SystemExit(f"{name!r} is merged into both {merged[name]!r} and {entry['id']!r}")
                if name in override_ids:
                    raise SystemExit(f"{name!r} is both an override entry and merged into {entry['id']!r}")
                merged[name] = entry["id"]

    for name in sorted(models):
        if name in merged or name in override_ids:
            continue
        target = None
        match = _VERSION_NAME.match(name)
        if match:
            candidate = match.group("base") + (match.group("rest") or "")
            if candidate in known and candidate != name:
                target = candidate
        if target is None:
            for suffix in DATA_PLANE_SUFFIXES:
                if name.endswith(suffix) and name[: -len(suffix)] in known:
                    target = name[: -len(suffix)]
                    break
        if target is not None:
            merged[name] = target

    # follow chains (lexv2-runtime -> lex-runtime -> lex)
    resolved = {}
    for name in merged:
        seen = [name]
        target = merged[name]
        while target in merged:
            if target in seen:
                raise SystemExit(f"merge cycle: {' -> '.join([*seen, target])}")
            seen.append(target)
            target = merged[target]
        resolved[name] = target
    return resolved


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------


class _Draft:
    def __init__(self, entry_id: str):
        self.id = entry_id
        self.label = ""
        self.full_name = ""
        self.kind = "service"
        self.parent: str | None = None
        self.parent_explicit = False
        self.raw_full_name = ""
        self.aliases: list[tuple[str, int]] = []  # (alias, priority)
        self.drop: set[str] = set()
        self.botocore: list[dict] = []
        self.from_override_only = False
        self.from_icons = False
        self.weak: set[str] = set()  # aliases matched only as written, needing support (a sub-product's own name)
        self.keep_bare = True  # add the name without its vendor (an IAM name that is an everyday phrase: no)

    def add(self, alias: str, priority: int, strip: bool = True) -> None:
        """Add an alias and (with ``strip``) its form without the vendor prefix."""
        alias = collapse_ws(alias)
        if alias:
            self.aliases.append((alias, priority))
            stripped = strip_vendor(alias)
            if strip and stripped != alias:
                self.aliases.append((stripped, max(priority, 1)))


def build(overrides_path: Path = DEFAULT_OVERRIDES, product_names_path: Path = DEFAULT_PRODUCT_NAMES) -> dict:
    loaded = load_overrides(overrides_path)
    product_names = load_product_names(product_names_path)
    ov = loaded["data"]
    ov_entries: list[dict] = ov["entries"]
    global_drop = {compact_key(a) for a in ov.get("drop_aliases", {}).get("aliases", [])}
    botocore_version, models = load_botocore_models()
    lookups_version, probs = load_lexeme_probs()

    merges = plan_merges(models, ov_entries)
    drafts: dict[str, _Draft] = {}

    # 1. one draft per unmerged botocore model
    for name, model in models.items():
        if name in merges:
            continue
        draft = _Draft(name)
        names = clean_model_names(model)
        draft.label, draft.full_name = names["label"], names["full_name"]
        draft.raw_full_name = names["raw_full_name"]
        for alias in names["aliases"]:
            draft.add(alias, 1)
        draft.botocore.append(_provenance(model))
        drafts[name] = draft

    # 2. overrides: patch botocore entries or add new ones
    for entry in ov_entries:
        eid = entry["id"]
        if eid in drafts:
            draft = drafts[eid]
        else:
            missing = [f for f in ("label", "full_name", "kind", "parent") if f not in entry]
            if missing:
                raise SystemExit(f"override {eid!r} is not a botocore service, so it needs {', '.join(missing)}")
            draft = _Draft(eid)
            draft.from_override_only = True
            drafts[eid] = draft
        if "label" in entry:
            draft.label = entry["label"]
        if "full_name" in entry:
            draft.full_name = entry["full_name"]
        if "kind" in entry:
            draft.kind = entry["kind"]
        if "parent" in entry:
            draft.parent = entry["parent"]
            draft.parent_explicit = True
        for name in (entry.get("label"), entry.get("full_name")):
            if name:
                draft.add(name, 0)
        for alias in entry.get("aliases", []):
            draft.add(alias, 0, strip=False)  # literal aliases are taken as written
        draft.drop |= {compact_key(a) for a in entry.get("drop_aliases", [])}

    # 3. merged models contribute their names as aliases of the product entry
    for name in sorted(merges):
        target = drafts.get(merges[name])
        if target is None:
            raise SystemExit(f"{name!r} merges into unknown entry {merges[name]!r}")
        names = clean_model_names(models[name])
        for alias in names["aliases"]:
            target.add(alias, 2)
        target.botocore.append(_provenance(models[name]))

    # 3b. products that no API model names (see add_icon_products, add_iam_products): after the merges,
    # so a name a merged model already gives ("Amazon Cognito Sync") is not taken twice
    add_icon_products(drafts, product_names["icons"], _model_docs)
    add_iam_products(drafts, product_names["iam"]["services"], probs)

    # 4. filter aliases; label and full name always come first
    for draft in drafts.values():
        for must in (draft.label, draft.full_name):
            if not must:
                raise SystemExit(f"{draft.id!r}: empty label or full name")
            if compact_key(must) in draft.drop | global_drop:
                raise SystemExit(
                    f"{draft.id!r}: its name {must!r} is in a drop list; change "
                    "the label/full name in overrides.json instead"
                )
        draft.add(draft.label, 0 if draft.from_override_only else 1, strip=draft.keep_bare)
        draft.add(draft.full_name, 0 if draft.from_override_only else 1, strip=draft.keep_bare)
        draft.aliases += [(v, 3) for alias, _ in draft.aliases for v in spelling_variants(alias)]
        kept: dict[str, tuple[str, int]] = {}
        for alias, priority in draft.aliases:
            key = compact_key(alias)
            if key in draft.drop or key in global_drop or is_generic(alias):
                continue
            if priority > 0 and _VERSION_ALIAS.search(alias):
                continue
            if draft.from_icons and _ACRONYM.match(alias):
                continue  # "AWS SFTP" is a product name; "SFTP" alone is the protocol
            exact = alias.casefold()
            if exact not in kept or kept[exact][1] > priority:
                kept[exact] = (kept.get(exact, (alias,))[0], priority)
        draft.aliases = list(kept.values())

    # 5. ambiguous aliases (same compact key in several entries)
    owners: dict[str, dict[str, int]] = {}
    for draft in drafts.values():
        for alias, priority in draft.aliases:
            best = owners.setdefault(compact_key(alias), {})
            best[draft.id] = min(priority, best.get(draft.id, 99))
    dropped: dict[str, list[str]] = {}
    losers: dict[str, set[str]] = {}
    for key, by_entry in owners.items():
        if len(by_entry) < 2:
            continue
        top = min(by_entry.values())
        winners = sorted(e for e, p in by_entry.items() if p == top)
        keep = winners[0] if len(winners) == 1 else None
        for eid in by_entry:
            if eid != keep:
                losers.setdefault(eid, set()).add(key)
        if keep is None:
            dropped[key] = winners
    for eid, keys in losers.items():
        draft = drafts[eid]
        for must in (draft.label, draft.full_name):
            if compact_key(must) in keys:
                raise SystemExit(
                    f"{eid!r}: its name {must!r} is also claimed by "
                    f"{sorted(owners[compact_key(must)])}; fix overrides.json"
                )
        draft.aliases = [(a, p) for a, p in draft.aliases if compact_key(a) not in keys]
    dropped_display = {}
    for key, ids in sorted(dropped.items()):
        dropped_display[key] = ids

    # 6. derived parents
    _derive_parents(drafts)
    for draft in drafts.values():
        if draft.parent is not None and draft.parent not in drafts:
            raise SystemExit(f"{draft.id!r}: parent {draft.parent!r} is not a catalog entry")
    for draft in drafts.values():
        seen = {draft.id}
        node = draft.parent
        while node is not None:
            if node in seen:
                raise SystemExit(f"parent cycle through {draft.id!r}")
            seen.add(node)
            node = drafts[node].parent

    # 7. output
    entries = []
    alias_total = 0
    for eid in sorted(drafts):
        draft = drafts[eid]
        head = [draft.label, draft.full_name]
        rest = sorted(
            {a for a, _ in draft.aliases if a not in head},
            key=lambda a: (a.casefold(), a),
        )
        aliases = list(dict.fromkeys(head + rest))
        alias_total += len(aliases)
        entries.append(
            {
                "id": eid,
                "label": draft.label,
                "full_name": draft.full_name,
                "kind": draft.kind,
                "parent": draft.parent,
                "aliases": aliases,
                "common_word_aliases": [a for a in aliases if is_common_word(a, probs)],
                "lowercase_word_aliases": [
                    a
                    for a in aliases
                    if (
                        is_lowercase_word(a, probs)
                        or a in draft.weak
                        or (
                            draft.from_icons
                            and not vendor_of(a)
                            and len(a.split()) == 2
                            and is_everyday_phrase(a, probs)
                        )
                    )
                    and not is_common_word(a, probs)
                ],
                "botocore": sorted(draft.botocore, key=lambda m: m["service"]),
            }
        )
    return {
        "_doc": (
            "AWS service catalog for Notes Graph. GENERATED by scripts/build_catalog.py from "
            "botocore service models plus data/catalog/overrides.json - do not edit by hand; "
            "edit overrides.json and re-run the script. Each entry: id (botocore service name "
            "or override id), label, full_name, kind (service|family|feature), parent, aliases "
            "(every surface form), common_word_aliases (single-word aliases that are ordinary "
            "English words), botocore (the API models folded into the entry)."
        ),
        "format": 1,
        "generator": "scripts/build_catalog.py",
        "botocore_version": botocore_version,
        "spacy_lookups_data_version": lookups_version,
        "overrides_sha256": loaded["sha256"],
        "product_names": {
            "icons": f"{ICON_PACKAGE[0]}@{ICON_PACKAGE[1]} (npm)",
            "iam": f"{IAM_PACKAGE[0]}=={IAM_PACKAGE[1]} (PyPI)",
            "sha256": product_names["sha256"],
        },
        "entry_count": len(entries),
        "alias_count": alias_total,
        "dropped_ambiguous_aliases": dropped_display,
        "entries": entries,
    }


_LOADER = None


def _model_docs(draft: _Draft) -> str:
    """The API models of *draft* as one text (their documentation strings are where AWS writes feature names)."""
    global _LOADER
    from botocore.loaders import Loader

    if _LOADER is None:
        _LOADER = Loader(extra_search_paths=[Loader.BUILTIN_DATA_PATH], include_default_search_paths=False)
    texts = []
    for model in draft.botocore:
        texts.append(json.dumps(_LOADER.load_service_model(model["service"], "service-2", model["api_version"])))
    return "\n".join(texts)


def _provenance(model: dict) -> dict:
    return {
        "service": model["service"],
        "api_version": model["api_version"],
        "service_full_name": model["full_name"],
        "service_id": model["service_id"],
        "endpoint_prefix": model["endpoint_prefix"],
    }


def _name_words(name: str) -> tuple[str, ...]:
    return tuple(re.split(r"[\s\-]+", strip_vendor(name).casefold()))


def _derive_parents(drafts: dict[str, _Draft]) -> None:
    """Parent = entry whose name is the longest word-prefix of this entry's name."""
    bases: list[tuple[tuple[str, ...], str]] = []
    for draft in drafts.values():
        if draft.kind == "feature":
            continue
        for name in {draft.label, draft.full_name, draft.raw_full_name} - {""}:
            words = _name_words(name)
            if len("".join(words)) >= 3:
                bases.append((words, draft.id))
    bases.sort(key=lambda b: (-len(b[0]), b[1]))
    for draft in sorted(drafts.values(), key=lambda d: d.id):
        if draft.parent_explicit or draft.from_override_only:
            continue
        names = [_name_words(n) for n in (draft.label, draft.full_name, draft.raw_full_name) if n]
        for words, eid in bases:
            if eid == draft.id:
                continue
            if any(len(n) > len(words) and n[: len(words)] == words for n in names):
                draft.parent = eid
                break


def render(catalog: dict) -> str:
    return json.dumps(catalog, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output path (default: {DEFAULT_OUT.relative_to(REPO)})"
    )
    parser.add_argument(
        "--overrides",
        type=Path,
        default=DEFAULT_OVERRIDES,
        help="overrides file (default: data/catalog/overrides.json)",
    )
    parser.add_argument(
        "--refresh-names",
        action="store_true",
        help=f"first fetch {ICON_PACKAGE[0]}@{ICON_PACKAGE[1]} (npm) and {IAM_PACKAGE[0]}=={IAM_PACKAGE[1]} (pip) "
        "and rewrite data/catalog/aws-product-names.json",
    )
    args = parser.parse_args(argv)
    if args.refresh_names:
        refresh_product_names(DEFAULT_PRODUCT_NAMES)
    catalog = build(args.overrides)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render(catalog), encoding="utf8")
    print(
        f"wrote {args.out}: {catalog['entry_count']} entries, {catalog['alias_count']} aliases "
        f"(botocore {catalog['botocore_version']}, "
        f"{len(catalog['dropped_ambiguous_aliases'])} ambiguous aliases dropped)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
