"""The part of Adaptive Cards 1.5 the Teams edge uses, as a JSON schema, written from the
published 1.5 element reference: each element's known properties only (a misspelled or
newer property fails), enumerations compared without case as hosts do, `version` required
on a top-level card and not on one inside Action.ShowCard. Teams' own `msteams` extension
(full width, mention entities) is allowed on the top-level card.

    problems(card)   # -> [] for a card Teams can render
"""

from __future__ import annotations

from typing import Any

import jsonschema


def _one_of(*words: str) -> dict[str, Any]:
    return {"type": "string", "pattern": "(?i)^(" + "|".join(words) + ")$"}


SPACING = _one_of("none", "small", "default", "medium", "large", "extraLarge", "padding")
ELEMENT = {  # what every element may carry
    "id": {"type": "string"},
    "spacing": SPACING,
    "separator": {"type": "boolean"},
    "isVisible": {"type": "boolean"},
    "height": _one_of("auto", "stretch"),
}
INPUT = ELEMENT | {
    "label": {"type": "string"},
    "isRequired": {"type": "boolean"},
    "errorMessage": {"type": "string"},
}
ACTION = {
    "title": {"type": "string"},
    "id": {"type": "string"},
    "style": _one_of("default", "positive", "destructive"),
    "tooltip": {"type": "string"},
    "isEnabled": {"type": "boolean"},
    "iconUrl": {"type": "string"},
}


def _kind(name: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"type": {"const": name}} | properties,
        "required": ["type", *required],
        "additionalProperties": False,
    }


def _card(top: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "version": {"const": "1.5"} if top else {"type": "string"},
        "$schema": {"type": "string"},
        "body": {"type": "array", "items": {"$ref": "#/definitions/element"}},
        "actions": {"type": "array", "items": {"$ref": "#/definitions/action"}},
        "fallbackText": {"type": "string"},
        "speak": {"type": "string"},
        "lang": {"type": "string"},
        "minHeight": {"type": "string"},
        "rtl": {"type": "boolean"},
    }
    if top:
        properties["msteams"] = {
            "type": "object",
            "properties": {
                "width": _one_of("full"),
                "entities": {"type": "array", "items": {"$ref": "#/definitions/mention"}},
            },
            "additionalProperties": False,
        }
    return _kind("AdaptiveCard", properties, ("version",) if top else ())


SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "$ref": "#/definitions/card",
    "definitions": {
        "card": _card(top=True),
        "inner": _card(top=False),
        "element": {
            "oneOf": [
                {"$ref": f"#/definitions/{name}"}
                for name in ("text", "set", "input_text", "choices", "date", "time", "toggle")
            ]
        },
        "action": {"oneOf": [{"$ref": "#/definitions/submit"}, {"$ref": "#/definitions/show"}]},
        "text": _kind(
            "TextBlock",
            ELEMENT
            | {
                "text": {"type": "string"},
                "wrap": {"type": "boolean"},
                "weight": _one_of("default", "lighter", "bolder"),
                "size": _one_of("default", "small", "medium", "large", "extraLarge"),
                "color": _one_of(
                    "default", "dark", "light", "accent", "good", "warning", "attention"
                ),
                "isSubtle": {"type": "boolean"},
                "maxLines": {"type": "integer", "minimum": 0},
                "horizontalAlignment": _one_of("left", "center", "right"),
                "fontType": _one_of("default", "monospace"),
                "style": _one_of("default", "heading"),
            },
            ("text",),
        ),
        "set": _kind(
            "ActionSet",
            ELEMENT | {"actions": {"type": "array", "items": {"$ref": "#/definitions/action"}}},
            ("actions",),
        ),
        "input_text": _kind(
            "Input.Text",
            INPUT
            | {
                "value": {"type": "string"},
                "placeholder": {"type": "string"},
                "isMultiline": {"type": "boolean"},
                "maxLength": {"type": "integer", "minimum": 1},
                "regex": {"type": "string"},
                "style": _one_of("text", "tel", "url", "email", "password"),
            },
            ("id",),
        ),
        "choices": _kind(
            "Input.ChoiceSet",
            INPUT
            | {
                "choices": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"title": {"type": "string"}, "value": {"type": "string"}},
                        "required": ["title", "value"],
                        "additionalProperties": False,
                    },
                },
                "isMultiSelect": {"type": "boolean"},
                "style": _one_of("compact", "expanded", "filtered"),
                "value": {"type": "string"},
                "placeholder": {"type": "string"},
                "wrap": {"type": "boolean"},
            },
            ("id",),
        ),
        "date": _kind(
            "Input.Date",
            INPUT | {k: {"type": "string"} for k in ("value", "min", "max", "placeholder")},
            ("id",),
        ),
        "time": _kind(
            "Input.Time",
            INPUT | {k: {"type": "string"} for k in ("value", "min", "max", "placeholder")},
            ("id",),
        ),
        "toggle": _kind(
            "Input.Toggle",
            INPUT | {k: {"type": "string"} for k in ("title", "value", "valueOn", "valueOff")},
            ("id", "title"),
        ),
        "submit": _kind("Action.Submit", ACTION | {"data": {"type": ["object", "string"]}}),
        "show": _kind("Action.ShowCard", ACTION | {"card": {"$ref": "#/definitions/inner"}}),
        "mention": {
            "type": "object",
            "properties": {
                "type": {"const": "mention"},
                "text": {"type": "string", "pattern": "^<at>.+</at>$"},
                "mentioned": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}},
                    "required": ["id", "name"],
                },
            },
            "required": ["type", "text", "mentioned"],
        },
    },
}
VALIDATOR = jsonschema.Draft7Validator(SCHEMA)


def problems(card: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(card)]
