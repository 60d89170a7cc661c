// The "Silakan coba lagi sebentar lagi" page (mooc/templates/503.html): loads the page
// again by itself after the server's Retry-After, with a little jitter so that the
// learners who met the same restart do not all come back in the same millisecond.
// A script, not <meta http-equiv="refresh">: a timed refresh in the markup cannot be
// stopped or announced (axe-core's meta-refresh, WCAG 2.2.1); the link does it now.
(function () {
  "use strict";
  var link = document.querySelector("[data-reload-after]");
  if (!link) { return; }
  var seconds = parseInt(link.getAttribute("data-reload-after"), 10) || 5;
  window.setTimeout(function () {
    window.location.reload();
  }, seconds * 1000 + Math.floor(Math.random() * 1000));
})();
