// "Lees voor": read the question aloud with the phone's own speech synthesis
// (Web Speech API), in the page's language. Nothing leaves the phone. The
// button stays hidden when the phone has no voice for the language; tapped
// while reading, it stops; a new step (live.js swaps <main>) stops it too.
(function () {
  "use strict";
  var speech = window.speechSynthesis;
  var main = document.querySelector("main");
  if (!speech || !window.SpeechSynthesisUtterance || !main) { return; }
  var lang = (document.documentElement.getAttribute("lang") || "").toLowerCase();
  var reading = false;
  var round = 0;  // which reading an utterance belongs to: a cancelled one's late "end" changes nothing

  // A voice whose language is the page's ("tr" finds "tr-TR"), the phone's default first.
  function voiceFor() {
    var voices = speech.getVoices() || [];
    var found = null;
    for (var i = 0; i < voices.length; i++) {
      var code = String(voices[i].lang || "").toLowerCase().replace("_", "-");
      if (code === lang || code.split("-")[0] === lang) {
        if (!found || voices[i]["default"]) { found = voices[i]; }
      }
    }
    return found;
  }

  // What a participant reads: the question, the statements, the options, the scale's ends.
  function texts() {
    var parts = [];
    var nodes = main.querySelectorAll(
      "h1, .prompt, form.answer legend, form.answer .pick, form.answer .visually-hidden, " +
      "form.answer label[for], form.answer .hint, .rounds li");
    Array.prototype.forEach.call(nodes, function (node) {
      var text = (node.textContent || "").replace(/\s+/g, " ").trim();
      if (text) { parts.push(text); }
    });
    return parts;
  }

  function button() { return main.querySelector("button.read-aloud"); }

  function show(reading_now) {
    var b = button();
    reading = reading_now;
    if (!b || !b.dataset.wired) { return; }
    b.textContent = reading ? b.dataset.stop : b.dataset.start;
    b.classList.toggle("reading", reading);
  }

  function stop() {
    round += 1;
    if (reading || speech.speaking || speech.pending) { speech.cancel(); }
    show(false);
  }

  function read() {
    var voice = voiceFor();
    var parts = texts();
    if (!voice || !parts.length) { return; }
    speech.cancel();
    round += 1;
    var mine = round;
    show(true);
    function done() { if (mine === round) { show(false); } }
    parts.forEach(function (text, index) {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = voice.lang || lang;
      utterance.voice = voice;
      if (index === parts.length - 1) {
        utterance.onend = done;
        utterance.onerror = done;
      }
      speech.speak(utterance);
    });
  }

  // Show the button (in the page's <main>) only when there is a voice for the language.
  function wire() {
    var b = button();
    if (!b || b.dataset.wired) { return; }
    b.dataset.wired = "true";
    b.dataset.start = b.textContent;
    b.addEventListener("click", function () { if (reading) { stop(); } else { read(); } });
    b.hidden = !voiceFor();
  }

  if (typeof speech.addEventListener === "function") {
    speech.addEventListener("voiceschanged", function () {
      var b = button();
      if (b) { b.hidden = !voiceFor(); }
    });
  }
  // A new step: live.js puts new nodes in <main>; what was being read is no longer there.
  new MutationObserver(function () { wire(); stop(); }).observe(main, { childList: true });
  window.addEventListener("pagehide", stop);
  wire();
})();
