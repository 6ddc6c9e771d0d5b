/* Decap CMS at /admin/. This module runs first (admin.html lists it before decap-cms.js and
   js-yaml.min.js, both deferred): it asks Decap not to start on its own, and once every script
   has run (DOMContentLoaded) it registers the formats and widgets below, then starts the CMS,
   which reads its configuration from config.yml.
   - Pelican pages keep their "Key: value" header (not YAML front matter).
   - Offers, partners and events are written as partners write them by hand, so that changing
     one word in the form changes one line of the file: the file's own key order, the schema
     line, block text (« | ») for Markdown, flow lists kept flow, nothing written for a field
     left empty (an untouched « logement » stays absent rather than « false »).
   - The commune and the referent are searched ignoring accents, hyphens and « st »/« saint »
     (commun.js's fold, the site's one folding).
   - A photo heavier or smaller than validation accepts is refused when it is chosen.
   - The previews show labels (libelles.json, the site's own label tables), never codes, and
     Decap's search finds an offer by its commune's name, with or without accents. */
import { fold } from "./commun.js";

window.CMS_MANUAL_INIT = true;

// The label tables (libelles.json, beside config.yml): read before the CMS starts, since reading
// a file (fromFile) needs the communes' names at once.
var LABELS = { collections: {}, communes: {}, photos: null };

function load() {
  if (!window.CMS) { return; }
  var link = document.querySelector('link[rel="cms-config-url"]');
  var url = new URL("libelles.json", link ? link.href : window.location.href);
  window.fetch(url).then(function (response) { return response.ok ? response.json() : null; })
    .catch(function () { return null; })
    .then(function (tables) { if (tables) { LABELS = tables; } start(); });
}

function start() {

  function fromFile(content) {
    var lines = String(content).replace(/^\uFEFF/, "").split(/\r?\n/);
    var data = {};
    var index = 0;
    for (; index < lines.length; index++) {
      var line = lines[index];
      var match = /^([A-Za-z_][\w-]*):\s?(.*)$/.exec(line);
      if (!line.trim() || !match) { break; }
      data[match[1].toLowerCase()] = match[2].trim();
    }
    while (index < lines.length && !lines[index].trim()) { index++; }
    data.body = lines.slice(index).join("\n");
    return data;
  }

  function toFile(data) {
    var header = [];
    var first = ["title", "slug"];
    var keys = first.concat(Object.keys(data).filter(function (k) {
      return first.indexOf(k) < 0 && k !== "body";
    }));
    keys.forEach(function (key) {
      var value = data[key];
      if (value === undefined || value === null || value === "") { return; }
      var text = String(value).replace(/\s*\n\s*/g, " ").trim();
      header.push(key.charAt(0).toUpperCase() + key.slice(1) + ": " + text);
    });
    var body = (data.body || "").replace(/^\s+/, "").replace(/\s+$/, "");
    return header.join("\n") + "\n\n" + body + "\n";
  }

  window.CMS.registerCustomFormat("pelican-markdown", "md", { fromFile: fromFile, toFile: toFile });

  /* --- Content files (YAML, or Markdown with a YAML header) ------------------------------ */

  var meta = document.querySelector('meta[name="territoire-formats"]');
  var kinds = meta ? JSON.parse(meta.getAttribute("content")) : {};
  var layouts = {}; // key order and flow lists of each file read, by kind and identity

  function identity(kind, data) {
    return kind + "|" + (data.reference || data.nom || data.titre || "");
  }

  function readFile(spec, content) {
    var text = String(content).replace(/^\uFEFF/, "");
    var header = text;
    var body = "";
    if (spec.front_matter) {
      var match = /^---[ \t]*\r?\n([\s\S]*?)\r?\n?---[ \t]*(?:\r?\n([\s\S]*))?$/.exec(text);
      if (match) { header = match[1]; body = match[2] || ""; } else { header = ""; body = text; }
    }
    // The core schema: dates stay text (« 2026-09-15 »), as the date widgets want them.
    var data = window.jsyaml.load(header, { schema: window.jsyaml.CORE_SCHEMA });
    if (!data || typeof data !== "object" || Array.isArray(data)) { data = {}; }
    var flow = header.split(/\r?\n/).filter(function (line) { return /^[\w-]+:\s*\[/.test(line); })
      .map(function (line) { return line.split(":")[0]; });
    layouts[identity(spec.kind, data)] = { order: Object.keys(data), flow: flow };
    spec.booleans.forEach(function (key) {
      if (data[key] === true) { data[key] = "oui"; } else if (data[key] === false) { data[key] = "non"; }
    });
    if (spec.front_matter) { data.body = body.replace(/^\s*\n/, "").replace(/\s+$/, ""); }
    searchable(data);
    return data;
  }

  /* Decap's search (the box at the top) matches the fields of each collection's summary, as
     written in the file: an offer names its commune by INSEE code. So reading a file adds, in
     the CMS's memory only (never written back: see writeFile), the commune's name
     (« commune_nom », shown in the list) and its spellings without accents, hyphens nor
     apostrophes (« commune_recherche », searched, not shown): « puy guillaume », « saint germain
     lherm » find their offers. */
  var DERIVED = ["commune_nom", "commune_recherche"];
  function plain(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/[-'’]/g, " ")
      .split(/\s+/).filter(Boolean).join(" ");
  }
  function searchable(data) {
    var name = typeof data.commune === "string" ? LABELS.communes[data.commune] : undefined;
    if (!name) { return; }
    data.commune_nom = name;
    data.commune_recherche = [plain(name), fold(name)].join(" · ");
  }

  var RESERVED = /^(?:true|false|yes|no|on|off|y|n|null|~)$/i;
  // Text YAML would read as a number or a date: quoted (« "75056" »); « 04 65 71 10 23 » is not.
  var NUMBER = /^[-+]?(?:[\d_]+(?:\.[\d_]*)?|\.\d+)(?:[eE][-+]?\d+)?$|^[-+]?0[xob][\da-f_]+$|^[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?$|^[-+]?\.(?:inf|nan)$/i;
  var TIMESTAMP = /^\d{4}-\d\d?-\d\d?(?:[Tt\s]|$)/;

  var DATE = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2})?$/; // dates as the files write them, unquoted

  function scalar(value) {
    if (typeof value === "number" || typeof value === "boolean") { return String(value); }
    var text = String(value);
    if (DATE.test(text)) { return text; }
    var plain = /^[^\s\-?:,[\]{}#&*!|>'"%@`]/.test(text) && !/: |\s#|:$|\s$|[\u0000-\u001f\u007f\u2028\u2029]/.test(text)
      && !RESERVED.test(text) && !NUMBER.test(text) && !TIMESTAMP.test(text);
    return plain ? text : JSON.stringify(text);
  }

  function flowItem(value) {
    var text = scalar(value);
    return /[,[\]{}]/.test(text) && text.charAt(0) !== '"' ? JSON.stringify(String(value)) : text;
  }

  function block(text, indent) {
    var lines = String(text).replace(/\r\n/g, "\n").replace(/\n+$/, "").split("\n");
    var marker = /^\s/.test(lines[0]) ? "|" + indent.length : "|";
    return marker + "\n" + lines.map(function (line) { return line ? indent + line : ""; }).join("\n");
  }

  function isEmpty(value) {
    return value === undefined || value === null || value === "" ||
      (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0);
  }

  function emit(key, value, indent, flow) {
    if (Array.isArray(value)) {
      if (flow) { return indent + key + ": [" + value.map(flowItem).join(", ") + "]"; }
      if (!value.length) { return indent + key + ": []"; }
      return indent + key + ":\n" + value.map(function (item) {
        if (item && typeof item === "object") {
          var fields = Object.keys(item).filter(function (k) { return !isEmpty(item[k]); });
          return fields.map(function (k, i) {
            return emit(k, item[k], indent + "  ", false).replace(/^\s*/, indent + (i ? "    " : "  - "));
          }).join("\n");
        }
        return indent + "  - " + (typeof item === "string" && item.indexOf("\n") >= 0 ? JSON.stringify(item) : scalar(item));
      }).join("\n");
    }
    if (value && typeof value === "object") {
      return indent + key + ":\n" + Object.keys(value).filter(function (k) { return !isEmpty(value[k]); })
        .map(function (k) { return emit(k, value[k], indent + "  ", false); }).join("\n");
    }
    if (typeof value === "string" && value.indexOf("\n") >= 0) { return indent + key + ": " + block(value, indent + "  "); }
    return indent + key + ": " + scalar(value);
  }

  function writeFile(spec, data) {
    var layout = layouts[identity(spec.kind, data)] || { order: [], flow: spec.flow };
    var canonical = spec.order;
    var order = layout.order.slice();
    // A field the file did not have goes after the field that precedes it in the model.
    canonical.forEach(function (key, index) {
      if (order.indexOf(key) >= 0) { return; }
      var previous = canonical.slice(0, index).filter(function (k) { return order.indexOf(k) >= 0; }).pop();
      order.splice(previous === undefined ? 0 : order.indexOf(previous) + 1, 0, key);
    });
    Object.keys(data).forEach(function (key) {
      if (order.indexOf(key) < 0 && key !== "body" && DERIVED.indexOf(key) < 0) { order.push(key); }
    });
    var lines = [];
    order.forEach(function (key) {
      var value = data[key];
      if (spec.booleans.indexOf(key) >= 0) {
        value = value === "oui" || value === true ? true : value === "non" || value === false ? false : undefined;
      }
      if (isEmpty(value) || key === "body") { return; }
      if (Array.isArray(value) && !value.length && layout.order.indexOf(key) < 0) { return; }
      if (spec.blocks.indexOf(key) >= 0 && typeof value === "string") {
        lines.push(key + ": " + block(value, "  ")); // Markdown as a block, even on one line
        return;
      }
      lines.push(emit(key, value, "", layout.flow.indexOf(key) >= 0));
    });
    var header = (spec.schema ? spec.schema + "\n" : "") + lines.join("\n") + "\n";
    if (!spec.front_matter) { return header; }
    var body = String(data.body || "").replace(/^\s+/, "").replace(/\s+$/, "");
    return "---\n" + header + "---\n" + (body ? body + "\n" : "");
  }

  Object.keys(kinds).forEach(function (name) {
    var spec = kinds[name];
    window.CMS.registerCustomFormat(name, spec.extension, {
      fromFile: function (content) { return readFile(spec, content); },
      toFile: function (data) { return writeFile(spec, data); }
    });
  });

  /* --- Search a commune or a partner as people type them -------------------------------- */

  var h = window.h;
  // Options too many for config.yml (every French commune) come from a file beside it, read
  // once, when a form first needs them.
  var loaded = {};
  function loadOptions(url) {
    if (!loaded[url]) {
      loaded[url] = { options: null, promise: window.fetch(url).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (options) { loaded[url].options = options; return options; }) };
    }
    return loaded[url];
  }
  function fieldOptions(field, onLoad) {
    var options = field.get("options");
    if (options && options.toJS) { return options.toJS(); }
    var url = field.get("options_url");
    if (!url) { return []; }
    var entry = loadOptions(url);
    if (entry.options === null && onLoad) { entry.promise.then(onLoad); }
    return entry.options || [];
  }
  var SearchControl = window.createClass({
    getInitialState: function () { return { query: "" }; },
    componentDidMount: function () {
      var self = this;
      this.mounted = true;
      fieldOptions(this.props.field, function () { if (self.mounted) { self.forceUpdate(); } });
    },
    componentWillUnmount: function () { this.mounted = false; },
    options: function () { return fieldOptions(this.props.field); },
    choose: function (option) {
      this.props.onChange(option.value);
      this.setState({ query: "" });
    },
    render: function () {
      var self = this;
      var options = this.options();
      var query = fold(this.state.query);
      var chosen = options.filter(function (o) { return o.value === self.props.value; })[0];
      var found = query ? options.filter(function (o) {
        return fold(o.label).indexOf(query) >= 0 || String(o.value).indexOf(self.state.query.trim()) === 0;
      }).slice(0, 12) : [];
      var listId = this.props.forID + "-choix";
      return h("div", { className: this.props.classNameWrapper },
        h("p", { id: this.props.forID + "-valeur" }, chosen ? "Choisi : " + chosen.label : "Rien n'est choisi."),
        h("input", {
          id: this.props.forID, type: "search", value: this.state.query, autoComplete: "off",
          "aria-describedby": this.props.forID + "-valeur", "aria-controls": listId,
          placeholder: "Tapez les premières lettres du nom",
          onChange: function (event) { self.setState({ query: event.target.value }); },
          onFocus: this.props.setActiveStyle, onBlur: this.props.setInactiveStyle
        }),
        h("ul", { id: listId, role: "list" }, found.map(function (option) {
          return h("li", { key: option.value },
            h("button", { type: "button", onClick: function () { self.choose(option); } }, option.label));
        })),
        query && !found.length ? h("p", { role: "status" }, "Aucun résultat pour « " + this.state.query + " ».") : null
      );
    }
  });
  // The preview shows what was chosen by its name, never its code (« Orléans », not « 45234 »).
  var SearchPreview = window.createClass({
    componentDidMount: function () {
      var self = this;
      this.mounted = true;
      fieldOptions(this.props.field, function () { if (self.mounted) { self.forceUpdate(); } });
    },
    componentWillUnmount: function () { this.mounted = false; },
    render: function () {
      var value = this.props.value;
      var chosen = fieldOptions(this.props.field).filter(function (o) { return o.value === value; })[0];
      return h("p", {}, chosen ? chosen.label : value || "");
    }
  });
  window.CMS.registerWidget("territoire-recherche", SearchControl, SearchPreview);

  /* --- Photos: refused in the form when validation would refuse them --------------------- */

  // The limits of validation (images.limits): a photo field of config.yml gives its own
  // (« largeur_min »… absent for a logo, which may be small); a file sent from the « Médias »
  // page, opened by no field, gets the offers' photos' (libelles.json).
  var photoLimits = LABELS.photos;
  function limitsOf(field) {
    return { poids_max: field.get("poids_max"), largeur_min: field.get("largeur_min"), hauteur_min: field.get("hauteur_min") };
  }
  function megabytes(size) {
    return (size / 1048576).toLocaleString("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " Mo";
  }
  function tooSmall(name, width, height, limits) {
    if (!limits || !limits.largeur_min || (width >= limits.largeur_min && height >= limits.hauteur_min)) { return null; }
    return "La photo « " + name + " » est trop petite (" + width + " × " + height + " pixels) ; il faut au moins " +
      limits.largeur_min + " × " + limits.hauteur_min + " pixels, pour qu'elle reste nette sur les grands écrans.";
  }
  function fileProblem(file, limits) {
    if (limits && limits.poids_max && file.size > limits.poids_max) {
      return Promise.resolve("La photo « " + file.name + " » pèse " + megabytes(file.size) + " ; le maximum est " +
        megabytes(limits.poids_max) + " : enregistrez-la en JPEG de qualité 80 à 90, 2000 pixels de large au plus.");
    }
    if (/\.svg$/i.test(file.name)) { return Promise.resolve(null); }
    return new Promise(function (resolve) {
      var image = new window.Image();
      var address = URL.createObjectURL(file);
      image.onload = function () {
        URL.revokeObjectURL(address);
        resolve(tooSmall(file.name, image.naturalWidth, image.naturalHeight, limits));
      };
      image.onerror = function () {
        URL.revokeObjectURL(address);
        resolve("« " + file.name + " » n'est pas une photo que les navigateurs savent afficher ; " +
          "enregistrez-la en JPEG, PNG ou WebP (une photo d'iPhone en HEIC s'exporte en JPEG).");
      };
      image.src = address;
    });
  }
  // A file chosen in the media library: checked before Decap's own handler sees it (this
  // listener runs first, in the capture phase); sent on to it only when validation would
  // accept it, else refused with the reason, and nothing reaches the repository.
  var passing = false;
  window.addEventListener("change", function (event) {
    var input = event.target;
    if (passing || !input || input.type !== "file" || !input.files || !input.files.length) { return; }
    event.stopImmediatePropagation();
    var limits = photoLimits;
    fileProblem(input.files[0], limits).then(function (problem) {
      if (problem) {
        window.alert(problem + "\n\nLa photo n'a pas été ajoutée.");
        input.value = "";
        return;
      }
      passing = true;
      try { input.dispatchEvent(new Event("change", { bubbles: true })); } finally { passing = false; }
    });
  }, true);
  // Any click outside the media library, but a photo field's own button, gives back the
  // offers' photos' limits (the « Médias » page opens the library for them).
  window.addEventListener("click", function (event) {
    if (!(event.target.closest && event.target.closest(".ReactModalPortal"))) { photoLimits = LABELS.photos; }
  }, true);

  var ImageWidget = window.CMS.getWidget("image");
  // Decap's image control, told which limits apply when it opens the media library.
  var PhotoControl = window.createClass({
    // Decap re-renders a widget only when this says so: the image control beneath needs every
    // update (the media library hands it the chosen file through its props).
    shouldComponentUpdate: function () { return true; },
    open: function (options) {
      photoLimits = limitsOf(this.props.field);
      return this.props.onOpenMediaLibrary(options);
    },
    render: function () {
      return h(ImageWidget.control, Object.assign({}, this.props, { onOpenMediaLibrary: this.open }));
    }
  });
  window.CMS.registerWidget("territoire-photo", PhotoControl, ImageWidget.preview);

  /* --- Previews: labels, never codes ---------------------------------------------------- */

  var DAY = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric" });
  function shownValue(field, value) {
    if (Array.isArray(value)) { return value.map(function (v) { return shownValue(field, v); }).join(", "); }
    if (field.libelles) { return field.libelles[String(value)] || String(value); }
    if (field.unite !== undefined && typeof value === "number") {
      return value.toLocaleString("fr-FR") + (field.unite ? " " + field.unite : "");
    }
    var date = field.date && /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}))?$/.exec(String(value));
    if (date) {
      var day = DAY.format(new Date(Number(date[1]), Number(date[2]) - 1, Number(date[3])));
      return date[4] ? day + " à " + date[4] + " h " + date[5] : day;
    }
    return String(value);
  }
  function isBlank(value) {
    return value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length);
  }
  function previewOf(spec) {
    return window.createClass({
      render: function () {
        var props = this.props;
        var data = props.entry.get("data");
        var value = function (name) {
          var found = data && data.get(name);
          return found && found.toJS ? found.toJS() : found;
        };
        var facts = [];
        var texts = [];
        spec.champs.forEach(function (field) {
          var found = value(field.nom);
          if (field.nom === spec.titre || isBlank(found)) { return; }
          if (field.texte) {
            texts.push(h("section", { key: field.nom }, h("h2", {}, field.titre), props.widgetFor(field.nom)));
            return;
          }
          var shown = field.recherche ? props.widgetFor(field.nom)
            : field.photos ? h("ul", {}, found.map(function (photo, index) {
              return h("li", { key: index }, String(photo.fichier || "") + (photo.alt ? " — « " + photo.alt + " »" : ""));
            }))
            : shownValue(field, found);
          facts.push(h("div", { key: field.nom }, h("dt", {}, field.titre), h("dd", {}, shown)));
        });
        return h("article", { lang: "fr" }, h("h1", {}, String(value(spec.titre) || "")), h("dl", {}, facts), texts);
      }
    });
  }
  Object.keys(LABELS.collections || {}).forEach(function (name) {
    window.CMS.registerPreviewTemplate(name, previewOf(LABELS.collections[name]));
  });
  window.CMS.init();
}

window.addEventListener("DOMContentLoaded", load);
