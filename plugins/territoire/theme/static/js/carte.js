/* Map of /carte/: partners and open offers as two switchable kinds of markers, clustered together
   (one cluster group, so that no two markers or clusters overlap and each stays easy to tap).
   Progressive enhancement: the list by EPCI below stays the reference, and the page holds a
   drawn map of the same markers; on the visitor's demand (its button), this turns it into a map
   one can zoom: Leaflet's styles and scripts, the GeoJSON files and the tiles are fetched then,
   never at load (a slow phone shows the page at once). Settings come from the container's and
   the button's data- attributes (no inline script); the labels come from the build, in the
   GeoJSON files. */
import { el, getJSON, nextTask } from "./commun.js";

/* A style sheet or a script of the site, added to the page: settled once it has come. A file that
   failed is removed (a new demand asks for it again); one that came is not asked for twice. */
var files = {};
function file(url, node) {
  if (!files[url]) {
    files[url] = new Promise(function (resolve, reject) {
      node.addEventListener("load", resolve);
      node.addEventListener("error", function () {
        delete files[url];
        node.remove();
        reject(new Error("fichier non chargé : " + url));
      });
      document.head.append(node);
    });
  }
  return files[url];
}

/* Leaflet's style sheets and scripts (the site's own files: the Content-Security-Policy holds);
   the scripts run in the order given (async = false), the plugin after Leaflet. */
function leaflet(button) {
  var styles = button.dataset.styles.split(" ").map(function (href) {
    return file(href, el("link", { rel: "stylesheet", href: href }));
  });
  var scripts = button.dataset.scripts.split(" ").map(function (src) {
    var script = el("script", { src: src });
    script.async = false;
    return file(src, script);
  });
  return Promise.all(styles.concat(scripts));
}

function start() {
  var tool = document.getElementById("carte-outil");
  var box = document.getElementById("carte");
  var button = document.getElementById("carte-explorer");
  if (!tool || !box || !button || !window.fetch) return;
  var cfg = box.dataset;
  var status = document.getElementById("carte-etat");
  var failure = document.getElementById("carte-absente");
  var detail = button.querySelector(".map-start-detail");
  var label = detail.textContent;
  var asked = false;
  var map = null;
  var group = null;
  var markers = { partenaires: [], offres: [] };

  button.hidden = false;
  button.addEventListener("click", function () {
    if (asked) return;
    asked = true;
    failure.hidden = true;
    button.setAttribute("aria-disabled", "true");
    detail.textContent = "chargement…";
    status.textContent = "Chargement de la carte…";
    var data = [getJSON(cfg.partenaires), getJSON(cfg.offres)];
    // The map goes on without the territory's outline if it cannot be read.
    data.push(cfg.contour ? getJSON(cfg.contour).catch(function () { return null; }) : null);
    Promise.all(data.concat([leaflet(button)])).then(function (found) {
      return interactive(found[0], found[1], found[2]);
    }).then(function () {
      // The focus goes to the map (Leaflet makes it focusable: arrows move it, + and − zoom),
      // before its button goes.
      box.focus();
      button.hidden = true;
      status.textContent = "Carte interactive ouverte : les flèches la déplacent, + et − zooment, Tab passe d'un repère à l'autre.";
      box.dataset.pret = "oui";
    }).catch(function (err) {
      if (window.console) console.warn("Carte indisponible : " + err.message);
      if (map) {
        // Leaflet had begun: the drawing is gone, its button with it.
        button.hidden = true;
        status.textContent = "";
        return;
      }
      // Nothing was drawn: the drawn map stays, and its button can be pressed again.
      asked = false;
      button.removeAttribute("aria-disabled");
      detail.textContent = label;
      status.textContent = "";
      failure.hidden = false;
    });
  });

  Array.prototype.forEach.call(tool.querySelectorAll("input[name=couche]"), function (input) {
    input.addEventListener("change", function () {
      if (!map) return;  // the drawn map follows the boxes by CSS alone
      if (input.checked) group.addLayers(markers[input.value]); else group.removeLayers(markers[input.value]);
    });
  });

  // Visitors who ask for less motion get no zoom, fade or cluster animations.
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  // The box already has its size and a drawn map (no layout shift): Leaflet replaces the drawing
  // once Leaflet and the data have come; if they do not come, the drawing stays. The map first,
  // with no layer yet.
  function draw() {
    box.textContent = "";
    map = L.map(box, {
      scrollWheelZoom: false,
      maxZoom: parseInt(cfg.zoomMax, 10) || 18,
      zoomSnap: 0.25,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still
    });
    // Escape closes an open popup wherever the focus is, and gives the focus back to its marker.
    document.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || !map._popup || !map.hasLayer(map._popup)) return;
      var source = map._popup._source;
      map.closePopup();
      var target = source && source.getElement && source.getElement();
      if (target) target.focus();
    });
    map.attributionControl.setPrefix(false);
  }

  // First view: the territory (where the offers are), else every marker.
  function view() {
    var all = markers.partenaires.concat(markers.offres);
    var bounds = contour ? contour.getBounds() : L.latLngBounds(all.map(function (m) { return m.getLatLng(); }));
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10], animate: false });
    else map.setView([46.6, 2.5], 6, { animate: false });
  }

  // The background: tiles, or the territory's drawing.
  function background() {
    // No tile server configured (TERRITOIRE_CARTE_TUILES = None): markers on a plain background,
    // and no request to any other host.
    if (cfg.tuiles) {
      // detectRetina: on a dense screen, tiles of the next zoom level drawn at half size, so the
      // background is as sharp as the rest of the page.
      var tiles = L.tileLayer(cfg.tuiles, { attribution: cfg.attribution, maxZoom: parseInt(cfg.zoomMax, 10) || 18, detectRetina: true });
      var failed = false;
      tiles.on("tileerror", function () {
        if (failed) return;
        failed = true;
        document.getElementById("carte-fond-absent").hidden = false;
        box.classList.add("map-without-tiles");
        outline();
      });
      tiles.addTo(map);
    } else {
      box.classList.add("map-without-tiles");
      outline();
    }
  }

  // Without tiles, the territory's drawn outline (the offer pages' layer) gives the markers a
  // context.
  function outline() {
    if (!cfg.fond || !cfg.fondLimites) return;
    var b = cfg.fondLimites.split(",").map(parseFloat);
    L.imageOverlay(cfg.fond, [[b[0], b[1]], [b[2], b[3]]], { alt: "" }).addTo(map).bringToBack();
  }

  // Markers: a 44 px target around the visible shape (CSS); partners diamonds, offers discs.
  function icon(name) {
    return L.divIcon({ className: "marker-" + name, iconSize: [44, 44], iconAnchor: [22, 22], popupAnchor: [0, -14], html: "<span></span>" });
  }

  // A cluster says how many markers of each kind it holds (data- attributes); its shape tells
  // the kind: square for partners, disc for offers, disc in two colours for both.
  function clusterIcon(cluster) {
    var counts = { partenaires: 0, offres: 0 };
    cluster.getAllChildMarkers().forEach(function (m) { counts[m.options.kind] += 1; });
    var n = counts.partenaires + counts.offres;
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    var kind = !counts.offres ? "partenaires" : !counts.partenaires ? "offres" : "mixte";
    return L.divIcon({
      html: '<div data-partenaires="' + counts.partenaires + '" data-offres="' + counts.offres + '"><span>' + n + "</span></div>",
      className: "marker-cluster marker-cluster-" + size + " cluster-" + kind,
      iconSize: L.point(44, 44)
    });
  }

  // A popup in the site's style: for an offer, its photo, title, commune and price, as on its
  // card. Every text goes in as text (el), never as markup.
  function popup(title, url, p, kind) {
    var photo = kind === "offres" && p.photo
      ? el("img", { src: p.photo.url, alt: p.photo.alt || "", width: p.photo.largeur, height: p.photo.hauteur, class: "map-popup-photo" })
      : null;
    var lines = kind === "offres"
      ? [el("p", { class: "meta" }, [p.nature + " · " + p.secteur]), el("p", { class: "card-place" }, [p.commune]),
         p.prix ? el("p", { class: "map-popup-price" }, [el("strong", {}, [p.prix])]) : null]
      : [el("p", { class: "meta" }, [p.type]), el("p", { class: "card-place" }, [p.commune])];
    return el("div", { class: "map-popup map-popup-" + kind }, [photo, el("p", { class: "map-popup-title" }, [el("a", { href: url }, [title])])].concat(lines));
  }

  function load(name, data) {
    var markerIcon = icon(name === "partenaires" ? "partenaire" : "offre");
    data.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      var p = f.properties;
      var title = name === "partenaires" ? p.nom : p.titre;
      var marker = L.marker([c[1], c[0]], {
        icon: markerIcon,
        kind: name,
        title: title,
        alt: (name === "partenaires" ? "Partenaire : " : "Offre : ") + title
      });
      // The popup is made when it opens (its photo is not loaded before).
      marker.bindPopup(function () { return popup(title, p.url, p, name); }, { maxWidth: 260, minWidth: 200 });
      markers[name].push(marker);
    });
  }

  // The territory's outline (an approximate shape the build draws around its communes): a line
  // over the tiles, under the markers.
  var contour = null;
  var outlineRenderer = null;
  function loadOutline(data) {
    if (!data) return;
    outlineRenderer = L.svg();
    contour = L.geoJSON(data, {
      interactive: false,
      renderer: outlineRenderer,
      style: { className: "territory-outline", color: "#1f3f1b", weight: 3, opacity: 0.85, dashArray: "8 5", fill: true, fillColor: "#2d5a27", fillOpacity: 0.06 }
    });
  }

  function shown(name) { return tool.querySelector("input[value=" + name + "]").checked; }

  // The markers a few at a time, each batch in its own task, of the kinds whose box is ticked.
  var BATCH = 8;
  function addMarkers(name, from) {
    if (from >= markers[name].length) return Promise.resolve();
    if (shown(name)) group.addLayers(markers[name].slice(from, from + BATCH));
    return nextTask().then(function () { return addMarkers(name, from + BATCH); });
  }

  // The interactive map, made of the GeoJSON files' data once Leaflet has come; settled when every
  // marker is on it. Each step of the start in its own task, so that none holds the page for long
  // on a slow phone: the markers, the map, its first view, the background, the outline, the
  // markers on the map.
  function interactive(partners, offers, territory) {
    // Markers are clustered only when their 44 px targets would touch (a radius of 44 × √2 px):
    // a board of tens of offers shows its markers one by one on the territory's first view.
    group = L.markerClusterGroup({
      iconCreateFunction: clusterIcon, showCoverageOnHover: false, animate: !still, animateAddingMarkers: false,
      maxClusterRadius: 50, spiderfyOnMaxZoom: true
    });
    load("partenaires", partners);
    load("offres", offers);
    loadOutline(territory);
    return nextTask().then(function () {
      draw();
      return nextTask();
    }).then(function () {
      view();
      // The outline's drawing surface before the outline itself.
      if (outlineRenderer) outlineRenderer.addTo(map);
      return nextTask();
    }).then(function () {
      background();
      return nextTask();
    }).then(function () {
      if (contour) contour.addTo(map);
      return nextTask();
    }).then(function () {
      group.addTo(map);
      return addMarkers("partenaires", 0);
    }).then(function () {
      return addMarkers("offres", 0);
    });
  }
}

start();
