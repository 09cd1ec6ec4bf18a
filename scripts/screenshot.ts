/**
 * A full-page screenshot of a page of the running board, with Debian's chromium:
 *   npx ts-node --transpile-only scripts/screenshot.ts http://localhost:3004/jobs/<id> docs/posting-page.png [width]
 * (the README's picture of the demo's reference posting is made this way after ./jobstream up).
 */
import { chromium } from 'playwright-core';

async function main(): Promise<void> {
  const [url, out, width = '1280'] = process.argv.slice(2);
  if (!url || !out) throw new Error('usage: screenshot.ts <url> <out.png> [width]');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
    const res = await page.goto(url, { waitUntil: 'networkidle' });
    if (!res || res.status() !== 200) throw new Error(`${url} answered ${res?.status()}`);
    await page.screenshot({ path: out, fullPage: true });
    process.stdout.write(`${out}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
