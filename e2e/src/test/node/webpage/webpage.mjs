// Drives the gateway's web page in headless Chromium: enters the API key, speaks a sentence, waits until the
// page's <audio> element has loaded audio (duration > 0), checks that the job is in the recent list after a
// reload, and saves a screenshot. Exit 0 on success; anything else prints why.
//
//   node webpage.mjs GATEWAY_URL API_KEY "sentence" screenshot.png
// Environment: CHROMIUM (default /usr/bin/chromium), WEBPAGE_TIMEOUT_MS (default 120000).
import { chromium } from 'playwright-core';

const [url, key, sentence, screenshot] = process.argv.slice(2);
if (!url || !key || !sentence || !screenshot) {
  console.error('usage: node webpage.mjs GATEWAY_URL API_KEY SENTENCE SCREENSHOT');
  process.exit(2);
}
if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(url)) {
  console.error('refusing a non-loopback gateway URL: ' + url);
  process.exit(2);
}
const timeout = Number(process.env.WEBPAGE_TIMEOUT_MS || 120000);
const problems = [];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
});
let code = 1;
try {
  const context = await browser.newContext({ viewport: { width: 412, height: 915 }, isMobile: true, hasTouch: true });
  // nothing but the gateway: any other request fails the run
  await context.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(url.replace(/\/$/, '') + '/') || u.startsWith('blob:') || u.startsWith('data:')) return route.continue();
    problems.push('request outside the gateway: ' + u);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  page.on('console', (m) => {
    // a 404/405 from a route this gateway lacks (GET /v1/voices, /v1/jobs/{id}/events) is expected and handled
    if (m.type() === 'error' && !/Failed to load resource: .*status of 40[45]/.test(m.text())) {
      problems.push('console error: ' + m.text());
    }
    console.log('[page ' + m.type() + '] ' + m.text());
  });
  page.setDefaultTimeout(timeout);

  const res = await page.goto(url, { waitUntil: 'load' });
  if (!res || res.status() !== 200) throw new Error('GET / answered ' + (res && res.status()));
  const csp = res.headers()['content-security-policy'] || '';
  if (!csp.includes("default-src 'self'")) throw new Error('no strict Content-Security-Policy on the page: ' + csp);

  await page.getByLabel('Your API key').fill(key);
  await page.getByRole('button', { name: 'Save key' }).click();
  await page.waitForFunction(() => document.getElementById('key-section').hidden);
  const stored = await page.evaluate(() => localStorage.getItem('tts.apiKey'));
  if (stored !== key) throw new Error('the key is not kept in localStorage');

  await page.getByLabel('Text', { exact: true }).fill(sentence);
  const voices = await page.locator('#voice option').allTextContents();
  console.log('voices offered: ' + voices.join(', '));
  if (voices.length === 0) throw new Error('no voice to pick');
  const t0 = Date.now();
  await page.getByRole('button', { name: 'Speak', exact: true }).click();

  await page.waitForFunction(() => {
    const a = document.getElementById('player');
    return a && a.readyState >= 1 && Number.isFinite(a.duration) && a.duration > 0;
  }, null, { timeout, polling: 100 });
  const info = await page.evaluate(() => ({
    duration: document.getElementById('player').duration,
    src: document.getElementById('player').src,
    status: document.getElementById('job-status').textContent,
    download: document.getElementById('download').hidden ? null : document.getElementById('download').getAttribute('download'),
    progressFrom: document.body.dataset.live || 'polling',
  }));
  console.log('audio loaded after ' + (Date.now() - t0) + ' ms: ' + JSON.stringify(info));
  if (!info.src.startsWith('blob:')) throw new Error('the player does not play a Blob URL: ' + info.src);
  if (!/succeeded/.test(info.status)) throw new Error('job status line: ' + info.status);
  if (!info.download) throw new Error('no download link');
  await page.screenshot({ path: screenshot, fullPage: true });

  // the recent list survives a reload, and the key is not asked again
  await page.reload({ waitUntil: 'load' });
  const recent = await page.locator('#recent li').first().textContent();
  if (!recent.includes(sentence.slice(0, 40))) throw new Error('the job is not in the recent list: ' + recent);
  if (!(await page.evaluate(() => document.getElementById('key-section').hidden))) {
    throw new Error('the key was asked again after a reload');
  }
  if (problems.length) throw new Error(problems.join('\n'));
  console.log('webpage: ok, screenshot ' + screenshot);
  code = 0;
} catch (e) {
  console.error('webpage: FAILED: ' + (e && e.stack || e));
  if (problems.length) console.error(problems.join('\n'));
} finally {
  await browser.close();
}
process.exit(code);
