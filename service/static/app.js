/* The call handler's page: ask for a suggestion, show it, record the decision.
 *
 * No framework and no build step. Every allowed value of every fact comes from the form schema
 * the server embeds in the page (derived from triage/schema.py), never from a list kept here.
 * The handler's key lives in sessionStorage only (this tab; gone when it closes) and is sent as
 * a Bearer header; it is never put in a URL and no form is ever submitted to the server.
 */
(function () {
  "use strict";

  var KEY_STORE = "triage.key";
  var HISTORY_STORE = "triage.history";
  var HISTORY_LIMIT = 100;
  var REQUEST_TIMEOUT_MS = 20000;
  var NOT_GIVEN = "";

  var ICONS = {
    urgent: '<svg viewBox="0 0 24 24" focusable="false"><path fill="currentColor" d="M1 21h22L12 2 1 21zm12-3h-2v-2h2v2zm0-4h-2v-4h2v4z"/></svg>',
    advice: '<svg viewBox="0 0 24 24" focusable="false"><path fill="currentColor" d="M20 2H4c-1.1 0-2 .9-2 2v18l4-4h14c1.1 0 2-.9 2-2V4c0-1.1-.9-2-2-2zM6 9h12v2H6V9zm8 5H6v-2h8v2zm4-6H6V6h12v2z"/></svg>',
    phone: '<svg viewBox="0 0 24 24" focusable="false"><path fill="currentColor" d="M6.62 10.79c1.44 2.83 3.76 5.14 6.59 6.59l2.2-2.2c.27-.27.67-.36 1.02-.24 1.12.37 2.33.57 3.57.57.55 0 1 .45 1 1V20c0 .55-.45 1-1 1C10.61 21 3 13.39 3 4c0-.55.45-1 1-1h3.5c.55 0 1 .45 1 1 0 1.25.2 2.45.57 3.57.11.35.03.74-.25 1.02l-2.2 2.2z"/></svg>'
  };

  var schema = JSON.parse(document.getElementById("form-schema").textContent);
  var dispositionByValue = {};
  schema.dispositions.forEach(function (d) { dispositionByValue[d.value] = d; });
  var fieldByName = {};
  schema.fields.forEach(function (f) { fieldByName[f.name] = f; });

  /* Override shortcuts: Alt + the first letter of each disposition's label (derived, not kept). */
  var RESERVED_CODES = { KeyA: true, KeyN: true, KeyR: true };
  var overrideByCode = {};
  schema.dispositions.forEach(function (d) {
    var code = "Key" + d.label.charAt(0).toUpperCase();
    if (!RESERVED_CODES[code] && !overrideByCode[code]) { overrideByCode[code] = d.value; }
  });

  var $ = function (id) { return document.getElementById(id); };
  var els = {
    account: $("account"), modelLine: $("model-line"), signOut: $("sign-out"),
    synthetic: $("synthetic-notice"), messages: $("messages"), announce: $("announce"),
    signIn: $("sign-in"), signInForm: $("sign-in-form"), key: $("key"),
    workspace: $("workspace"), requestForm: $("request-form"), narrative: $("narrative"),
    counter: $("narrative-count"), facts: $("facts"), ask: $("ask"), newRequest: $("new-request"),
    answerTitle: $("answer-title"), answerEmpty: $("answer-empty"), answerBody: $("answer-body"),
    suggestion: $("suggestion"), suggestionIcon: $("suggestion-icon"),
    suggestionValue: $("suggestion-value"), suggestionDesc: $("suggestion-desc"), advisoryText: $("advisory-text"),
    overridden: $("overridden"), unfamiliar: $("unfamiliar"), unfamiliarReason: $("unfamiliar-reason"),
    redFlags: $("red-flags"), redFlagsTitle: $("red-flags-title"),
    redFlagsList: $("red-flags-list"), probabilities: $("probabilities"), reasons: $("reasons"),
    meta: $("answer-meta"), outcomeForm: $("outcome-form"), finalGroup: $("final-group"),
    finalChoices: $("final-choices"), note: $("note"), noteNeed: $("note-need"),
    record: $("record"), outcomeState: $("outcome-state"),
    history: $("history"), historyEmpty: $("history-empty"), historyTable: $("history-table"),
    historyRows: $("history-rows"), shortcuts: $("shortcuts")
  };

  var currentId = null;
  var busy = false;

  /* ---------- small helpers ---------- */

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { node.textContent = attrs[k]; }
      else if (k === "className") { node.className = attrs[k]; }
      else { node.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function labelOf(value) {
    var d = dispositionByValue[value];
    return d ? d.label : String(value);
  }

  function toneOf(value) {
    var d = dispositionByValue[value];
    return d ? d.tone : "none";
  }

  function humanise(name) {
    var text = String(name).replace(/_/g, " ");
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function timeText(iso) {
    var d = new Date(iso);
    return d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  }

  function percentText(p) {
    if (p > 0 && p < 0.005) { return "<1%"; }
    if (p < 1 && p > 0.995) { return ">99%"; }
    return Math.round(p * 100) + "%";
  }

  function storageGet(name, fallback) {
    try {
      var raw = window.sessionStorage.getItem(name);
      return raw === null ? fallback : JSON.parse(raw);
    } catch (e) { return fallback; }
  }

  function storageSet(name, value) {
    try { window.sessionStorage.setItem(name, JSON.stringify(value)); } catch (e) { /* full */ }
  }

  function getKey() { return storageGet(KEY_STORE, null); }

  /* ---------- messages (one aria-live region) ---------- */

  function clearMessages() { els.messages.textContent = ""; }

  function showMessage(kind, title, body) {
    clearMessages();
    var box = el("div", { className: "message message--" + kind, id: "message" }, [
      el("p", { className: "message__title", text: title })
    ]);
    if (kind === "error") { box.setAttribute("role", "alert"); }
    (Array.isArray(body) ? body : [body]).forEach(function (line) {
      if (line) { box.appendChild(el("p", { text: line })); }
    });
    els.messages.appendChild(box);
  }

  /* ---------- the API ---------- */

  function ApiError(status, data) {
    this.status = status;
    this.data = data;
  }

  function api(method, path, body, keyOverride) {
    var key = keyOverride || getKey();
    var headers = { "Accept": "application/json" };
    if (key) { headers["Authorization"] = "Bearer " + key; }
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    var controller = new AbortController();
    var timer = window.setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS);
    return window.fetch(path, {
      method: method, headers: headers, cache: "no-store", credentials: "omit",
      body: body === undefined ? undefined : JSON.stringify(body), signal: controller.signal
    }).then(function (resp) {
      window.clearTimeout(timer);
      return resp.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
        if (!resp.ok) { throw new ApiError(resp.status, data); }
        return data;
      });
    }, function (err) {
      window.clearTimeout(timer);
      throw new ApiError(err && err.name === "AbortError" ? -1 : 0, null);
    });
  }

  function fieldLabel(loc, field) {
    if (field && typeof field === "string" && field.indexOf(".") < 0) { loc = [field]; }
    var parts = (loc || []).filter(function (p) { return p !== "body" && typeof p === "string"; });
    if (!parts.length) { return "The request"; }
    var name = parts[0];
    if (name === "narrative") { return "Narrative"; }
    if (name === "final_disposition") { return "Final disposition"; }
    if (name === "note") { return "Note"; }
    return fieldByName[name] ? fieldByName[name].label : humanise(name);
  }

  function validationLines(data) {
    var detail = data && data.detail;
    if (!Array.isArray(detail)) {
      return [typeof detail === "string" ? detail : "The service did not say which field."];
    }
    return detail.map(function (d) {
      var line = fieldLabel(d.loc, d.field) + ": " + (d.msg || "is not valid");
      if (d.input !== undefined && d.input !== null && typeof d.input !== "object") {
        line += " (you gave “" + String(d.input) + "”)";
      }
      return line + ".";
    });
  }

  function firstInvalidField(data) {
    var detail = data && data.detail;
    if (!Array.isArray(detail) || !detail.length) { return null; }
    var loc = (detail[0].loc || []).filter(function (p) { return p !== "body"; });
    return loc.length ? String(loc[0]) : null;
  }

  /* Turn any failure into a message a call handler can act on. */
  function explain(err, doing) {
    if (!(err instanceof ApiError)) {
      return ["Something went wrong on this page", ["Reload the page. Carry on with your usual procedure meanwhile."]];
    }
    var fallback = "Carry on with your usual procedure meanwhile.";
    switch (err.status) {
      case 0:
        return ["The triage service cannot be reached",
          ["It may be down or restarting, or the network is unavailable. " +
           "Triage this request with your usual procedure, and try again shortly."]];
      case -1:
        return ["The triage service did not answer in time",
          ["No answer within " + REQUEST_TIMEOUT_MS / 1000 + " seconds. " + fallback]];
      case 401:
        return ["Key not recognised",
          ["The service does not recognise this key (it may be mistyped or revoked). " +
           "Sign in again with your handler key."]];
      case 403:
        return ["This key does not have the handler role",
          ["It cannot " + doing + ". Ask your administrator for a handler key, then sign in again."]];
      case 404:
        return ["Not found", ["The service has no record of this suggestion. " + fallback]];
      case 409:
        return ["Already recorded", [detailText(err.data) || "A decision was already recorded for this suggestion."]];
      case 413:
        return ["The request is too large",
          ["The service refuses requests this large. Shorten the narrative and try again."]];
      case 422:
        return ["Check the request", validationLines(err.data)];
      case 429:
        return ["Too many requests", ["The service is busy. Wait a few seconds and try again."]];
      case 503:
        return ["The service is not ready",
          ["No model is loaded, so it cannot " + doing + " yet. " +
           "Triage this request with your usual procedure, and try again in a minute."]];
      default:
        return ["The service could not " + doing,
          ["It answered with status " + err.status + ". " + fallback]];
    }
  }

  function detailText(data) {
    return data && typeof data.detail === "string" ? data.detail : "";
  }

  function reportError(err, doing) {
    var m = explain(err, doing);
    showMessage("error", m[0], m[1]);
    if (err instanceof ApiError && err.status === 401) { signOut(false); }
  }

  /* ---------- building the controls from the schema ---------- */

  function segmentGroup(name, legend, choices, opts) {
    var fieldset = el("fieldset", { className: "segments-group" + (opts.wide ? " segments-group--wide" : ""), id: opts.id || ("group-" + name) });
    fieldset.appendChild(el("legend", { className: "legend", text: legend }));
    var box = el("div", { className: "segments" + (opts.grid ? " segments--grid" : "") });
    choices.forEach(function (c) {
      var id = opts.prefix + name + "-" + (c.value === NOT_GIVEN ? "not-given" : c.value);
      var input = el("input", { type: "radio", name: opts.prefix + name, id: id, value: c.value });
      if (c.value === opts.checked) { input.checked = true; }
      var wrap = el("div", { className: "segment" + (c.value === NOT_GIVEN ? " segment--none" : "") }, [
        input, el("label", { "for": id, text: c.label })
      ]);
      box.appendChild(wrap);
    });
    box.addEventListener("keydown", typeAhead);
    fieldset.appendChild(box);
    return fieldset;
  }

  /* In a radio group, a letter jumps to the next choice whose label starts with it. */
  function typeAhead(event) {
    if (event.ctrlKey || event.altKey || event.metaKey || event.key.length !== 1) { return; }
    if (!/[a-z0-9]/i.test(event.key) || event.target.type !== "radio") { return; }
    var radios = Array.prototype.slice.call(event.currentTarget.querySelectorAll("input[type=radio]"));
    var start = radios.indexOf(event.target);
    var letter = event.key.toLowerCase();
    for (var i = 1; i <= radios.length; i++) {
      var r = radios[(start + i) % radios.length];
      var text = document.querySelector("label[for='" + r.id + "']").textContent.trim().toLowerCase();
      if (text.charAt(0) === letter) {
        event.preventDefault();
        r.checked = true;
        r.focus();
        r.dispatchEvent(new Event("change", { bubbles: true }));
        return;
      }
    }
  }

  function buildFacts() {
    schema.fields.forEach(function (f) {
      if (f.kind === "int") {
        var hintId = "fact-" + f.name + "-hint";
        var range = (f.minimum !== null && f.maximum !== null) ? f.minimum + " to " + f.maximum : "";
        var hint = f.name === "age" ? "Years" + (range ? ", " + range : "") + ". Leave blank if not known." : range;
        els.facts.appendChild(el("div", { className: "field" }, [
          el("label", { "for": "fact-" + f.name, text: f.label }),
          el("p", { className: "hint", id: hintId, text: hint }),
          el("input", { className: "input input--age", id: "fact-" + f.name, name: f.name, type: "text",
                        inputmode: "numeric", autocomplete: "off", "aria-describedby": hintId })
        ]));
        return;
      }
      var choices = [{ value: NOT_GIVEN, label: "Not given" }].concat(f.choices);
      var many = f.choices.length > 6;
      els.facts.appendChild(segmentGroup(f.name, f.label, choices,
        { prefix: "fact-", checked: NOT_GIVEN, grid: many, wide: many }));
    });
  }

  function buildFinalChoices() {
    schema.dispositions.forEach(function (d) {
      var id = "final-" + d.value;
      var input = el("input", { type: "radio", name: "final", id: id, value: d.value });
      els.finalChoices.appendChild(el("div", { className: "segment" }, [
        input, el("label", { "for": id, id: id + "-label", text: d.label })
      ]));
    });
    els.finalChoices.addEventListener("keydown", typeAhead);
    els.finalChoices.addEventListener("change", updateRecordButton);
  }

  function buildShortcuts() {
    var items = [["Ctrl+Enter", "get a suggestion"], ["Alt+A", "accept it"]];
    Object.keys(overrideByCode).forEach(function (code) {
      items.push(["Alt+" + code.slice(3), "change to " + labelOf(overrideByCode[code])]);
    });
    items.push(["Alt+N", "note"], ["Alt+R", "new request"],
      ["Arrow keys or a letter", "choose within a group"]);
    els.shortcuts.appendChild(document.createTextNode("Keyboard: "));
    items.forEach(function (item, i) {
      if (i) { els.shortcuts.appendChild(document.createTextNode(" · ")); }
      els.shortcuts.appendChild(el("kbd", { className: "kbd", text: item[0] }));
      els.shortcuts.appendChild(document.createTextNode(" " + item[1]));
    });
  }

  /* ---------- the request ---------- */

  function updateCounter() {
    var n = els.narrative.value.length;
    els.counter.textContent = n + " of " + schema.narrative_max_chars + " characters";
  }

  function collectRequest() {
    var body = { narrative: els.narrative.value };
    schema.fields.forEach(function (f) {
      if (f.kind === "int") {
        var raw = $("fact-" + f.name).value.trim();
        if (raw !== "") { body[f.name] = /^\d+$/.test(raw) ? parseInt(raw, 10) : raw; }
        return;
      }
      var checked = document.querySelector("input[name='fact-" + f.name + "']:checked");
      if (!checked || checked.value === NOT_GIVEN) { return; }
      body[f.name] = f.kind === "bool" ? checked.value === "true" : checked.value;
    });
    return body;
  }

  function markInvalid(name) {
    document.querySelectorAll("[aria-invalid]").forEach(function (n) { n.removeAttribute("aria-invalid"); });
    if (!name) { return; }
    var target = name === "narrative" ? els.narrative
      : $("fact-" + name) || document.querySelector("input[name='fact-" + name + "']:checked");
    if (target) {
      target.setAttribute("aria-invalid", "true");
      target.focus();
    }
  }

  function setBusy(button, on) {
    busy = on;
    if (on) { button.setAttribute("aria-busy", "true"); } else { button.removeAttribute("aria-busy"); }
  }

  function ask() {
    if (busy || !getKey()) { return; }
    if (!els.narrative.value.trim()) {
      showMessage("error", "Enter the narrative", ["Type what the police operator or officer said, then ask again."]);
      markInvalid("narrative");
      return;
    }
    markInvalid(null);
    var body = collectRequest();
    setBusy(els.ask, true);
    api("POST", "/v1/triage", body).then(function (result) {
      setBusy(els.ask, false);
      clearMessages();
      var entry = {
        id: result.id, at: new Date().toISOString(),
        narrative: body.narrative.trim().slice(0, 80), result: result, outcome: null
      };
      var history = storageGet(HISTORY_STORE, []);
      history.unshift(entry);
      storageSet(HISTORY_STORE, history.slice(0, HISTORY_LIMIT));
      showAnswer(entry);
      renderHistory();
      var flags = (result.red_flags || []).length;
      els.announce.textContent = "Suggestion: " + labelOf(result.suggestion) + "." +
        (flags ? " " + flags + (flags === 1 ? " red flag." : " red flags.") : "") +
        (result.unfamiliar_wording ? " Unfamiliar wording: read the narrative yourself." : "");
      els.answerTitle.focus();
    }, function (err) {
      setBusy(els.ask, false);
      reportError(err, "suggest a disposition");
      if (err instanceof ApiError && err.status === 422) { markInvalid(firstInvalidField(err.data)); }
    });
  }

  function newRequest() {
    els.requestForm.reset();
    schema.fields.forEach(function (f) {
      var none = $("fact-" + f.name + "-not-given");
      if (none) { none.checked = true; }
    });
    markInvalid(null);
    updateCounter();
    currentId = null;
    els.answerBody.hidden = true;
    els.answerEmpty.hidden = false;
    clearMessages();
    els.narrative.focus();
  }

  /* ---------- the answer ---------- */

  function findEntry(id) {
    var history = storageGet(HISTORY_STORE, []);
    for (var i = 0; i < history.length; i++) { if (history[i].id === id) { return history[i]; } }
    return null;
  }

  function showAnswer(entry) {
    var r = entry.result;
    currentId = entry.id;
    els.answerEmpty.hidden = true;
    els.answerBody.hidden = false;

    var tone = toneOf(r.suggestion);
    els.suggestion.className = "suggestion tone-" + tone;
    els.suggestion.setAttribute("data-suggestion", r.suggestion);
    els.suggestionIcon.innerHTML = ICONS[tone] || "";
    els.suggestionValue.textContent = labelOf(r.suggestion);
    var d = dispositionByValue[r.suggestion];
    els.suggestionDesc.textContent = d ? d.description : "";

    els.advisoryText.textContent = " " + (r.advisory || "The clinician decides.");

    els.unfamiliar.hidden = !r.unfamiliar_wording;
    els.unfamiliarReason.textContent = r.unfamiliar_wording
      ? (r.unfamiliar_reason || "The model does not know most of this narrative's words, so its suggestion rests on little it has learnt.")
      : "";

    if (r.overridden) {
      els.overridden.hidden = false;
      els.overridden.textContent = "Red-flag rules overrode the model: the model alone suggested " +
        labelOf(r.model_suggestion) + ".";
    } else {
      els.overridden.hidden = true;
    }

    var flags = r.red_flags || [];
    els.redFlagsList.textContent = "";
    els.redFlags.hidden = flags.length === 0;
    els.redFlagsTitle.innerHTML = ICONS.urgent;
    els.redFlagsTitle.appendChild(document.createTextNode(
      flags.length === 1 ? "Red flag found" : flags.length + " red flags found"));
    flags.forEach(function (f) {
      var item = el("li", {}, [
        el("span", { className: "red-flags__name", text: humanise(f.name) }), ": " + f.reason
      ]);
      if (f.evidence) {
        item.appendChild(el("div", { className: "red-flags__evidence" }, ["Because of: ", el("q", { text: f.evidence })]));
      }
      els.redFlagsList.appendChild(item);
    });

    els.probabilities.textContent = "";
    schema.dispositions.forEach(function (disp) {
      var p = Number((r.probabilities || {})[disp.value] || 0);
      var fill = el("div", { className: "bar__fill" });
      fill.style.width = Math.max(0, Math.min(100, p * 100)).toFixed(1) + "%";
      els.probabilities.appendChild(el("div", {
        className: "bar" + (disp.value === r.model_suggestion ? " bar--chosen" : ""),
        "data-disposition": disp.value
      }, [
        el("span", { className: "bar__label", text: disp.label }),
        el("div", { className: "bar__track", "aria-hidden": "true" }, [fill]),
        el("span", { className: "bar__value", text: percentText(p) })
      ]));
    });

    els.reasons.textContent = "";
    otherReasons(r).forEach(function (text) { els.reasons.appendChild(el("li", { text: text })); });
    if (!otherReasons(r).length) {
      els.reasons.appendChild(el("li", { text: flags.length ? "The red flags above." : "The service gave no reasons." }));
    }

    els.meta.textContent = "Model " + r.model_version + " · asked at " + timeText(entry.at) +
      " · reference " + r.id;

    var final = entry.outcome ? entry.outcome.final : r.suggestion;
    schema.dispositions.forEach(function (disp) {
      $("final-" + disp.value).checked = disp.value === final;
      $("final-" + disp.value + "-label").textContent =
        disp.label + (disp.value === r.suggestion ? " (suggested)" : "");
    });
    els.note.value = entry.outcome ? (entry.outcome.note || "") : "";
    els.note.removeAttribute("aria-invalid");
    var done = !!entry.outcome;
    els.finalGroup.disabled = done;
    els.note.disabled = done;
    els.record.hidden = done;
    els.outcomeState.hidden = !done;
    els.outcomeState.className = "outcome-state" + (done ? " outcome-state--done" : "");
    els.outcomeState.textContent = done ? "Recorded at " + timeText(entry.outcome.at) + ": " + outcomeText(entry.outcome) + "." : "";
    updateRecordButton();
  }

  /* The reasons, less those that repeat a red flag's reason (the flags are shown above). */
  function otherReasons(r) {
    var flagReasons = {};
    (r.red_flags || []).forEach(function (f) { flagReasons[f.reason] = true; });
    return (r.reasons || []).filter(function (text) { return !flagReasons[text]; });
  }

  function selectedFinal() {
    var checked = document.querySelector("input[name='final']:checked");
    return checked ? checked.value : null;
  }

  function updateRecordButton() {
    var entry = currentId && findEntry(currentId);
    if (!entry) { return; }
    var final = selectedFinal();
    var accepting = final === entry.result.suggestion;
    els.record.textContent = "";
    els.record.appendChild(document.createTextNode(
      accepting ? "Accept: " + labelOf(final) : "Change to " + labelOf(final)));
    if (accepting) { els.record.appendChild(el("kbd", { className: "kbd", text: "Alt+A" })); }
    els.noteNeed.textContent = accepting ? "(optional when you accept)" : "(required: say why you changed it)";
  }

  function outcomeText(outcome) {
    return outcome.state === "accepted" ? "accepted (" + labelOf(outcome.final) + ")"
      : "overridden to " + labelOf(outcome.final);
  }

  // The current suggestion if its decision can still be recorded; otherwise says why and
  // returns null (shared by the record button, Alt+A and the Alt+H/C/D overrides).
  function recordableEntry() {
    var entry = currentId && findEntry(currentId);
    if (!entry) {
      showMessage("error", "No suggestion to record", ["Ask for a suggestion first (Ctrl+Enter)."]);
      return null;
    }
    if (entry.outcome) {
      showMessage("error", "Already recorded", ["The decision for this suggestion is already recorded: " + outcomeText(entry.outcome) + "."]);
      return null;
    }
    return entry;
  }

  function record() {
    if (busy) { return; }
    var entry = recordableEntry();
    if (!entry) { return; }
    var final = selectedFinal();
    var note = els.note.value.trim();
    var state = final === entry.result.suggestion ? "accepted" : "overridden";
    if (state === "overridden" && !note) {
      showMessage("error", "Add a note", ["Say why you changed the suggestion to " + labelOf(final) + "."]);
      els.note.setAttribute("aria-invalid", "true");
      els.note.focus();
      return;
    }
    els.note.removeAttribute("aria-invalid");
    setBusy(els.record, true);
    api("POST", "/v1/triage/" + encodeURIComponent(entry.id) + "/outcome",
      { final_disposition: final, note: note }).then(function () {
      setBusy(els.record, false);
      saveOutcome(entry.id, { final: final, note: note, state: state, at: new Date().toISOString() });
      var updated = findEntry(entry.id);
      showAnswer(updated);
      renderHistory();
      showMessage("success", "Decision recorded", ["Recorded: " + outcomeText(updated.outcome) + ". Press Alt+R for a new request."]);
      els.outcomeState.setAttribute("tabindex", "-1");
      els.outcomeState.focus();
    }, function (err) {
      setBusy(els.record, false);
      reportError(err, "record the decision");
      var existing = err instanceof ApiError && err.status === 409 && err.data && err.data.existing;
      if (existing) {
        /* The first outcome stands: show what is on record instead of what was tried. */
        saveOutcome(entry.id, {
          final: existing.final_disposition, note: "",
          state: existing.agreed ? "accepted" : "overridden",
          at: existing.recorded_at || new Date().toISOString()
        });
        showAnswer(findEntry(entry.id));
        renderHistory();
      }
    });
  }

  function saveOutcome(id, outcome) {
    var history = storageGet(HISTORY_STORE, []);
    history.forEach(function (h) { if (h.id === id) { h.outcome = outcome; } });
    storageSet(HISTORY_STORE, history);
  }

  function chooseFinal(value, thenRecord) {
    var entry = recordableEntry();
    if (!entry) { return; }
    $("final-" + value).checked = true;
    updateRecordButton();
    if (thenRecord) { record(); } else { els.note.focus(); }
  }

  /* ---------- history ---------- */

  function renderHistory() {
    var history = storageGet(HISTORY_STORE, []);
    els.historyRows.textContent = "";
    els.historyEmpty.hidden = history.length > 0;
    els.historyTable.hidden = history.length === 0;
    history.forEach(function (h) {
      var state = h.outcome ? h.outcome.state : "pending";
      var stateText = h.outcome ? humanise(outcomeText(h.outcome)) : "Pending";
      var flags = (h.result.red_flags || []).length;
      var show = el("button", { type: "button", className: "link-button",
        "aria-label": "Show the suggestion from " + timeText(h.at), text: "Show" });
      show.addEventListener("click", function () {
        var entry = findEntry(h.id);
        if (entry) { showAnswer(entry); clearMessages(); els.answerTitle.focus(); }
      });
      var suggestionCell = el("td", {}, [
        el("span", { className: "tag tone-" + toneOf(h.result.suggestion), text: labelOf(h.result.suggestion) })
      ]);
      if (flags) { suggestionCell.appendChild(document.createTextNode(" " + (flags === 1 ? "1 red flag" : flags + " red flags"))); }
      els.historyRows.appendChild(el("tr", { "data-id": h.id, "data-state": state }, [
        el("td", { className: "time", text: timeText(h.at) }),
        el("td", { text: h.narrative + (h.narrative.length >= 80 ? "…" : "") }),
        suggestionCell,
        el("td", { className: "state-" + state, text: stateText }),
        el("td", {}, [show])
      ]));
    });
  }

  /* ---------- signing in and out ---------- */

  /* GET /v1/model's trained_on is the manifest's data section: "synthetic" is true when the
   * model was trained on synthetic history. */
  function trainedOnSynthetic(manifest) {
    return !!(manifest.trained_on && manifest.trained_on.synthetic === true);
  }

  function showModel(manifest) {
    if (!manifest || typeof manifest !== "object") { els.modelLine.textContent = ""; return; }
    var version = manifest.version || "";
    var trained = manifest.created_at || "";
    els.modelLine.textContent = version ? "Model " + version + (trained ? " · trained " + String(trained).slice(0, 10) : "") : "";
    els.synthetic.hidden = !trainedOnSynthetic(manifest);
  }

  function loadModel() {
    return api("GET", "/v1/model").then(showModel, function (err) {
      if (err instanceof ApiError && err.status === 401) { reportError(err, "show the model"); }
      else if (err instanceof ApiError && (err.status === 503 || err.status === 0)) { reportError(err, "suggest a disposition"); }
    });
  }

  function showWorkspace() {
    els.signIn.hidden = true;
    els.workspace.hidden = false;
    els.history.hidden = false;
    els.account.hidden = false;
    renderHistory();
  }

  function showSignIn() {
    els.workspace.hidden = true;
    els.history.hidden = true;
    els.account.hidden = true;
    els.synthetic.hidden = true;
    els.signIn.hidden = false;
    els.key.value = "";
    els.key.focus();
  }

  function signIn(event) {
    event.preventDefault();
    if (busy) { return; }
    var key = els.key.value.trim();
    if (!key) {
      showMessage("error", "Enter your handler key", ["Paste or type the key your administrator gave you."]);
      els.key.setAttribute("aria-invalid", "true");
      els.key.focus();
      return;
    }
    els.key.removeAttribute("aria-invalid");
    setBusy(document.getElementById("sign-in-button"), true);
    api("GET", "/v1/model", undefined, key).then(function (manifest) {
      setBusy(document.getElementById("sign-in-button"), false);
      storageSet(KEY_STORE, key);
      clearMessages();
      showWorkspace();
      showModel(manifest);
      els.narrative.focus();
    }, function (err) {
      setBusy(document.getElementById("sign-in-button"), false);
      if (err instanceof ApiError && err.status === 503) {
        /* The key was accepted; there is just no model yet. */
        storageSet(KEY_STORE, key);
        showWorkspace();
        reportError(err, "suggest a disposition");
        els.narrative.focus();
        return;
      }
      var m = explain(err, "sign in");
      showMessage("error", m[0], m[1]);
      els.key.setAttribute("aria-invalid", "true");
      els.key.select();
      els.key.focus();
    });
  }

  /* userAction: the handler pressed "Sign out" (everything of the session is removed);
   * otherwise the key was refused, and only the key is dropped. */
  function signOut(userAction) {
    window.sessionStorage.removeItem(KEY_STORE);
    if (userAction) {
      window.sessionStorage.removeItem(HISTORY_STORE);
      newRequest();
      renderHistory();
      showMessage("success", "Signed out", ["Your key and this session's history were removed from this tab."]);
    }
    showSignIn();
  }

  /* ---------- keyboard ---------- */

  function onKeydown(event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      if (!els.workspace.hidden) { event.preventDefault(); ask(); }
      return;
    }
    if (!event.altKey || event.ctrlKey || event.metaKey || els.workspace.hidden) { return; }
    var code = event.code;
    if (code === "KeyA") { event.preventDefault(); var e = currentId && findEntry(currentId); if (e) { chooseFinal(e.result.suggestion, true); } else { chooseFinal(null, false); } }
    else if (code === "KeyN") { event.preventDefault(); if (currentId) { els.note.focus(); } }
    else if (code === "KeyR") { event.preventDefault(); newRequest(); }
    else if (overrideByCode[code]) { event.preventDefault(); chooseFinal(overrideByCode[code], false); }
  }

  /* ---------- start ---------- */

  function start() {
    buildFacts();
    buildFinalChoices();
    buildShortcuts();
    updateCounter();
    els.narrative.setAttribute("maxlength", String(schema.narrative_max_chars));
    els.narrative.addEventListener("input", updateCounter);
    els.signInForm.addEventListener("submit", signIn);
    els.requestForm.addEventListener("submit", function (e) { e.preventDefault(); ask(); });
    els.outcomeForm.addEventListener("submit", function (e) { e.preventDefault(); record(); });
    els.newRequest.addEventListener("click", newRequest);
    els.signOut.addEventListener("click", function () { signOut(true); });
    document.addEventListener("keydown", onKeydown);
    if (getKey()) {
      showWorkspace();
      loadModel();
      var history = storageGet(HISTORY_STORE, []);
      if (history.length) { showAnswer(history[0]); }
      els.narrative.focus();
    } else {
      showSignIn();
    }
    document.documentElement.setAttribute("data-ready", "true");
  }

  start();
}());
