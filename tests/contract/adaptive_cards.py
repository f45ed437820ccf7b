"""Cards checked against Microsoft's own Adaptive Cards 1.5 schema (MIT, from
adaptivecards.io), kept unchanged in the shared schemas folder beside the checkout
(handlers' cards are for Teams, so Teams' one documented extension, `msteams` on the
top-level card, is checked on its own: full width and mention entities).

    problems(card)   # -> [] for a card Teams can render
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import best_match

ROOT = Path(__file__).resolve().parents[2]


def shared_schemas() -> Path:
    """`shared/schemas` beside the checkout (CI), or beside a folder of checkouts."""
    for place in ROOT.parents:
        found = place / "shared" / "schemas"
        if found.is_dir():
            return found
    raise FileNotFoundError(f"no shared/schemas beside {ROOT} or above it")


OFFICIAL = json.loads((shared_schemas() / "adaptive-card.schema.1.5.0.json").read_text())
VALIDATOR = jsonschema.Draft6Validator(OFFICIAL)
MSTEAMS = {  # https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/
    "type": "object",
    "properties": {
        "width": {"enum": ["Full", "full"]},
        "entities": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"const": "mention"},
                    "text": {"type": "string", "pattern": "^<at>.+</at>$"},
                    "mentioned": {
                        "type": "object",
                        "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                        "required": ["id", "name"],
                        "additionalProperties": False,
                    },
                },
                "required": ["type", "text", "mentioned"],
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}
EXTENSION = jsonschema.Draft6Validator(MSTEAMS)


TEAMS_RENDERS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5")  # every Teams client, today


def _errors(validator: jsonschema.Draft6Validator, value: Any, at: list[Any]) -> list[str]:
    """Each error, as deep as the schema's anyOf lets it be told (the element that failed)."""
    deepest = (best_match([e]) for e in validator.iter_errors(value))
    return [f"{at + list(e.absolute_path)}: {e.message}" for e in deepest if e is not None]


def problems(card: Any) -> list[str]:
    if not isinstance(card, dict):
        return ["[]: a card is an object"]
    core = {k: v for k, v in card.items() if k != "msteams"}
    found = _errors(VALIDATOR, core, [])
    if card.get("version") not in TEAMS_RENDERS:
        found.append(
            f"['version']: Teams renders Adaptive Cards up to 1.5, not {card.get('version')}"
        )
    if "msteams" in card:
        found += _errors(EXTENSION, card["msteams"], ["msteams"])
    return found
