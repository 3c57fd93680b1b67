// Progressive enhancement only: every page works without this file.
document.documentElement.classList.add("js");
(function () {
  "use strict";
  // Tell the server the visitor's timezone, so times are shown in it (members use their profile's).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + encodeURIComponent(zone)) === -1) {
      document.cookie = "tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* an old browser: UTC it is */ }
})();

// The main menu and the directories' filters are open in the page, so they work without this
// file; on a narrow screen they start closed, and their summary opens them. On a wide one they
// stay open (the CSS hides their summary).
(function () {
  "use strict";
  if (!window.matchMedia) { return; }
  Array.prototype.forEach.call(document.querySelectorAll("details[data-collapse-below]"), function (panel) {
    var narrow = window.matchMedia("(max-width: " + panel.getAttribute("data-collapse-below") + ")");
    function follow() { panel.open = !narrow.matches; }
    follow();
    if (narrow.addEventListener) { narrow.addEventListener("change", follow); }
  });
})();

// The language menu closes when one clicks elsewhere or presses Escape, as menus do.
(function () {
  "use strict";
  var menu = document.querySelector("details.language-switcher");
  if (!menu) { return; }
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) { menu.open = false; }
  });
  menu.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) { menu.open = false; menu.querySelector("summary").focus(); }
  });
})();
