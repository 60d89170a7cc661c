// The course builder (mooc.authoring.admin): move buttons without a page load, and
// drag and drop. Without JavaScript the move buttons are plain forms and still work.
(function () {
  "use strict";
  var root = document.querySelector(".builder");
  if (!root) return;
  var status = root.querySelector(".builder-status");
  var token = (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";

  function say(text) {
    // Cleared first, so the same sentence twice is announced twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function post(url, body, json) {
    var headers = { "X-CSRFToken": token, "X-Requested-With": "XMLHttpRequest" };
    if (json) headers["Content-Type"] = "application/json";
    return fetch(url, { method: "POST", body: body, headers: headers, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) throw new Error(data.error || root.dataset.labelFailed);
          return data;
        });
      });
  }

  // Move buttons: the item trades places with its neighbour, focus stays on the button.
  root.addEventListener("submit", function (event) {
    var form = event.target.closest(".builder-move-form");
    if (!form) return;
    event.preventDefault();
    var item = form.closest(".builder-item");
    var up = form.querySelector("input[name=direction]").value === "up";
    var button = form.querySelector("button");
    post(form.action, new FormData(form), false).then(function (data) {
      var list = item.parentElement;
      if (up && item.previousElementSibling) {
        list.insertBefore(item, item.previousElementSibling);
      } else if (!up && item.nextElementSibling) {
        list.insertBefore(item.nextElementSibling, item);
      }
      button.focus();
      say(data.message);
    }).catch(function (problem) { say(problem.message); });
  });

  // Drag and drop within one list (sections, the materials of a section, ...).
  var dragged = null;
  root.querySelectorAll(".builder-list[data-kind] > .builder-item").forEach(function (item) {
    if (item.querySelector(".builder-grip")) {
      item.draggable = true;
      item.title = root.dataset.labelDrag;
    }
  });
  root.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".builder-item");
    if (!item || !item.draggable) return;
    dragged = item;
    item.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.id);
  });
  root.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var over = event.target.closest && event.target.closest(".builder-item");
    while (over && over.parentElement !== dragged.parentElement) {
      over = over.parentElement.closest(".builder-item");
    }
    if (!over || over === dragged) return;
    event.preventDefault();
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    over.parentElement.insertBefore(dragged, after ? over.nextElementSibling : over);
  });
  root.addEventListener("dragend", function () {
    if (!dragged) return;
    var list = dragged.parentElement;
    dragged.classList.remove("is-dragging");
    dragged = null;
    var ids = Array.prototype.map.call(list.children, function (child) {
      return Number(child.dataset.id);
    });
    post(root.dataset.reorderUrl, JSON.stringify({ kind: list.dataset.kind, ids: ids }), true)
      .then(function (data) { say(data.message); })
      .catch(function (problem) { say(problem.message); window.location.reload(); });
  });
})();
