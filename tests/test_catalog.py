"""Tests for the AWS service catalog (graph/sources/catalog.py, scripts/build_catalog.py)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.names import compact_key
from graph.sources.catalog import DEFAULT_CATALOG_PATH, Catalog, CatalogEntry, load_catalog

REPO = Path(__file__).resolve().parents[1]
SYLLABI = REPO / "data" / "syllabi"
SHARED_SYLLABI = Path(__file__).resolve().parents[2] / "shared" / "syllabi"
SYLLABUS_FILES = ("clf-c02.txt", "saa-c03.txt")
BUILD_SCRIPT = REPO / "scripts" / "build_catalog.py"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _build_module():
    spec = importlib.util.spec_from_file_location("build_catalog", BUILD_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _syllabus_lines(path: Path) -> list[str]:
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


# --------------------------------------------------------------------------
# lookups the rest of the project relies on
# --------------------------------------------------------------------------


def test_sqs_forms_resolve_to_one_entry(catalog):
    forms = [
        "SQS",
        "Amazon SQS",
        "Simple Queue Service",
        "Amazon Simple Queue Service (Amazon SQS)",
        "sqs",
        "AWS SQS",
        "amazon simple   queue service",
    ]
    entries = {form: catalog.resolve(form) for form in forms}
    assert all(entry is not None for entry in entries.values()), entries
    assert {entry.id for entry in entries.values()} == {"sqs"}
    sqs = catalog.get("sqs")
    assert sqs.label == "Amazon SQS"
    assert sqs.full_name == "Amazon Simple Queue Service"
    assert {"Amazon Simple Queue Service", "Simple Queue Service", "Amazon SQS", "AWS SQS", "SQS"} <= set(sqs.aliases)
    assert sqs.kind == "service" and sqs.parent is None


def test_firehose_is_one_entry_in_the_kinesis_family(catalog):
    ids = {
        catalog.resolve(name).id
        for name in (
            "Kinesis Data Firehose",
            "Firehose",
            "Amazon Data Firehose",
            "Amazon Kinesis Data Firehose",
            "Kinesis Firehose",
        )
    }
    assert ids == {"firehose"}
    firehose = catalog.get("firehose")
    kinesis = catalog.get(firehose.parent)
    assert kinesis.id == "kinesis" and kinesis.kind == "family" and kinesis.label == "Amazon Kinesis"
    assert catalog.resolve("Amazon Kinesis") is kinesis
    members = {e.id for e in catalog.children("kinesis")}
    assert {"kinesis-data-streams", "firehose", "kinesisanalytics", "kinesisvideo"} <= members
    assert catalog.resolve("Kinesis Data Streams").id == "kinesis-data-streams"
    assert catalog.resolve("Kinesis Data Analytics").id == "kinesisanalytics"
    assert catalog.resolve("Kinesis Video Streams").id == "kinesisvideo"


def test_snow_family(catalog):
    edge = catalog.resolve("Snowball Edge")
    assert edge is not None and edge.id == "snowball-edge"
    assert edge.parent == "snow-family"
    assert catalog.get("snow-family").kind == "family"
    for name in ("Snowball", "Snowcone", "Snowmobile"):
        assert catalog.resolve(name).parent == "snow-family", name
    assert catalog.resolve("AWS Snow Family").id == "snow-family"


def test_common_word_aliases(catalog):
    assert "Batch" in catalog.get("batch").common_word_aliases
    assert "Glue" in catalog.get("glue").common_word_aliases
    for entry_id, word in [
        ("support", "Support"),
        ("connect", "Connect"),
        ("backup", "Backup"),
        ("shield", "Shield"),
        ("config", "Config"),
        ("translate", "Translate"),
    ]:
        assert word in catalog.get(entry_id).common_word_aliases, word
    assert "SQS" not in catalog.get("sqs").common_word_aliases
    assert catalog.get("sqs").common_word_aliases == ()
    assert "Athena" not in catalog.get("athena").common_word_aliases
    for entry in catalog:
        assert set(entry.common_word_aliases) <= set(entry.aliases)
        assert all(" " not in alias for alias in entry.common_word_aliases)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Amazon OpenSearch", "opensearch"),
        ("OpenSearch", "opensearch"),
        ("Elasticsearch Service", "opensearch"),
        ("Amazon Elasticsearch Service", "opensearch"),
        ("Step Functions", "stepfunctions"),
        ("stepfunctions", "stepfunctions"),
        ("EventBridge", "events"),
        ("CloudWatch Events", "events"),
        ("CloudWatch Logs", "logs"),
        ("Amazon MSK", "kafka"),
        ("MSK", "kafka"),
        ("Managed Streaming for Apache Kafka", "kafka"),
        ("Elastic Beanstalk", "elasticbeanstalk"),
        ("EMR", "emr"),
        ("Elastic MapReduce", "emr"),
        ("Elastic Map Reduce", "emr"),
        ("X-Ray", "xray"),
        ("x ray", "xray"),
        ("XRay", "xray"),
        ("DMS", "dms"),
        ("Database Migration Service", "dms"),
        ("SCT", "sct"),
        ("Schema Conversion Tool", "sct"),
        ("ADS", "discovery"),
        ("Application Discovery Service", "discovery"),
        ("MGN", "mgn"),
        ("Application Migration Service", "mgn"),
        ("Migration Hub", "mgh"),
        ("DataSync", "datasync"),
        ("Transfer Family", "transfer"),
        ("ELB", "elb"),
        ("Elastic Load Balancing", "elb"),
        ("ALB", "alb"),
        ("Application Load Balancer", "alb"),
        ("NLB", "nlb"),
        ("GLB", "gwlb"),
        ("EC2 Auto Scaling", "autoscaling"),
        ("Auto Scaling group", "autoscaling"),
        ("Auto Scaling", "autoscaling"),
        ("AWS Auto Scaling", "autoscaling-plans"),
        ("AWS Management Console", "management-console"),
        ("AWS CLI", "cli"),
        ("AWS SDK", "sdks"),
        ("AWS Marketplace", "marketplace"),
        ("APN", "partner-network"),
        ("AWS Professional Services", "professional-services"),
        ("Business Support", "business-support"),
        ("Enterprise Support", "enterprise-support"),
        ("Aurora", "aurora"),
        ("DynamoDB Streams", "dynamodbstreams"),
        ("S3 Standard-IA", "s3-standard-ia"),
        ("S3 Standard IA", "s3-standard-ia"),
        ("S3 One Zone-IA", "s3-one-zone-ia"),
        ("S3 Intelligent-Tiering", "s3-intelligent-tiering"),
        ("S3 Glacier Deep Archive", "s3-glacier-deep-archive"),
        ("Glacier Flexible Retrieval", "s3-glacier-flexible-retrieval"),
        ("Amazon Lex", "lex"),
        ("Amazon Cognito", "cognito"),
        ("SageMaker Runtime", "sagemaker"),
    ],
)
def test_known_names(catalog, name, expected):
    entry = catalog.resolve(name)
    assert entry is not None, name
    assert entry.id == expected, (name, entry.id)


def test_parents_and_kinds(catalog):
    expected = {
        "alb": ("feature", "elb"),
        "nlb": ("feature", "elb"),
        "gwlb": ("feature", "elb"),
        "s3-standard": ("feature", "s3"),
        "s3-standard-ia": ("feature", "s3"),
        "s3-glacier-instant-retrieval": ("feature", "glacier"),
        "glacier": ("service", "s3"),
        "basic-support": ("feature", "support"),
        "developer-support": ("feature", "support"),
        "aurora": ("service", "rds"),
        "dynamodbstreams": ("feature", "dynamodb"),
        "logs": ("service", "cloudwatch"),
        "sct": ("service", "dms"),
        "snow-family": ("family", None),
    }
    for entry_id, (kind, parent) in expected.items():
        entry = catalog.get(entry_id)
        assert (entry.kind, entry.parent) == (kind, parent), entry_id


def test_one_product_one_entry(catalog):
    # versioned, legacy and runtime/data-plane models are folded into the product entry
    for merged in (
        "elbv2",
        "es",
        "sesv2",
        "wafv2",
        "cloudhsmv2",
        "lex-models",
        "lexv2-runtime",
        "sagemaker-runtime",
        "sagemaker-featurestore-runtime",
        "kinesisanalyticsv2",
        "kinesis-video-media",
        "iot-data",
        "cognito-idp",
        "sso-admin",
        "bedrock-runtime",
    ):
        assert merged not in catalog, merged
    assert (
        catalog.resolve("Elastic Load Balancing v2") is None or catalog.resolve("Elastic Load Balancing v2").id == "elb"
    )


def test_resolve_misses_and_odd_input(catalog):
    assert catalog.resolve("Totally Unknown Service") is None
    assert catalog.resolve("") is None
    assert catalog.resolve("   ") is None
    assert catalog.resolve("()") is None
    assert catalog.resolve(None) is None  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="no catalog entry"):
        catalog.get("no-such-service")


def test_aliases_are_clean_and_unambiguous(catalog):
    """Within one vendor every alias names one entry; a name two vendors share is resolved with the vendor."""
    assert catalog.ambiguous == {}
    owner: dict[tuple[str, str], str] = {}
    for entry in catalog:
        assert isinstance(entry, CatalogEntry)
        assert entry.aliases[0] == entry.label and entry.full_name in entry.aliases[:2]
        assert entry.kind in ("service", "family", "feature")
        assert entry.parent is None or entry.parent in catalog
        for alias in entry.aliases:
            assert len(alias.strip()) >= 2, (entry.id, alias)
            assert not alias.strip().isdigit(), (entry.id, alias)
            assert alias.casefold() not in {"service", "cloud", "data", "api", "aws", "amazon", "azure"}, (
                entry.id,
                alias,
            )
            key = (entry.vendor, compact_key(alias))
            assert owner.setdefault(key, entry.id) == entry.id, (alias, owner[key], entry.id)
            assert catalog.resolve(alias, vendor=entry.vendor) is entry, (alias, entry.id)
    forms = list(catalog.surface_forms())
    assert len(forms) == sum(len(e.aliases) for e in catalog)
    assert ("SQS", "sqs") in forms
    assert ("Batch", "batch") not in list(catalog.surface_forms(include_common_words=False))


def test_ambiguous_alias_is_dropped(tmp_path):
    path = tmp_path / "cat.json"
    path.write_text(
        json.dumps(
            {
                "botocore_version": "x",
                "entries": [
                    {
                        "id": "a",
                        "label": "Alpha",
                        "full_name": "Alpha Service",
                        "kind": "service",
                        "parent": None,
                        "aliases": ["Shared Name"],
                        "common_word_aliases": [],
                    },
                    {
                        "id": "b",
                        "label": "Beta",
                        "full_name": "Beta Service",
                        "kind": "service",
                        "parent": None,
                        "aliases": ["shared-name"],
                        "common_word_aliases": [],
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    cat = load_catalog(path)
    assert cat.resolve("Shared Name") is None
    assert cat.ambiguous == {"sharedname": ("a", "b")}
    assert ("Shared Name", "a") not in list(cat.surface_forms())
    assert cat.resolve("Alpha").id == "a"


# --------------------------------------------------------------------------
# syllabi
# --------------------------------------------------------------------------


@pytest.mark.parametrize("filename", SYLLABUS_FILES)
def test_every_syllabus_line_resolves(catalog, filename):
    lines = _syllabus_lines(SYLLABI / filename)
    assert len(lines) > 100
    unresolved = [line for line in lines if not line.startswith("## ") and catalog.resolve(line) is None]
    assert unresolved == []


@pytest.mark.parametrize("filename", SYLLABUS_FILES)
def test_bundled_syllabi_match_shared_copy(filename):
    shared = SHARED_SYLLABI / filename
    if not shared.exists():
        pytest.skip(f"{shared} not present (the bundled copy in data/syllabi is used)")
    assert (SYLLABI / filename).read_bytes() == shared.read_bytes()


# --------------------------------------------------------------------------
# the generated file
# --------------------------------------------------------------------------


def test_generated_json_is_up_to_date(tmp_path):
    data = json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))
    botocore = pytest.importorskip("botocore")
    pytest.importorskip("spacy_lookups_data")
    from importlib.metadata import version

    if botocore.__version__ != data["botocore_version"]:
        pytest.skip(
            f"installed botocore {botocore.__version__} differs from the catalog's "
            f"{data['botocore_version']}; re-run scripts/build_catalog.py to refresh it"
        )
    if version("spacy-lookups-data") != data["spacy_lookups_data_version"]:
        pytest.skip("installed spacy-lookups-data differs from the one the catalog was built with")
    out = tmp_path / "aws-services.json"
    subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--out", str(out)], check=True, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.read_bytes() == DEFAULT_CATALOG_PATH.read_bytes(), (
        "data/catalog/aws-services.json is stale: run python scripts/build_catalog.py"
    )


def test_generated_json_records_its_sources():
    data = json.loads(DEFAULT_CATALOG_PATH.read_text(encoding="utf-8"))
    assert data["botocore_version"]
    assert len(data["overrides_sha256"]) == 64
    assert data["entry_count"] == len(data["entries"])
    ids = [e["id"] for e in data["entries"]]
    assert ids == sorted(ids)


def test_overrides_are_documented():
    overrides = json.loads((REPO / "data" / "catalog" / "overrides.json").read_text(encoding="utf-8"))
    assert overrides["_doc"]
    assert overrides["drop_aliases"]["_doc"]
    for entry in overrides["entries"]:
        assert entry.get("_doc"), entry["id"]


def test_build_script_and_lookup_share_one_name_key():
    build = _build_module()
    assert build.compact_key is compact_key
    names = ("X-Ray", "Amazon  Simple Queue\tService", "S3 Standard–IA", "AWS Import/Export")
    assert [compact_key(t) for t in names] == [
        "xray",
        "amazonsimplequeueservice",
        "s3standardia",
        "awsimportexport",
    ]


# --------------------------------------------------------------------------
# loading
# --------------------------------------------------------------------------


def test_load_default_catalog(catalog):
    assert len(catalog) > 300
    assert catalog.version.startswith(catalog.botocore_version + "+")
    assert "sqs" in catalog


def test_version_changes_with_content(tmp_path):
    text = DEFAULT_CATALOG_PATH.read_text(encoding="utf-8")
    copy = tmp_path / "cat.json"
    copy.write_text(text, encoding="utf-8")
    same = load_catalog(copy)
    data = json.loads(text)
    data["entries"][0]["aliases"].append("Some New Alias")
    copy.write_text(json.dumps(data), encoding="utf-8")
    changed = load_catalog(copy)
    assert same.version == load_catalog(DEFAULT_CATALOG_PATH).version
    assert changed.version != same.version
    assert load_catalog().version != same.version  # the bundled catalog is every vendor's file


def test_missing_catalog_file(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(FileNotFoundError, match=r"service catalog not found.*nope\.json"):
        load_catalog(missing)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", r"not valid JSON \(line 1"),
        ("[]", "expected a JSON object with an 'entries' list"),
        ('{"entries": {}}', "expected a JSON object with an 'entries' list"),
        ('{"entries": [42]}', r"entries\[0\] is malformed: expected an object"),
        ('{"entries": [{"id": "x", "label": "X", "full_name": "X", "kind": "gadget"}]}', "kind 'gadget'"),
        ('{"entries": [{"id": "x", "label": "", "full_name": "X", "kind": "service"}]}', "'label' must be"),
        (
            '{"entries": [{"id": "x", "label": "X", "full_name": "X", "kind": "service", "aliases": "X"}]}',
            "'aliases' must be a list",
        ),
        (
            '{"entries": [{"id": "x", "label": "X", "full_name": "X", "kind": "service", "parent": "y"}]}',
            "unknown parent 'y'",
        ),
        (
            '{"entries": [{"id": "x", "label": "X", "full_name": "X", "kind": "service"},'
            ' {"id": "x", "label": "Y", "full_name": "Y", "kind": "service"}]}',
            "repeats id 'x'",
        ),
        (
            '{"entries": [{"id": "x", "label": "X", "full_name": "X", "kind": "service",'
            ' "common_word_aliases": ["Batch"]}]}',
            "subset of 'aliases'",
        ),
    ],
)
def test_malformed_catalog_gives_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as info:
        load_catalog(path)
    assert "bad.json" in str(info.value)


def test_non_utf8_and_directory(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(b'{"entries": ["\xff"]}')
    with pytest.raises(ValueError, match="not UTF-8"):
        load_catalog(path)
    with pytest.raises(ValueError, match="folder"):
        load_catalog(tmp_path)
