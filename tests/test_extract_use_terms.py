"""Relations from a term named in a use (rules/use_terms.py) and a name before a relation noun (relation_nouns.py)."""

from __future__ import annotations

import pytest
from extract_helpers import joined, stated

from graph.extract.pipeline import make_pipeline


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


NOTE = """# Notes

## Amazon Comprehend

Good for:

- Finding **sentiment** (positive or negative) in reviews
- Keeping logs for Amazon S3
- Tagging **shards**, **partitions** and **replicas** at once

Details:

- Finds **tokenization** errors
"""


def test_a_term_in_a_use_item_is_one_the_subject_is_explained_with(nlp):
    found = stated(nlp, NOTE)
    assert joined(found, "service:comprehend", "term:sentiment") == {"has"}
    assert ("service:comprehend", "has", "term:sentiment", 7) in found


def test_a_service_or_a_long_list_in_a_use_item_or_an_item_of_no_use_gives_no_use_of_a_term(nlp):
    found = stated(nlp, NOTE)
    assert joined(found, "service:comprehend", "service:s3") == set()  # a service: no use of the term kind
    for term in ("term:shard", "term:partition", "term:replica"):
        assert "has" not in joined(found, "service:comprehend", term)  # three names: an inventory
    assert "has" not in joined(found, "service:comprehend", "term:tokenization")  # not under a use label


# --- a name before a relation noun (rules/relation_nouns.py) -------------------------------------------------------


def test_a_short_line_opening_with_a_name_and_a_relation_noun_relates_the_subject_to_the_name(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Kinesis\n\n- Built-in **LDAP** integration\n- **IPv6** support (dual stack)\n"
        "- **CMKs** support key rotation\n- Teams asked for **Terraform** integration last year in review\n",
    )
    assert ("service:kinesis", "connects_to", "term:ldap", 5) in found
    assert ("service:kinesis", "has", "term:ipv6", 6) in found
    assert "has" not in joined(found, "service:kinesis", "term:cmk")  # "support" is the verb of the CMKs
    assert joined(found, "service:kinesis", "term:terraform") == set()  # a sentence, not a feature's name


def test_compatibility_and_integrations_are_relation_nouns_too(nlp):
    found = stated(nlp, "# Notes\n\n## Amazon Kinesis\n\n- **Parquet** compatibility\n- Full **Zabbix** integrations\n")
    assert ("service:kinesis", "connects_to", "term:parquet", 5) in found
    assert ("service:kinesis", "connects_to", "term:zabbix", 6) in found


def test_the_short_rest_of_a_line_after_a_use_label_is_a_use_but_a_story_or_a_list_is_not(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Macie\n\nExample: Enforcing **HIPAA** rules on folders.\n\n"
        "Example: Allow port 443. What if **Bob** is evil and wants to damage it?\n\n"
        "Example: protect databases (**Oracle**, **Postgres**), apps (**SAP**)\n",
    )
    assert ("service:macie2", "has", "term:hipaa", 5) in found
    for term in ("term:bob", "term:oracle", "term:sap"):
        assert "has" not in joined(found, "service:macie2", term)


def test_the_period_of_an_abbreviation_ends_no_sentence_of_a_use(nlp):
    found = stated(
        nlp,
        "# Notes\n\n## Amazon Macie\n\nExample: Masking fields of a standard, e.g. **HIPAA** in forms.\n\n"
        "Example: Masking fields. Then **PCI** audits pass.\n",
    )
    assert ("service:macie2", "has", "term:hipaa", 5) in found
    assert "has" not in joined(found, "service:macie2", "term:pci")  # two sentences: a story
