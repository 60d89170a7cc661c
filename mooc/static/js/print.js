// A "Print" button for pages worth keeping on paper (recovery codes): shown only
// when this script runs, since the inline handler it replaces is refused by the CSP.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () { window.print(); });
  });
})();
