// The browser of the dashboard tests: Debian's chromium (scripts/install-deps.sh installs it),
// driven by playwright-core, which downloads no browser of its own. One browser per test file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where the tests keep their screenshots (gitignored). */
export const SCREENSHOTS = path.resolve(__dirname, '../../../../test-output/dashboard');

/** Starts headless chromium; fails saying how to install it when it is missing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(executablePath))
    throw new Error(
      `${executablePath} is missing: the dashboard tests need Debian's chromium (bash scripts/install-deps.sh), or CHROMIUM_PATH`,
    );
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // --no-sandbox: the tests may run as root, where chromium refuses its sandbox.
  return chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
}

/** Saves a screenshot of the page as test-output/dashboard/<name>.png; returns the PNG. */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * Pixels of a PNG close to an RGB colour, counted by the browser itself (the PNG drawn on a
 * canvas): proof that something was drawn in that colour, not only that an element exists.
 */
export async function countColour(page: Page, png: Buffer, rgb: [number, number, number]): Promise<number> {
  // A string, not a function: the tests are type-checked without the DOM's types.
  const script = `(async () => {
    const img = new Image();
    img.src = 'data:image/png;base64,${png.toString('base64')}';
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - ${rgb[0]}) < 24 && Math.abs(data[i + 1] - ${rgb[1]}) < 24 && Math.abs(data[i + 2] - ${rgb[2]}) < 24) n++;
    return n;
  })()`;
  return page.evaluate<number>(script);
}

/** Records every request the page makes that is not to `origin` (the dashboards need no network). */
export function foreignRequests(page: Page, origin: string): string[] {
  const out: string[] = [];
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:')) out.push(u);
  });
  return out;
}
