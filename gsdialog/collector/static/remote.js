// The remote follows the session: after each change (and each second while
// the pairs timer runs) the server sends the page's live parts anew. Each
// part is swapped only when it changed, so the buttons stay put while the
// clock ticks and a tap on them is never lost. The page works without this.
(function () {
  "use strict";
  var url = document.body.dataset.remoteEvents;
  var parts = ["status", "controls", "about"];
  var shown = {};
  var source = null;

  function follow() {
    if (!url || !window.EventSource) { return; }
    source = new EventSource(url);
    source.addEventListener("state", function (event) {
      var now = JSON.parse(event.data);
      parts.forEach(function (part) {
        var element = document.getElementById("remote-" + part);
        // The server's own HTML, rendered with autoescaping: workshop text only.
        if (element && now[part] !== shown[part]) {
          element.innerHTML = now[part];
          shown[part] = now[part];
        }
      });
      if (now.ended) { source.close(); }
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  follow();
})();
