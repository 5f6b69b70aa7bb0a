// Knowledge base filters: progressive enhancement only; the form works without JavaScript.
// Long facet lists collapse to eight values with a "Show all" toggle.
(function () {
  "use strict";
  // Strings come from the JavaScript catalogue (/jsi18n/, loaded first); if it failed to load,
  // the English source strings are shown.
  var gettext = window.gettext || function (message) { return message; };
  document.querySelectorAll(".kb-facet[data-collapsible]").forEach(function (facet) {
    var hasHiddenSelection = Array.prototype.some.call(
      facet.querySelectorAll(".kb-facet__value:nth-child(n+9) input"),
      function (input) { return input.checked; }
    );
    if (hasHiddenSelection) return;
    facet.setAttribute("data-collapsed", "");
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "link-button kb-facet__toggle";
    toggle.textContent = gettext("Show all");
    toggle.setAttribute("aria-expanded", "false");
    toggle.addEventListener("click", function () {
      var collapsed = facet.hasAttribute("data-collapsed");
      if (collapsed) { facet.removeAttribute("data-collapsed"); } else { facet.setAttribute("data-collapsed", ""); }
      toggle.textContent = collapsed ? gettext("Show fewer") : gettext("Show all");
      toggle.setAttribute("aria-expanded", collapsed ? "true" : "false");
    });
    facet.appendChild(toggle);
  });
})();
