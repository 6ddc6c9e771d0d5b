/* Decap CMS at /admin/: Pelican pages keep their "Key: value" header (not YAML front matter).
   Loaded after decap-cms.js; the CMS reads its configuration from config.yml. */
(function () {
  "use strict";
  if (!window.CMS) { return; }

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
})();
