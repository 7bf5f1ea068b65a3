"""The Google Cloud and Azure catalogs (scripts/build_cloud_catalogs.py, data/catalog/{gcp,azure}-*.json)."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from graph.sources.catalog import BUNDLED_CATALOG_PATHS, load_catalog

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "scripts" / "build_cloud_catalogs.py"
CATALOG_DIR = REPO / "data" / "catalog"


def _script():
    spec = importlib.util.spec_from_file_location("build_cloud_catalogs", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("vendor", ["gcp", "azure"])
def test_generated_json_is_up_to_date(vendor):
    """Regenerate from the pinned source when it is at hand and compare with the committed file.

    The source is the installed package at the pinned version, or a wheel named by
    ``NOTES_GRAPH_<VENDOR>_WHEEL`` (``pip download --no-deps google-api-python-client==X``); otherwise skipped.
    """
    script = _script()
    package, version, _module = script.SOURCES[vendor]
    wheel = os.environ.get(f"NOTES_GRAPH_{vendor.upper()}_WHEEL")
    if wheel is None and script._installed_version(package) != version:
        pytest.skip(f"{package}=={version} is not installed and NOTES_GRAPH_{vendor.upper()}_WHEEL is not set")
    committed = (CATALOG_DIR / f"{vendor}-services.json").read_text(encoding="utf-8")
    fresh = script.build(vendor, Path(wheel) if wheel else None)
    assert json.loads(committed) == json.loads(script.render(fresh)), (
        f"data/catalog/{vendor}-services.json is stale: re-run scripts/build_cloud_catalogs.py --vendor {vendor}"
    )


@pytest.mark.parametrize("vendor", ["gcp", "azure"])
def test_committed_catalog_records_its_source_and_overrides(vendor):
    import hashlib

    data = json.loads((CATALOG_DIR / f"{vendor}-services.json").read_text(encoding="utf-8"))
    script = _script()
    assert data["vendor"] == vendor
    assert (data["source_package"], data["source_version"]) == script.SOURCES[vendor][:2]
    overrides = (CATALOG_DIR / f"{vendor}-overrides.json").read_bytes()
    assert data["overrides_sha256"] == hashlib.sha256(overrides).hexdigest(), "re-run scripts/build_cloud_catalogs.py"
    assert all(entry["id"].startswith(f"{vendor}/") and entry["vendor"] == vendor for entry in data["entries"])
    for entry in json.loads(overrides)["entries"]:
        assert entry["_doc"].strip(), entry["id"]


def test_overrides_give_the_short_forms_and_renamed_products():
    catalog = load_catalog()
    expected = {
        "GCE": "gcp/compute",
        "GCS": "gcp/storage",
        "GKE": "gcp/container",
        "AKS": "azure/aks",
        "VMSS": "azure/vmss",
        "ARM templates": "azure/deployment",
        "Azure Active Directory": "azure/entra-id",
        "Azure AD": "azure/entra-id",
        "Azure Security Center": "azure/security",
        "Stackdriver": "gcp/observability",
    }
    assert {name: catalog.resolve(name).id for name in expected} == expected
    assert catalog.get("azure/entra-id").label == "Microsoft Entra ID"


def test_generated_names_come_from_the_sources():
    catalog = load_catalog()
    # From the discovery documents' titles ("Cloud Key Management Service (KMS) API"; "Cloud Spanner API").
    assert catalog.get("gcp/cloudkms").full_name == "Cloud Key Management Service"
    assert "Spanner" in catalog.get("gcp/spanner").aliases
    # Everyday words are never a bare alias ("Cloud Storage" -> not "Storage"; "Cloud DNS" -> not "DNS").
    assert "Storage" not in catalog.get("gcp/storage").aliases and "DNS" not in catalog.get("gcp/dns").aliases
    # From the Azure CLI's group help ("Manage Azure Cosmos DB database accounts.").
    assert {"Azure Cosmos DB", "Cosmos DB"} <= set(catalog.get("azure/cosmosdb").aliases)
    assert len([p for p in BUNDLED_CATALOG_PATHS if p.exists()]) == 3


def test_script_reads_a_wheel(tmp_path):
    """The readers on a tiny wheel made here: one discovery document and one CLI help module."""
    import zipfile

    script = _script()
    doc = {
        "name": "pubsub",
        "title": "Cloud Pub/Sub API",
        "canonicalName": "Pubsub",
        "version": "v1",
        "documentationLink": "https://cloud.google.com/pubsub/docs",
    }
    gcp = tmp_path / "google_api_python_client-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(gcp, "w") as wheel:
        wheel.writestr("googleapiclient/discovery_cache/documents/pubsub.v1.json", json.dumps(doc))
    version, files = script._source_files("gcp", gcp)
    assert version == "9.9.9"
    assert script.gcp_products(files)["pubsub"]["names"] == ["Cloud Pub/Sub"]
    helps = 'helps["aks"] = """\ntype: group\nshort-summary: Manage Azure Kubernetes Services.\n"""\n'
    azure = tmp_path / "azure_cli-9.9.9-py3-none-any.whl"
    with zipfile.ZipFile(azure, "w") as wheel:
        wheel.writestr("azure/cli/command_modules/acs/_help.py", helps)
    _, files = script._source_files("azure", azure)
    assert script.azure_products(files)["aks"]["names"] == ["Azure Kubernetes Services", "AKS"]
