/* What the site's scripts share (ES module, imported by offres.js, carte.js, orientation.js and
   admin.js). The scripts show what the build computed (cards, answers, labels, in the JSON files
   beside the pages); the few rules that must run in the browser, on what a visitor types or
   picks, are here once and follow their Python twin, named in each comment. */

const NBSP = "\u00a0";

/* 12500 → « 12 500 », as formats.number() (a non-breaking space between thousands). */
export function number(n) {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
}

/* « 1 offre », « 2 offres », as formats.plural() (singular below 2). */
export function plural(n, one, many) {
  return number(n) + " " + (n < 2 ? one : many);
}

/* « de » before a place name, with French elision and contraction: « d'Orléans », « du Puy »,
   « des Estables », « de Thiers » (a name starting with h keeps « de »: h aspiré or not, the
   name alone cannot tell). */
export function de(name) {
  if (/^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(name)) return "d'" + name;
  if (/^Le /.test(name)) return "du " + name.slice(3);
  if (/^Les /.test(name)) return "des " + name.slice(4);
  return "de " + name;
}

/* Lower-case, accent-free, hyphen- and apostrophe-insensitive, « saint » as « st »: the same as
   communes.fold(), to match what people type with names. */
export function fold(text) {
  text = String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  text = text.replace(/[-'’]/g, " ").replace(/saint /g, "st ");
  return text.split(/\s+/).filter(Boolean).join(" ");
}

/* Great-circle distance in km between two [latitude, longitude] pairs, as geo.distance_km(). */
export function distanceKm(a, b) {
  const r = Math.PI / 180;
  const h = Math.sin((b[0] - a[0]) * r / 2) ** 2 + Math.cos(a[0] * r) * Math.cos(b[0] * r) * Math.sin((b[1] - a[1]) * r / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

/* An element: el("p", { class: "meta" }, ["text", otherNode]); text is never read as HTML. */
export function el(tag, attrs, children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  (children || []).forEach((c) => { if (c !== null && c !== undefined) node.append(c); });
  return node;
}

/* The element of a piece of markup the build rendered from a theme template (cards, answers):
   the same HTML as the page it would be on, never text typed by a visitor. */
export function fromBuild(html) {
  const t = document.createElement("template");
  t.innerHTML = html;
  return t.content.firstElementChild;
}

/* A data file of the build, as JSON; fails with the address when it cannot be read. */
export function getJSON(url) {
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error("HTTP " + r.status + " pour " + url);
    return r.json();
  });
}

/* A promise settled in a later task: long work cut into steps lets the browser paint and answer
   the visitor between them (no step blocks the page for long on a slow phone). */
export function nextTask() {
  return new Promise((resolve) => { setTimeout(resolve, 0); });
}

/* A promise settled once the page has been painted (the frame after the first one, then a task):
   the scripts read their data files from there. Read earlier, on a slow phone, a data file and
   the work on it come before the first paint, and the visitor waits for them on a blank page
   (the board's 5,000 offers: 52 kB and their filters). A tab in the background starts its work
   when shown. */
export function afterPaint() {
  if (!window.requestAnimationFrame) return nextTask();
  return new Promise((resolve) => {
    requestAnimationFrame(() => { requestAnimationFrame(() => { setTimeout(resolve, 0); }); });
  });
}
