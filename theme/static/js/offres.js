/* Instant filtering of /offres/ over offres/filtres.json. Without this script, the filter
   links lead to pre-rendered facet pages. The URL query mirrors the filters (?secteur=…),
   so a filtered list can be shared and the back button works. */
(function () {
  "use strict";
  var form = document.getElementById("filtres");
  var list = document.getElementById("liste-offres");
  var status = document.getElementById("resultats-nombre");
  if (!form || !list || !status || !window.fetch || !window.history.pushState) return;
  var KINDS = ["nature", "secteur", "territoire", "commune"];
  var PAGE = 24;
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"];
  var base = form.getAttribute("data-base");
  var data = null;
  var shown = PAGE;

  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "\u00a0"); }
  function plural(n, one, many) { return number(n) + " " + (n < 2 ? one : many); }
  function day(days) {
    var d = new Date(Date.UTC(2000, 0, 1) + days * 86400000);
    var n = d.getUTCDate();
    return (n === 1 ? "1er" : n) + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear();
  }
  function words(code, sep) {
    return code.split(".").map(function (i) { return data.mots[parseInt(i, 36)]; }).join(sep);
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // Offer row: [slug, title, nature, secteur, commune, day, negotiation, figure?]
  function value(row, kind) {
    if (kind === "nature") return data.natures[row[2]][0];
    if (kind === "secteur") return data.secteurs[row[3]][0];
    var c = data.communes[row[4]];
    return kind === "commune" ? c[0] : data.epci[c[2]][0];
  }

  function current() {
    var params = new URLSearchParams(window.location.search);
    var f = {};
    KINDS.forEach(function (k) { f[k] = params.get(k) || ""; });
    return f;
  }

  function matches(row, f, except) {
    for (var i = 0; i < KINDS.length; i++) {
      var k = KINDS[i];
      if (k !== except && f[k] && value(row, k) !== f[k]) return false;
    }
    return true;
  }

  function card(row) {
    var li = el("li", "card offer-card");
    var h = el("h3", "card-title");
    var a = el("a", "", words(row[1], " "));
    a.href = base + "offres/" + words(row[0], "-") + "/";
    h.appendChild(a);
    li.appendChild(h);
    if (row[6]) li.appendChild(el("p", "badge", "En négociation"));
    li.appendChild(el("p", "meta", data.natures[row[2]][1] + " · " + data.secteurs[row[3]][1]));
    var c = data.communes[row[4]];
    var place = el("p", "", c[1] + " ");
    place.appendChild(el("span", "muted", "(" + data.epci[c[2]][1] + ")"));
    li.appendChild(place);
    if (row.length > 7) {
      var fig = row[7] >= 0 ? "Prix : " + number(row[7]) + "\u00a0€" : "Loyer : " + number(-row[7]) + "\u00a0€ par mois";
      li.appendChild(el("p", "figures", fig));
    }
    li.appendChild(el("p", "muted", "Publiée le " + day(row[5])));
    return li;
  }

  function render() {
    var f = current();
    KINDS.forEach(function (k) {
      var select = form.elements[k];
      // Counts of each option given the other filters.
      var counts = {};
      data.offres.forEach(function (row) { if (matches(row, f, k)) { var v = value(row, k); counts[v] = (counts[v] || 0) + 1; } });
      Array.prototype.forEach.call(select.options, function (o) {
        if (!o.value) return;
        o.textContent = o.textContent.replace(/ \(\d+\)$/, "") + " (" + (counts[o.value] || 0) + ")";
      });
      select.value = f[k];
    });
    var found = data.offres.filter(function (row) { return matches(row, f); });
    list.textContent = "";
    var old = document.getElementById("offres-suite");
    if (old) old.remove();
    var empty = document.getElementById("offres-vide");
    if (empty) empty.remove();
    found.slice(0, shown).forEach(function (row) { list.appendChild(card(row)); });
    status.textContent = found.length ? plural(found.length, "offre correspond", "offres correspondent") + " à votre recherche" : "Aucune offre ne correspond à ces critères.";
    if (!found.length) {
      var box = el("div", "notice");
      box.id = "offres-vide";
      box.appendChild(el("p", "", "Aucune offre ne correspond à ces critères. Essayez d'élargir votre recherche."));
      var clear = el("button", "clear-filters", "Effacer les filtres");
      clear.type = "button";
      clear.addEventListener("click", reset);
      box.appendChild(clear);
      list.parentNode.insertBefore(box, list);
    } else if (found.length > shown) {
      var more = el("button", "more", "Afficher plus d'offres (" + number(found.length - shown) + " autres)");
      more.type = "button";
      more.id = "offres-suite";
      more.addEventListener("click", function () { shown += PAGE; render(); });
      list.parentNode.insertBefore(more, list.nextSibling);
    }
  }

  function go(f) {
    var params = new URLSearchParams();
    KINDS.forEach(function (k) { if (f[k]) params.set(k, f[k]); });
    var query = params.toString();
    history.pushState(null, "", window.location.pathname + (query ? "?" + query : ""));
    shown = PAGE;
    render();
  }

  function reset() { go({}); form.elements.nature.focus(); }

  fetch(form.getAttribute("data-donnees")).then(function (r) { return r.json(); }).then(function (json) {
    data = json;
    form.hidden = false;
    var links = document.querySelector(".facet-links");
    if (links) links.hidden = true;
    var pages = document.querySelector(".pagination");
    if (pages) pages.hidden = true;
    form.addEventListener("change", function () {
      var f = {};
      KINDS.forEach(function (k) { f[k] = form.elements[k].value; });
      go(f);
    });
    form.querySelector(".clear-filters").addEventListener("click", reset);
    window.addEventListener("popstate", function () { shown = PAGE; render(); });
    render();
  });
})();
