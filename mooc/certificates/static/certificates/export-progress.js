// Refreshes the progress bars of running certificate exports in the admin list.
(function () {
  "use strict";
  function poll() {
    var bars = document.querySelectorAll("progress[data-export]");
    var running = Array.prototype.filter.call(bars, function (bar) {
      return Number(bar.value) < 100;
    });
    if (!running.length) return;
    Promise.all(running.map(function (bar) {
      var id = bar.getAttribute("data-export");
      var url = window.location.pathname.replace(/\/$/, "") + "/" + id + "/progress/";
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          bar.value = data.percent;
          bar.textContent = data.percent + "%";
          var text = document.querySelector('[data-export-text="' + id + '"]');
          if (text) text.textContent = data.done + " / " + data.total;
          if (data.state === "done" || data.state === "failed") window.location.reload();
        });
    })).finally(function () { window.setTimeout(poll, 2000); });
  }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(poll, 2000); });
})();
