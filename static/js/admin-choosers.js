// Wagtail's date, time and date-time pickers, started from data attributes instead of the
// inline <script> Wagtail writes beside each widget, so the admin's Content Security Policy can
// forbid every inline script. Each marker is started once, including markers added to the page
// later (forms loaded into dialogs).
(function () {
  "use strict";
  var CHOOSERS = ["initDateChooser", "initDateTimeChooser", "initTimeChooser"];

  function start(marker) {
    if (marker.dataset.hopeStarted) return;
    var name = marker.dataset.hopeChooser;
    var init = window[name];
    if (CHOOSERS.indexOf(name) === -1 || typeof init !== "function") return;
    var config = {};
    try {
      config = JSON.parse(marker.dataset.hopeConfig || "{}");
    } catch (error) {
      config = {};
    }
    marker.dataset.hopeStarted = "1";
    init(marker.dataset.hopeFor, config);
  }

  function startAll(root) {
    var markers = (root || document).querySelectorAll("[data-hope-chooser]");
    for (var i = 0; i < markers.length; i += 1) start(markers[i]);
  }

  function watch() {
    startAll(document);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(function (node) {
          if (node.nodeType !== 1) return;
          if (node.matches("[data-hope-chooser]")) start(node);
          startAll(node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();

// Wagtail's inline panels (a model's child rows, such as an organisation's email domains),
// started from the data attribute templates/wagtailadmin/panels/inline_panel.html writes in
// place of Wagtail's inline script.
(function () {
  "use strict";

  function startPanels() {
    var markers = document.querySelectorAll("[data-hope-inline-panel]");
    for (var i = 0; i < markers.length; i += 1) {
      var marker = markers[i];
      if (marker.dataset.hopeStarted || typeof window.InlinePanel !== "function") continue;
      marker.dataset.hopeStarted = "1";
      new window.InlinePanel(JSON.parse(marker.dataset.hopeInlinePanel));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startPanels);
  } else {
    startPanels();
  }
})();
