// The remote follows the session: the server sends its main part anew after
// each change (and now and then for the clock). The page works without this.
(function () {
  "use strict";
  var url = document.body.dataset.remoteEvents;
  var now = document.getElementById("remote-now");
  var source = null;

  function follow() {
    if (!url || !window.EventSource || !now) { return; }
    source = new EventSource(url);
    source.addEventListener("state", function (event) {
      // The server's own HTML, rendered with autoescaping: workshop text only.
      now.innerHTML = JSON.parse(event.data).html;
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && source && source.readyState === EventSource.CLOSED) { follow(); }
  });
  follow();
})();
