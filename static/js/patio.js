// Progressive enhancement only: every page works without this file.
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
