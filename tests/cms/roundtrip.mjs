// Reads content files with admin.js's formats and writes them back, as the CMS does when a
// partner saves without changing anything; prints {file: text written} as JSON.
// Usage: node roundtrip.mjs KIT_DIR FORMATS_JSON FORMAT_NAME FILE...
// admin.js is an ES module importing commun.js: both are loaded as the browser loads them
// (copied beside a package.json that says so, whatever Node guesses of a .js file).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const [root, formatsJson, formatName, ...files] = process.argv.slice(2);
const registered = {};
const listeners = [];
let started;
const init = new Promise((resolve) => { started = resolve; });
globalThis.window = {
  CMS: {
    registerCustomFormat: (name, extension, format) => { registered[name] = format; },
    registerWidget: () => {},
    registerPreviewTemplate: () => {},
    getWidget: () => ({}),
    init: () => started(),
  },
  location: { href: "http://localhost/admin/" },
  fetch: () => Promise.resolve({ ok: false }),  // no label tables: files are read as they are
  Event: class {},
  h: () => null,
  createClass: (spec) => spec,
  jsyaml: createRequire(import.meta.url)(path.join(root, "theme/static/vendor/js-yaml/js-yaml.min.js")),
  addEventListener: (type, listener) => { if (type === "DOMContentLoaded") listeners.push(listener); },
};
globalThis.document = {
  querySelector: (selector) => (selector.startsWith("meta") ? { getAttribute: () => formatsJson } : null),
};

const modules = fs.mkdtempSync(path.join(os.tmpdir(), "admin-js-"));
try {
  fs.writeFileSync(path.join(modules, "package.json"), '{"type": "module"}\n');
  for (const name of ["admin.js", "commun.js"]) {
    fs.copyFileSync(path.join(root, "theme/static/js", name), path.join(modules, name));
  }
  await import(pathToFileURL(path.join(modules, "admin.js")).href);
} finally {
  fs.rmSync(modules, { recursive: true, force: true });
}
listeners.forEach((listener) => listener());  // the page is parsed: admin.js registers its formats
await init;

const format = registered[formatName];
const written = {};
for (const file of files) {
  written[file] = format.toFile(format.fromFile(fs.readFileSync(file, "utf8")));
}
process.stdout.write(JSON.stringify(written));
