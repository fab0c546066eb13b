// Follow the facilitator: when the step changes, load the page anew.
// Everything here is an improvement; the pages work without it.
(function () {
  "use strict";
  var body = document.body;
  var url = body.dataset.events;
  var source = null;

  function follow() {
    if (!url || !window.EventSource) { return; }
    source = new EventSource(url);
    source.addEventListener("step", function (event) {
      var now = JSON.parse(event.data);
      if (now.step !== body.dataset.step || String(now.open) !== body.dataset.open || now.closed) {
        source.close();
        window.location.replace(body.dataset.home);
      }
    });
  }

  // After sleep or a lost network, the browser may have given up: start again.
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  window.addEventListener("online", function () {
    if (source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  follow();

  // Characters left in each words field.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-counter]"), function (input) {
    var counter = document.getElementById(input.dataset.counter);
    var max = parseInt(input.getAttribute("maxlength"), 10);
    function update() {
      counter.textContent = counter.dataset.template.replace("{n}", String(max - input.value.length));
    }
    input.addEventListener("input", update);
    update();
  });

  // Sliders for marks: shown only with JavaScript, kept in step with the number field.
  Array.prototype.forEach.call(document.querySelectorAll("input.slider"), function (slider) {
    var number = document.getElementById(slider.dataset.for);
    slider.hidden = false;
    slider.setAttribute("aria-hidden", "true");
    slider.tabIndex = -1;
    slider.addEventListener("input", function () { number.value = slider.value; });
    number.addEventListener("input", function () { if (number.value !== "") { slider.value = number.value; } });
  });
})();
