// An answer survives the network: send it by script, keep it on the phone
// until the server has it, and try again until it does.
// Everything here is an improvement; without it the form posts as it always did.
(function () {
  "use strict";
  var body = document.body;
  var home = body.dataset.home;
  if (!home || !window.fetch || !window.URLSearchParams || !window.DOMParser || !window.JSON) { return; }

  var storeKey = "gsdialog-pending:" + home;
  // Answers not acknowledged yet, oldest first, at most one per step and slot (a form's
  // data-slot: one idea, the votes); a form with data-keep (a new idea) is never replaced:
  // {key, action, step, slot, fields: [[name, value], ...]}.
  var queue = load();
  var busy = false;  // one post at a time, so an older answer never overtakes a newer one
  var timer = null;
  var attempt = 0;

  function load() {
    try {
      var found = JSON.parse(window.localStorage.getItem(storeKey));
      return Array.isArray(found) ? found.filter(function (one) {
        return one && one.key && one.action && one.step && Array.isArray(one.fields);
      }) : [];
    } catch (error) {
      return [];
    }
  }

  function save() {
    try {
      if (queue.length) { window.localStorage.setItem(storeKey, JSON.stringify(queue)); }
      else { window.localStorage.removeItem(storeKey); }
    } catch (error) { /* no storage (private mode, full): it is kept in this page only */ }
  }

  function newKey() {
    var bytes = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) { window.crypto.getRandomValues(bytes); }
    else { for (var i = 0; i < bytes.length; i++) { bytes[i] = Math.floor(Math.random() * 256); } }
    return Array.prototype.map.call(bytes, function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
  }

  // --- what the participant sees ------------------------------------------------------

  // The line under the form that says the answer is not sent yet.
  function waiting(step, slot) {
    return queue.filter(function (one) { return one.step === step && (one.slot || "") === (slot || ""); })[0] || null;
  }

  function showPending() {
    var form = document.querySelector("form.answer");
    if (!form || !waiting(stepOf(form), form.dataset.slot)) { return; }
    var line = form.querySelector(".send-pending");
    if (!line) {
      line = document.createElement("p");
      line.className = "send-pending";
      line.setAttribute("role", "status");
      var button = form.querySelector("button[type=submit], button:not([type])");
      if (button) { button.parentNode.insertBefore(line, button); } else { form.appendChild(line); }
    }
    line.textContent = body.dataset.sendPending;
  }

  function clearPending() {
    var form = document.querySelector("form.answer");
    if (form && waiting(stepOf(form), form.dataset.slot)) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".send-pending"), function (line) {
      line.parentNode.removeChild(line);
    });
  }

  // A note above <main>, which stays when the room moves on and <main> is replaced.
  function note(text, kind) {
    var main = document.querySelector("main");
    if (!main) { return; }
    var line = document.querySelector(".send-note");
    if (!line) {
      line = document.createElement("p");
      line.setAttribute("role", "status");
      main.parentNode.insertBefore(line, main);
    }
    line.className = "send-note " + kind;
    line.textContent = text;
    line.dataset.step = body.dataset.step || "";
    window.scrollTo(0, 0);
  }

  // A note is about the step the page showed then: gone once the room is further on.
  if (window.MutationObserver) {
    new MutationObserver(function () {
      var line = document.querySelector(".send-note");
      if (line && line.dataset.step !== body.dataset.step) { line.parentNode.removeChild(line); }
    }).observe(body, { attributes: true, attributeFilter: ["data-step"] });
  }

  function stepOf(form) {
    var field = form.querySelector("input[name=step]");
    return field ? field.value : null;
  }

  // The page the server answered with, in place of this one's <main>, as a
  // reload would show it. DOMParser runs no script; the server escaped all text.
  function showPage(parsed, address) {
    var main = document.querySelector("main");
    var fresh = parsed.querySelector("main");
    if (!main || !fresh || parsed.body.dataset.step === undefined) {
      window.location.replace(address);
      return;
    }
    while (main.firstChild) { main.removeChild(main.firstChild); }
    while (fresh.firstChild) { main.appendChild(document.adoptNode(fresh.firstChild)); }
    document.title = parsed.title;
    body.dataset.step = parsed.body.dataset.step;
    body.dataset.open = parsed.body.dataset.open;
    if (parsed.body.dataset.stage) { body.dataset.stage = parsed.body.dataset.stage; } else { delete body.dataset.stage; }
    if (window.history && window.history.replaceState) { window.history.replaceState(null, "", address); }
    document.dispatchEvent(new CustomEvent("gsdialog:page", { detail: main }));
    window.scrollTo(0, 0);  // the thanks are at the top, as after a page load
  }

  // An answer kept on the phone goes back into its form after a reload.
  function fill(form, fields) {
    var values = {};
    fields.forEach(function (field) { (values[field[0]] = values[field[0]] || []).push(field[1]); });
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.type === "hidden" || element.type === "submit") { return; }
      var mine = values[element.name] || [];
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = mine.indexOf(element.value) >= 0;
      } else if (mine.length) {
        element.value = mine.shift();
        element.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

  // --- sending --------------------------------------------------------------------------

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("answer") || !stepOf(form)) { return; }
    event.preventDefault();
    var fields = [];
    new FormData(form).forEach(function (value, name) { fields.push([name, String(value)]); });
    var step = stepOf(form);
    var slot = form.dataset.slot || "";
    if (!("keep" in form.dataset)) {  // the newer answer counts
      queue = queue.filter(function (one) { return one.step !== step || (one.slot || "") !== slot; });
    }
    queue.push({ key: newKey(), action: form.action, step: step, slot: slot, fields: fields });
    save();
    Array.prototype.forEach.call(document.querySelectorAll(".send-note"), function (line) {
      line.parentNode.removeChild(line);
    });
    attempt = 0;
    send();
  });

  function send() {
    window.clearTimeout(timer);
    timer = null;
    if (!queue.length || busy) { return; }
    busy = true;
    var sending = queue[0];
    var data = new URLSearchParams();
    sending.fields.forEach(function (field) { data.append(field[0], field[1]); });
    data.append("key", sending.key);
    var controller = window.AbortController ? new AbortController() : null;
    var limit = window.setTimeout(function () { if (controller) { controller.abort(); } }, 15000);
    // The server answers 303 to the page with the thanks: fetch follows it.
    window.fetch(sending.action, { method: "POST", body: data, credentials: "same-origin",
                                   signal: controller ? controller.signal : undefined })
      .then(function (response) {
        return response.text().then(function (text) { return { response: response, text: text }; });
      })
      .then(function (got) {
        window.clearTimeout(limit);
        busy = false;
        answered(sending, got.response, got.text);
      }, function () {  // no network, or no server
        window.clearTimeout(limit);
        busy = false;
        later(sending);
      });
  }

  function answered(sending, response, text) {
    var step = new URL(response.url).searchParams.get("sent");
    if (response.ok && response.redirected && step !== null) {  // stored
      done(sending);
      var parsed = new DOMParser().parseFromString(text, "text/html");
      if (step === body.dataset.step) {  // the page shows its step: as after a post, with the thanks
        showPage(parsed, response.url);
      }
      if (parsed.body.dataset.step !== step) {  // the room had moved on; the page follows it by itself
        note(body.dataset.sendLate, "sent");
      }
    } else if (response.ok && response.redirected) {  // this phone is not known (any more)
      done(sending);
      window.location.replace(home);
      return;
    } else if (response.status >= 500 || [404, 408, 429].indexOf(response.status) >= 0) {
      // The laptop starting or its disk (503), a restart (404), too fast (429): again.
      later(sending);
      return;
    } else {  // the step closed meanwhile (409), or not an answer (400): not counted, and why
      done(sending);
      var page = new DOMParser().parseFromString(text, "text/html");
      var reason = page.querySelector("main .error") || page.querySelector("main h1");
      note(body.dataset.sendNotCounted + (reason ? " " + reason.textContent : ""), "not-counted");
    }
    send();  // the next answer waiting, if any
  }

  function done(sending) {
    queue = queue.filter(function (one) { return one.key !== sending.key; });
    save();
    clearPending();
  }

  function later(sending) {
    if (queue.indexOf(sending) < 0) { send(); return; }  // replaced by a newer answer meanwhile
    showPending();
    attempt += 1;
    var wait = Math.min(5000, 500 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    timer = window.setTimeout(send, wait);
  }

  function now() {
    if (queue.length && !busy) { attempt = 0; send(); }
  }

  window.addEventListener("online", now);
  window.addEventListener("pageshow", now);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { now(); } });

  // Answers still on the phone from before this page loaded: show the one for
  // this page's step in its form, and send them all.
  if (queue.length) {
    var form = document.querySelector("form.answer");
    var mine = form && waiting(stepOf(form), form.dataset.slot);
    if (mine) { fill(form, mine.fields); }
    send();
  }
})();
