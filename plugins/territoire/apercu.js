/* Local preview (invoke serve / make serve) only, never published: shows the build's French
   errors over the page and reloads the page after a good rebuild. Loaded as an external file,
   so the site's Content-Security-Policy (no inline script) holds. */
(function () {
  "use strict";
  var seen = null;
  var overlay = null;

  function show(state) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "apercu-erreurs";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "apercu-erreurs-titre");
      var s = overlay.style; // CSSOM, allowed by a strict style-src (no style attribute in markup)
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.zIndex = "2147483647";
      s.maxHeight = "80vh"; s.overflow = "auto"; s.padding = "1.25rem 1.5rem";
      s.background = "#fff5f5"; s.color = "#1a1a1a"; s.borderBottom = "4px solid #b00020";
      s.boxShadow = "0 4px 16px rgba(0, 0, 0, 0.3)"; s.font = "16px/1.5 system-ui, sans-serif";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.id = "apercu-erreurs-titre";
    title.textContent = "Le site n'a pas été reconstruit : le contenu contient des erreurs";
    title.style.margin = "0 0 0.5rem"; title.style.color = "#b00020";
    var message = document.createElement("p");
    message.textContent = state.message;
    var details = document.createElement("pre");
    details.textContent = state.details;
    details.style.whiteSpace = "pre-wrap"; details.style.font = "15px/1.5 ui-monospace, monospace";
    var help = document.createElement("p");
    help.textContent = "Corrigez puis enregistrez le fichier : la page se recharge seule. En dessous, la version précédente du site.";
    overlay.appendChild(title); overlay.appendChild(message); overlay.appendChild(details); overlay.appendChild(help);
  }

  function poll() {
    fetch("/_apercu/etat.json", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen !== null && state.version !== seen && state.etat === "ok") {
          window.location.reload();
          return;
        }
        seen = state.version;
        if (state.etat === "erreur") { show(state); }
        else if (overlay) { overlay.remove(); overlay = null; }
      })
      .catch(function () { /* the preview server restarts: try again */ })
      .then(function () { window.setTimeout(poll, 1000); });
  }
  poll();
})();
