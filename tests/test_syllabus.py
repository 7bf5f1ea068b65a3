"""Syllabus files: the bundled ones, and clear file:line messages for a user's faulty one."""

from __future__ import annotations

import pytest

from graph.sources.catalog import load_catalog
from graph.sources.syllabus import NO_CATEGORY, SyllabusError, builtin_syllabi, load_syllabus, parse_syllabus


def messages(syllabus) -> list[str]:
    return [f"{i.line}: {i.level}: {i.message}" for i in syllabus.issues]


def test_builtin_names():
    assert sorted(builtin_syllabi()) == ["az-900", "clf-c02", "gcp-ace", "saa-c03"]


def test_clf_c02_parses_cleanly_and_resolves_every_line():
    syllabus = load_syllabus("clf-c02")
    assert syllabus.name == "clf-c02"
    assert syllabus.title == "CLF-C02 - Appendix A: In-scope AWS services and features"
    assert len(syllabus.entries) == 128
    assert len(syllabus.categories) == 19
    assert syllabus.issues == ()
    assert all(entry.catalog_id for entry in syllabus.entries)
    by_name = {entry.name: entry for entry in syllabus.entries}
    msk = by_name["Amazon Managed Streaming for Apache Kafka (Amazon MSK)"]
    assert (msk.catalog_id, msk.category) == ("kafka", "Analytics")
    assert by_name["Amazon Simple Queue Service (Amazon SQS)"].catalog_id == "sqs"
    assert by_name["AWS Snow Family"].catalog_id == "snow-family"


def test_saa_c03_notes_the_services_listed_under_two_categories():
    syllabus = load_syllabus("SAA-C03")  # names are case-insensitive
    assert len(syllabus.entries) == 130
    assert len(syllabus.categories) == 16
    assert [i.level for i in syllabus.issues] == ["note", "note"]
    assert "'Amazon Redshift' is also listed under 'Analytics' (line 22)" in syllabus.issues[0].message
    assert "'AWS AppSync' is also listed under 'Application Integration'" in syllabus.issues[1].message


def test_faulty_file_gets_one_message_per_problem_with_its_line():
    text = "\n".join(
        [
            "# My exam",  # 1
            "Amazon S3",  # 2: before any category
            "## Messaging",  # 3
            "Amazon Simple Queue Service (Amazon SQS)",  # 4
            "Amazon SQS",  # 5: the same service again, another spelling
            "Amazon SNS, Amazon SES",  # 6: two names on a line
            "Amazon Simple Queue Servce",  # 7: a typo
            "Amazon Kinesis (Data Streams",  # 8: unbalanced
            "### Sub heading",  # 9: wrong heading level
            "##",  # 10: heading without a name
            "- AWS Lambda",  # 11: a list marker is tolerated
            "## Compute",  # 12
            "Amazon SQS",  # 13: same service, other category: kept, noted
            "Shared Responsibility Model",  # 14: not a catalog service, no close name
            "## Empty",  # 15: no services
            "12345",  # 16: no name
        ]
    )
    syllabus = parse_syllabus(text, source="mine.txt")
    assert messages(syllabus) == [
        f"2: warning: 'Amazon S3' comes before any '## Category' heading; listed under {NO_CATEGORY}",
        "5: warning: 'Amazon SQS' repeats line 4 in 'Messaging' (both are Amazon SQS); ignored",
        "6: warning: 'Amazon SNS, Amazon SES' ignored: looks like several names on one line; "
        "write one service name per line",
        "7: warning: unknown service 'Amazon Simple Queue Servce': not in the service catalog, so it is matched "
        "by name only; did you mean 'Amazon Simple Queue Service'?",
        "8: warning: 'Amazon Kinesis (Data Streams' ignored: unbalanced parentheses; write 'Full Name (Short Name)'",
        "9: warning: heading '### Sub heading' ignored: categories are '## Name' lines, "
        "comments start with a single '#'",
        "10: warning: category heading without a name; write '## Category name'",
        "13: note: 'Amazon SQS' is also listed under 'Messaging' (line 4); "
        "it counts in both categories and once overall",
        "14: warning: unknown service 'Shared Responsibility Model': not in the service catalog, so it is matched "
        "by name only",
        "15: note: category 'Empty' lists no services",
        "16: warning: '12345' ignored: no service name on this line",
    ]
    assert str(syllabus.issues[0]) == (
        f"mine.txt:2: warning: 'Amazon S3' comes before any '## Category' heading; listed under {NO_CATEGORY}"
    )
    assert [(e.name, e.category, e.line, e.catalog_id) for e in syllabus.entries] == [
        ("Amazon S3", NO_CATEGORY, 2, "s3"),
        ("Amazon Simple Queue Service (Amazon SQS)", "Messaging", 4, "sqs"),
        ("Amazon Simple Queue Servce", "Messaging", 7, None),
        ("AWS Lambda", "Messaging", 11, "lambda"),
        ("Amazon SQS", "Compute", 13, "sqs"),
        ("Shared Responsibility Model", "Compute", 14, None),
    ]
    assert syllabus.categories == [NO_CATEGORY, "Messaging", "Compute"]


def test_unknown_names_repeated_are_duplicates_too():
    syllabus = parse_syllabus("## A\nShared Responsibility Model\nshared responsibility model\n", source="s.txt")
    assert [e.line for e in syllabus.entries] == [2]
    assert "3: warning: 'shared responsibility model' repeats line 2 in 'A'; ignored" in messages(syllabus)


def test_a_file_without_services_is_an_error():
    with pytest.raises(SyllabusError, match=r"syllabus empty.txt lists no services"):
        parse_syllabus("# only a comment\n## Category\n", source="empty.txt")


def test_unknown_syllabus_name_lists_the_builtin_ones():
    with pytest.raises(SyllabusError) as err:
        load_syllabus("clf-c03")
    assert str(err.value) == (
        "no syllabus named 'clf-c03': give a syllabus file or one of the built-in names "
        "(az-900, clf-c02, gcp-ace, saa-c03)"
    )


def test_user_file_is_read_and_named_after_the_file(tmp_path):
    path = tmp_path / "My-Exam.txt"
    path.write_text("## Storage\nAmazon S3\n", encoding="utf-8")
    syllabus = load_syllabus(str(path))
    assert (syllabus.name, syllabus.source, len(syllabus.entries)) == ("my-exam", str(path), 1)


def test_unreadable_files_are_clear_errors(tmp_path):
    binary = tmp_path / "bad.txt"
    binary.write_bytes(b"## A\n\xff\xfe Amazon S3\n")
    with pytest.raises(SyllabusError, match=r"bad.txt is not UTF-8 text"):
        load_syllabus(binary)
    with pytest.raises(SyllabusError, match=r"is a folder, not a file"):
        load_syllabus(tmp_path)


@pytest.mark.parametrize(("name", "vendor"), [("az-900", "azure"), ("gcp-ace", "gcp"), ("clf-c02", "aws")])
def test_each_syllabus_resolves_every_line_in_its_own_cloud(name, vendor):
    syllabus = load_syllabus(name)
    catalog = load_catalog()
    assert not [i for i in syllabus.issues if i.level == "warning"]
    assert all(entry.catalog_id for entry in syllabus.entries)
    assert {catalog.get(entry.catalog_id).vendor for entry in syllabus.entries} == {vendor}


def test_a_name_several_clouds_share_follows_the_syllabus_cloud():
    gcp = parse_syllabus("# Google Cloud ACE\n## Tools\nCloud Shell\nIAM\nVPC\nBigQuery\n")
    assert [e.catalog_id for e in gcp.entries] == ["gcp/cloudshell", "gcp/iam", "gcp/vpc", "gcp/bigquery"]
    azure = parse_syllabus("## Tools\nAzure portal\nCloud Shell\nPricing Calculator\n")
    assert [e.catalog_id for e in azure.entries] == ["azure/portal", "azure/cloud-shell", "azure/pricing-calculator"]
    aws = parse_syllabus("## Tools\nAWS CloudShell\nIAM\n")
    assert [e.catalog_id for e in aws.entries] == ["cloudshell", "iam"]
