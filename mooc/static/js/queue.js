// The "Menunggu giliran…" page (mooc/core/admission.py): counts down to the learner's
// turn and posts the form again by itself. A little jitter spreads the learners who got
// the same second, so they do not all arrive in its first millisecond.
(function () {
  "use strict";
  var form = document.querySelector("[data-queue-form]");
  if (!form) { return; }
  var counter = document.querySelector("[data-queue-countdown]");
  var left = parseInt(form.getAttribute("data-queue-wait"), 10) || 1;
  var due = Date.now() + left * 1000 + Math.floor(Math.random() * 800);
  var timer = window.setInterval(function () {
    var seconds = Math.max(0, Math.ceil((due - Date.now()) / 1000));
    if (counter) { counter.textContent = String(seconds); }
    if (Date.now() >= due) {
      window.clearInterval(timer);
      form.submit();
    }
  }, 250);
})();
