// Runs Lighthouse on several pages, one after the other, in one Chromium (tests/test_measures.py).
// Usage: node mesurer.mjs <plan.json>; the plan: {"chrome": path, "chromeFlags": [...],
// "settings": {...Lighthouse settings}, "pages": [{"url", "categories", "ignoreStatusCode",
// "ignoredConsoleErrors", "report"}]}.
// Each report is written as JSON to its "report" path; one line per page on stdout.
import {readFileSync, writeFileSync} from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const chrome = await chromeLauncher.launch({chromePath: plan.chrome, chromeFlags: plan.chromeFlags});
try {
  for (const page of plan.pages) {
    const flags = {port: chrome.port, output: 'json', logLevel: 'error', ignoreStatusCode: Boolean(page.ignoreStatusCode)};
    const config = {
      extends: 'lighthouse:default',
      settings: {...plan.settings, onlyCategories: page.categories},
      // Console lines expected on this page (the 404 page's own status), on top of Lighthouse's.
      audits: page.ignoredConsoleErrors && page.ignoredConsoleErrors.length ? [{
        path: 'errors-in-console',
        options: {ignoredPatterns: ['ERR_BLOCKED_BY_CLIENT.Inspector', ...page.ignoredConsoleErrors]},
      }] : [],
    };
    const result = await lighthouse(page.url, flags, config);
    if (!result || result.lhr.runtimeError) {
      throw new Error(`${page.url}: ${result ? result.lhr.runtimeError.message : 'no result'}`);
    }
    writeFileSync(page.report, result.report, 'utf8');
    const scores = Object.values(result.lhr.categories).map((c) => `${c.id}=${Math.round(c.score * 100)}`);
    console.log(`${page.url} ${scores.join(' ')}`);
  }
} finally {
  await chrome.kill();
}
