"""The call handler's page: ``GET /`` and its static assets under ``/static``.

The page is plain HTML, CSS and JavaScript with no build step. The page itself carries no
secret and needs no key (the handler signs in on the page; every API call it makes sends the
key as a Bearer token). The allowed values of every structured fact are not copied into the
JavaScript: they are read from ``triage.schema`` and embedded in the HTML when it is first
served, so a new enum value appears on the page without touching the page's code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from triage.schema import (
    DISPOSITIONS,
    NARRATIVE_MAX_CHARS,
    Disposition,
    TriageRequest,
    enum_fields,
)

router = APIRouter(tags=["page"])

#: Static files the page may load, with their media types. Anything else under /static is 404,
#: so a crafted path can never read another file of the package.
STATIC_MEDIA_TYPES: dict[str, str] = {
    "app.js": "text/javascript; charset=utf-8",
    "app.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
}

#: Headers on the page: it loads only its own files, is never framed, and leaks no referrer.
PAGE_HEADERS: dict[str, str] = {
    "Cache-Control": "no-cache",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

#: Marker in index.html replaced by the form schema (JSON) when the page is first served.
FORM_SCHEMA_MARKER = "/*FORM_SCHEMA*/{}"

#: Words that read better in capitals or spelt out than a value's title case.
_LABEL_WORDS: dict[str, str] = {"s136": "Section 136"}


#: How the page shows each disposition: what it means in a handler's words, and its tone (which
#: sets colour and icon; the words are always shown too, never colour alone).
DISPOSITION_DISPLAY: dict[Disposition, tuple[str, str]] = {
    Disposition.HEAR_AND_TREAT: (
        "A clinician speaks to the patient by phone: no ambulance.",
        "phone",
    ),
    Disposition.CLINICAL_ADVICE: (
        "The clinical desk advises the officer on scene: no ambulance.",
        "advice",
    ),
    Disposition.DEPLOY: ("An ambulance or paramedic attends.", "urgent"),
}


class FieldChoice(BaseModel):
    """One allowed value of a structured fact and the words the page shows for it."""

    value: str
    label: str


class DispositionChoice(FieldChoice):
    description: str
    tone: str


class FormField(BaseModel):
    name: str
    label: str
    kind: str  # "enum", "bool" or "int"
    choices: list[FieldChoice]
    minimum: int | None = None
    maximum: int | None = None


class FormSchema(BaseModel):
    """What the page needs to build its controls, derived from ``TriageRequest``."""

    dispositions: list[DispositionChoice]
    fields: list[FormField]
    narrative_max_chars: int


def value_label(value: str) -> str:
    """``road_traffic_collision`` -> ``Road traffic collision``; ``s136_detention`` ->
    ``Section 136 detention``."""
    words = [_LABEL_WORDS.get(w, w) for w in value.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _int_bounds(name: str) -> tuple[int | None, int | None]:
    schema: dict[str, Any] = TriageRequest.model_json_schema()["properties"][name]
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "integer":
            return option.get("minimum"), option.get("maximum")
    return None, None


def build_form_schema() -> FormSchema:
    """The optional facts of a request, in the contract's order, with their allowed values."""
    enums = enum_fields(TriageRequest)
    fields: list[FormField] = []
    for name, info in TriageRequest.model_fields.items():
        if name == "narrative" or name in {"request_id", "received_at"}:
            continue
        label = value_label(name)
        if name in enums:
            choices = [FieldChoice(value=m.value, label=value_label(m.value)) for m in enums[name]]
            fields.append(FormField(name=name, label=label, kind="enum", choices=choices))
        elif info.annotation in (bool, bool | None):
            yes_no = [
                FieldChoice(value="true", label="Yes"),
                FieldChoice(value="false", label="No"),
            ]
            fields.append(FormField(name=name, label=label, kind="bool", choices=yes_no))
        else:
            low, high = _int_bounds(name)
            fields.append(
                FormField(name=name, label=label, kind="int", choices=[], minimum=low, maximum=high)
            )
    dispositions = [
        DispositionChoice(
            value=d.value,
            label=value_label(d.value),
            description=DISPOSITION_DISPLAY[d][0],
            tone=DISPOSITION_DISPLAY[d][1],
        )
        for d in DISPOSITIONS
    ]
    return FormSchema(
        dispositions=dispositions, fields=fields, narrative_max_chars=NARRATIVE_MAX_CHARS
    )


def _read_static(name: str) -> str:
    return resources.files("service").joinpath("static", name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def page_html() -> str:
    """index.html with the form schema embedded (built once, at first use)."""
    schema_json = json.dumps(build_form_schema().model_dump(), separators=(",", ":"))
    # "</" cannot appear inside the JSON as served, so it cannot close the script element.
    schema_json = schema_json.replace("</", "<\\/")
    return _read_static("index.html").replace(FORM_SCHEMA_MARKER, schema_json, 1)


@lru_cache(maxsize=len(STATIC_MEDIA_TYPES))
def static_asset(name: str) -> bytes:
    return resources.files("service").joinpath("static", name).read_bytes()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def handler_page() -> HTMLResponse:
    """The call handler's page. Public: it holds no data; the API calls it makes need a key."""
    return HTMLResponse(page_html(), headers=PAGE_HEADERS)


@router.get("/static/{name}", response_class=Response, include_in_schema=False)
def page_asset(name: str) -> Response:
    """One of the page's own assets (a fixed list: nothing else of the package is readable)."""
    media_type = STATIC_MEDIA_TYPES.get(name)
    if media_type is None:
        raise HTTPException(status_code=404, detail=f"No static file named {name!r}.")
    headers = {"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"}
    return Response(static_asset(name), media_type=media_type, headers=headers)
