// Long lists of checkboxes (patio.forms.SearchableCheckboxes) get a "Filter the list" box.
// Progressive enhancement only: without this file every checkbox is there, works and is sent;
// the box stays hidden because it could not filter anything.
(function () {
  "use strict";

  // Letters that do not decompose into a base letter and a mark: as patio/db.py folds them, so
  // "strasse" finds "Straße" here as the directory's search does.
  var LETTERS = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "ı": "i", "þ": "th" };

  function fold(text) {
    return text.toLowerCase()
      .replace(/[ßæœøđłıþ]/g, function (letter) { return LETTERS[letter]; })
      .normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
      .replace(/\s+/g, " ").trim();
  }

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function labelText(input) {
    return input.parentNode.textContent.replace(/\s+/g, " ").trim();
  }

  function enhance(list) {
    if (list.hasAttribute("data-checklist-ready")) { return; }
    list.setAttribute("data-checklist-ready", "");
    var tools = list.querySelector("[data-checklist-tools]");
    var box = list.querySelector("[data-checklist-filter]");
    var count = list.querySelector("[data-checklist-count]");
    var summary = list.querySelector("[data-checklist-summary]");
    var options = Array.prototype.slice.call(list.querySelectorAll("[data-checklist-option]"));
    var groups = Array.prototype.slice.call(list.querySelectorAll("[data-checklist-group]"));
    var words = options.map(function (option) { return fold(option.textContent); });
    var inputs = options.map(function (option) { return option.querySelector("input"); });
    var texts = list.dataset;
    var announce = null;

    function shownText(shown) {
      return fill(texts.countText, { shown: String(shown), total: String(options.length) });
    }

    function filter() {
      var term = fold(box.value);
      var shown = 0;
      options.forEach(function (option, i) {
        var match = term === "" || words[i].indexOf(term) !== -1;
        option.hidden = !match;
        if (match) { shown += 1; }
      });
      groups.forEach(function (group) {
        group.hidden = !group.querySelector("[data-checklist-option]:not([hidden])");
      });
      // The list changes at once; the count is said once typing pauses, not at every letter.
      window.clearTimeout(announce);
      announce = window.setTimeout(function () { count.textContent = shownText(shown); }, 400);
    }

    function summarise() {
      var names = inputs.filter(function (input) { return input.checked; }).map(labelText);
      if (names.length === 0) {
        summary.textContent = texts.noneText;
        return;
      }
      var listed = names.slice(0, 3).join(texts.separator) + (names.length > 3 ? texts.separator + "…" : "");
      summary.textContent = fill(texts.chosenText, { count: String(names.length), names: listed });
    }

    box.addEventListener("input", filter);
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter in a text box sends its form: here it would send a half-made choice.
        event.preventDefault();
      } else if (event.key === "Escape" && box.value !== "") {
        event.preventDefault();
        box.value = "";
        filter();
      }
    });
    list.addEventListener("change", function (event) {
      if (event.target !== box) { summarise(); }
    });
    count.textContent = shownText(options.length);
    summarise();
    tools.hidden = false;
    summary.hidden = false;
  }

  function enhanceWithin(root) {
    if (root.matches && root.matches("[data-checklist]")) { enhance(root); }
    Array.prototype.forEach.call(root.querySelectorAll("[data-checklist]"), enhance);
  }

  enhanceWithin(document);
  // Forms htmx swaps in later (an added role) are enhanced as they arrive.
  document.addEventListener("htmx:load", function (event) { enhanceWithin(event.target); });
})();
