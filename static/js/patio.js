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

// The language menu and the main menu's groups close when one clicks elsewhere or presses
// Escape, as menus do, and one group open closes the others. Inside the folded menu of a narrow
// screen the groups are all open, as headed lists.
(function () {
  "use strict";
  var groups = Array.prototype.slice.call(document.querySelectorAll(".nav-group > details"));
  var menus = groups.concat(Array.prototype.slice.call(document.querySelectorAll("details.language-switcher")));
  var folded = document.querySelector("details.site-menu[data-collapse-below]");
  var narrow = folded && window.matchMedia
    ? window.matchMedia("(max-width: " + folded.getAttribute("data-collapse-below") + ")")
    : null;
  function isNarrow() { return Boolean(narrow && narrow.matches); }
  function layGroups() { groups.forEach(function (group) { group.open = isNarrow(); }); }
  layGroups();
  if (narrow && narrow.addEventListener) { narrow.addEventListener("change", layGroups); }
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target) && !(isNarrow() && groups.indexOf(menu) >= 0)) {
        menu.open = false;
      }
    });
  });
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (!menu.open || isNarrow()) { return; }
      menus.forEach(function (other) { if (other !== menu && other.open) { other.open = false; } });
    });
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !(isNarrow() && groups.indexOf(menu) >= 0)) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
  });
})();
