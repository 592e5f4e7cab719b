// Issue 13's case work in the console: a case manager moves a case to another
// school of the municipality with the Case page's form; the page shows the move in the
// stage history after the server answered. Three real hopd nodes (seed.mjs), headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { SCALE, launchChromium, openConsole } from './harness.mjs';
import { startSeeded, TARTU } from './seed.mjs';

const WAIT = 20000 * SCALE;
let s;
let fed;
let browser;

before(async () => {
  s = await startSeeded();
  fed = s.fed;
  browser = await launchChromium();
}, { timeout: 240000 * SCALE });
after(async () => {
  if (browser) await browser.close();
  if (fed) await fed.stop();
});

test('a case manager moves a case to another school; the history shows the move', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const ctx = await fed.context(browser, TARTU, tiina);
  const page = await ctx.newPage();
  try {
    await openConsole(page, fed, TARTU, 'case');
    await page.locator(`[data-case-id="${s.caseOskar}"]`).first().click();
    await page.locator(`[data-testid="case-detail"][data-case-id="${s.caseOskar}"]`).waitFor({ timeout: WAIT });
    await page.locator('[data-testid="move-form-panel"] > summary').click();
    const panel = page.locator('[data-testid="move-form-panel"]');
    const inst = panel.locator('[name="institution_id"]');
    // The picker lists this municipality's current institutions (the seed has two schools).
    assert.equal(await inst.evaluate((e) => e.tagName), 'SELECT', 'an institution picker, not a text field');
    await inst.selectOption(s.schoolB, { timeout: WAIT });
    await panel.locator('[name="reason"]').fill('the family moved; Oskar goes to the other school');
    await panel.locator('button[type="submit"]').click();
    await page.getByText(/→/).first().waitFor({ timeout: WAIT });
    const text = await page.locator('[data-testid="case-detail"]').innerText();
    assert.ok(text.includes(s.schoolB), 'the new school is named on the page');
  } finally {
    await ctx.close();
  }
});
