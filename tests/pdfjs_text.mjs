// Every text run pdf.js (pdfjs-dist, pinned in package-lock.json) finds in a PDF, page by
// page, as JSON on stdout: [{width, height, items: [{str, x, y, size}]}]. Coordinates in
// PDF points from the top left of the page; size is the run's font size. No CMap files are
// given: text that comes back here comes back from the PDF's own ToUnicode maps.
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFile } from 'node:fs/promises';

const data = new Uint8Array(await readFile(process.argv[2]));
const pdf = await getDocument({ data, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const items = content.items.filter(item => item.str !== undefined).map(item => {
    const [a, b, , d, e, f] = item.transform;
    const size = Math.hypot(a, b) || Math.abs(d);
    return { str: item.str, x: e, y: viewport.height - f, width: item.width, size };
  });
  pages.push({ width: viewport.width, height: viewport.height, items });
}
process.stdout.write(JSON.stringify(pages));
