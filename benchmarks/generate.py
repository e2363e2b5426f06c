"""Realistic journey maps of any size, deterministic from a seed.

    python benchmarks/generate.py --count 100 --out /tmp/maps            # 100 maps, 5 stages x 2-4 steps
    python benchmarks/generate.py --count 1 --stages 12 --steps 6 --out .  # one big map

Maps look like the ones designers write: a persona or several, 4-8 stages,
short actions, thoughts in the customer's words, touchpoints on a few channels,
pains where the emotion dips, opportunities with impact and effort, backstage
processes and stage metrics. Text lengths follow real maps (actions 2-7 words,
thoughts 5-16 words).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import yaml

DOMAINS = {
    "software subscription": ["Discover", "Evaluate", "Sign up", "Onboard", "Adopt", "Renew", "Get help", "Expand"],
    "online grocery order": ["Plan", "Browse", "Order", "Pay", "Wait", "Receive", "Return", "Reorder"],
    "clinic visit": ["Notice symptoms", "Book", "Prepare", "Check in", "Consult", "Follow up", "Pay the bill"],
    "home insurance claim": ["Incident", "Report", "Assess", "Decide", "Repair", "Settle", "Reflect"],
    "train journey": ["Plan", "Buy ticket", "Go to station", "Board", "Travel", "Arrive", "Claim delay refund"],
}
NAMES = ["Maya", "Sam", "Priya", "Jonas", "Aiko", "Lucía", "Tom", "Amara", "Wei", "Noor", "Élodie", "Kwame"]
ROLES = [
    "operations lead",
    "first-time buyer",
    "busy parent",
    "retired teacher",
    "nurse on shifts",
    "student",
    "small-business owner",
    "frequent traveller",
]
VERBS = [
    "Searches for",
    "Compares",
    "Reads about",
    "Asks a friend about",
    "Opens",
    "Fills in",
    "Waits for",
    "Calls about",
    "Uploads",
    "Checks",
    "Confirms",
    "Cancels",
    "Pays for",
    "Downloads",
    "Chats about",
    "Reviews",
    "Books",
    "Tracks",
    "Shares",
    "Complains about",
]
OBJECTS = [
    "the pricing page",
    "options",
    "a confirmation email",
    "the mobile app",
    "the delivery slot",
    "the account settings",
    "a support ticket",
    "the invoice",
    "reviews",
    "the onboarding checklist",
    "the appointment",
    "the refund form",
    "a demo",
    "the contract",
    "the status page",
    "their data",
]
THOUGHTS = [
    "Will this actually work for people like me?",
    "Why do I have to enter this twice?",
    "I hope somebody calls me back today.",
    "That was easier than I expected, honestly.",
    "Where is the button to change my plan?",
    "Is there a catch in the small print somewhere?",
    "I just want to see it working with our own data.",
    "Nobody told me it would take this long.",
    "Great, now I can finally get on with my day.",
    "Should I ask someone before I commit to this?",
    "This is the third time I explain the same problem.",
    "I like that they remembered my preferences.",
]
PAINS = [
    "Has to wait three days for a call back",
    "Form loses everything after a timeout",
    "Prices only shown after giving an email address",
    "Confirmation email lands in spam",
    "Two departments give contradictory answers",
    "No way to change the slot without calling",
    "Error message does not say what went wrong",
    "Hold music for twenty minutes before a human answers",
    "Has to print, sign and scan a paper form",
    "Tracking page shows no update for two days",
]
IDEAS = [
    "Show prices on the website",
    "Save form progress automatically",
    "Offer a self-serve trial with sample data",
    "Send a text when the status changes",
    "One case owner from first contact to resolution",
    "Let customers reschedule online",
    "Explain errors in plain language with the next step",
    "Proactive apology and credit after a delay",
    "Pre-fill what we already know",
]
BACKSTAGE = [
    "Lead routed to sales in CRM",
    "Fraud check runs overnight",
    "Warehouse picks and packs",
    "Claim queued for an assessor",
    "Billing system issues invoice",
    "Nurse triages the request",
    "Support agent reads the case history",
    "Courier assigned by the dispatch tool",
]
CHANNELS = ["web", "app", "email", "phone", "chat", "sms", "store", "in-person", "social"]
OWNERS = ["Marketing", "Sales", "Product", "Support", "Operations", "Billing", "Logistics", "Clinical team"]
FEELINGS = {
    -2: ["furious", "lost", "anxious"],
    -1: ["annoyed", "unsure", "impatient"],
    0: ["neutral", "curious"],
    1: ["relieved", "pleased", "hopeful"],
    2: ["delighted", "confident"],
}


def _persona(rng: random.Random, pid: str | None) -> dict[str, Any]:
    name = rng.choice(NAMES)
    persona: dict[str, Any] = {"name": f"{name}, {rng.choice(ROLES)}"}
    if pid:
        persona = {"id": pid, **persona}
    persona["goals"] = rng.sample(
        [
            "Get it done in one sitting",
            "Avoid surprises on the bill",
            "Keep the team in the loop",
            "Feel in control",
            "Spend less time on admin",
        ],
        2,
    )
    persona["frustrations"] = rng.sample(PAINS, 1)
    persona["quote"] = rng.choice(THOUGHTS)
    return persona


def _emotion(rng: random.Random, previous: float) -> int:
    return max(-2, min(2, round(previous + rng.choice([-2, -1, -1, 0, 1, 1, 2]) * 0.8)))


def _step(rng: random.Random, persona_ids: list[str], mood: dict[str, float]) -> dict[str, Any]:
    step: dict[str, Any] = {"action": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}"}
    if rng.random() < 0.8:
        step["thought"] = rng.choice(THOUGHTS)
    scores = {pid: _emotion(rng, mood[pid]) for pid in persona_ids}
    mood.update(scores)
    step["emotion"] = scores if len(persona_ids) > 1 else scores[persona_ids[0]]
    first = next(iter(scores.values()))
    step["feeling"] = rng.choice(FEELINGS[first])
    step["touchpoints"] = [
        {"channel": c, "name": rng.choice(OBJECTS).removeprefix("the ").capitalize(), "owner": rng.choice(OWNERS)}
        if rng.random() < 0.5
        else c
        for c in rng.sample(CHANNELS, rng.choice([1, 1, 2]))
    ]
    if first < 0 or rng.random() < 0.2:
        step["pains"] = rng.sample(PAINS, rng.choice([1, 1, 2]))
    if first < 0 and rng.random() < 0.8:
        step["opportunities"] = [
            {
                "idea": rng.choice(IDEAS),
                "impact": rng.choice(["low", "medium", "high"]),
                "effort": rng.choice(["low", "medium", "high"]),
                "owner": rng.choice(OWNERS),
            }
        ]
    if rng.random() < 0.5:
        step["backstage"] = [rng.choice(BACKSTAGE)]
    if rng.random() < 0.1:
        step["moment_of_truth"] = True
    if rng.random() < 0.3:
        step["evidence"] = f"{rng.randint(3, 14)} of 15 interviews"
    return step


def generate_map(
    seed: int, stages: int = 5, steps: tuple[int, int] = (2, 4), personas: int | None = None
) -> dict[str, Any]:
    """One journey map document (plain data, schema-valid) from `seed`."""
    rng = random.Random(seed)
    domain = rng.choice(sorted(DOMAINS))
    count = personas if personas is not None else rng.choice([1, 1, 1, 2, 3])
    ids = [f"p{i + 1}" for i in range(count)]
    doc: dict[str, Any] = {"journeymap": 1, "title": f"{domain.capitalize()} #{seed}"}
    if count == 1:
        doc["persona"] = _persona(rng, None)
    else:
        doc["personas"] = [_persona(rng, pid) for pid in ids]
    doc["scenario"] = f"A customer goes through a {domain} from first need to the end. " + rng.choice(THOUGHTS)
    names = DOMAINS[domain]
    mood = {pid: 0.0 for pid in (ids if count > 1 else ["single"])}
    doc["stages"] = []
    for i in range(stages):
        name = names[i % len(names)] + (f" {i // len(names) + 1}" if i >= len(names) else "")
        stage: dict[str, Any] = {"name": name}
        if rng.random() < 0.4:
            stage["metrics"] = {"csat": f"{rng.randint(55, 95)}%", "drop-off": f"{rng.randint(2, 30)}%"}
        stage["steps"] = [_step(rng, list(mood), mood) for _ in range(rng.randint(*steps))]
        doc["stages"].append(stage)
    return doc


def write_maps(out: Path, count: int, seed: int = 0, **options: Any) -> list[Path]:
    """Write `count` maps into `out` (two subfolders, like a real repository); returns their paths."""
    paths = []
    for i in range(count):
        path = out / ("team-a" if i % 2 == 0 else "team-b") / f"map-{i:03d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            yaml.safe_dump(generate_map(seed + i, **options), sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the maps into")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stages", type=int, default=5)
    parser.add_argument("--steps", type=int, nargs=2, default=(2, 4), metavar=("MIN", "MAX"), help="steps per stage")
    args = parser.parse_args()
    paths = write_maps(args.out, args.count, args.seed, stages=args.stages, steps=tuple(args.steps))
    print(f"wrote {len(paths)} maps into {args.out}")


if __name__ == "__main__":
    main()
