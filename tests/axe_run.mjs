// Run axe-core on pages in Debian's Chromium through playwright-core, never a downloaded browser.
// stdin: {"pages": [url, ...], "widths": [1280, 390], "tags": [...], "chromium": "/usr/bin/chromium",
//         "axe": "node_modules/axe-core/axe.min.js", "open": "css selector clicked before a second run" | null}
// stdout: [{"url", "width", "state", "violations": [{"id", "impact", "help", "nodes": [{"target", "html"}]}]}]
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const request = JSON.parse(readFileSync(0, 'utf8'));
const axeSource = readFileSync(request.axe, 'utf8');
const browser = await chromium.launch({
  executablePath: request.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update'],
});

async function audit(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async (tags) => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 300) })),
    }));
  }, request.tags);
}

const results = [];
try {
  for (const width of request.widths) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const url of request.pages) {
      await page.goto(url, { waitUntil: 'load' });
      results.push({ url, width, state: 'loaded', violations: await audit(page) });
      if (request.open) {
        const opener = page.locator(request.open);
        if (await opener.count() && await opener.first().isVisible()) {
          await opener.first().click();
          results.push({ url, width, state: 'open', violations: await audit(page) });
        }
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(results));
