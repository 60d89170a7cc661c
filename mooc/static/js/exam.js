/* The exam page: autosave of every choice, the countdown from the server's deadline.
 *
 * - Every change posts the question's current choice to the save URL (form-encoded,
 *   with the page's save token and the CSRF header) with client_seq = Date.now(), so
 *   an older save arriving late never overwrites a newer one on the server. A save
 *   or status answer may carry a fresh save token, which replaces the page's. Failed saves are retried with exponential
 *   backoff; until the server confirms, a live region says the answer is not saved.
 * - The grid marks a question answered only after the server confirmed it.
 * - The page carries every question of the attempt in <template>s: Previous, Next
 *   and the grid show another question in place (and push its URL, so a refresh or
 *   Back shows the same one) without a request, so moving on works on a dropped
 *   connection. While an answer is unconfirmed they stay put and the warning shows.
 * - Submit asks its question in place (the submit page's, from a hidden section of this
 *   page): no page load when everybody submits at the end of an exam.
 * - The countdown starts from the seconds the server rendered and re-syncs with the
 *   status URL whenever the tab wakes up (visibilitychange / focus) and every minute.
 * - Without this script the form posts to the same URL and moves on: nothing depends on it.
 */
(function () {
  "use strict";

  var csrfToken = (function () {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  })();
  // Lets a save skip the session (mooc/exams/services/save_tokens.py); the server renews it.
  var saveToken = (function () {
    var examForm = document.getElementById("exam-form");
    return (examForm && examForm.dataset.saveToken) || "";
  })();

  /* ---------------- countdown ---------------- */
  var timer = document.getElementById("exam-timer");
  var announce = document.getElementById("exam-timer-announce");
  var deadlineMs = null; // local clock time at which the server's deadline falls
  var announced = {};
  var expiring = false;

  function fmt(total) {
    total = Math.max(0, Math.floor(total));
    var h = Math.floor(total / 3600);
    var m = Math.floor((total % 3600) / 60);
    var s = total % 60;
    var mm = (m < 10 ? "0" : "") + m;
    var ss = (s < 10 ? "0" : "") + s;
    return h ? h + ":" + mm + ":" + ss : mm + ":" + ss;
  }

  function setRemaining(seconds) {
    deadlineMs = Date.now() + seconds * 1000;
    // Announcements already passed stay done; a longer time (extension) re-arms them.
    if (seconds > 300) announced = {};
    else if (seconds > 60) delete announced.one;
  }

  function say(text) {
    if (!announce || !text) return;
    announce.textContent = "";
    window.setTimeout(function () { announce.textContent = text; }, 50);
  }

  function tick() {
    if (!timer || deadlineMs === null) return;
    var left = (deadlineMs - Date.now()) / 1000;
    var value = timer.querySelector("[data-timer-value]");
    if (value) value.textContent = fmt(left);
    timer.classList.toggle("is-low", left <= 300);
    if (left <= 300 && left > 60 && !announced.five) { announced.five = true; say(timer.dataset.msgFive); }
    if (left <= 60 && left > 0 && !announced.one) { announced.one = true; say(timer.dataset.msgOne); }
    if (left <= 0 && !expiring) {
      expiring = true;
      say(timer.dataset.msgUp);
      // The server grades a moment after the deadline (its grace period): ask it.
      window.setTimeout(function () { sync(true); }, 3000);
    }
  }

  function sync(expired) {
    if (!timer) return;
    fetch(timer.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (data.state !== "in_progress") {
          window.location.assign(data.result_url || timer.dataset.resultUrl);
          return;
        }
        if (data.save_token) saveToken = data.save_token;
        setRemaining(data.remaining_seconds);
        if (data.remaining_seconds > 0) expiring = false;
        else if (expired) window.setTimeout(function () { sync(true); }, 3000);
        markGrid(data.answered || []);
      })
      .catch(function () {
        if (expired) window.setTimeout(function () { sync(true); }, 5000);
      });
  }

  if (timer) {
    setRemaining(parseInt(timer.dataset.remainingSeconds, 10) || 0);
    tick();
    window.setInterval(tick, 1000);
    window.setInterval(function () { sync(false); }, 60000);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") sync(false);
    });
    window.addEventListener("focus", function () { sync(false); });
  }

  /* ---------------- grid ---------------- */
  var grid = document.querySelector(".exam-grid");

  function markOne(number, answered) {
    if (!grid) return;
    var link = grid.querySelector('[data-grid-number="' + number + '"]');
    if (!link) return;
    link.classList.toggle("btn-success", answered);
    link.classList.toggle("is-answered", answered);
    link.classList.toggle("btn-outline-secondary", !answered);
    var label = link.querySelector("[data-grid-label]");
    if (label) label.textContent = answered ? grid.dataset.msgAnswered : grid.dataset.msgUnanswered;
  }

  function markGrid(answeredNumbers) {
    if (!grid) return;
    var set = {};
    answeredNumbers.forEach(function (n) { set[n] = true; });
    // Keep a question with an unconfirmed local save as it is.
    Array.prototype.forEach.call(grid.querySelectorAll("[data-grid-number]"), function (link) {
      var n = link.getAttribute("data-grid-number");
      if (pending && pending.position === n) return;
      markOne(n, !!set[n]);
    });
  }

  /* ---------------- autosave ---------------- */
  var form = document.getElementById("exam-form");
  var state = document.getElementById("save-state");
  var position = form ? form.querySelector("input[name=position]").value : null;
  var pending = null; // the latest unconfirmed save: {seq, options, position}
  var inFlight = false;
  var attempt = 0;
  var retryTimer = null;
  var closed = false;

  function showState(text, unsaved) {
    if (!state) return;
    state.textContent = text;
    state.classList.toggle("text-danger", !!unsaved);
    state.classList.toggle("fw-semibold", !!unsaved);
  }

  function chosen() {
    return Array.prototype.map.call(
      form.querySelectorAll("input[name=options]:checked"),
      function (input) { return input.value; }
    );
  }

  function send() {
    if (!pending || inFlight || closed) return;
    var job = pending;
    var body = new URLSearchParams();
    body.append("position", job.position);
    body.append("client_seq", String(job.seq));
    job.options.forEach(function (o) { body.append("options", o); });
    inFlight = true;
    var headers = { Accept: "application/json", "X-CSRFToken": csrfToken };
    if (saveToken) headers["X-Save-Token"] = saveToken;
    fetch(form.dataset.saveUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: headers,
    })
      .then(function (r) {
        var after = parseInt(r.headers.get("Retry-After") || "", 10);
        return r.json().catch(function () { return {}; }).then(function (data) {
          return { status: r.status, data: data, retryAfter: isNaN(after) ? 0 : after };
        });
      })
      .then(function (res) {
        inFlight = false;
        if (res.status === 409) {
          closed = true;
          pending = null;
          showState(res.data.message || "", true);
          window.setTimeout(function () {
            window.location.assign(res.data.result_url || (timer && timer.dataset.resultUrl));
          }, 2500);
          return;
        }
        if (res.status === 400 || res.status === 403 || res.status === 404) {
          // Not retryable (e.g. the session ended): say so and keep the warning on.
          showState(res.data.message || form.dataset.msgUnsaved, true);
          pending = null;
          return;
        }
        if (res.status !== 200 || !res.data.ok) {
          // A node restarting or busy (502/503/429 from nginx or the app): retried, at the
          // server's Retry-After when it gives one.
          var error = new Error(String(res.status));
          error.retryAfter = res.retryAfter;
          throw error;
        }
        if (res.data.save_token) saveToken = res.data.save_token;
        attempt = 0;
        if (pending === job) {
          pending = null;
          if (job.position === position) showState(form.dataset.msgSaved, false);
          markOne(job.position, !!res.data.answered);
        } else {
          send(); // a newer choice was made meanwhile
        }
      })
      .catch(function (error) {
        inFlight = false;
        attempt += 1;
        showState(form.dataset.msgUnsaved, true);
        var delay = Math.min(30000, 1000 * Math.pow(2, attempt - 1)) + Math.random() * 500;
        if (error && error.retryAfter > 0) delay = Math.min(60000, error.retryAfter * 1000) + Math.random() * 500;
        window.clearTimeout(retryTimer);
        retryTimer = window.setTimeout(send, delay);
      });
  }

  /* ---------------- moving between questions ---------------- */
  var heading = document.getElementById("exam-heading");
  var questionBody = form && form.querySelector("[data-question-body]");
  var questionNav = form && form.querySelector("[data-question-nav]");
  var answers = {}; // question number -> option values chosen since the page loaded

  function fill(target, source) {
    while (target.firstChild) target.removeChild(target.firstChild);
    while (source && source.firstChild) target.appendChild(source.firstChild);
  }

  function show(number, push) {
    var template = document.getElementById("exam-q-" + number);
    if (!template || !questionBody || !questionNav || !heading) return false;
    var copy = template.content.cloneNode(true);
    fill(questionBody, copy.querySelector('[data-part="body"]'));
    fill(questionNav, copy.querySelector('[data-part="nav"]'));
    position = String(number);
    form.querySelector("input[name=position]").value = position;
    if (answers[position]) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=options]"), function (input) {
        input.checked = answers[position].indexOf(input.value) >= 0;
      });
    }
    var link = grid && grid.querySelector('[data-grid-number="' + position + '"]');
    var answered = link ? link.classList.contains("is-answered") : template.dataset.answered === "1";
    showState(answered ? form.dataset.msgSaved : "", false);
    document.title = document.title.replace(heading.textContent, template.dataset.heading);
    heading.textContent = template.dataset.heading;
    if (grid) {
      Array.prototype.forEach.call(grid.querySelectorAll("[aria-current]"), function (a) {
        a.removeAttribute("aria-current");
      });
      if (link) link.setAttribute("aria-current", "page");
    }
    if (push) {
      var url = link ? link.getAttribute("href") : window.location.pathname;
      window.history.pushState({ question: position }, "", url);
    }
    window.scrollTo(0, 0);
    heading.focus();
    return true;
  }

  /* ---------------- the submit confirmation, in place ---------------- */
  // The submit page's question ("Submit your answers?" and how many are unanswered)
  // shown on this page: at the end of an exam everybody submits within minutes, and
  // this spares the server a page per learner. The count is the grid's: answers the
  // server has confirmed (and no save may be pending when it opens).
  var submitView = document.getElementById("exam-submit-view");
  var submitLink = document.querySelector("[data-submit-link]");

  function openSubmit() {
    if (!submitView || !form || !heading) return false;
    if (pending || inFlight) {
      showState(form.dataset.msgUnsaved, true);
      send();
      return true;
    }
    var texts = [];
    try { texts = JSON.parse(submitView.dataset.unanswered || "[]"); } catch (e) { return false; }
    var open = 0;
    if (grid) {
      Array.prototype.forEach.call(grid.querySelectorAll("[data-grid-number]"), function (link) {
        if (!link.classList.contains("is-answered")) open += 1;
      });
    }
    var count = submitView.querySelector("[data-submit-count]");
    count.textContent = texts[open] || "";
    count.className = "alert " + (open ? "alert-warning" : "alert-success");
    form.hidden = true;
    heading.hidden = true;
    if (submitLink) submitLink.hidden = true;
    submitView.hidden = false;
    window.scrollTo(0, 0);
    document.getElementById("exam-submit-heading").focus();
    return true;
  }

  function closeSubmit() {
    if (!submitView || submitView.hidden) return false;
    submitView.hidden = true;
    form.hidden = false;
    heading.hidden = false;
    if (submitLink) submitLink.hidden = false;
    return true;
  }

  // Moving on waits for the answer to be confirmed, so the warning is never missed.
  function go(number) {
    if (pending || inFlight) {
      showState(form.dataset.msgUnsaved, true);
      send();
      return true;
    }
    return show(number, true);
  }

  if (form) {
    window.history.replaceState({ question: position }, "", window.location.href);
    window.addEventListener("popstate", function (event) {
      if (event.state && event.state.question) show(event.state.question, false);
    });
    if (grid) {
      grid.addEventListener("click", function (event) {
        var link = event.target.closest && event.target.closest("[data-grid-number]");
        if (!link || !document.getElementById("exam-q-" + link.dataset.gridNumber)) return;
        event.preventDefault();
        var wasOpen = closeSubmit();
        if (link.dataset.gridNumber !== position) go(link.dataset.gridNumber);
        else if (wasOpen) heading.focus();
      });
    }
    form.addEventListener("change", function (event) {
      if (!event.target || event.target.name !== "options") return;
      answers[position] = chosen();
      pending = { seq: Date.now(), options: answers[position], position: position };
      showState(form.dataset.msgSaving, false);
      send();
    });
    // A choice made before this script ran (a slow connection) fired no change event
    // that we saw: the boxes differ from what the server rendered, so save them now.
    var changedEarly = Array.prototype.some.call(
      form.querySelectorAll("input[name=options]"),
      function (input) { return input.checked !== input.defaultChecked; }
    );
    if (changedEarly) {
      answers[position] = chosen();
      pending = { seq: Date.now(), options: answers[position], position: position };
      showState(form.dataset.msgSaving, false);
      send();
    }
    // Coming back online: retry at once instead of waiting for the backoff.
    window.addEventListener("online", function () { window.clearTimeout(retryTimer); send(); });
    // With the script the navigation buttons just move (every choice is saved
    // already): to another question in place, or to the submit page.
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (!button || !button.dataset.href) return;
      event.preventDefault();
      if (button.dataset.number && go(button.dataset.number)) return;
      if (pending || inFlight) {
        showState(form.dataset.msgUnsaved, true);
        send();
        return;
      }
      if (button.value === "submit" && openSubmit()) return;
      window.location.assign(button.dataset.href);
    });
    var opener = document.querySelector("[data-submit-open]");
    if (opener) {
      opener.addEventListener("click", function (event) {
        if (openSubmit()) event.preventDefault();
      });
    }
    var back = submitView && submitView.querySelector("[data-submit-back]");
    if (back) {
      back.addEventListener("click", function () {
        closeSubmit();
        heading.focus();
      });
    }
    window.addEventListener("beforeunload", function (event) {
      if (pending && !closed) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
