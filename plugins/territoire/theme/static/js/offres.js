/* Instant filtering and sorting of /offres/. Without this script, the filter links lead to
   pre-rendered facet pages. The URL query mirrors the filters (?secteur=…&tri=…), so a
   filtered list can be shared and the back button works.

   The script never builds a card: it shows the cards the server rendered (partials/offre-carte.html),
   those of the page and, for the others, the same markup from offres/cartes/<n>.json. The
   facts it filters on (price band, housing…) come computed from the build in filtres.json. */
import { afterPaint, de, distanceKm, el, fold, fromBuild, getJSON, nextTask, number, plural } from "./commun.js";

function start() {
  var panel = document.getElementById("filtres-panneau");
  // Wide screens show the filters beside the list; phones keep them folded above it.
  if (panel && window.matchMedia && window.matchMedia("(min-width: 56rem)").matches) panel.open = true;
  var form = document.getElementById("filtres");
  var list = document.getElementById("liste-offres");
  var status = document.getElementById("resultats-nombre");
  if (!form || !list || !status || !window.fetch || !window.history.pushState) return;
  var SELECTS = ["nature", "secteur", "prix", "territoire", "commune"];
  var KINDS = SELECTS.concat(["logement"]);
  var PARAMS = SELECTS.concat(["logement", "prixmax", "mots", "tri", "pres", "km"]);
  var PAGE = 24;
  var data = null;
  var shown = PAGE;
  var cards = {};  // row index → card element
  var files = {};  // card file number → promise of its reading
  var markups = {};  // card file number → its cards' markup
  var rendering = 0;
  var seeResults = document.getElementById("voir-offres");
  var distanceOption = form.querySelector("#filtre-tri option[value=distance]");

  Array.prototype.forEach.call(list.children, function (li, i) { cards[i] = li; });

  // Row: [nature, secteur, commune, day, price band or -1, housing 0/1, price or null,
  //       folded words of the title and activity]
  function commune(row) { return data.communes[row[2]]; }
  function value(row, kind) {
    if (kind === "nature") return data.natures[row[0]];
    if (kind === "secteur") return data.secteurs[row[1]];
    if (kind === "prix") return row[4] >= 0 ? data.prix[row[4]] : "";
    if (kind === "logement") return row[5] ? "oui" : "";
    var c = commune(row);
    return kind === "commune" ? c[0] : data.epci[c[1]];
  }

  var places = {};

  function current() {
    var params = new URLSearchParams(window.location.search);
    var f = {};
    PARAMS.forEach(function (k) { f[k] = params.get(k) || ""; });
    if (f.pres && !places[f.pres]) f.pres = "";
    if (!f.km) f.km = "20";
    if (!/^\d+$/.test(f.prixmax)) f.prixmax = "";
    // A commune chosen: the nearest offers first, unless a price order is asked for.
    if (f.tri === "distance" && !f.pres) f.tri = "";
    if (f.pres && !f.tri) f.tri = "distance";
    return f;
  }

  function km(row, f) {
    var c = commune(row);
    return c[2] === null ? Infinity : distanceKm([c[2], c[3]], places[f.pres].slice(2));
  }

  // The criteria every count keeps: distance, maximum price, words.
  function kept(row, f) {
    if (f.pres && km(row, f) > parseFloat(f.km)) return false;
    if (f.prixmax && (row[6] === null || row[6] > parseInt(f.prixmax, 10))) return false;
    if (f.mots) {
      if (!f.words) f.words = fold(f.mots).split(" ");
      for (var w = 0; w < f.words.length; w++) if (row[7].indexOf(f.words[w]) < 0) return false;
    }
    return true;
  }

  // The one list (or « logement ») whose choice a row fails, "" if none, null if it fails more
  // than one or a criterion every count keeps.
  function failing(row, f) {
    var failed = "";
    for (var i = 0; i < KINDS.length; i++) {
      var k = KINDS[i];
      if (f[k] && value(row, k) !== f[k]) {
        if (failed) return null;
        failed = k;
      }
    }
    return kept(row, f) ? failed : null;
  }

  function matches(row, f) { return failing(row, f) === ""; }

  function sorted(indexes, f) {
    var order = f.tri;
    if (!order) return indexes;
    if (order === "distance") {
      var d = {};
      indexes.forEach(function (i) { d[i] = km(data.offres[i], f); });
      return indexes.slice().sort(function (a, b) { return d[a] - d[b] || a - b; });
    }
    var sign = order === "prix-decroissant" ? -1 : 1;
    return indexes.slice().sort(function (a, b) {
      var pa = data.offres[a][6], pb = data.offres[b][6];
      if (pa === null || pb === null) return (pa === null) - (pb === null) || a - b;
      return sign * (pa - pb) || a - b;
    });
  }

  function file(n) {
    if (!files[n]) {
      files[n] = getJSON(data.cartes.adresse + n + ".json").then(function (markup) { markups[n] = markup; });
    }
    return files[n];
  }

  // The cards of these rows, from the page or from their files (only those shown are made).
  function cardsOf(indexes) {
    var per = data.cartes.par_fichier;
    var needed = {};
    indexes.forEach(function (i) { if (!cards[i]) needed[Math.floor(i / per) + 1] = true; });
    return Promise.all(Object.keys(needed).map(file)).then(function () {
      return indexes.map(function (i) {
        if (!cards[i]) cards[i] = fromBuild(markups[Math.floor(i / per) + 1][i % per]);
        return cards[i];
      });
    });
  }

  // The number of offers each choice would give, beside it; ``counted`` false: the counts the
  // build wrote (those of the whole board) are kept. A row counts for a list when it meets every
  // other criterion (one pass over the offers for every list).
  function updateCounts(f, counted) {
    SELECTS.forEach(function (k) { form.elements[k].value = f[k]; });
    if (counted) {
      var counts = {};
      KINDS.forEach(function (k) { counts[k] = {}; });
      data.offres.forEach(function (row) {
        var failed = failing(row, f);
        if (failed === null) return;
        KINDS.forEach(function (k) {
          if (failed && failed !== k) return;
          var v = value(row, k);
          counts[k][v] = (counts[k][v] || 0) + 1;
        });
      });
      SELECTS.forEach(function (k) {
        Array.prototype.forEach.call(form.elements[k].options, function (o) {
          if (!o.value) return;
          o.textContent = o.textContent.replace(/ \(\d+\)$/, "") + " (" + (counts[k][o.value] || 0) + ")";
        });
      });
      form.querySelector("label[for=filtre-logement] .count").textContent = "(" + (counts.logement.oui || 0) + ")";
    }
    form.elements.logement.checked = f.logement === "oui";
    form.elements.tri.value = f.tri;
    form.elements.pres.value = f.pres;
    form.elements.km.value = f.km;
    form.elements.prixmax.value = f.prixmax;
    if (document.activeElement !== form.elements.mots) form.elements.mots.value = f.mots;
    distanceOption.disabled = !f.pres;
  }

  // « À 12 km d'Orléans » on each card while a commune is chosen.
  function showDistance(node, row, f) {
    var old = node.querySelector(".card-distance");
    if (old) old.remove();
    if (!f.pres) return;
    var d = km(row, f);
    if (d === Infinity) return;
    var where = node.querySelector(".card-place");
    var text = "À " + number(Math.round(d)) + " km " + de(places[f.pres][1]);
    var p = el("p", { "class": "card-distance" }, [el("strong", {}, [text])]);
    if (where) where.after(p); else node.append(p);
  }

  function filtered(f) {
    return f.pres || f.logement || f.prixmax || f.mots || SELECTS.some(function (k) { return f[k]; });
  }

  var ORDERS = { "": "les plus récentes d'abord", "prix-croissant": "par prix croissant", "prix-decroissant": "par prix décroissant", "distance": "les plus proches d'abord" };
  function summary(count, f) {
    if (!count) return "Aucune offre ne correspond à ces critères.";
    if (!filtered(f)) return plural(count, "offre", "offres") + ", " + (ORDERS[f.tri] || ORDERS[""]) + ".";
    var text = plural(count, "offre correspond", "offres correspondent") + " à votre recherche";
    if (f.prixmax) text += ", à " + number(parseInt(f.prixmax, 10)) + " € au plus";
    if (f.pres) text += ", à moins de " + f.km + " km " + de(places[f.pres][1]) + ", " + ORDERS[f.tri];
    return text + ".";
  }

  // ``arriving``: the first showing, on a page that already holds the whole board's counts.
  function render(arriving) {
    var f = current();
    var token = ++rendering;
    updateCounts(f, !arriving || filtered(f));
    var found = [];
    data.offres.forEach(function (row, i) { if (matches(row, f)) found.push(i); });
    found = sorted(found, f);
    seeResults.textContent = found.length ? "Voir " + (found.length > 1 ? "les " + plural(found.length, "offre", "offres") : "l'offre") : "Aucune offre : modifiez les filtres";
    cardsOf(found.slice(0, shown)).then(function (nodes) {
      if (token !== rendering) return;  // a newer choice is already being shown
      // The list already shows these cards (the page's own, on arrival): left in place.
      var same = nodes.length === list.children.length && nodes.every(function (node, j) { return list.children[j] === node; });
      if (!same) list.textContent = "";
      nodes.forEach(function (node, j) { showDistance(node, data.offres[found[j]], f); if (!same) list.appendChild(node); });
      ["offres-suite", "offres-vide"].forEach(function (id) { var old = document.getElementById(id); if (old) old.remove(); });
      status.textContent = summary(found.length, f);
      if (!found.length) {
        var clear = el("button", { type: "button", "class": "clear-filters" }, ["Effacer les filtres"]);
        clear.addEventListener("click", reset);
        var box = el("div", { id: "offres-vide", "class": "notice" }, [
          el("p", {}, ["Aucune offre ne correspond à ces critères. Essayez d'élargir votre recherche."]),
          clear
        ]);
        list.parentNode.insertBefore(box, list);
      } else if (found.length > shown) {
        var more = el("button", { type: "button", id: "offres-suite", "class": "more" }, ["Afficher plus d'offres (" + number(found.length - shown) + " autres)"]);
        more.addEventListener("click", function () { shown += PAGE; render(); });
        list.parentNode.insertBefore(more, list.nextSibling);
      }
    }).catch(function (err) {
      status.textContent = "Les offres n'ont pas pu être chargées. Rechargez la page pour réessayer.";
      if (window.console) console.warn("Offres indisponibles : " + err.message);
    });
  }

  function go(f, sameEntry) {
    var params = new URLSearchParams();
    // The distance stays in the address even before a commune is chosen (then kept for it).
    PARAMS.forEach(function (k) { if (f[k] && !(k === "km" && f[k] === "20") && !(k === "tri" && f[k] === "distance")) params.set(k, f[k]); });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    if (sameEntry) history.replaceState(null, "", url); else history.pushState(null, "", url);
    shown = PAGE;
    render();
  }

  function read() {
    var f = {};
    PARAMS.forEach(function (k) { f[k] = k === "logement" ? (form.elements.logement.checked ? "oui" : "") : form.elements[k].value.trim(); });
    return f;
  }

  function replace(f) {
    go(f, true);
  }

  function reset() { go({}); form.elements.tri.focus(); }

  // The form's communes, with their offers counted, in the build's order (they are not in the
  // page: a large board names hundreds).
  function addCommunes() {
    var counts = {};
    data.offres.forEach(function (row) { counts[row[2]] = (counts[row[2]] || 0) + 1; });
    var options = document.createDocumentFragment();
    data.communes.forEach(function (c, i) { options.appendChild(new Option(c[4] + " (" + (counts[i] || 0) + ")", c[0])); });
    form.elements.commune.appendChild(options);
  }

  // The communes one can measure from, a few hundred at a time, each batch in its own task and
  // added to the list at once (one insertion rather than one per commune).
  function addPlaces(from) {
    if (from >= data.lieux.length) return Promise.resolve();
    var options = document.createDocumentFragment();
    data.lieux.slice(from, from + 150).forEach(function (p) {
      if (p[2] === null) return;
      places[p[0]] = p;
      options.appendChild(new Option(p[1], p[0]));
    });
    form.elements.pres.appendChild(options);
    return nextTask().then(function () { return addPlaces(from + 150); });
  }

  // Once the page is painted: read, then the form's communes, then those to measure from, then
  // the form shown and the list, each step in its own task.
  afterPaint().then(function () {
    return getJSON(form.getAttribute("data-donnees"));
  }).then(function (json) {
    data = json;
    return nextTask();
  }).then(function () {
    addCommunes();
    return nextTask();
  }).then(function () {
    return addPlaces(0);
  }).then(function () {
    form.hidden = false;
    var links = document.querySelector(".facet-links");
    if (links) links.hidden = true;
    var pages = document.querySelector(".pagination");
    if (pages) pages.hidden = true;
    // Arrow keys on a closed list change it at each press: the first press makes a history
    // entry, the next ones replace it (Back returns to before the list, not one key back).
    var stepping = null;
    form.addEventListener("keydown", function (e) {
      var arrows = e.target.tagName === "SELECT" && /^(Arrow|Page|Home|End)/.test(e.key);
      stepping = arrows ? (stepping && stepping.list === e.target ? stepping : { list: e.target, pushed: false }) : null;
    });
    form.addEventListener("pointerdown", function () { stepping = null; });
    form.addEventListener("change", function (e) {
      if (e.target === form.elements.mots) return;
      var keyed = stepping && stepping.list === e.target;
      go(read(), keyed && stepping.pushed);
      if (keyed) stepping.pushed = true;
    });
    form.querySelector(".clear-filters").addEventListener("click", reset);
    // Typing words filters as they come (the address follows), without a history entry per key.
    var typing = null;
    form.elements.mots.addEventListener("input", function () {
      clearTimeout(typing);
      typing = setTimeout(function () { replace(read()); }, 300);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); go(read()); });
    seeResults.addEventListener("click", function () {
      panel.open = false;
      var heading = document.getElementById("resultats-nombre");
      heading.setAttribute("tabindex", "-1");
      heading.focus();
      heading.scrollIntoView();
    });
    window.addEventListener("popstate", function () { shown = PAGE; render(); });
    render(true);
  });
}

start();
