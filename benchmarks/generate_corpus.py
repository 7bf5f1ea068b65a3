"""Generate a synthetic, reproducible corpus of markdown study notes for the benchmarks.

The notes look like the ones people keep while studying for a cloud
certification: a title, sections per service or concept, bullet lists (some
nested), numbered steps, ``A -> B -> C`` pipelines, ``**X** — definition``
lines, "X vs Y" comparisons, "Use cases:" labels, prose paragraphs, code
blocks, tables, links, Obsidian-style front matter, wiki links and TODOs.
Service names come from the bundled service catalog (:func:`graph.sources.catalog.load_catalog`)
in the spellings people use: the label ("Amazon SQS"), the full name
("Amazon Simple Queue Service"), any alias ("SQS"), lower case ("sqs"), the
name without its vendor prefix, and "Full Name (SHORT)".

Note *i* depends only on the seed and *i*, so the 100-note corpus is the first
100 notes of the 1,000-note corpus of the same seed. Notes average about
1 KB, so 10,000 notes are about 10 MB.

Usage::

    python benchmarks/generate_corpus.py --notes 1000 --seed 1 --out benchmarks/.corpora/gen-1000
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # runnable as a script from any folder
    sys.path.insert(0, str(REPO))

from graph.sources.catalog import Catalog, CatalogEntry, load_catalog  # noqa: E402

#: Bump when the generated text changes, so cached corpora are regenerated.
GENERATOR_VERSION = 3
#: Written into every generated folder; the generator only ever deletes folders that hold it.
MARKER = ".notes-graph-corpus.json"
#: Mean target size in bytes, log-normal, clipped to [MIN_BYTES, MAX_BYTES]; the last section
#: overshoots it, so notes average about 1 KB.
MEAN_BYTES = 820
MIN_BYTES = 250
MAX_BYTES = 12_000

# Services people write about most, as catalog ids; used only to weight the draw (names still come
# from the catalog, and a quarter of the draws are uniform over the whole catalog).
_POPULAR = (
    "s3 ec2 lambda dynamodb sqs sns iam vpc cloudwatch rds kinesis cloudfront route53 apigateway events "
    "stepfunctions ecs eks fargate elb alb autoscaling aurora redshift athena glue emr firehose cloudtrail kms "
    "cognito sagemaker bedrock elasticache efs ebs glacier cloudformation elasticbeanstalk codepipeline codebuild "
    "codedeploy codecommit secretsmanager ssm organizations config guardduty inspector shield waf lightsail batch "
    "mq dms backup storagegateway quicksight lakeformation opensearch kafka xray transfer datasync outposts "
    "snow-family"
).split()

CONCEPTS = (
    "data lake|fan-out|long polling|short polling|dead-letter queue|eventual consistency|strong consistency|"
    "high availability|fault tolerance|horizontal scaling|vertical scaling|least privilege|encryption at rest|"
    "encryption in transit|shared responsibility model|Multi-AZ deployment|read replica|cold start|pub/sub|"
    "message queue|idempotency|exponential backoff|blue/green deployment|canary release|infrastructure as code|"
    "edge location|availability zone|object storage|block storage|file storage|lifecycle policy|versioning|"
    "partition key|sort key|provisioned capacity|on-demand capacity|Reserved Instances|Spot Instances|"
    "Savings Plans|scaling policy|health check|sticky sessions|TLS termination|VPC peering|NAT gateway|"
    "security group|network ACL|private subnet|route table|CIDR block|IAM role|IAM policy|MFA|access keys|"
    "service control policy|audit trail|log retention|metric alarm|distributed tracing|ETL|change data capture|"
    "stream processing|batch processing|data warehouse|columnar storage|schema on read|data catalog|"
    "feature store|model training|inference endpoint|vector embeddings|retrieval-augmented generation|"
    "container orchestration|microservices|event-driven architecture|decoupling|throttling|rate limiting|"
    "caching|TTL|CDN|DNS failover|latency-based routing|disaster recovery|RPO|RTO|pilot light|warm standby|"
    "backup vault|compliance|total cost of ownership|pay-as-you-go pricing|serverless|visibility timeout|"
    "message retention|FIFO ordering|sharding|write-through cache|connection pooling|least outstanding requests"
).split("|")

USE_CASES = (
    "real-time analytics|log aggregation|decoupling microservices|disaster recovery|nightly batch jobs|"
    "static website hosting|image thumbnail generation|clickstream analysis|IoT telemetry ingestion|"
    "user sign-up and sign-in|order processing|fraud detection|sending password reset emails|"
    "archiving old records|serving machine learning predictions|running containerised web apps|"
    "ad-hoc SQL queries on data in S3|caching session data|distributing content worldwide|"
    "migrating on-premises databases|automating compliance checks|centralised logging|scheduled cron jobs|"
    "chat notifications|media transcoding|building a data lake|backing up EBS volumes|auditing API calls|"
    "hosting a REST API|processing uploaded files|leaderboards for a mobile game|fan-out notifications"
).split("|")

TECHNOLOGIES = (
    "Apache Kafka|Kubernetes|Docker|PostgreSQL|MySQL|Redis|Memcached|Apache Spark|Hadoop|Terraform|Python|"
    "Node.js|Java|JSON|YAML|SQL|REST|GraphQL|MQTT|RabbitMQ|Elasticsearch|Grafana|Prometheus|Jenkins|Git|Linux|"
    "Oracle|MongoDB|Cassandra|Parquet|Avro|OAuth 2.0|SAML|OpenID Connect|WebSockets|gRPC|Ansible|Helm"
).split("|")

# Compound topics ("cross-account log group", "billing nightly snapshot"): a large vocabulary drawn
# Zipf-like, so that, as in a real vault, the number of distinct topics keeps growing with the corpus.
MODIFIERS = (
    "cross-account|multi-region|regional|cold|hot|encrypted|private|public|managed|self-managed|provisioned|"
    "on-demand|scheduled|real-time|immutable|versioned|tiered|burstable|dedicated|shared|federated|automated|"
    "incremental|nightly|streaming|event-based|stateless|stateful|zonal|internal|external|read-only|write-heavy|"
    "high-throughput|long-running|short-lived|partitioned|replicated|compressed|signed|temporary|rotating|"
    "fine-grained|containerised|hybrid|isolated|audited|throttled|delegated|warm"
).split("|")
HEADS = (
    "backup|snapshot|bucket policy|access point|log group|metric filter|queue|topic|subscription|endpoint|"
    "cluster|node group|task definition|layer|key pair|role|permission boundary|trust policy|route|failover|"
    "replica|index|table|stream|shard|consumer group|pipeline|workflow|state machine|event bus|schedule|"
    "dashboard|alarm|certificate|secret|parameter|vault|gateway|load balancer|target group|listener rule|"
    "cache cluster|warehouse|crawler|batch job|notebook|model endpoint|training job|feature group|data share"
).split("|")
DOMAINS = (
    "billing|audit|analytics|payments|customer|inventory|orders|media|telemetry|staging|production|sandbox"
).split("|")
#: Zipf exponent of the compound-topic draw: smaller means a longer tail (more distinct topics).
COMPOUND_ALPHA = 0.25

AREAS = (
    "compute|storage|databases|networking|security|messaging|analytics|machine-learning|devops|"
    "monitoring|migration|billing|architecture|exam-prep"
).split("|")

ADJECTIVES = (
    "fully managed|serverless|regional|global|highly available|durable|low-latency|scalable|pay-per-use|"
    "event-driven|multi-tenant|cost-effective|secure|elastic"
).split("|")

VERBS = (
    "store objects|run code|queue messages|stream records|query data|cache reads|route traffic|encrypt keys|"
    "audit calls|orchestrate workflows|deploy applications|monitor metrics|train models|move data|"
    "authenticate users|send notifications|resolve domain names|scale containers"
).split("|")

FILLER = (
    "This part took me a while to understand.|Worth revisiting before the exam.|"
    "The console makes this easy to try out.|The lab went fine once the permissions were fixed.|"
    "I should draw this as a diagram.|The whitepaper explains it better than the video did.|"
    "Practice questions keep coming back to this.|Not sure the exam goes this deep, but it is useful.|"
    "Pricing details change often, so check the docs.|Mostly a reminder for myself."
).split("|")

# Prose sentences: {s}, {s2}, {s3} are services, {c}, {c2} concepts, {u} a use case, {t} a technology,
# {a} an adjective, {v} a verb phrase, {n} a number.
SENTENCES = (
    "{s} is a {a} service for {u}.",
    "I keep mixing up {s} and {s2}; the difference is mostly about {c}.",
    "{s} integrates with {s2} so you can {v} without managing servers.",
    "You can use {s} for {u}, and it works with {t} out of the box.",
    "The exam likes to ask about {c} and how {s} handles it.",
    "Think of {c} as the way {s} keeps things {a}.",
    "{s} sends events to {s2}, which then triggers {s3}.",
    "Pricing is per request, which makes {s} cheap for {u}.",
    "When traffic spikes, {s} scales automatically, so {c} matters less.",
    "{s} reads from {s2} and writes the results into {s3}.",
    "Compared with {t}, {s} removes most of the operational work.",
    "Remember that {s} is regional, while {s2} is global.",
    "Most teams pair {s} with {s2} for {u}.",
    "A common pattern is {c}: producers do not wait for consumers.",
    "{c} and {c2} are related but not the same thing.",
    "In the lab we used {s} to {v} and it took about {n} minutes.",
    "{s} is part of the same family as {s2}.",
    "Unlike {s2}, {s} is designed for {u}.",
    "It supports {c} and {c2}, which is why people choose it for {u}.",
    "Data lands in {s} first and is moved to {s2} later.",
)

BULLETS = (
    "{s}: {a}, good for {u}",
    "Supports {c}",
    "Used for {u}",
    "Integrates with {s2} and {s3}",
    "Good fit for {u}",
    "{c} is handled by {s}",
    "Default retention is {n} days, maximum {m} days",
    "Pay for what you use ({n} free requests per month)",
    "Works with {t}",
    "Enables {c} without extra code",
    "Scales to {n},000 requests per second",
    "Can {v} across regions",
    "{s} → {s2} for {u}",
    "Not the same as {s2}",
    "See also [[{c}]]",
    "- [ ] review {c} again",
)

DEFINITIONS = (
    "**{x}** — {a} service to {v}",
    "**{x}** — *{a}*  \n{X} lets you {v} for {u}.",
    "{x} = {a} way to {v}",
    "**{x}**: {a} building block for {u}",
    "{x} is a {a} service that helps you {v}.",
)

CONCEPT_DEFINITIONS = (
    "**{c}** — the practice of keeping things {a} when you {v}",
    "{c} = a pattern used for {u}",
    "{c} means that each part can {v} on its own.",
    "**{c}**: how a system stays {a} under load",
)


def compound_term(rng: random.Random) -> str:
    """A compound topic such as "cross-account log group" or "billing nightly snapshot", drawn Zipf-like."""
    pairs = len(MODIFIERS) * len(HEADS)
    rank = min(int(rng.paretovariate(COMPOUND_ALPHA)) - 1, pairs * (len(DOMAINS) + 1) - 1)
    # Rank r -> (domain, modifier, head), interleaved so that nearby ranks share few words.
    head = HEADS[rank % len(HEADS)]
    modifier = MODIFIERS[(rank * 7 + rank // len(HEADS)) % len(MODIFIERS)]
    domain = rank // pairs
    return f"{DOMAINS[domain - 1]} {modifier} {head}" if domain else f"{modifier} {head}"


def popular_ids(catalog: Catalog) -> list[str]:
    """The ids of :data:`_POPULAR` that this catalog has, in that order."""
    return [entry_id for entry_id in _POPULAR if entry_id in catalog]


def spell(rng: random.Random, entry: CatalogEntry) -> str:
    """One way of writing *entry*'s name, drawn the way people vary it in notes."""
    roll = rng.random()
    if roll < 0.35:
        return entry.label
    if roll < 0.50:
        return entry.full_name
    if roll < 0.75:
        return rng.choice(entry.aliases)
    short = min(entry.aliases, key=len)
    if roll < 0.85:
        # Lower case is common in quick notes; common-word names ("Glue") stay as written.
        return short if short in entry.common_word_aliases else short.lower()
    if roll < 0.93 and short != entry.full_name:
        return f"{entry.full_name} ({short})"
    for prefix in ("Amazon ", "AWS "):
        if entry.label.startswith(prefix):
            return entry.label[len(prefix) :]
    return entry.label


class _Note:
    """Drawing helpers for one note: its services, concepts, use cases and technologies."""

    def __init__(self, rng: random.Random, catalog: Catalog, popular: list[str]) -> None:
        self.rng = rng
        ids = list(catalog.entries)
        chosen: list[str] = []
        for _ in range(rng.randint(2, 6)):
            if popular and rng.random() < 0.75:
                # Zipf-like: the first popular ids are drawn far more often than the last.
                chosen.append(popular[min(int(rng.paretovariate(1.1)) - 1, len(popular) - 1)])
            else:
                chosen.append(rng.choice(ids))
        self.services = [catalog.entries[i] for i in dict.fromkeys(chosen)]
        self.concepts = rng.sample(CONCEPTS, rng.randint(2, 5))
        self.concepts += dict.fromkeys(compound_term(rng) for _ in range(rng.randint(2, 5)))
        self.use_cases = rng.sample(USE_CASES, rng.randint(1, 4))
        self.technologies = rng.sample(TECHNOLOGIES, rng.randint(0, 3)) or ["JSON"]

    def service(self) -> str:
        return spell(self.rng, self.rng.choice(self.services))

    def fill(self, template: str, **fixed: str) -> str:
        """*template* with every placeholder drawn from this note's vocabulary (or *fixed*)."""
        rng = self.rng
        # Three different services where the note has them ("A reads from B" reads oddly with A == B).
        picks = rng.sample(self.services, 3) if len(self.services) >= 3 else rng.choices(self.services, k=3)
        s, s2, s3 = (spell(rng, entry) for entry in picks)
        values = {
            "s": s,
            "s2": s2,
            "s3": s3,
            "c": rng.choice(self.concepts),
            "c2": rng.choice(self.concepts),
            "u": rng.choice(self.use_cases),
            "t": rng.choice(self.technologies),
            "a": rng.choice(ADJECTIVES),
            "v": rng.choice(VERBS),
            "n": str(rng.randint(1, 30)),
            "m": str(rng.randint(31, 365)),
            "x": self.service(),
        }
        values.update(fixed)
        values["X"] = values["x"]
        text = template.format(**values)
        # A sentence that opens with a concept or use case starts with a capital; service names stay as spelled.
        return text[0].upper() + text[1:] if template.startswith(("{c", "{u")) else text


def _prose(note: _Note) -> str:
    rng = note.rng
    sentences = [note.fill(rng.choice(SENTENCES)) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.3:
        sentences.append(rng.choice(FILLER))
    return " ".join(sentences)


def _bullets(note: _Note, subject: str | None = None) -> str:
    rng = note.rng
    lines = []
    for _ in range(rng.randint(2, 6)):
        line = note.fill(rng.choice(BULLETS), s=subject) if subject else note.fill(rng.choice(BULLETS))
        lines.append(line if line.startswith("- ") else f"- {line}")
        if rng.random() < 0.2:
            lines.append(f"  - {note.fill(rng.choice(BULLETS))}")
    return "\n".join(lines)


def _service_section(note: _Note, level: int) -> str:
    rng = note.rng
    name = note.service()
    heading = "#" * level + " " + (f"{name} ({rng.choice(note.concepts)})" if rng.random() < 0.2 else name)
    parts = [heading]
    if rng.random() < 0.6:
        parts.append(note.fill(rng.choice(DEFINITIONS), x=name))
    if rng.random() < 0.5:
        parts.append(_prose(note))
    parts.append(_bullets(note, subject=name))
    if rng.random() < 0.35:
        label = rng.choice(("Use cases:", "**Use cases**", "Common use cases:", "Good for:"))
        items = "\n".join(f"- {u}" for u in rng.sample(note.use_cases, min(len(note.use_cases), rng.randint(1, 3))))
        parts.append(f"{label}\n{items}")
    if rng.random() < 0.3:
        label = rng.choice(("Integrates with:", "Supported targets:", "Data sources:", "Common consumers:"))
        parts.append(f"{label}\n" + "\n".join(f"- {note.service()}" for _ in range(rng.randint(1, 3))))
    return "\n\n".join(parts)


def _concept_section(note: _Note, level: int) -> str:
    rng = note.rng
    concept = rng.choice(note.concepts)
    parts = ["#" * level + " " + concept[0].upper() + concept[1:]]
    parts.append(note.fill(rng.choice(CONCEPT_DEFINITIONS), c=concept))
    parts.append(_prose(note) if rng.random() < 0.5 else _bullets(note))
    return "\n\n".join(parts)


def _arrow_section(note: _Note, level: int) -> str:
    rng = note.rng
    arrow = rng.choice((" -> ", " → ", " => ", " ⇒ "))
    chains = []
    for _ in range(rng.randint(1, 3)):
        steps = [note.service() for _ in range(rng.randint(2, 4))]
        if rng.random() < 0.3:
            steps.insert(0, rng.choice(("Producer", "Client", "Users", "On-prem app")))
        chains.append("- " + arrow.join(steps) if rng.random() < 0.6 else arrow.join(steps))
    title = rng.choice(("Pipeline", "Architecture", "Data flow", "How it fits together", "Flow"))
    return "#" * level + f" {title}\n\n" + "\n".join(chains)


def _comparison_section(note: _Note, level: int) -> str:
    rng = note.rng
    a, b = note.service(), note.service()
    lines = [
        "#" * level + f" {a} vs {b}",
        f"- {a} is push-based, whereas {b} is pull-based",
        f"- Use {a} for {rng.choice(note.use_cases)} rather than {b}",
    ]
    if rng.random() < 0.5:
        lines.append(f"\n| | {a} | {b} |\n|---|---|---|\n| Model | push | pull |\n| Ordering | best effort | FIFO |")
    return "\n".join(lines)


def _steps_section(note: _Note, level: int) -> str:
    rng = note.rng
    steps = [f"{i}. {note.fill(rng.choice(BULLETS)).lstrip('- ')}" for i in range(1, rng.randint(3, 6))]
    return "#" * level + " " + rng.choice(("Steps", "Exam tips", "Key points", "Summary")) + "\n\n" + "\n".join(steps)


def _extras_section(note: _Note, level: int) -> str:
    rng = note.rng
    roll = rng.random()
    if roll < 0.35:
        cli = rng.choice(("aws s3 cp ./build s3://my-bucket/ --recursive", "aws sqs receive-message --queue-url $Q"))
        return "#" * level + f" Try it\n\n```bash\n{cli}\n```"
    if roll < 0.7:
        name = note.service()
        return f"See the [{name} docs](https://docs.aws.amazon.com/) and [[{rng.choice(note.concepts)}]]."
    return f"TODO: add notes on {rng.choice(note.concepts)}"


_SECTIONS: tuple[tuple[Callable[[_Note, int], str], float], ...] = (
    (_service_section, 0.40),
    (_concept_section, 0.20),
    (_arrow_section, 0.12),
    (_comparison_section, 0.10),
    (_steps_section, 0.10),
    (_extras_section, 0.08),
)


def generate_note(seed: int, index: int, catalog: Catalog, popular: list[str] | None = None) -> str:
    """The markdown text of note *index* of the corpus with this *seed* (same inputs, same text)."""
    rng = random.Random(f"notes-graph-corpus:{GENERATOR_VERSION}:{seed}:{index}")
    note = _Note(rng, catalog, popular if popular is not None else popular_ids(catalog))
    # Log-normal sizes with mean MEAN_BYTES: most notes are short, a few are long.
    sigma = 0.6
    target = min(MAX_BYTES, max(MIN_BYTES, rng.lognormvariate(math.log(MEAN_BYTES) - sigma**2 / 2, sigma)))
    parts = []
    if rng.random() < 0.15:
        parts.append(f"---\ntags: [aws, {rng.choice(AREAS)}]\ncreated: 2024-{rng.randint(1, 12):02d}-01\n---")
    first = note.service()
    title = rng.choice((f"{first} notes", f"Week {rng.randint(1, 12)}: {rng.choice(AREAS)}", first, "My takeaways"))
    parts.append(f"# {title}")
    if rng.random() < 0.7:
        parts.append(_prose(note))
    functions = [f for f, _ in _SECTIONS]
    weights = [w for _, w in _SECTIONS]
    size = sum(len(p) + 2 for p in parts)
    while size < target:
        section = rng.choices(functions, weights)[0](note, rng.choice((2, 2, 3)))
        parts.append(section)
        size += len(section.encode("utf-8")) + 2
    return "\n\n".join(parts) + "\n"


def note_path(seed: int, index: int) -> str:
    """Relative path of note *index*: a topic folder, then a numbered file name."""
    rng = random.Random(f"notes-graph-path:{seed}:{index}")
    return f"{rng.choice(AREAS)}/{index:05d}-{rng.choice(AREAS)}.md"


def is_generated(out: Path, notes: int, seed: int) -> bool:
    """True when *out* already holds exactly this corpus (same size, seed and generator version)."""
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return marker == {"notes": notes, "seed": seed, "generator": GENERATOR_VERSION}


def generate_corpus(out: str | Path, notes: int, seed: int = 1, catalog: Catalog | None = None) -> list[Path]:
    """Write *notes* notes for *seed* under *out* and return their paths.

    *out* must be empty, absent, or a folder this function wrote earlier (which is
    replaced); any other folder raises ``FileExistsError`` rather than being deleted.
    """
    out = Path(out)
    if out.exists():
        if (out / MARKER).is_file():
            shutil.rmtree(out)
        elif any(out.iterdir()):
            raise FileExistsError(f"{out} is not empty and not a generated corpus; choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    catalog = catalog or load_catalog()
    popular = popular_ids(catalog)
    paths = []
    for index in range(notes):
        path = out / note_path(seed, index)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(generate_note(seed, index, catalog, popular), encoding="utf-8")
        paths.append(path)
    # Written last: a folder without it is an interrupted run and gets regenerated.
    (out / MARKER).write_text(json.dumps({"notes": notes, "seed": seed, "generator": GENERATOR_VERSION}))
    return paths


def ensure_corpus(out: str | Path, notes: int, seed: int = 1) -> Path:
    """*out* holding the corpus for (*notes*, *seed*), generated only when it is not already there."""
    out = Path(out)
    if not is_generated(out, notes, seed):
        generate_corpus(out, notes, seed)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a seeded synthetic corpus of markdown study notes.")
    parser.add_argument("--notes", type=int, required=True, help="how many notes to write")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same notes)")
    parser.add_argument("--out", required=True, help="folder to write (replaced if it is a generated corpus)")
    args = parser.parse_args(argv)
    if args.notes < 1:
        parser.error("--notes must be at least 1")
    try:
        paths = generate_corpus(args.out, args.notes, args.seed)
    except FileExistsError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} notes ({size / 1e6:.2f} MB) to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
