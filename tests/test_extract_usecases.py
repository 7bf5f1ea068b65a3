"""Headings read as people write them, and use cases read from prose (issue 12, items 3 and 4).

Each test is a tiny note run through the whole extraction; the expected nodes, types, relations and
evidence lines are written out.
"""

from __future__ import annotations

import pytest
from extract_helpers import extract

from graph.extract import terms
from graph.extract.pipeline import make_pipeline
from graph.extract.text import gerund_phrase, use_case_phrase, use_case_phrases
from graph.model import CONCEPT, USE_CASE, Extraction


@pytest.fixture(scope="module")
def nlp():
    return make_pipeline()


def kinds(ex: Extraction) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for m in ex.mentions:
        found.setdefault(m.key, set()).add(m.kind)
    return found


def stated(ex: Extraction) -> set[tuple[str, str, str, int]]:
    return {(r.source, r.relation, r.target, r.evidence.line) for r in ex.relations if r.stated}


def uses(ex: Extraction) -> set[tuple[str, str]]:
    return {(r.source, r.target) for r in ex.relations if r.stated and r.relation == "used_for"}


# --- headings -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Use cases", "use_case"),
        ("Common Use Cases", "use_case"),
        ("AWS Cloud Use Cases", "use_case"),
        ("Key uses", "use_case"),
        ("Example scenarios", "use_case"),
        ("Key features", "concept"),
        ("Components", "concept"),
        ("Integrations", "connects_to"),
        ("Pricing", "scaffold"),
        ("Exam tips", "scaffold"),
        ("Instance types", None),  # a topic of its own
        ("Types of Cloud", None),
        ("Why use a load balancer?", "use_case"),  # what a load balancer is for
        ("When should I use DynamoDB?", "use_case"),
        ("Why do these matter", None),
        ("Lifecycle Management", None),
    ],
)
def test_heading_role_reads_role_headings_only(title, role):
    assert terms.heading_role(title) == role


def test_a_heading_that_opens_with_a_service_names_a_feature_of_it(nlp):
    ex = extract(nlp, "# Amazon S3\n\n## S3 Lifecycle Management\n\nRules move objects between tiers.\n")
    assert kinds(ex)["term:lifecycle management"] == {CONCEPT}
    assert ("service:s3", "has", "term:lifecycle management", 3) in stated(ex)
    surfaces = {m.surface for m in ex.mentions if m.key == "term:lifecycle management"}
    assert surfaces == {"Lifecycle Management", "S3 Lifecycle Management"}  # the heading as written is an alias
    assert [s.key for s in ex.sections if s.title == "S3 Lifecycle Management"] == ["term:lifecycle management"]


@pytest.mark.parametrize(
    "heading",
    # "S3 Replication Options" is about the feature Replication (tests/test_extract_descriptions.py); an aspect alone
    # names none.
    ["S3 Options", "Lambda Summary", "Amazon SQS — Message Queue", "S3 Durability and Availability"],
)
def test_an_aspect_a_tagline_or_a_pair_after_a_service_is_no_feature(nlp, heading):
    ex = extract(nlp, f"# Notes\n\n## {heading}\n\n- fast\n")
    assert not [m for m in ex.mentions if m.how == "heading" and m.key.startswith("term:") and m.evidence.line == 3]


def test_a_role_heading_gives_its_items_a_role_and_is_no_topic(nlp):
    ex = extract(
        nlp,
        "# Amazon S3\n\n## S3 Use cases\n\n- Backup and storage\n- Data lakes & big data analytics\n\n"
        "## Use cases\n\n- Log aggregation\n\n## Features\n\n- Versioning of objects\n",
    )
    found = kinds(ex)
    assert found["term:backup and storage"] == {USE_CASE}
    assert found["term:data lake"] == {USE_CASE}
    assert found["term:big data analytics"] == {USE_CASE}
    assert found["term:log aggregation"] == {USE_CASE}
    assert "term:use case" not in found and "term:feature" not in found  # role headings are no nodes
    assert {
        ("service:s3", "term:backup and storage"),
        ("service:s3", "term:data lake"),
        ("service:s3", "term:big data analytics"),
        ("service:s3", "term:log aggregation"),  # "## Use cases" inherits the file title's service
    } <= uses(ex)
    assert ("service:s3", "has", "term:versioning of object", 14) in stated(ex)
    # The first line under a role heading is no definition of the service.
    assert not [d for d in ex.definitions if d.text in ("Backup and storage", "Log aggregation")]


def test_scaffolding_headings_are_no_topics(nlp):
    ex = extract(nlp, "# Amazon EC2\n\n## Pricing\n\n- Pay per second\n\n## Exam tips\n\n- Read twice\n")
    assert "term:pricing" not in kinds(ex) and "term:exam tip" not in kinds(ex)


def test_an_exam_objective_verb_is_not_part_of_the_topic(nlp):
    ex = extract(nlp, "# Describe Cloud Computing\n\nCloud computing is renting compute.\n")
    assert [(m.key, m.surface) for m in ex.mentions if m.how == "heading"] == [
        ("term:cloud computing", "Cloud Computing")
    ]


def test_a_question_heading_defines_the_concept_it_asks_about(nlp):
    ex = extract(nlp, "# Deployments\n\n## What are Blue-Green deployments?\n\nTwo environments, one live.\n")
    assert kinds(ex)["term:blue green deployment"] == {CONCEPT}
    assert [(d.key, d.text) for d in ex.definitions if d.key == "term:blue green deployment"] == [
        ("term:blue green deployment", "Two environments, one live.")
    ]


# --- use cases in prose -------------------------------------------------------------------------------------------


def test_prose_cues_give_use_cases_of_the_sentence_subject(nlp):
    ex = extract(
        nlp,
        "## Amazon Neptune\n\n"
        "Great for knowledge graphs (Wikipedia), fraud detection, recommendation engines.\n\n"
        "It can be used for development and test databases because it can scale back.\n\n"
        "It is a great candidate for social networking.\n",
    )
    assert uses(ex) == {
        ("service:neptune", "term:knowledge graph"),
        ("service:neptune", "term:fraud detection"),
        ("service:neptune", "term:recommendation engine"),
        ("service:neptune", "term:development and test database"),
        ("service:neptune", "term:social networking"),
    }
    assert kinds(ex)["term:fraud detection"] == {USE_CASE}
    evidence = {r.target: r.evidence.line for r in ex.relations if r.relation == "used_for"}
    assert evidence["term:development and test database"] == 5


def test_use_cases_include_and_such_as_lists(nlp):
    ex = extract(
        nlp,
        "## Amazon S3\n\nS3 use cases include backups, archiving and static website hosting.\n\n"
        "S3 is ideal for workloads such as clickstream archives and log stores.\n",
    )
    assert {
        ("service:s3", "term:backup"),
        ("service:s3", "term:archiving"),
        ("service:s3", "term:static website hosting"),
        ("service:s3", "term:clickstream archive"),
        ("service:s3", "term:log store"),
    } <= uses(ex)


@pytest.mark.parametrize(
    "line",
    [
        "Amazon S3 is not good for block storage.",
        "Amazon S3 is not suitable for block storage.",
        "Avoid Amazon S3 for block storage.",
        "Amazon S3 isn't ideal for block storage.",
    ],
)
def test_negated_cues_give_no_use_case(nlp, line):
    ex = extract(nlp, f"## Storage\n\n{line}\n")
    assert not uses(ex)
    assert USE_CASE not in {m.kind for m in ex.mentions}


def test_used_to_gives_a_short_task_and_drops_where_it_runs(nlp):
    ex = extract(
        nlp, "## Amazon SQS\n\n- Used to decouple applications in AWS\n- Used to automatically detect odd things\n"
    )
    assert uses(ex) == {("service:sqs", "term:decouple application")}


def test_a_service_for_and_helps_with_describe_the_subject(nlp):
    ex = extract(
        nlp,
        "## Amazon Personalize\n\n- Fully managed ML service for real-time personalized recommendations\n\n"
        "## AWS Config\n\n- Helps with auditing and recording compliance of your resources\n",
    )
    assert {
        ("service:personalize", "term:real time personalized recommendation"),
        ("service:config", "term:auditing"),
    } <= uses(ex)


def test_people_are_no_use_cases_and_verb_lists_one(nlp):
    ex = extract(
        nlp,
        "## Amazon Lightsail\n\n- Great for people with little cloud experience\n- Ideal for developers who code\n\n"
        "## Amazon API Gateway\n\n- Managed service for creating, publishing, and monitoring REST and HTTP APIs\n",
    )
    found = uses(ex)
    assert not [target for source, target in found if source == "service:lightsail"]
    # verbs that share an object are one use, never "publishing" or "monitoring rest" on their own
    assert found == {("service:apigateway", "term:creating publishing and monitoring rest and http api")}


def test_label_lines_that_say_use_it_for_and_key_uses(nlp):
    ex = extract(
        nlp,
        "## Amazon EC2\n\nUse it for:\n\n* Serve assets over to a browser\n\nExample scenarios:\n\n"
        "* In testing/development\n* When extending your datacenter to the cloud\n\n"
        "## Amazon Rekognition\n\n- Key uses:\n  - Content Moderation\n",
    )
    assert {
        ("service:ec2", "term:serve assets over to a browser"),
        ("service:ec2", "term:testing development"),
        ("service:ec2", "term:extending your datacenter to the cloud"),
        ("service:rekognition", "term:content moderation"),
    } <= uses(ex)


def test_a_use_cases_row_of_a_table_gives_each_column_service_its_use(nlp):
    ex = extract(
        nlp,
        "## Deploying\n\n| Parameters | AWS CloudFormation | AWS Elastic Beanstalk |\n| -- | -- | -- |\n"
        "| Purpose | Infrastructure as Code | Platform as a Service |\n"
        "| Use Cases | Complex multi-service architectures | Web application deployment and scaling |\n",
    )
    assert uses(ex) == {
        ("service:cloudformation", "term:complex multi service architecture"),
        ("service:elasticbeanstalk", "term:web application deployment and scaling"),
    }
    assert {r.evidence.line for r in ex.relations if r.relation == "used_for"} == {6}


def test_a_lead_with_its_own_use_cases_label(nlp):
    ex = extract(nlp, "## Amazon S3\n\n- SRR – Use cases: log aggregation, live replication between accounts\n")
    assert {("term:srr", "term:log aggregation"), ("term:srr", "term:live replication between account")} <= uses(ex)


# --- phrases ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("knowledge graphs (Wikipedia), fraud detection and recommendation engines", None),
        ("development and test databases because it can scale back", ["development and test databases"]),
        ("reporting and analytics in the event of changes.", ["reporting and analytics"]),
        (
            "cross region disaster recovery and business continuity.",
            ["cross region disaster recovery", "business continuity"],
        ),
        ("chatbots and call center bots", ["chatbots", "call center bots"]),
        ("Large ETL & batch analytics workloads", ["Large ETL & batch analytics workloads"]),
        ("extracting structure and meaning from text", ["extracting structure and meaning from text"]),
        ("data aggregation for stock or voting apps", ["data aggregation"]),  # the kind of app it serves is no part
        ("content caching for web applications", ["content caching"]),
        ("Business intelligence / analytics / reporting", ["Business intelligence", "analytics", "reporting"]),
        ("clickstream objects that are rarely read", ["clickstream objects"]),
    ],
)
def test_use_case_phrases_split_lists_not_phrases(text, phrases):
    expected = phrases or ["knowledge graphs", "fraud detection", "recommendation engines"]
    assert use_case_phrases(text) == expected


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Create Thumbnails for images uploaded onto S3", "Create Thumbnails for images"),
        ("Run a Serverless cron job", "Serverless cron job"),
        ("When extending your datacenter to the cloud", "extending your datacenter to the cloud"),
        ("For disaster recovery (quickly provisioning VMs)", "disaster recovery"),
        ("HTTP use cases that require static IPs", None),
        ("a research team processing large data sets", None),
    ],
)
def test_use_case_phrase_keeps_the_task(text, phrase):
    assert use_case_phrase(text, None) == phrase


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("long term backups and as a tape-drive replacement.", ["long term backups", "tape-drive replacement"]),
        ("allow incoming management connections", ["incoming management connections"]),
        ("Allow access using port 443 from anywhere", []),
        (
            "Store, retrieve, and share configuration files that can be accessed by multiple VMs",
            ["Store, retrieve, and share configuration files"],
        ),
    ],
)
def test_enabling_verbs_as_phrases_and_verb_lists(text, phrases):
    assert use_case_phrases(text) == phrases


def test_a_they_enable_label_gives_use_cases(nlp):
    ex = extract(
        nlp,
        "## Amazon VPC\n\nThey enable:\n\n* Connecting on-premise datacenter to virtual networks (site-to-site)\n",
    )
    assert uses(ex) == {("service:vpc", "term:connecting on premise datacenter to virtual network")}


def test_sibling_sections_take_the_service_of_the_file_title(nlp):
    ex = extract(nlp, "# Amazon S3\n\nObject storage.\n\n# Use cases\n\n- Static website hosting\n")
    assert uses(ex) == {("service:s3", "term:static website hosting")}
    two = extract(nlp, "# Amazon S3\n\nObject storage.\n\n# Amazon EC2\n\nServers.\n\n# Use cases\n\n- Web hosting\n")
    assert not uses(two)  # two services at the top: neither is the file's title


# --- "Why use X" sections, unmarked lists of "lead - use" lines, a verb and its listed objects ---------------------


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Why use replication", "replication"),
        ("When to use a load balancer?", "load balancer"),
        ("When should you choose DynamoDB", "DynamoDB"),
        ("When to use it?", None),
        ("Use cases", None),
    ],
)
def test_use_heading_topic_is_what_the_heading_asks_uses_of(title, topic):
    assert terms.use_heading_topic(title) == topic


def test_why_use_heading_over_unmarked_lead_lines_gives_uses_of_each_lead(nlp):
    text = "## Amazon S3\n\n### Why use replication\n\nSRR - Log aggregation\nCRR - Latency reduction\n"
    ex = extract(nlp, text)
    assert uses(ex) == {("term:srr", "term:log aggregation"), ("term:crr", "term:latency reduction")}
    found = kinds(ex)
    assert found["term:srr"] == {CONCEPT} and found["term:crr"] == {CONCEPT}  # what is used, not a use
    assert found["term:log aggregation"] == {USE_CASE}
    assert ("term:replication", "has", "term:srr", 5) in stated(ex)
    assert {r.evidence.line for r in ex.relations if r.relation == "used_for"} == {5, 6}


def test_a_use_case_lead_that_is_a_phrase_is_still_the_use(nlp):
    ex = extract(nlp, "## Amazon S3\n\n### Use cases\n\n- **Static website hosting** - serve HTML pages\n")
    assert uses(ex) == {("service:s3", "term:static website hosting")}


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        (
            "Write metrics, crash dumps, or diagnostic logs, so that they can be analyzed later",
            ["Write metrics, crash dumps, or diagnostic logs"],
        ),
        # the commas are not a list of the verb's objects
        ("Monitor applications, integrating them with PagerDuty, Jira, or Azure DevOps", None),
        ("log analytics, clickstreams and ML", ["log analytics", "clickstreams", "ML"]),
    ],
)
def test_a_verb_and_its_listed_objects_is_one_use(text, phrases):
    if phrases is None:
        assert "Monitor applications" in use_case_phrases(text) and len(use_case_phrases(text)) > 1
    else:
        assert use_case_phrases(text) == phrases


def test_a_generic_last_word_after_a_word_of_its_own_is_still_a_heading_feature(nlp):
    ex = extract(nlp, "## DynamoDB Global Tables\n\nGlobal tables replicate across regions.\n")
    assert ("service:dynamodb", "has", "term:global table", 1) in stated(ex)
    assert "term:overview" not in kinds(extract(nlp, "## DynamoDB Overview\n\nA database.\n"))


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("buckets that must be in sync the whole time", None),  # which things, not a use
        ("log files that are rarely read", "log files"),
    ],
)
def test_one_word_before_a_relative_clause_is_no_use(text, phrase):
    assert use_case_phrase(text, None) == phrase


# --- what a thing lets you do: "allows you to", "lets you", "helps you", "a way to" -------------------------------


def aliases(ex: Extraction, key: str) -> set[str]:
    return {m.surface for m in ex.mentions if m.key == key}


def test_allows_you_to_and_a_way_to_give_the_task_as_a_use(nlp):
    ex = extract(
        nlp,
        "## Read replicas\n\n- This allows you to scale out read operations for an instance\n\n"
        "## Amazon S3\n\nThis provides a way to retrieve parts of objects and not the entire object.\n\n"
        "## Azure Arc\n\nDefinition: Allows you to manage both Azure and non-azure resources with ARM (Azure Resource "
        "Manager)\n",
    )
    assert uses(ex) == {
        ("term:read replica", "term:scale out read operation"),
        ("service:s3", "term:retrieve parts of object"),
        ("service:azure/arc", "term:manage both azure and non azure resource"),
    }
    # the task is also named as people name a use: "Retrieving parts of objects"
    assert aliases(ex, "term:retrieve parts of object") == {"retrieve parts of objects", "Retrieving parts of objects"}
    assert {r.evidence.line for r in ex.relations if r.relation == "used_for"} == {3, 7, 11}


@pytest.mark.parametrize(
    "line",
    [
        "Endpoints allow you to connect to Amazon S3 privately.",  # a relation between services
        "It lets you poll.",  # one verb says no task
        "Select lets you use SQL-like statements.",  # a tool it uses
        "It is not a way to store logs.",  # negated
    ],
)
def test_no_use_from_relations_single_verbs_tools_or_negations(nlp, line):
    ex = extract(nlp, f"## Amazon SQS\n\n{line}\n")
    assert not [t for _, t in uses(ex) if t.startswith("term:")]


@pytest.mark.parametrize(
    ("phrase", "verb", "task"),
    [
        ("retrieve parts of objects", False, "Retrieving parts of objects"),
        ("store files", False, None),  # "store" is a noun too: only after "to" is it surely a verb
        ("store files", True, "Storing files"),
        ("log analytics", False, None),
        ("monitor & troubleshoot issues", True, None),  # verbs sharing an object stay as written
    ],
)
def test_gerund_phrase_names_a_task_as_a_noun_phrase(phrase, verb, task):
    assert gerund_phrase(phrase, verb=verb) == task


def test_helps_and_a_verb_of_making_give_what_is_made_as_uses(nlp):
    ex = extract(nlp, "## Amazon Lex\n\n- Helps build chatbots and call center bots\n- Helps everyone.\n")
    assert uses(ex) == {("service:lex", "term:chatbot"), ("service:lex", "term:call center bot")}


def test_a_description_before_meant_for_is_of_the_section_subject(nlp):
    ex = extract(
        nlp,
        "## Amazon S3 Glacier\n\n- Low-cost object storage meant for archiving / backup\n"
        "- Report AWS resources used for abusive purposes\n- Storage optimized instances are designed for reads\n",
    )
    assert uses(ex) == {("service:glacier", "term:archiving"), ("service:glacier", "term:backup")}


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        (
            "protect against natural disasters or civil unrest",
            ["protect against natural disasters", "protect against civil unrest"],
        ),
        ("compliant, secure, and up-to-date machine images", []),  # words describing one thing, no list of uses
    ],
)
def test_a_verb_and_preposition_go_with_each_object_and_describing_words_are_no_list(text, phrases):
    assert use_case_phrases(text) == phrases


def test_allow_for_opening_a_sentence_and_provide_give_their_object_as_the_use(nlp):
    ex = extract(
        nlp,
        "## Amazon SQS\n\nAllow for async communications where the sender and receiver do not care about each "
        "other.\n\nThis allows for alternative keys.\n\nAllow for actions to take place.\n\n"
        "## AWS Certificate Manager\n\n- Used to provide in-flight encryption\n",
    )
    assert uses(ex) == {("service:sqs", "term:async communication"), ("service:acm", "term:in flight encryption")}


# --- use cases said in definitions and conditions (uc3) --------------------------------------------------------------


def test_a_task_cue_after_a_short_description_closed_by_that_speaks_of_the_subject(nlp):
    ex = extract(
        nlp,
        "## Azure App Service\n\nDefinition: a PaaS that allows to build, deploy, and scale web apps on any platform.\n"
        "\n## Amazon SQS\n\nMessages that are big and slow that allows to fail.\n",
    )
    # the place ("on any platform") is no part of the task; a sentence about something else gives no use
    assert uses(ex) == {("service:azure/app-service", "term:build deploy and scale web app")}
    assert ("service:azure/app-service", "used_for", "term:build deploy and scale web app", 3) in stated(ex)


def test_a_definition_that_names_a_task_before_the_kind_word_says_what_the_service_is_for(nlp):
    ex = extract(
        nlp,
        "## Azure Active Directory\n\nDefinition: Cloud-based identity and access management service\n\n"
        "## AWS Database Migration Service\n\nA managed database migration service. This runs on an instance.\n\n"
        "## Azure HDInsight\n\nDefinition: Fully managed analytics service\n\n"
        "## Amazon S3\n\nDefinition: Object storage service\n",
    )
    assert uses(ex) == {
        ("service:azure/entra-id", "term:identity and access management"),
        ("service:dms", "term:database migration"),
    }  # one word left ("analytics") or no noun of action ("storage") says no task
    assert kinds(ex)["term:identity and access management"] == {USE_CASE}
    assert ("service:dms", "used_for", "term:database migration", 7) in stated(ex)


def test_a_line_that_opens_with_allows_and_a_noun_phrase_is_a_use_of_the_service(nlp):
    ex = extract(
        nlp,
        "## Amazon SQS\n\n- Allows decoupling of applications by sending and receiving messages.\n"
        "- SQS allows retention of messages\n- Allows you to poll\n",
    )
    # "decoupling of applications" is the task "decoupling applications"; the means ("by ...") is not part of it
    assert uses(ex) == {("service:sqs", "term:decoupling application")}
    assert [m.surface for m in ex.mentions if m.key == "term:decoupling application"] == ["decoupling applications"]


def test_a_way_to_drops_the_place_after_the_task(nlp):
    ex = extract(
        nlp,
        "## Azure AD External Identities\n\nDefinition: A way to collaborate with partners outside of "
        "your organization.\n",
    )
    assert uses(ex) == {("service:azure/entra-external-id", "term:collaborate with partner")}


def test_a_need_stated_as_a_condition_is_a_use_and_a_step_is_not(nlp):
    ex = extract(
        nlp,
        "## Amazon S3\n\n- If you need anonymous or cross account access.\n\n"
        "If you need to block one particular IP, use a NACL.\n",
    )
    assert uses(ex) == {("service:s3", "term:anonymous access"), ("service:s3", "term:cross account access")}
    assert ("service:s3", "used_for", "term:cross account access", 3) in stated(ex)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("anonymous or cross account access", ["anonymous access", "cross account access"]),
        ("event-driven and stateless applications", ["event-driven applications", "stateless applications"]),
        ("development and test databases", ["development and test databases"]),  # a noun shares the head: one use
    ],
)
def test_a_describing_word_coordinated_with_a_phrase_takes_its_head_noun(text, phrases):
    assert use_case_phrases(text) == phrases


def test_items_under_a_label_a_verb_must_complete_are_tasks_only_when_they_open_with_a_verb(nlp):
    ex = extract(
        nlp,
        "## Azure Resource Manager\n\nTemplates allow you to:\n\n* Create declarative syntax\n* Orchestration\n"
        "* Modular files\n\nUse it for:\n\n* Disaster recovery backups\n",
    )
    found = kinds(ex)
    assert found["term:create declarative syntax"] == {USE_CASE}
    assert found["term:orchestration"] == {CONCEPT}
    assert found["term:modular file"] == {CONCEPT}
    assert found["term:disaster recovery backup"] == {USE_CASE}  # "Use it for:" asks for no verb


def test_a_use_said_in_words_outvotes_the_same_phrase_listed_as_a_feature(write_notes):
    from graph.store.build import build_notes

    text = (
        "## Azure Synapse Analytics\n\nDefinition: Limitless analytics service for big data analytics.\n\n"
        "Features:\n\n* Serverless queries\n* Big data analytics\n\n"
        "## Azure HDInsight\n\nIdeal for ETL and data science.\n\nFeatures:\n\n* ETL\n"
    )
    graph = build_notes(write_notes({"note.md": text})).graph
    assert graph.nodes["term:big data analytics"]["type"] == USE_CASE
    assert graph.nodes["term:etl"]["type"] == CONCEPT  # one word after "ideal for" votes weakly


def test_an_instruction_under_features_is_a_task_and_a_noun_phrase_a_feature(nlp):
    ex = extract(
        nlp,
        "## Azure Monitor\n\nFeatures:\n\n* Monitor applications, integrating them with PagerDuty or Jira\n"
        "* Set up alerts to help triage outages\n* Create repeatable processes by using code\n* Load balancing\n"
        "* Execute independently or combined to orchestrate setup\n* Analyzes text using tokenization\n"
        "* Support for Python, Scala, and SQL\n",
    )
    assert uses(ex) == {
        ("service:azure/monitor", "term:monitor application"),
        ("service:azure/monitor", "term:triage outage"),  # what the step helps with
        ("service:azure/monitor", "term:repeatable process"),  # what is created
    }
    assert ("service:azure/monitor", "used_for", "term:triage outage", 6) in stated(ex)
    assert kinds(ex)["term:load balancing"] == {CONCEPT}


def test_a_definition_says_the_task_in_a_relative_clause_or_after_a_closing_for(nlp):
    ex = extract(
        nlp,
        "## Azure Pricing Calculator\n\nDefinition: A calculator that estimates cost based on all preceding factors\n"
        "\n## Azure CLI\n\nDefinition: A CLI tool to execute commands that call the REST API for resource management.\n"
        "\n## Azure Cloud Shell\n\nDefinition: A service that integrates fully with the Azure CLI\n\n"
        "## Amazon SQS\n\nDurable message queue for work distribution\n\n## Amazon SNS\n\nA topic for fan-out\n",
    )
    assert uses(ex) == {
        ("service:azure/pricing-calculator", "term:estimating cost"),  # the verb said as a task
        ("service:azure/cli", "term:resource management"),
        ("service:sqs", "term:work distribution"),  # "for fan-out": no noun of action
    }  # "integrates with" is a relation (connects_to), not a task
    assert [m.surface for m in ex.mentions if m.key == "term:estimating cost"] == ["Estimating cost"]


def test_a_use_too_long_for_a_name_keeps_its_head_when_it_is_a_plain_noun_phrase(nlp):
    assert use_case_phrase("large-scale parallel and high-performance computing batch jobs", None) == "batch jobs"
    # a phrase with a preposition or a verb is no plain noun phrase: too long, no use
    assert use_case_phrase("storing of very large amounts of unstructured data objects in buckets", None) is None
    ex = extract(
        nlp,
        "## Azure Batch\n\nDefinition: Allows large-scale parallel and high-performance computing (HPC) batch jobs.\n",
    )
    assert uses(ex) == {("service:azure/batch", "term:batch job")}


def test_an_item_listed_as_a_use_may_be_longer_than_one_read_from_a_sentence_but_no_clause(nlp):
    ex = extract(
        nlp,
        "## Azure Blob Storage\n\nUse it for:\n\n* Storing up to 8TB of data for VMs\n"
        "* Blob storage is a fully managed store of unstructured objects\n\n"
        "It is used for storing up to 8TB of data for VMs.\n",
    )
    assert uses(ex) == {("service:azure/blob-storage", "term:storing up to 8tb of data for vm")}
    assert ("service:azure/blob-storage", "used_for", "term:storing up to 8tb of data for vm", 5) in stated(ex)


# --- which programs, not what for ---------------------------------------------------------------------------------


def test_programs_told_by_what_they_need_are_no_use(nlp):
    assert use_case_phrases("mission-critical apps requiring low latency") == []
    assert use_case_phrases("apps with bursty traffic") == ["bursty traffic"]
    assert use_case_phrases("applications with strict latency and compliance needs") == []
    assert use_case_phrases("multi-tenant applications") == ["multi-tenant applications"]
    ex = extract(
        nlp,
        "## Amazon Aurora\n\n- Good for **business-critical** workloads needing strong consistency.\n"
        "- Great for apps with seasonal traffic.\n- Ideal for **batch processing**.\n",
    )
    assert uses(ex) == {("service:aurora", "term:seasonal traffic"), ("service:aurora", "term:batch processing")}
