// The refresh button next to the captcha image: fetch a new code in place.
(function () {
  if (window.moocCaptchaBound) return;
  window.moocCaptchaBound = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".captcha-refresh");
    if (!button) return;
    var form = button.closest("form");
    fetch(button.dataset.refreshUrl, { headers: { "X-Requested-With": "XMLHttpRequest" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data || !data.key) return; // 429 (too many refreshes): keep the current code
        form.querySelector(".captcha-image").src = data.image_url;
        form.querySelector("input[name$='captcha_0']").value = data.key;
        var text = form.querySelector("input[name$='captcha_1']");
        text.value = "";
        text.focus();
      });
  });
})();
