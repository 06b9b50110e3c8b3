"""The call handler's page, driven in a real browser (Debian's chromium through Playwright)
against the real app served by uvicorn, plus the page route itself and ``triage demo``.

All data here is synthetic: the model comes from the ``trained_models_dir`` fixture (trained on
synthetic history) and the narratives are made up.

Screenshots go to tests/artifacts/ (ignored by git); with ``TRIAGE_SAVE_SCREENSHOTS=1`` the
published ones (docs/screenshots/handler-page.png, the README's picture) are written there too.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import playwright.sync_api as playwright_sync
import pytest
import uvicorn

from service import keys
from service.app import create_app
from service.routers.page import build_form_schema, value_label
from service.store import AuditStore
from triage.registry import current_version, read_manifest
from triage.schema import DISPOSITIONS, IncidentType, TriageRequest, enum_fields
from triage.settings import Settings

expect = playwright_sync.expect

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
PUBLISHED = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
FOCUS_YELLOW = "rgb(255, 235, 59)"

# Synthetic narratives (made up for these tests).
CALM_NARRATIVE = (
    "Man 30s with a learning disability separated from his carers at the train station, calm, "
    "no injuries, walking and talking, carers on their way"
)
RED_FLAG_NARRATIVE = (
    "Woman 60s collapsed in the street outside the pub, unconscious and not breathing, "
    "member of the public doing CPR, officers arriving now"
)

# ---------------------------------------------------------------- a real server in a thread


@dataclass
class LiveServer:
    url: str
    settings: Settings
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
        assert not self.thread.is_alive(), "the test server did not stop"


def start_server(settings: Settings) -> LiveServer:
    """Serve ``create_app(settings)`` with uvicorn on a free port (bound here, so no race)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_config=None, log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.started:
            try:
                if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                    return LiveServer(url, settings, server, thread)
            except httpx.HTTPError:
                pass
        if not thread.is_alive():
            break
        time.sleep(0.05)
    server.should_exit = True
    raise RuntimeError(f"the test server on {url} did not start")


def make_settings(tmp: Path, models_dir: Path) -> Settings:
    return Settings(
        models_dir=models_dir,
        keys_file=tmp / "keys.json",
        db_url=f"sqlite:///{tmp / 'audit.db'}",
        log_level="warning",
    )


@dataclass
class Service:
    live: LiveServer
    handler_key: str
    analyst_key: str
    model_version: str

    @property
    def url(self) -> str:
        return self.live.url + "/"


@pytest.fixture(scope="module")
def service(
    trained_models_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Service]:
    tmp = tmp_path_factory.mktemp("page-service")
    settings = make_settings(tmp, trained_models_dir)
    handler = keys.add_key(settings.keys_file, "page-handler", keys.Role.HANDLER)
    analyst = keys.add_key(settings.keys_file, "page-analyst", keys.Role.ANALYST)
    version = current_version(trained_models_dir)
    assert version is not None, "trained_models_dir has no promoted model"
    live = start_server(settings)
    try:
        assert httpx.get(live.url + "/readyz", timeout=10).status_code == 200
        yield Service(live, handler, analyst, version)
    finally:
        live.stop()


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps.sh)")
    with playwright_sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Tab:
    """A page plus the JavaScript errors and request URLs it produced."""

    page: Any
    errors: list[str]
    urls: list[str]
    auth_headers: list[str]


@contextmanager
def open_tab(browser: Any, **context_args: Any) -> Iterator[Tab]:
    context = browser.new_context(**({"viewport": {"width": 1366, "height": 900}} | context_args))
    page = context.new_page()
    page.set_default_timeout(20_000)
    tab = Tab(page, [], [], [])
    page.on("pageerror", lambda exc: tab.errors.append(str(exc)))
    page.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)

    def on_request(req: Any) -> None:
        tab.urls.append(req.url)
        auth = req.headers.get("authorization")
        if auth:
            tab.auth_headers.append(auth)

    page.on("request", on_request)
    try:
        yield tab
    finally:
        context.close()


@pytest.fixture
def tab(browser: Any) -> Iterator[Tab]:
    with open_tab(browser) as t:
        yield t


def no_js_errors(tab: Tab, allowed: str | None = None) -> None:
    """The page raised no script error (failed fetches the test caused on purpose excepted)."""
    errors = [e for e in tab.errors if not (allowed and re.search(allowed, e))]
    assert errors == [], f"JavaScript errors on the page: {errors}"


def screenshot(page: Any, name: str, *, publish: bool = False) -> Path:
    """Save a screenshot to tests/artifacts/ and, when asked and TRIAGE_SAVE_SCREENSHOTS=1, to
    docs/screenshots/ (the published copy the README shows)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if publish and os.environ.get("TRIAGE_SAVE_SCREENSHOTS") == "1":
        PUBLISHED.mkdir(parents=True, exist_ok=True)
        (PUBLISHED / f"{name}.png").write_bytes(path.read_bytes())
    return path


def load(page: Any, url: str) -> None:
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-ready", "true")


def sign_in(page: Any, url: str, key: str) -> None:
    load(page, url)
    page.get_by_label("Handler key").fill(key)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#workspace")).to_be_visible()


def ask(page: Any, narrative: str) -> dict[str, Any]:
    """Type a narrative, ask, and return the API's answer as the page stored it."""
    before = len(history(page))
    page.get_by_label("Narrative").fill(narrative)
    page.get_by_role("button", name=re.compile("Get suggestion")).click()
    expect(page.locator("#history-rows tr")).to_have_count(before + 1)
    expect(page.locator("#answer-body")).to_be_visible()
    return history(page)[0]["result"]


def history(page: Any) -> list[dict[str, Any]]:
    raw = page.evaluate("() => window.sessionStorage.getItem('triage.history')")
    return json.loads(raw) if raw else []


def label(value: str) -> str:
    return value_label(value)


def other_disposition(value: str) -> str:
    return next(d.value for d in DISPOSITIONS if d.value != value)


# ---------------------------------------------------------------- the route (no browser)


def test_form_schema_comes_from_the_request_contract() -> None:
    schema = build_form_schema()
    assert [d.value for d in schema.dispositions] == [d.value for d in DISPOSITIONS]
    expected = [f for f in TriageRequest.model_fields if f not in {"narrative", "request_id",
                                                                      "received_at"}]
    assert [f.name for f in schema.fields] == expected
    enums = enum_fields(TriageRequest)
    for field in schema.fields:
        if field.name in enums:
            assert [c.value for c in field.choices] == [m.value for m in enums[field.name]]
    age = next(f for f in schema.fields if f.name == "age")
    assert (age.kind, age.minimum, age.maximum) == ("int", 0, 120)
    officer = next(f for f in schema.fields if f.name == "officer_on_scene")
    assert officer.kind == "bool"
    assert value_label("s136_detention") == "Section 136 detention"
    assert value_label("road_traffic_collision") == "Road traffic collision"


@pytest.fixture(scope="module")
def bare_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The app with an empty registry: the page must not need a model or a key."""
    tmp = tmp_path_factory.mktemp("page-bare")
    live = start_server(make_settings(tmp, tmp / "models"))
    try:
        with httpx.Client(base_url=live.url, timeout=10) as client:
            yield client
    finally:
        live.stop()


def test_page_is_served_with_the_schema_embedded_and_strict_headers(
    bare_client: httpx.Client,
) -> None:
    resp = bare_client.get("/")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith("text/html")
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "form-action 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert resp.headers["referrer-policy"] == "no-referrer"
    match = re.search(r'<script type="application/json" id="form-schema">(.*?)</script>',
                      resp.text, re.S)
    assert match, "the form schema is not embedded in the page"
    embedded = json.loads(match.group(1))
    assert embedded == build_form_schema().model_dump()


@pytest.mark.parametrize(
    ("name", "media_type"),
    [("app.js", "text/javascript"), ("app.css", "text/css"), ("favicon.svg", "image/svg+xml")],
)
def test_static_assets_are_served(bare_client: httpx.Client, name: str, media_type: str) -> None:
    resp = bare_client.get(f"/static/{name}")
    assert resp.status_code == 200
    assert resp.headers["content-type"].startswith(media_type)
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert len(resp.content) > 100


@pytest.mark.parametrize(
    "name", ["index.html", "..%2Fapp.py", "missing.js", "%2e%2e%2f%2e%2e%2fpyproject.toml"]
)
def test_only_the_pages_own_assets_are_readable(bare_client: httpx.Client, name: str) -> None:
    resp = bare_client.get(f"/static/{name}")
    assert resp.status_code == 404


def test_page_script_keeps_no_copy_of_the_enums() -> None:
    """Every allowed value reaches the page through the embedded schema, never the script."""
    script = (ROOT / "service" / "static" / "app.js").read_text(encoding="utf-8")
    for value in [m.value for e in enum_fields(TriageRequest).values() for m in e]:
        if len(value) > 5:  # short words (male, none, road...) also occur in plain prose
            assert f'"{value}"' not in script and f"'{value}'" not in script, value
    for d in DISPOSITIONS:
        assert f'"{d.value}"' not in script and f"'{d.value}'" not in script


# ---------------------------------------------------------------- the page in a browser


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_sign_in_and_get_a_suggestion(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    expect(page.locator("#model-line")).to_contain_text(service.model_version)
    # The model was trained on synthetic history, and the page says so.
    expect(page.locator("#synthetic-notice")).to_be_visible()
    expect(page.locator("#synthetic-notice")).to_contain_text("synthetic")

    result = ask(page, CALM_NARRATIVE)
    assert result["suggestion"] in {d.value for d in DISPOSITIONS}
    expect(page.locator("#suggestion-value")).to_have_text(label(result["suggestion"]))
    # Colour AND words: a tone class for colour, the disposition and what it means in words.
    tone = {d.value: d.tone for d in build_form_schema().dispositions}[result["suggestion"]]
    expect(page.locator("#suggestion")).to_have_class(re.compile(f"tone-{tone}"))
    expect(page.locator("#suggestion-desc")).not_to_be_empty()
    expect(page.locator("#advisory")).to_contain_text("the clinician decides")

    # Three bars, each with its number, matching the API's probabilities.
    bars = page.locator("#probabilities .bar")
    expect(bars).to_have_count(3)
    for d in DISPOSITIONS:
        p = result["probabilities"][d.value]
        value = page.locator(f'.bar[data-disposition="{d.value}"] .bar__value').inner_text()
        if 0.005 <= p <= 0.995:
            assert value == f"{round(p * 100)}%"
        else:
            assert value in {"<1%", ">99%", "0%", "100%"}
        expect(page.locator(f'.bar[data-disposition="{d.value}"] .bar__label')).to_have_text(
            label(d.value))
    reasons = page.locator("#reasons li")
    if result["reasons"]:
        expect(reasons).to_have_text(result["reasons"])
    else:
        expect(reasons).to_have_text(["The service gave no reasons."])
    expect(page.locator("#answer-meta")).to_contain_text(result["model_version"])
    expect(page.locator("#red-flags")).to_be_hidden()

    # The key went only in the Authorization header: never in a URL, never in localStorage.
    assert tab.auth_headers and set(tab.auth_headers) == {f"Bearer {service.handler_key}"}
    assert not any(service.handler_key in u for u in tab.urls)
    assert page.evaluate("() => window.localStorage.length") == 0
    assert service.handler_key not in page.url
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_a_red_flag_is_shown_first_with_its_reason(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    result = ask(page, RED_FLAG_NARRATIVE)
    assert result["red_flags"], f"the rules found no red flag in {RED_FLAG_NARRATIVE!r}"
    assert result["suggestion"] == "deploy"
    expect(page.locator("#suggestion-value")).to_have_text(label("deploy"))
    # Screen readers hear the answer and its red flags (focus moves to the answer's heading).
    expect(page.locator("#announce")).to_have_text(
        re.compile(rf"^Suggestion: {label('deploy')}\. {len(result['red_flags'])} red flags?\.$"))
    expect(page.locator("#answer-title")).to_be_focused()
    flags = page.locator("#red-flags")
    expect(flags).to_be_visible()
    expect(page.locator("#red-flags-list li")).to_have_count(len(result["red_flags"]))
    for i, flag in enumerate(result["red_flags"]):
        item = page.locator("#red-flags-list li").nth(i)
        expect(item).to_contain_text(flag["reason"])
        expect(item).to_contain_text(flag["evidence"])
    # The reasons list does not repeat what the red flags already say.
    flag_reasons = {f["reason"] for f in result["red_flags"]}
    others = [r for r in result["reasons"] if r not in flag_reasons]
    expect(page.locator("#reasons li")).to_have_text(others or ["The red flags above."])
    # Red flags come straight after the suggestion itself, before probabilities and reasons.
    order = page.evaluate(
        """() => {
          const ids = ['suggestion', 'red-flags', 'advisory', 'probabilities', 'reasons'];
          const all = Array.from(document.querySelectorAll('#answer-body *'));
          return ids.map(id => all.indexOf(document.getElementById(id)));
        }"""
    )
    assert order == sorted(order), order
    overridden = page.locator("#overridden")
    if result["overridden"]:
        expect(overridden).to_be_visible()
        expect(overridden).to_contain_text("overrode the model")
        expect(overridden).to_contain_text(label(result["model_suggestion"]))
    else:
        expect(overridden).to_be_hidden()
    # The history marks the red flag too.
    expect(page.locator("#history-rows tr").first).to_contain_text("red flag")
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_record_an_override_with_a_note_and_see_it_in_the_history(
    service: Service, tab: Tab
) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    result = ask(page, CALM_NARRATIVE)
    final = other_disposition(result["suggestion"])

    page.locator(f'label[for="final-{final}"]').click()
    record = page.locator("#record")
    expect(record).to_have_text(f"Change to {label(final)}")
    record.click()
    # An override needs a note: nothing is sent without one.
    expect(page.locator("#messages")).to_contain_text("Add a note")
    expect(page.get_by_label(re.compile("^Note"))).to_be_focused()
    assert history(page)[0]["outcome"] is None

    note = "Synthetic test: carers confirmed he is well known to them and settled."
    page.get_by_label(re.compile("^Note")).fill(note)
    record.click()
    expect(page.locator("#messages")).to_contain_text("Decision recorded")
    expect(page.locator("#outcome-state")).to_contain_text(f"overridden to {label(final)}")
    row = page.locator("#history-rows tr").first
    expect(row).to_have_attribute("data-state", "overridden")
    expect(row).to_contain_text(f"Overridden to {label(final)}")
    expect(row).to_contain_text(CALM_NARRATIVE[:40])

    # The service stored it: a second outcome is refused with the first one on record.
    again = httpx.post(
        f"{service.live.url}/v1/triage/{result['id']}/outcome",
        json={"final_disposition": result["suggestion"], "note": None},
        headers={"Authorization": f"Bearer {service.handler_key}"}, timeout=10,
    )
    assert again.status_code == 409
    assert again.json()["existing"]["final_disposition"] == final
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_an_outcome_already_recorded_elsewhere_is_shown_not_overwritten(
    service: Service, tab: Tab
) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    result = ask(page, CALM_NARRATIVE)
    elsewhere = other_disposition(result["suggestion"])
    first = httpx.post(
        f"{service.live.url}/v1/triage/{result['id']}/outcome",
        json={"final_disposition": elsewhere, "note": "Synthetic test: recorded at another desk"},
        headers={"Authorization": f"Bearer {service.handler_key}"}, timeout=10,
    )
    assert first.status_code == 200
    page.locator("#record").click()  # tries to accept
    expect(page.locator("#messages")).to_contain_text("Already recorded")
    expect(page.locator("#messages")).to_contain_text(elsewhere)
    row = page.locator("#history-rows tr").first
    expect(row).to_have_attribute("data-state", "overridden")
    expect(row).to_contain_text(f"Overridden to {label(elsewhere)}")
    expect(page.locator("#outcome-state")).to_contain_text(f"overridden to {label(elsewhere)}")
    # The override shortcuts refuse too, and leave the recorded decision as it is.
    page.locator("#messages").evaluate("el => { el.textContent = ''; }")
    page.keyboard.press("Alt+h")
    expect(page.locator("#messages")).to_contain_text("Already recorded")
    expect(page.locator("#outcome-state")).to_contain_text(f"overridden to {label(elsewhere)}")
    no_js_errors(tab, allowed=r"409")


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_recording_before_any_suggestion_says_to_ask_first(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    page.keyboard.press("Alt+a")
    expect(page.locator("#messages")).to_contain_text("No suggestion to record")
    page.keyboard.press("Alt+d")
    expect(page.locator("#messages")).to_contain_text("Ask for a suggestion first")
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_the_whole_path_with_the_keyboard_alone(service: Service, tab: Tab) -> None:
    page = tab.page
    kb = page.keyboard
    load(page, service.url)
    expect(page.locator("#key")).to_be_focused()
    kb.type(service.handler_key)
    kb.press("Enter")
    expect(page.locator("#narrative")).to_be_focused()
    kb.type("Man 80s fallen at home, on the floor for an hour, talking normally, no injuries seen")

    # Tab reaches the first fact group (on its checked choice); a letter picks within it.
    kb.press("Tab")
    expect(page.locator("#fact-incident_type-not-given")).to_be_focused()
    focus_bg = page.evaluate(
        "() => getComputedStyle(document.querySelector(\"label[for='\" + "
        "document.activeElement.id + \"']\")).backgroundColor"
    )
    assert focus_bg == FOCUS_YELLOW, "the focused segment is not visibly focused"
    kb.press("f")
    expect(page.locator("#fact-incident_type-fall")).to_be_checked()
    kb.press("Tab")
    expect(page.get_by_label("Age")).to_be_focused()
    kb.type("84")

    kb.press("Control+Enter")
    expect(page.locator("#answer-title")).to_be_focused()
    expect(page.locator("#history-rows tr")).to_have_count(1)
    entry = history(page)[0]
    result = entry["result"]
    assert entry["narrative"].startswith("Man 80s fallen")

    # Alt + a disposition's first letter chooses it and moves to the note; Enter records.
    final = other_disposition(result["suggestion"])
    kb.press(f"Alt+Key{label(final)[0].upper()}")
    expect(page.locator(f"#final-{final}")).to_be_checked()
    expect(page.locator("#note")).to_be_focused()
    kb.type("Synthetic test: daughter is on her way and will stay with him.")
    kb.press("Enter")
    expect(page.locator("#history-rows tr").first).to_have_attribute("data-state", "overridden")

    # Alt+R starts a new request; Alt+A accepts the next suggestion.
    kb.press("Alt+KeyR")
    expect(page.locator("#narrative")).to_be_focused()
    expect(page.locator("#narrative")).to_have_value("")
    expect(page.locator("#fact-incident_type-not-given")).to_be_checked()
    kb.type(RED_FLAG_NARRATIVE)
    kb.press("Control+Enter")
    expect(page.locator("#history-rows tr")).to_have_count(2)
    kb.press("Alt+KeyA")
    first = page.locator("#history-rows tr").first
    expect(first).to_have_attribute("data-state", "accepted")
    expect(page.locator("#messages")).to_contain_text("Decision recorded")

    # Buttons show the yellow focus too.
    page.locator("#new-request").focus()
    bg = page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor")
    assert bg == FOCUS_YELLOW
    expect(page.locator("#shortcuts")).to_contain_text("Ctrl+Enter")
    expect(page.locator("#shortcuts")).to_contain_text("Alt+A")
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_a_wrong_key_is_refused_with_a_clear_message(service: Service, tab: Tab) -> None:
    page = tab.page
    load(page, service.url)
    page.get_by_label("Handler key").fill("not-a-real-key")
    page.get_by_role("button", name="Sign in").click()
    message = page.locator("#messages")
    expect(message).to_contain_text("Key not recognised")
    expect(page.locator("#workspace")).to_be_hidden()
    expect(page.get_by_label("Handler key")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("() => window.sessionStorage.getItem('triage.key')") is None
    assert "not-a-real-key" not in page.url
    screenshot(page, "sign-in-wrong-key")
    no_js_errors(tab, allowed=r"401")


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_a_key_without_the_handler_role_is_told_so(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.analyst_key)  # any key may read GET /v1/model
    page.get_by_label("Narrative").fill(CALM_NARRATIVE)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#messages")).to_contain_text("does not have the handler role")
    assert history(page) == []
    no_js_errors(tab, allowed=r"403")


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_a_bad_field_is_named_from_the_services_422(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    page.get_by_label("Narrative").fill(CALM_NARRATIVE)
    page.get_by_label("Age").fill("130")
    page.keyboard.press("Control+Enter")
    message = page.locator("#messages")
    expect(message).to_contain_text("Check the request")
    expect(message).to_contain_text("Age:")
    expect(message).to_contain_text("120")
    expect(message).to_contain_text("130")
    expect(page.get_by_label("Age")).to_be_focused()
    expect(page.get_by_label("Age")).to_have_attribute("aria-invalid", "true")

    # An empty narrative is caught before sending.
    page.get_by_label("Age").fill("")
    page.get_by_label("Narrative").fill("   ")
    page.keyboard.press("Control+Enter")
    expect(message).to_contain_text("Enter the narrative")
    expect(page.get_by_label("Narrative")).to_be_focused()
    assert history(page) == []
    no_js_errors(tab, allowed=r"422")


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_history_survives_a_reload_and_sign_out_clears_it(service: Service, tab: Tab) -> None:
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    result = ask(page, CALM_NARRATIVE)
    page.reload()
    expect(page.locator("#workspace")).to_be_visible()
    expect(page.locator("#history-rows tr")).to_have_count(1)
    expect(page.locator("#history-rows tr").first).to_have_attribute("data-state", "pending")
    expect(page.locator("#suggestion-value")).to_have_text(label(result["suggestion"]))
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#sign-in")).to_be_visible()
    expect(page.get_by_label("Handler key")).to_be_focused()
    assert page.evaluate("() => window.sessionStorage.length") == 0
    page.reload()
    expect(page.locator("#sign-in")).to_be_visible()
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_usable_at_200_percent_zoom(service: Service, browser: Any) -> None:
    # 200% zoom of a 1366x900 screen: half the CSS pixels, each drawn twice as large.
    with open_tab(browser, viewport={"width": 683, "height": 450}, device_scale_factor=2) as tab:
        page = tab.page
        sign_in(page, service.url, service.handler_key)
        result = ask(page, RED_FLAG_NARRATIVE)
        # One column: the answer sits below the request, nothing scrolls sideways.
        request_box = page.locator(".panel--request").bounding_box()
        answer_box = page.locator("#answer").bounding_box()
        assert answer_box["y"] >= request_box["y"] + request_box["height"]
        assert abs(answer_box["x"] - request_box["x"]) < 2
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the page scrolls sideways by {overflow}px at 200% zoom"
        for selector in ("#ask", "#record", "#new-request", "#sign-out", "#narrative"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 683, selector
        # Still workable: record an acceptance by clicking.
        page.locator("#record").click()
        expect(page.locator("#history-rows tr").first).to_have_attribute("data-state", "accepted")
        assert result["suggestion"] == "deploy"
        screenshot(page, "handler-page-200-zoom")
        no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_screenshot_of_the_handler_page(service: Service, tab: Tab) -> None:
    """The README's picture: a red-flag request with its facts, answered, plus history."""
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    calm = ask(page, CALM_NARRATIVE)
    page.locator(f'label[for="final-{other_disposition(calm["suggestion"])}"]').click()
    page.get_by_label(re.compile("^Note")).fill("Synthetic example: carers arrived.")
    page.locator("#record").click()
    expect(page.locator("#messages")).to_contain_text("Decision recorded")
    page.keyboard.press("Alt+KeyR")
    page.get_by_label("Narrative").fill(RED_FLAG_NARRATIVE)
    page.locator('label[for="fact-incident_type-collapse"]').click()
    page.get_by_label("Age").fill("64")
    page.locator('label[for="fact-sex-female"]').click()
    page.locator('label[for="fact-conscious-no"]').click()
    page.locator('label[for="fact-breathing-not_breathing"]').click()
    page.locator('label[for="fact-officer_on_scene-true"]').click()
    page.locator('label[for="fact-location_type-street"]').click()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#history-rows tr")).to_have_count(2)
    expect(page.locator("#red-flags")).to_be_visible()
    page.mouse.move(0, 0)
    path = screenshot(page, "handler-page", publish=True)
    assert path.stat().st_size > 20_000
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_a_service_that_is_down_or_not_ready_is_explained(
    trained_models_dir: Path, tmp_path: Path, browser: Any
) -> None:
    # Not ready: an empty registry means no model, so 503.
    (tmp_path / "empty").mkdir()
    key = keys.add_key(tmp_path / "empty" / "keys.json", "page-503", keys.Role.HANDLER)
    empty = start_server(make_settings(tmp_path / "empty", tmp_path / "empty" / "models"))
    try:
        with open_tab(browser) as tab:
            page = tab.page
            sign_in(page, empty.url + "/", key)
            expect(page.locator("#messages")).to_contain_text("The service is not ready")
            expect(page.locator("#messages")).to_contain_text("No model is loaded")
            page.get_by_label("Narrative").fill(CALM_NARRATIVE)
            page.keyboard.press("Control+Enter")
            expect(page.locator("#messages")).to_contain_text("No model is loaded")
            assert history(page) == []
            no_js_errors(tab, allowed=r"503")
    finally:
        empty.stop()

    # Too large (a service with a small body limit), then down: it stops while signed in.
    (tmp_path / "live").mkdir()
    key = keys.add_key(tmp_path / "live" / "keys.json", "page-down", keys.Role.HANDLER)
    small = make_settings(tmp_path / "live", trained_models_dir).model_copy(
        update={"max_body_bytes": 1024})
    live = start_server(small)
    stopped = False
    try:
        with open_tab(browser) as tab:
            page = tab.page
            sign_in(page, live.url + "/", key)
            page.get_by_label("Narrative").fill("Synthetic long narrative. " * 60)
            page.keyboard.press("Control+Enter")
            expect(page.locator("#messages")).to_contain_text("The request is too large")
            assert history(page) == []
            live.stop()
            stopped = True
            page.get_by_label("Narrative").fill(CALM_NARRATIVE)
            page.keyboard.press("Control+Enter")
            message = page.locator("#messages")
            expect(message).to_contain_text("cannot be reached")
            expect(message).to_contain_text("usual procedure")
            expect(message.locator("[role=alert]")).to_have_count(1)
            # The narrative is kept for when the service is back.
            expect(page.get_by_label("Narrative")).to_have_value(CALM_NARRATIVE)
            screenshot(page, "service-down")
            no_js_errors(tab, allowed=r"413|ERR_CONNECTION_REFUSED|Failed to fetch|net::")
    finally:
        if not stopped:
            live.stop()


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_every_incident_type_is_offered(service: Service, browser: Any) -> None:
    with open_tab(browser) as tab:
        page = tab.page
        load(page, service.url)
        values = page.eval_on_selector_all(
            "input[name='fact-incident_type']", "els => els.map(e => e.value)")
        assert values == ["", *[m.value for m in IncidentType]]
        # Every control has a label the browser associates with it.
        unlabelled = page.evaluate(
            """() => Array.from(document.querySelectorAll('input, textarea, button'))
                 .filter(e => e.type !== 'hidden')
                 .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                              && !e.textContent.trim())
                 .map(e => e.id || e.name)"""
        )
        assert unlabelled == []
        groups = page.eval_on_selector_all(
            "fieldset.segments-group", "els => els.map(e => e.querySelector('legend').textContent)")
        assert "Incident type" in groups and "Final disposition" in groups



# ---------------------------------------------------------------- triage demo


def _run_demo(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRIAGE_")}
    env["COLUMNS"] = "200"
    return subprocess.run(
        [sys.executable, "-m", "triage_cli.main", "demo", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )


def test_demo_refuses_a_port_in_use_before_doing_any_work(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        done = _run_demo(tmp_path, "--port", str(port))
    assert done.returncode == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "models").exists() and not (tmp_path / "var").exists()


@pytest.mark.slow
def test_demo_no_serve_prepares_a_model_and_a_key_on_a_fresh_checkout(tmp_path: Path) -> None:
    first = _run_demo(tmp_path, "--no-serve", "--rows", "30000", "--seed", "1")
    assert first.returncode == 0, first.stdout + first.stderr
    models = tmp_path / "models"
    version = current_version(models)
    assert version is not None and f"trained and promoted {version}" in first.stdout
    assert "Synthetic data" in first.stdout
    # It trains the way `triage train` does: with the project's hand-written corpus.
    assert "synthetic vignettes from" in first.stdout and "corpus.toml" in first.stdout
    assert read_manifest(models, version)["corpus"]["listing"].endswith("corpus.toml")
    assert list((tmp_path / "var" / "demo").glob("synthetic-history-30000-seed1.parquet"))
    key_file = tmp_path / "var" / "keys.json"
    records = keys.read_keys(key_file)
    assert [(r.name, r.role) for r in records] == [("demo-handler", keys.Role.HANDLER)]
    key1 = re.search(r"Handler key \(shown once.*?\): (\S+)", first.stdout)
    assert key1, first.stdout
    ring = keys.KeyRing(key_file)
    principal = ring.authenticate(key1.group(1))
    assert principal is not None and principal.role is keys.Role.HANDLER
    assert key1.group(1) not in key_file.read_text(encoding="utf-8")  # only its hash is kept

    # A re-run reuses the model and replaces the demo key.
    second = _run_demo(tmp_path, "--no-serve")
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"reusing {version}" in second.stdout
    assert current_version(models) == version
    key2 = re.search(r"Handler key \(shown once.*?\): (\S+)", second.stdout)
    assert key2 and key2.group(1) != key1.group(1)
    ring.refresh(force=True)
    assert ring.authenticate(key1.group(1)) is None
    assert ring.authenticate(key2.group(1)) is not None


# ---------------------------------------------------------------- unfamiliar wording

#: Made-up words: a model trained on control-room English knows none of them.
MADE_UP_NARRATIVE = "flibber wozzle quandish merrow plinth"
UNFAMILIAR_REASON = (
    "Most of the narrative's words are unknown to the model, so its suggestion rests on little "
    "it has learnt: read the narrative and triage by protocol."
)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_an_unfamiliar_wording_answer_shows_a_notice_with_its_reason(
    service: Service, tab: Tab
) -> None:
    """The page's rendering of a suggestion the service marked unfamiliar. The answer is the
    real service's, with only ``unfamiliar_wording`` and its reason set on the way back (the
    end-to-end test below needs no such help once the core marks made-up words)."""
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    calm = ask(page, CALM_NARRATIVE)
    assert calm["unfamiliar_wording"] is False and calm["unfamiliar_reason"] is None
    expect(page.locator("#unfamiliar")).to_be_hidden()

    def mark_unfamiliar(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        body["unfamiliar_wording"] = True
        body["unfamiliar_reason"] = UNFAMILIAR_REASON
        route.fulfill(response=response, json=body)

    page.route("**/v1/triage", mark_unfamiliar)
    result = ask(page, CALM_NARRATIVE + " again")
    assert result["unfamiliar_wording"] is True
    notice = page.locator("#unfamiliar")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Unfamiliar wording")
    expect(page.locator("#unfamiliar-reason")).to_have_text(UNFAMILIAR_REASON)
    expect(page.locator("#announce")).to_contain_text("Unfamiliar wording")
    # The notice comes before the probabilities and reasons it warns about.
    order = page.evaluate(
        """() => {
          const all = Array.from(document.querySelectorAll('#answer-body *'));
          return ['suggestion', 'unfamiliar', 'probabilities', 'reasons']
            .map(id => all.indexOf(document.getElementById(id)));
        }"""
    )
    assert order == sorted(order), order
    screenshot(page, "handler-page-unfamiliar")
    # Showing the earlier, familiar answer from the history hides the notice again.
    page.unroute("**/v1/triage")
    page.locator("#history-rows tr").nth(1).get_by_role("button", name=re.compile("Show")).click()
    expect(page.locator("#unfamiliar")).to_be_hidden()
    no_js_errors(tab)


@pytest.mark.browser
@pytest.mark.xdist_group("page-browser")
def test_made_up_words_are_flagged_unfamiliar_end_to_end(service: Service, tab: Tab) -> None:
    """Through the real predictor, service, audit store, metrics and page: a narrative of
    made-up words is marked unfamiliar, the handler sees why, the audit keeps it and
    /metrics counts it."""
    page = tab.page
    sign_in(page, service.url, service.handler_key)
    result = ask(page, MADE_UP_NARRATIVE)
    assert result["unfamiliar_wording"] is True, result
    assert result["unfamiliar_reason"], result
    expect(page.locator("#unfamiliar")).to_be_visible()
    expect(page.locator("#unfamiliar-reason")).to_have_text(result["unfamiliar_reason"])

    store = AuditStore(service.live.settings.db_url)
    try:
        stored = store.get_suggestion(result["id"])
    finally:
        store.engine.dispose()
    assert stored is not None
    assert stored["unfamiliar_wording"] is True
    assert stored["unfamiliar_reason"] == result["unfamiliar_reason"]
    metrics = httpx.get(service.live.url + "/metrics", timeout=10).text
    assert f'triage_unfamiliar_wording_total{{suggestion="{result["suggestion"]}"}}' in metrics
    no_js_errors(tab)
