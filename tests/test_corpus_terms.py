"""Corpus-level terms: runs of content words per note, promotion across the corpus, every mention everywhere."""

from __future__ import annotations

import pytest

from graph.extract.pipeline import make_pipeline
from graph.extract.runs import Run, runs
from graph.model import CONCEPT, SERVICE
from graph.store.build import build_uploads


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def build(nlp, **notes: str):
    files = [(f"{name}.md", text.encode()) for name, text in notes.items()]
    return build_uploads(files, nlp=nlp).graph


def places(graph, node: str) -> list[tuple[str, int]]:
    return [(m["file"], m["line"]) for m in graph.nodes[node]["mentions"]]


# ---- runs of content words ----------------------------------------------------------------------------------


def test_runs_stop_at_stop_words_punctuation_verbs_and_given_ranges():
    text = "A dead-letter queue, after the visibility timeout; you can configure the subnet in Amazon VPC"
    start = text.index("Amazon VPC")
    assert runs(text, [(start, start + len("Amazon VPC"))]) == [
        Run(("dead-letter", "queue"), "a", ""),
        Run(("visibility", "timeout"), "the", ""),
        Run(("configure",), "can", "the"),
        Run(("subnet",), "the", "in"),
    ]


def test_runs_leave_out_lone_everyday_words_numbers_adverbs_and_possessives():
    assert runs("Data is sent 3 times quickly to Serverless compute") == [Run(("Serverless", "compute"), "to")]
    assert [r.words for r in runs("AWS's console and the NoSQL table")] == [("AWS",), ("NoSQL", "table")]


# ---- promotion across the corpus ----------------------------------------------------------------------------

NETWORK = """# Networking

## Layout

A subnet is a range of addresses in the network.

Each subnet lives in one zone, and a subnet can be public.

## Routing tables

Traffic leaves the subnet through a gateway.
"""

STORAGE = """# Storage

## Buckets

Objects in a bucket can be replicated.

## Access

Put the database in a private subnet, never in a public one.
"""


def test_a_rare_noun_used_in_several_sections_becomes_a_concept_with_every_mention(nlp):
    graph = build(nlp, network=NETWORK, storage=STORAGE)
    assert graph.nodes["term:subnet"]["type"] == CONCEPT
    expected = [("network.md", 5), ("network.md", 7), ("network.md", 11), ("storage.md", 9)]
    assert places(graph, "term:subnet") == expected
    assert "Traffic leaves the subnet through a gateway." in {m["text"] for m in graph.nodes["term:subnet"]["mentions"]}


def test_a_word_in_one_section_only_or_an_everyday_word_is_not_promoted(nlp):
    graph = build(nlp, network=NETWORK.replace("## Routing tables\n\nTraffic leaves the subnet", "Traffic leaves it"))
    assert "term:subnet" not in graph  # all its uses in one section: named there, not relied on
    graph = build(nlp, network=NETWORK, storage=STORAGE)
    assert "term:range" not in graph and "term:zone" not in graph and "term:gateway" not in graph


def test_a_word_used_as_a_verb_is_not_a_term(nlp):
    text = """# A

## One

You can provision the cluster. Then provision the disks. We provision it.

## Two

They provision their servers and can provision more.
"""
    assert "term:provision" not in build(nlp, a=text)


# ---- every mention, everywhere ------------------------------------------------------------------------------


def test_a_term_one_note_defines_is_found_in_every_note_in_any_spelling(nlp):
    first = "# Queues\n\n**Visibility timeout** — how long a message is hidden.\n"
    second = "# Tuning\n\nRaise the visibility-timeouts when jobs run long.\n\nSee the VISIBILITY TIMEOUT docs.\n"
    graph = build(nlp, first=first, second=second)
    assert places(graph, "term:visibility timeout") == [("first.md", 3), ("second.md", 3), ("second.md", 5)]
    assert graph.nodes["term:visibility timeout"]["type"] == CONCEPT


def test_a_spacing_variant_is_the_same_term_but_a_term_is_never_found_inside_a_longer_one(nlp):
    first = "# Reads\n\n**Read Replica Set** — replicas together.\n\n**Read Replica** — a copy for reads.\n"
    second = "# Notes\n\nReadReplicas are cheap.\n\nEach read replica set is safe.\n"
    graph = build(nlp, first=first, second=second)
    assert ("second.md", 3) in places(graph, "term:read replica")
    assert ("second.md", 5) not in places(graph, "term:read replica")  # it is the store's line
    assert ("second.md", 5) in places(graph, "term:read replica set")


def test_an_acronym_plural_is_its_service_and_a_supported_lambda_stands_in_every_note(nlp):
    first = "# Compute\n\nAWS Lambda runs code without servers in Amazon VPC.\n"
    second = "# Events\n\nA function in lambda is small.\n\nLambda scales on its own.\n\nIn AWS, peer two VPCs.\n"
    graph = build(nlp, first=first, second=second)
    assert ("second.md", 5) in places(graph, "service:lambda")
    assert ("second.md", 3) not in places(graph, "service:lambda")  # lower case: the Greek letter, not the service
    assert graph.nodes["service:vpc"]["type"] == SERVICE
    assert ("second.md", 7) in places(graph, "service:vpc")
    assert "term:vpc" not in graph


def test_a_lambda_alone_with_no_support_in_the_corpus_stays_out(nlp):
    graph = build(nlp, second="# Events\n\nLambda scales on its own.\n")
    assert "service:lambda" not in graph


def test_an_abbreviation_the_notes_define_is_one_node_with_what_it_stands_for(nlp):
    first = "# Images\n\n- **Amazon Machine Image (AMI)**: a template for instances.\n"
    second = "# Launching\n\n- Pick one of the AMIs in the console.\n\n- An **AMI** is regional.\n"
    graph = build(nlp, first=first, second=second)
    assert "term:ami" not in graph
    node = graph.nodes["term:amazon machine image"]
    assert {"AMI", "AMIs", "Amazon Machine Image"} <= set(node["aliases"])
    assert places(graph, "term:amazon machine image") == [("first.md", 3), ("second.md", 3), ("second.md", 5)]


def test_a_short_form_that_is_no_abbreviation_of_the_words_before_it_is_left_alone(nlp):
    graph = build(nlp, a="# A\n\n- **Serverless Compute (Lambda)** runs code.\n\n- **Lambda** is fast.\n")
    assert "term:serverless compute" not in graph or "Lambda" not in graph.nodes["term:serverless compute"]["aliases"]


def test_an_abbreviation_of_a_service_the_notes_define_is_that_service_everywhere(nlp):
    first = "# DNS\n\n- Amazon Route 53 (R53) is a managed DNS.\n"
    second = "# Domains\n\n- Point the domain at R53 records.\n"
    graph = build(nlp, first=first, second=second)
    assert "term:r53" not in graph
    route53 = next(n for n, data in graph.nodes(data=True) if data["label"] == "Amazon Route 53")
    assert ("second.md", 3) in places(graph, route53)
    assert "R53" in graph.nodes[route53]["aliases"]


def test_a_coined_word_english_has_no_class_for_is_a_term_though_shaped_like_an_adjective(nlp):
    text = """# Compute

## Functions

Functions are serverless. Serverless means no servers to manage.

## Costs

You pay per call with serverless.
"""
    graph = build(nlp, a=text)
    assert graph.nodes["term:serverless"]["type"] == CONCEPT
    assert places(graph, "term:serverless") == [("a.md", 5), ("a.md", 9)]
    assert "term:durable" not in build(nlp, a=text.replace("serverless", "durable").replace("Serverless", "Durable"))


def test_an_everyday_acronym_the_notes_never_explain_is_no_topic(write_notes):
    from graph.store.build import build_notes

    g = build_notes(
        write_notes(
            {
                "a.md": "# Amazon EC2\n\nPick the OS of an instance. The OS is patched by you.\n\n"
                "Each VPC has a CIDR range.\n",
                "b.md": "# Amazon ECS\n\nContainers share the OS kernel. HA comes from tasks in two zones.\n",
                "c.md": "# Glossary\n\n- **URL**: the address of a page\n\nOpen the URL in a browser.\n",
            }
        )
    ).graph
    found = {d["label"] for _, d in g.nodes(data=True)}
    assert "OS" not in found  # everyday, only used in passing: vocabulary the notes assume
    assert "URL" in found  # everyday, but a note defines it
    assert {"CIDR", "HA"} <= found  # jargon ("HA": its letters are mostly the word "ha", no measure of the acronym)
    assert not any("term:os" in (a, b) for a, b, _ in g.edges)


def test_the_plural_of_a_service_acronym_is_the_service_not_a_term(write_notes):
    from graph.store.build import build_notes

    text = "## Peering\n\n- Connects two VPCs.\n- VPCs can be in the same account.\n- VPCs never overlap.\n\n"
    other = "# Networking\n\nAmazon VPC and Amazon EC2.\n\n"
    g = build_notes(write_notes({"a.md": "# Amazon VPC\n\n" + text, "b.md": other + text})).graph
    assert not [n for n in g if n.startswith("term:vpc")]


def test_an_abbreviation_stands_for_the_shortest_run_of_words_that_spells_it(nlp):
    first = "# Warehouses\n\n- Optimized for **online analytical processing (OLAP)** at scale.\n"
    second = "# Kinds\n\n- Warehouse: OLAP workloads.\n"
    graph = build(nlp, first=first, second=second)
    assert "term:olap" not in graph
    assert "term:optimized for online analytical processing" not in graph
    assert "OLAP" in graph.nodes["term:online analytical processing"]["aliases"]


POLICIES = """# Policies

## Kinds

A **bucket policy** is attached to a bucket. A **queue policy** is attached to a queue.
A **topic policy** is attached to a topic. An identity policy is attached to a user.

## Identities

Identity policies can only be attached to identities in your own account.
With identity policies you control what that identity can access.
"""


def test_a_compound_of_everyday_words_with_the_head_of_several_known_terms_is_one_more_of_them(nlp):
    graph = build(nlp, policies=POLICIES)
    assert graph.nodes["term:identity policy"]["type"] == CONCEPT
    assert [line for _, line in places(graph, "term:identity policy")] == [5, 10]  # one mention a paragraph


def test_a_compound_of_everyday_words_with_no_family_of_known_terms_is_not_promoted(nlp):
    graph = build(nlp, policies=POLICIES.replace("**topic policy**", "topic rule").replace("**queue", "**queue rule"))
    assert "term:identity policy" not in graph


def test_a_term_written_after_a_clouds_name_is_one_node_with_the_term_alone(nlp):
    first = "# Basics\n\n**Resource group**: a grouping of resources you manage together.\n"
    second = "# Groups\n\n## Azure Resource Groups\n\nDelete the group and its resources go too.\n"
    graph = build(nlp, first=first, second=second)
    assert "term:azure resource group" not in graph
    assert "Azure Resource Groups" in graph.nodes["term:resource group"]["aliases"]
    assert places(graph, "term:resource group") == [("first.md", 3), ("second.md", 3)]


def test_a_clouds_product_named_like_a_term_stays_its_own_node(nlp):
    first = "# Edge\n\nManage Snow devices with AWS OpsHub from a laptop.\n\n- **OpsHub**: the app itself.\n"
    graph = build(nlp, first=first)
    assert graph.nodes["term:aws opshub"]["type"] == SERVICE  # a product the catalog does not know yet
    assert "term:opshub" in graph


def test_an_abbreviation_after_other_words_stands_for_the_words_whose_initials_spell_it(nlp):
    first = "# Warehouses\n\n- Optimized for **online analytical processing (OLAP)** and reports.\n"
    second = "# Queries\n\n- OLAP queries scan many rows.\n"
    graph = build(nlp, first=first, second=second)
    assert "term:olap" not in graph and "term:optimized for online analytical processing" not in graph
    assert "OLAP" in graph.nodes["term:online analytical processing"]["aliases"]


def test_an_acronym_whose_last_letter_is_s_is_no_plural(nlp):
    text = "# Web\n\n- **HTTP** is plain text.\n- **HTTPS** encrypts it.\n- **DDoS** attacks flood servers.\n"
    graph = build(nlp, a=text)
    assert {"term:http", "term:https", "term:ddos"} <= set(graph)
    assert graph.nodes["term:https"]["label"] == "HTTPS" and "term:ddo" not in graph


def test_a_slash_joined_pair_before_a_plural_is_one_term(nlp):
    graph = build(nlp, a="# Certificates\n\n- Deploy **SSL/TLS Certificates** on load balancers.\n")
    assert "term:ssl tls certificate" in graph and "term:ssl" not in graph


def test_a_compound_of_everyday_words_with_a_section_of_its_own_is_found_in_every_note(nlp):
    first = "# Routing\n\n## Door Plans\n\nEach floor keeps its plans.\n"
    second = "# Floors\n\nA floor can only have one door plan at a time.\n"
    graph = build(nlp, first=first, second=second)
    assert ("second.md", 3) in places(graph, "term:door plan")
    # The same words with no section of their own stay in the note that bolds them.
    bolded = "# Routing\n\n**Door plans** matter.\n"
    graph = build(nlp, first=bolded, second=second)
    assert ("second.md", 3) not in places(graph, "term:door plan")
    # A section titled with everyday words whose body never names its head noun explains no term.
    closing = "# Routing\n\n## Next Steps\n\nRead the floor guide again.\n"
    later = "# Floors\n\nThe next step is to paint each floor.\n"
    graph = build(nlp, first=closing, second=later)
    assert ("second.md", 3) not in places(graph, "term:next step")
    # A body that names the noun before the head speaks of the heading all the same.
    doors = "# Routing\n\n## Door Plans\n\nEach door opens outward.\n"
    graph = build(nlp, first=doors, second=second)
    assert ("second.md", 3) in places(graph, "term:door plan")
