// Video facades (course player, course page, video tutorials); pages work without it.
(function () {
  "use strict";

  // An external video's facade is a link to the video's own page. With JavaScript it
  // becomes a button that loads the privacy-friendly player in place, so nothing is
  // fetched from the video host before the learner asks for it.
  document.querySelectorAll("a.video-facade[data-embed-url]").forEach(function (link) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.innerHTML = link.innerHTML;
    var note = button.querySelector("[data-new-tab-note]");
    if (note) {
      note.remove();
    }
    button.addEventListener("click", function () {
      var url = link.dataset.embedUrl;
      var frame = document.createElement("iframe");
      frame.src = url + (url.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
      frame.title = link.dataset.title;
      frame.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
      frame.allowFullscreen = true;
      // The site sends Referer only to itself; YouTube's player refuses to play without one.
      frame.referrerPolicy = "strict-origin-when-cross-origin";
      button.replaceWith(frame);
      frame.focus();
    });
    link.replaceWith(button);
  });
})();
