// Reads content files with admin.js's formats and writes them back, as the CMS does when a
// partner saves without changing anything; prints {file: text written} as JSON.
// Usage: node roundtrip.js ROOT FORMATS_JSON FORMAT_NAME FILE...
"use strict";
const fs = require("fs");
const path = require("path");
const [root, formatsJson, formatName, ...files] = process.argv.slice(2);
const registered = {};
global.window = {
  CMS: { registerCustomFormat: (name, extension, format) => { registered[name] = format; }, registerWidget: () => {} },
  h: () => null,
  createClass: (spec) => spec,
  jsyaml: require(path.join(root, "theme/static/vendor/js-yaml/js-yaml.min.js")),
};
global.document = { querySelector: () => ({ getAttribute: () => formatsJson }) };
eval(fs.readFileSync(path.join(root, "theme/static/js/admin.js"), "utf8"));
const format = registered[formatName];
const written = {};
for (const file of files) {
  written[file] = format.toFile(format.fromFile(fs.readFileSync(file, "utf8")));
}
process.stdout.write(JSON.stringify(written));
