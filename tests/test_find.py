"""Finding a topic by the name a person types: aliases, case, vendor prefix, word order, typos, ambiguity."""

from __future__ import annotations

from itertools import pairwise

import pytest
from test_neighborhood import toy_graph

from graph.names import loose_key
from graph.query.find import AmbiguousName, NodeNotFound, allowed_edits, find_node, suggest

SERVICES = ["sqs", "sns", "ses", "stepfunctions", "dynamodb", "firehose", "kinesis", "redshift", "lambda", "quicksight"]


@pytest.fixture(scope="module")
def toy():
    keys = [f"service:{s}" for s in SERVICES] + ["term:Step Scaling", "term:cache1", "term:cache2"]
    graph = toy_graph([(a, "related_to", b) for a, b in pairwise(keys)])
    for key in ("term:cache1", "term:cache2"):
        graph.nodes[key]["aliases"] = ["Cache"]
    return graph


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("service:sqs", "service:sqs"),  # an id
        ("SQS", "service:sqs"),
        ("sqs", "service:sqs"),
        ("Amazon SQS", "service:sqs"),
        ("aws sqs", "service:sqs"),
        ("simple queue service", "service:sqs"),  # a catalog name
        ("dynamo db", "service:dynamodb"),  # spaces dropped
        ("Step Function", "service:stepfunctions"),  # singular
        ("kinesis firehose", "service:firehose"),  # a catalog alias
        ("firehose kinesis", "service:firehose"),  # every word of a longer name, any order
        ("redshfit", "service:redshift"),  # two letters swapped: one edit
        ("lamda", "service:lambda"),  # a letter missing
        ("quicksi", "service:quicksight"),  # the start of a name
        ("step scaling", "term:Step Scaling"),
    ],
)
def test_names_as_people_type_them(toy, typed, expected):
    assert find_node(toy, typed) == expected


def test_short_names_are_not_guessed_but_suggested(toy):
    # One letter off an acronym is another service (SNS, SQS, SES), so it is never taken silently.
    with pytest.raises(NodeNotFound) as caught:
        find_node(toy, "sgs")
    assert set(caught.value.suggestions[:3]) == {"Amazon SES", "Amazon SNS", "Amazon SQS"}
    assert str(caught.value).startswith("no topic named 'sgs'; did you mean 'Amazon SES', 'Amazon SNS', 'Amazon SQS'")


def test_unknown_name_without_anything_close(toy):
    with pytest.raises(NodeNotFound, match=r"^no topic named 'xyzzy'$"):
        find_node(toy, "xyzzy")
    with pytest.raises(NodeNotFound):
        find_node(toy, "  !! ")


def test_a_name_that_fits_two_topics_lists_them(toy):
    with pytest.raises(AmbiguousName) as caught:
        find_node(toy, "step")
    assert [c[0] for c in caught.value.candidates] == ["term:Step Scaling", "service:stepfunctions"]
    assert "'step' could mean several topics: Step Scaling (concept), AWS Step Functions (service)" in str(caught.value)
    with pytest.raises(AmbiguousName, match=r"could mean several topics: cache1 \(concept\), cache2 \(concept\)"):
        find_node(toy, "cache")


def test_suggest_ranks_a_partly_typed_name(toy):
    assert suggest(toy, "kines")[0][:2] == ("service:kinesis", "Amazon Kinesis")
    assert suggest(toy, "sq")[0][0] == "service:sqs"
    assert suggest(toy, "") == []


def test_loose_key_and_typo_allowance():
    assert loose_key("AWS Amazon Step-Functions") == "stepfunctions"
    assert [allowed_edits(n) for n in (3, 4, 5, 8, 9, 20)] == [0, 0, 1, 1, 2, 2]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kinesis firehose", "service:firehose"),
        ("Step Function", "service:stepfunctions"),
        ("sqs", "service:sqs"),
        ("dynamo db", "service:dynamodb"),
        ("QUICKSIGHT", "service:quicksight"),
    ],
)
def test_the_issue_examples_on_the_bundled_notes(bundled_graph, typed, expected):
    assert find_node(bundled_graph, typed) == expected
