// Follow the facilitator: when the room moves on, show where it is now.
// Everything here is an improvement; the pages work without it.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.events;
  var source = null;
  var again = null;  // the timer that opens a stream closed for good again
  var failures = 0;

  // Whether this page already shows where the room is.
  function shows(now) {
    return !now.closed && now.step === body.dataset.step && String(now.open) === body.dataset.open &&
      (now.stage || "") === (body.dataset.stage || "");
  }

  function follow() {
    if (!url || !window.EventSource) { return; }
    window.clearTimeout(again);
    again = null;
    if (source) { source.close(); }
    // The page says what it shows, so the server need not send it again.
    var opened = source = new EventSource(url + "?step=" + encodeURIComponent(body.dataset.step) +
                                          "&open=" + encodeURIComponent(body.dataset.open) +
                                          (body.dataset.stage ? "&stage=" + encodeURIComponent(body.dataset.stage) : ""));
    // A broken stream the browser opens again by itself, after the server's `retry:`.
    // One answered with anything but 200 (a 503 while the laptop starts, a 404 during
    // a restart) it closes for good: open it again, a little later each time.
    source.addEventListener("error", function () {
      if (opened !== source || opened.readyState !== EventSource.CLOSED || !url) { return; }
      failures += 1;
      var wait = Math.min(30000, 1000 * Math.pow(2, failures - 1)) * (0.5 + Math.random() / 2);
      again = window.setTimeout(follow, wait);
    });
    source.addEventListener("step", function (event) {
      failures = 0;
      var now = JSON.parse(event.data);
      if (shows(now)) { return; }  // what the participant is typing stays
      if (typeof now.html !== "string" || !swap(now)) {
        source.close();
        window.location.replace(body.dataset.home);
      }
    });
  }

  // Put the page the server rendered for this phone in place of this one's,
  // without loading anything. The HTML is parsed by DOMParser, which runs no
  // script, and only its nodes are moved in: participant text, escaped by the
  // server, stays text.
  function swap(now) {
    var main = document.querySelector("main");
    if (!main || !window.DOMParser) { return false; }
    var parsed = new DOMParser().parseFromString(now.html, "text/html").body;
    while (main.firstChild) { main.removeChild(main.firstChild); }
    while (parsed.firstChild) { main.appendChild(document.adoptNode(parsed.firstChild)); }
    document.title = now.title;
    if (now.closed) {  // the workshop has ended: nothing more to follow
      url = null;
      source.close();
      delete body.dataset.step;
      delete body.dataset.open;
      delete body.dataset.stage;
    } else {
      body.dataset.step = now.step;
      body.dataset.open = String(now.open);
      if (now.stage) { body.dataset.stage = now.stage; } else { delete body.dataset.stage; }
    }
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", body.dataset.home);  // not ?sent= of the step before
    }
    enhance(main);
    window.scrollTo(0, 0);
    var heading = main.querySelector("h1");
    if (heading) {  // where a screen reader goes on, as after a page load
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
    return true;
  }

  // After sleep or a lost network, the browser may have given up: start again, now.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  window.addEventListener("online", function () {
    if (source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  // Back from the back/forward cache: the room may have moved on meanwhile.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { follow(); }
  });
  // send.js put a page the server sent in <main>: wire it up as well.
  document.addEventListener("gsdialog:page", function (event) { enhance(event.detail); });

  function enhance(root) {
    // Characters left in each words field.
    Array.prototype.forEach.call(root.querySelectorAll("[data-counter]"), function (input) {
      var counter = document.getElementById(input.dataset.counter);
      var max = parseInt(input.getAttribute("maxlength"), 10);
      function update() {
        counter.textContent = counter.dataset.template.replace("{n}", String(max - input.value.length));
      }
      input.addEventListener("input", update);
      update();
    });

    // Sliders for marks: shown only with JavaScript, kept in step with the number field.
    Array.prototype.forEach.call(root.querySelectorAll("input.slider"), function (slider) {
      var number = document.getElementById(slider.dataset.for);
      slider.hidden = false;
      slider.setAttribute("aria-hidden", "true");
      slider.tabIndex = -1;
      // No value shown until one is chosen; a tap on the value already under the thumb chooses it too.
      function chosen() { number.value = slider.value; slider.classList.remove("unset"); }
      slider.classList.toggle("unset", number.value === "");
      ["input", "change", "click", "pointerup", "touchend"].forEach(function (name) {
        slider.addEventListener(name, chosen);
      });
      number.addEventListener("input", function () {
        if (number.value !== "") { slider.value = number.value; }
        slider.classList.toggle("unset", number.value === "");
      });
    });

    // A step with one statement is answered by the tap on its value (and changed by another tap).
    Array.prototype.forEach.call(root.querySelectorAll("form.answer[data-one-tap]"), function (form) {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=radio]"), function (radio) {
        radio.addEventListener("change", function () {
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        });
      });
    });
  }

  follow();
  enhance(document);
})();
