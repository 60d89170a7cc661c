// Show the unit picker to internal employees and the institution field to
// external ones; filter the long unit list as the learner types.
(function () {
  "use strict";
  var form = document.getElementById("register-form");
  function sync() {
    var checked = form.querySelector("input[name=employee_type]:checked");
    var type = checked ? checked.value : "internal";
    form.querySelectorAll("[data-for-type]").forEach(function (box) {
      box.hidden = box.dataset.forType !== type;
    });
  }
  form.addEventListener("change", function (e) { if (e.target.name === "employee_type") sync(); });
  sync();
  var filter = document.getElementById("unit-filter");
  var select = document.getElementById("id_unit");
  filter.parentElement.classList.remove("d-none");
  filter.addEventListener("input", function () {
    var q = filter.value.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = q !== "" && option.value !== "" && option.text.toLowerCase().indexOf(q) === -1;
    });
  });
})();
