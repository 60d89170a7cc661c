// The project's admin script, loaded on every admin page by
// mooc/templates/admin/base_site.html. Django's SelectFilter2 (the two-list picker)
// puts an aria-label on a bare <span> icon, which ARIA does not allow; give those
// icons the image role their label describes, whenever the picker draws them.
// Tabular inlines (a course's instructors, its sections) name their columns in the
// table head only: each box gets its column's name, so it is not announced unnamed.
(function () {
  "use strict";
  function fix(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll(".tabular table").forEach(function (table) {
      const heads = table.querySelectorAll("thead th");
      const boxes = table.querySelectorAll(
        "tbody td input:not([type=hidden]):not([aria-label]), tbody td select:not([aria-label]), tbody td textarea:not([aria-label])"
      );
      boxes.forEach(function (box) {
        if (box.labels && box.labels.length) return;
        const cell = box.closest("td");
        const head = cell ? heads[cell.cellIndex] : null;
        const name = head ? head.textContent.trim() : "";
        if (name) box.setAttribute("aria-label", name);
      });
    });
  }
  new MutationObserver(function () {
    fix(document);
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("DOMContentLoaded", function () {
    fix(document);
  });
})();
