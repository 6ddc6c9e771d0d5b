/* « Trouver un accompagnement »: the visitor picks a sector, a stage and a commune (an
   accessible combobox, accent-insensitive) and gets the partners to contact, closest first.
   The script applies no rule: the build computed every answer (orientation.answers), the
   partners' results and the welcome desk's notice (the pre-rendered pages' own markup), in
   partenaires.json; a test checks the answers against the Python rule. Without JavaScript the
   page offers links to pre-rendered pages per sector and stage. */
import { afterPaint, el, fold, fromBuild, getJSON } from "./commun.js";

function start() {
  var form = document.getElementById("orientation");
  // The form is shown from the first paint when scripts run (CSS hides it only without them, so
  // nothing moves when this script starts); it hides itself where it cannot work.
  if (!form) return;
  if (!window.fetch || !String.prototype.normalize) { form.hidden = true; return; }
  var input = document.getElementById("commune");
  var listbox = document.getElementById("commune-suggestions");
  var error = document.getElementById("commune-erreur");
  var results = document.getElementById("resultats");
  var MAX_SUGGESTIONS = 12;
  var answers = {}, resultsOf = {}, noAnswer = "", communes = [], epciNames = {};
  var suggestions = [], active = -1, chosen = null;

  // The partners to contact, closest first, as the build computed them: [[id, scope], …].
  function match(secteur, etape, commune) {
    var scopes = (answers[secteur + "/" + etape] || {})[commune.epci + "/" + commune.departement] || [[], []];
    return scopes[0].map(function (id) { return [id, "epci"]; })
      .concat(scopes[1].map(function (id) { return [id, "departement"]; }));
  }

  function selectedLabel(select) { return select.options[select.selectedIndex].text; }

  function show(commune) {
    var secteur = form.secteur.value, etape = form.etape.value;
    var found = match(secteur, etape, commune);
    var what = selectedLabel(form.secteur).toLowerCase() + ", étape « " + selectedLabel(form.etape).toLowerCase() + " »";
    results.textContent = "";
    results.dataset.commune = commune.insee;
    if (found.length) {
      results.appendChild(el("h2", { id: "resultats-titre" }, [
        (found.length === 1 ? "1 structure à contacter" : found.length + " structures à contacter") + " pour votre projet (" + what + ") à " + commune.nom
      ]));
      results.appendChild(el("p", {}, ["Les plus proches d'abord : celles de votre intercommunalité (" + (epciNames[commune.epci] || commune.epci) + "), puis celles qui couvrent tout le département."]));
      results.appendChild(el("ul", { "class": "results-list" }, found.map(function (m) { return fromBuild(resultsOf[m[0]][m[1]]); })));
    } else {
      results.appendChild(el("h2", { id: "resultats-titre" }, ["Aucune structure trouvée pour votre projet à " + commune.nom]));
      var notice = fromBuild(noAnswer);
      notice.querySelector("p").textContent = "Aucun partenaire du réseau n'accompagne ce type de projet (" + what + ") à " + commune.nom + ".";
      results.appendChild(notice);
    }
    results.appendChild(el("p", {}, [
      el("a", { href: form.dataset.pages + secteur + "/" + etape + "/" }, ["Voir, pour chaque intercommunalité, les structures à contacter pour ce type de projet"])
    ]));
    results.hidden = false;
    if (window.history && history.replaceState) {
      history.replaceState(null, "", "?secteur=" + encodeURIComponent(secteur) + "&etape=" + encodeURIComponent(etape) + "&commune=" + encodeURIComponent(commune.insee));
    }
  }

  // --- The commune combobox (WAI-ARIA 1.2 pattern, list autocomplete) -------------------
  // The name, with the postcode for homonyms (orientation.communes_file).
  function label(c) { return c.libelle; }

  function close() {
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    var options = listbox.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(c) {
    chosen = c;
    input.value = label(c);
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    close();
  }

  function suggest() {
    chosen = null;
    var typed = fold(input.value);
    listbox.textContent = "";
    if (!typed) { suggestions = []; close(); return; }
    var starts = [], contains = [];
    communes.forEach(function (c) {
      var i = c.key.indexOf(typed);
      if (i === 0) starts.push(c); else if (i > 0) contains.push(c);
    });
    suggestions = starts.concat(contains).slice(0, MAX_SUGGESTIONS);
    suggestions.forEach(function (c, i) {
      var option = el("li", { role: "option", id: "commune-option-" + i, "aria-selected": "false", "data-insee": c.insee }, [label(c)]);
      option.addEventListener("mousedown", function (e) { e.preventDefault(); choose(c); });
      listbox.appendChild(option);
    });
    if (suggestions.length) {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    } else {
      close();
    }
  }

  function resolve() {
    if (chosen && label(chosen) === input.value) return chosen;
    var typed = fold(input.value);
    var same = communes.filter(function (c) { return fold(label(c)) === typed || c.key === typed; });
    return same.length === 1 ? same[0] : null;
  }

  function fail(message) {
    error.textContent = message;
    error.hidden = false;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", "commune-erreur commune-aide");
    input.focus();
  }

  input.addEventListener("input", suggest);
  input.addEventListener("keydown", function (e) {
    var open = !listbox.hidden && suggestions.length > 0;
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (!open) suggest();
      setActive(Math.min(active + 1, suggestions.length - 1));
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (open) setActive(Math.max(active - 1, 0));
    } else if (e.key === "Escape") {
      if (open) { e.preventDefault(); close(); }
    } else if (e.key === "Enter" && open) {
      // Enter takes the highlighted suggestion, or the first one, and then searches.
      choose(suggestions[active >= 0 ? active : 0]);
    }
  });
  input.addEventListener("blur", function () {
    if (!listbox.hidden) {
      var c = resolve();
      if (c) choose(c); else close();
    }
  });

  // The question asked before the data is read (a slow network) is answered once it is.
  var ready = false, waiting = false;

  function answer() {
    var c = resolve();
    if (!input.value.trim()) return fail("Indiquez la commune où vous souhaitez vous installer.");
    if (!c) {
      var typed = fold(input.value);
      var several = communes.filter(function (x) { return x.key === typed; }).length > 1;
      return fail(several
        ? "Plusieurs communes portent ce nom : choisissez la vôtre dans la liste (avec son code postal)."
        : "« " + input.value + " » n'est pas une commune du territoire. Tapez le début du nom et choisissez dans la liste.");
    }
    choose(c);
    show(c);
    results.focus();
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (ready) { answer(); return; }
    waiting = true;
    results.textContent = "";
    results.appendChild(el("p", {}, ["Recherche des structures à contacter…"]));
    results.hidden = false;
  });

  // The partners' answers and the communes are read once the page is painted.
  afterPaint().then(function () {
    return Promise.all([getJSON(form.dataset.partenaires), getJSON(form.dataset.communes)]);
  }).then(function (data) {
    answers = data[0].reponses;
    resultsOf = data[0].fiches;
    noAnswer = data[0].sans_reponse;
    var fields = data[1].champs;
    epciNames = data[1].epci;
    communes = data[1].communes.map(function (row) {
      var c = {};
      fields.forEach(function (f, i) { c[f] = row[i]; });
      c.key = fold(c.nom);
      return c;
    });
    var byInsee = {};
    communes.forEach(function (c) { byInsee[c.insee] = c; });
    // Read-only entry point, so tests can compare this rule with the Python one.
    window.orientationMatch = function (secteur, etape, insee) {
      return byInsee[insee] ? match(secteur, etape, byInsee[insee]).map(function (m) { return m[0]; }) : [];
    };
    // A shared or reloaded address (?secteur=…&etape=…&commune=INSEE) shows its answer again.
    var params = new URLSearchParams(window.location.search);
    var wanted = byInsee[params.get("commune")];
    function offers(select, value) {
      return Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    }
    if (wanted && offers(form.secteur, params.get("secteur")) && offers(form.etape, params.get("etape"))) {
      form.secteur.value = params.get("secteur");
      form.etape.value = params.get("etape");
      choose(wanted);
      show(wanted);
    }
    ready = true;
    form.dataset.pret = "oui";
    if (waiting) {
      waiting = false;
      results.hidden = true;
      results.textContent = "";
      answer();
    } else if (document.activeElement === input && input.value) {
      suggest();  // what was typed while the data was on its way
    }
  }).catch(function (err) {
    form.hidden = true;
    results.hidden = true;
    if (window.console) console.warn("Outil d'orientation indisponible : " + err.message);
  });
}

start();
