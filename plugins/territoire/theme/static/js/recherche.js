/* Starts the self-hosted Pagefind UI on /recherche/ (the index is built by Pagefind after
   Pelican; pagefind-ui.js, loaded before this module, defines PagefindUI). */
function start() {
  var root = document.getElementById("recherche");
  if (!root || typeof PagefindUI === "undefined") return;
  var query = new URLSearchParams(window.location.search).get("q") || "";
  root.innerHTML = "";
  var ui = new PagefindUI({
    element: "#recherche",
    bundlePath: root.getAttribute("data-bundle"),
    showSubResults: false,
    showImages: true,
    resetStyles: false,
    // An offer's result names its commune and price after its title (data-pagefind-meta on the
    // offer's page); the title is drawn as text.
    processResult: function (result) {
      var m = result.meta || {};
      var facts = [m.commune, m.prix].filter(Boolean).join(" · ");
      if (facts) m.title = m.title + " — " + facts;
      return result;
    },
    translations: {
      placeholder: "Rechercher une offre, un partenaire, un événement…",
      clear_search: "Effacer",
      load_more: "Afficher plus de résultats",
      search_label: "Rechercher sur le site",
      filters_label: "Filtres",
      zero_results: "Aucun résultat pour « [SEARCH_TERM] »",
      many_results: "[COUNT] résultats pour « [SEARCH_TERM] »",
      one_result: "[COUNT] résultat pour « [SEARCH_TERM] »",
      alt_search: "Aucun résultat pour « [SEARCH_TERM] ». Résultats pour « [DIFFERENT_TERM] » :",
      search_suggestion: "Aucun résultat pour « [SEARCH_TERM] ». Essayez une de ces recherches :",
      searching: "Recherche de « [SEARCH_TERM] »…"
    }
  });
  if (!query) return;
  // The search of ?q= starts once Pagefind has its filters: started together, the UI's search and
  // its loading of the filters could leave the page without filters (about one load in five on a
  // busy machine). Pagefind's API is the module the UI imports: the same instance, the filters
  // fetched once.
  import(root.getAttribute("data-bundle") + "pagefind.js")
    .then(function (pagefind) {
      return pagefind.filters();
    })
    .catch(function () {})
    .then(function () {
      ui.triggerSearch(query);
    });
}

start();
