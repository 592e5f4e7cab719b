// The staff console in Debian's headless Chromium (playwright-core, client certificates)
// against three real hopd nodes: the case manager's find and live query, a consent granted
// and withdrawn and the peer's copy going after a sync, a teacher refused another school's
// case, a network leader's counts without personal data, the language switch, the ID-card
// sign-in, no certificate, and axe-core plus a screenshot on every page of every role.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import { SCALE, MUNI_NAME, ARTIFACTS, dateFromToday, launchChromium, openConsole, axeViolations,
  describeViolations, screenshot } from './harness.mjs';
import { startSeeded, TARTU, KAMBJA, ELVA, RASMUS, MIA, OSKAR, IVO, PERSONAL } from './seed.mjs';

const WAIT = 20000 * SCALE;
let s;
let fed;
let browser;

before(async () => {
  // This run's screenshots only.
  await fsp.rm(ARTIFACTS, { recursive: true, force: true });
  s = await startSeeded();
  fed = s.fed;
  browser = await launchChromium();
  console.log(`# chromium ${browser.version()}`);
}, { timeout: 240000 * SCALE });
after(async () => {
  if (browser) await browser.close();
  if (fed) await fed.stop();
});

// Opens a page signed in as `who` (a Person, an ID card or null) at node `code`, runs fn(page),
// then checks the page logged no CSP violation and threw no error, and closes it.
async function withPage(code, who, fn, options = {}) {
  const ctx = await fed.context(browser, code, who, options);
  const page = await ctx.newPage();
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  try {
    await fn(page);
  } catch (e) {
    try { await screenshot(page, `FAILED-${code}-${(who && who.user) || 'nocert'}-${Date.now()}`); } catch { /* closed */ }
    throw e;
  } finally {
    await ctx.close();
  }
  assert.deepEqual(problems, [], `the page at ${code} logged:\n${problems.join('\n')}`);
}

// The route's page is shown (main[data-page=route]) and has settled.
async function onPage(page, route) {
  await page.locator(`main[data-page="${route}"]`).waitFor({ timeout: WAIT });
  await page.waitForLoadState('networkidle', { timeout: WAIT }).catch(() => {});
}

async function go(page, route) {
  const link = page.locator(`[data-nav="${route}"]`);
  await link.first().click();
  await onPage(page, route);
}

async function assertAccessible(page, what) {
  const violations = await axeViolations(page);
  assert.deepEqual(violations, [], `${what}:\n${describeViolations(violations)}`);
}

function assertNoPersonalDataInUrl(page) {
  const url = page.url();
  for (const p of [RASMUS.id, MIA.id, OSKAR.id, OSKAR.guardian, s.caseRasmus, s.caseMia, s.caseOskar]) {
    assert.ok(!url.includes(p), `personal data in the address: ${url}`);
  }
}

async function find(page, isikukood, purpose) {
  const form = page.locator('[data-testid="find-form"]');
  await form.locator('[name="child_isikukood"]').fill(isikukood);
  await form.locator('[name="purpose"]').fill(purpose);
  await page.locator('[data-testid="find-submit"]').click();
  await page.locator('[data-testid="find-results"]').waitFor({ timeout: WAIT });
}

test('a case manager finds a child held from another municipality and asks every peer live', async () => {
  const kadri = await fed.person(KAMBJA, 'kadri');
  await withPage(KAMBJA, kadri, async (page) => {
    await openConsole(page, fed, KAMBJA, 'find');
    await onPage(page, 'find');
    await find(page, RASMUS.id, 'speech therapy starts in Kambja');
    const held = page.locator('[data-testid="held-copies"] [data-origin="0793"]');
    await held.first().waitFor({ timeout: WAIT });
    const text = await held.first().innerText();
    assert.match(text, /Tartu linn \(0793\)/, `the origin with its name: ${text}`);
    assert.match(text, /Tiina Tamm/, 'the responsible contact');
    assert.equal(await held.first().locator('a[href^="tel:"]').count() > 0, true, 'the phone as a tel: link');
    assert.equal(await held.first().locator('a[href^="mailto:tiina@tartu.example"]').count(), 1, 'the e-mail as a mailto: link');
    assert.equal(await page.locator('[data-testid="freshness"]').count() > 0, true, 'freshness shown');
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'find with a held copy');
    await screenshot(page, 'find-held-copy');

    await page.locator('[data-testid="query-peers"]').click();
    await page.locator('[data-peer="0793"][data-outcome="answered"]').waitFor({ timeout: WAIT });
    await page.locator('[data-peer="0171"][data-outcome="no_visible_records"]').waitFor({ timeout: WAIT });
    const answers = await page.locator('[data-testid="peer-answers"]').innerText();
    assert.match(answers, /Tartu linn \(0793\)/);
    assert.match(answers, /Elva vald \(0171\)/);
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'find with the peers\' answers');
    await screenshot(page, 'find-live-query');
  });
});

test('the owner\'s case manager is told who asked: the header counts it, the inbox lists it', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  await withPage(TARTU, tiina, async (page) => {
    await openConsole(page, fed, TARTU, 'inbox');
    await onPage(page, 'inbox');
    const badge = page.locator('[data-testid="inbox-count"]');
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid="inbox-count"]');
      return b && Number(b.textContent.replace(/\D/g, '')) > 0;
    }, null, { timeout: WAIT });
    const rows = page.locator('[data-testid="inbox"] tr[data-inbox-id][data-acknowledged="false"]');
    await rows.first().waitFor({ timeout: WAIT });
    assert.match(await rows.first().innerText(), /Kambja vald \(0283\)/, 'who asked, with the municipality\'s name');
    await assertAccessible(page, 'the inbox');
    await screenshot(page, 'inbox-owner');
    await page.locator('[data-testid="ack-all"]').click();
    await page.waitForFunction(() => {
      const b = document.querySelector('[data-testid="inbox-count"]');
      return b && b.textContent.trim() === '0';
    }, null, { timeout: WAIT });
    assert.equal((await badge.innerText()).trim(), '0');
  });
});

test('the access report for a family lists who looked at the child and prints without the page chrome', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  await withPage(TARTU, tiina, async (page) => {
    await openConsole(page, fed, TARTU, 'report');
    await onPage(page, 'report');
    await page.locator('[data-testid="report-ik"]').fill(RASMUS.id);
    await page.locator('[data-testid="report-make"]').click();
    const report = page.locator('[data-testid="access-report"]');
    await report.waitFor({ timeout: WAIT });
    await page.locator('[data-testid="report-table"]').waitFor({ timeout: WAIT });
    const text = await report.innerText();
    assert.match(text, /Kambja vald \(0283\)/, 'Kambja\'s look-up and question are in the report');
    // Every access to Rasmus succeeded (sync served, look-up, answered question): none is shown
    // as a failure.
    const kinds = await page.locator('[data-testid="report-table"] td[data-outcome-kind]')
      .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-outcome-kind')}: ${e.textContent}`));
    assert.ok(kinds.length >= 8, kinds.join('\n'));
    assert.deepEqual(kinds.filter((k) => !k.startsWith('ok:')), [], 'successful accesses shown as failures');
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'the access report');
    await screenshot(page, 'report-access');
    await page.emulateMedia({ media: 'print' });
    for (const sel of ['header', 'nav', '[data-testid="print"]', '[data-testid="report-make"]']) {
      assert.equal(await page.locator(sel).first().isVisible(), false, `${sel} is printed`);
    }
    assert.equal(await report.isVisible(), true);
    await screenshot(page, 'report-print');
    await page.emulateMedia({ media: 'screen' });
  });
});

test('a case manager grants a consent and withdraws it; the peer\'s copy goes after a sync', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  const anne = await fed.person(ELVA, 'anne');
  const heldAtElva = async () => {
    const r = await fed.api(ELVA, anne, 'hop.v1.CaseWork/Lookup', { childIsikukood: OSKAR.id, purpose: 'the family lives in Elva too' });
    assert.equal(r.status, 200, r.text);
    return (r.json.held || []).filter((h) => h.summary.origin === TARTU).length;
  };
  assert.equal(await heldAtElva(), 0, 'Elva holds Oskar before any consent');

  await withPage(TARTU, tiina, async (page) => {
    await openConsole(page, fed, TARTU, 'consents');
    await onPage(page, 'consents');
    const form = page.locator('[data-testid="grant-form"]');
    await form.locator('[name="child_isikukood"]').fill(OSKAR.id);
    await form.locator('[name="granted_by"]').fill(OSKAR.guardian);
    // Recipients are picked by municipality name.
    await form.getByLabel(`${MUNI_NAME[ELVA]} (${ELVA})`).check();
    await form.locator('[name="scopes"][value="SCOPE_CASE_SUMMARY"]').check();
    await form.locator('[name="scopes"][value="SCOPE_RESPONSIBLE_CONTACT"]').check();
    await form.locator('[name="purpose"]').fill('the family also lives in Elva');
    await form.locator('[name="valid_until"]').fill(dateFromToday(180));
    await form.locator('[name="evidence_ref"]').fill('TL-TEST-0200');
    await page.locator('[data-testid="grant-submit"]').click();
    const row = page.locator('[data-consent-id]', { hasText: OSKAR.id }).filter({ hasText: 'TL-TEST-0200' });
    await row.first().waitFor({ timeout: WAIT });
    assert.equal(await row.first().getAttribute('data-state'), 'in_force');
    assert.match(await row.first().innerText(), /Elva vald \(0171\)/);
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'consents with a consent in force');
    await screenshot(page, 'consents-granted');

    // Elva pulls: it holds Oskar's summary now, and its case manager sees it in the console.
    await fed.sync(ELVA, TARTU);
    assert.equal(await heldAtElva(), 1, 'Elva holds Oskar after the sync');
    await withPage(ELVA, anne, async (elva) => {
      await openConsole(elva, fed, ELVA, 'find');
      await onPage(elva, 'find');
      await find(elva, OSKAR.id, 'the family lives in Elva too');
      await elva.locator('[data-testid="held-copies"] [data-origin="0793"]').first().waitFor({ timeout: WAIT });
    });
    // ... and the owner's consents page says Elva holds it now (after a reload of the list).
    await page.locator('section[aria-labelledby="consents-list-h2"] form button[type="submit"]').click();
    await row.first().locator('[data-recipient="0171"] [data-delivery="holds"]').waitFor({ timeout: WAIT });

    // The guardian withdraws: prefilled from the row, the guardian and the form's reference typed.
    await row.first().locator('[data-testid="withdraw-prefill"]').click();
    const wform = page.locator('[data-testid="withdraw-form"]');
    assert.equal(await wform.locator('[name="child_isikukood"]').inputValue(), OSKAR.id);
    await wform.locator('[name="withdrawn_by"]').fill(OSKAR.guardian);
    await wform.locator('[name="evidence_ref"]').fill('TL-TEST-0201');
    await page.locator('[data-testid="withdraw"]').click();
    await page.locator('[data-consent-id][data-state="withdrawn"]', { hasText: 'TL-TEST-0200' }).first()
      .waitFor({ timeout: WAIT });
    // Elva's copy is to go: the removal waits for its next pull, or is already done (the
    // withdrawal nudges Elva, which may pull at once). Never "holds" any more.
    await page.locator('[data-consent-id]', { hasText: 'TL-TEST-0200' })
      .locator('[data-recipient="0171"] :is([data-delivery="removal_pending"], [data-delivery="removed"], [data-delivery="nothing"])')
      .first().waitFor({ timeout: WAIT });
    await screenshot(page, 'consents-withdrawn');
  });

  // Elva pulls again: the copy is gone, in the API and on the page.
  await fed.sync(ELVA, TARTU);
  assert.equal(await heldAtElva(), 0, 'Elva still holds Oskar after the withdrawal and a sync');
  await withPage(ELVA, anne, async (page) => {
    await openConsole(page, fed, ELVA, 'find');
    await onPage(page, 'find');
    await find(page, OSKAR.id, 'the family lives in Elva too');
    assert.equal(await page.locator('[data-testid="held-copies"] [data-origin="0793"]').count(), 0,
      'the withdrawn copy is still shown at Elva');
  });
});

test('a teacher cannot open another institution\'s case: the page says so and the API refuses', async () => {
  const mari = await fed.person(TARTU, 'mari');
  await withPage(TARTU, mari, async (page) => {
    await openConsole(page, fed, TARTU, 'case');
    await onPage(page, 'case');
    // Her school's stage I case is in her list; the other school's is not.
    await page.locator(`[data-case-id="${s.caseOskar}"]`).first().waitFor({ timeout: WAIT });
    assert.equal(await page.locator(`[data-case-id="${s.caseMia}"]`).count(), 0, 'another school\'s case is listed');
    assert.equal(await page.locator('[data-nav="find"]').count(), 0, 'a teacher is offered Find a child');

    const byNumber = page.locator('[data-testid="case-open-id"]');
    if (await byNumber.count()) {
      // Opening it by its number: the page shows the API's refusal in plain words.
      await byNumber.locator('[name="case_id"]').fill(s.caseMia);
      await byNumber.locator('button[type="submit"]').click();
      const banner = page.locator('[data-testid="page-error"]');
      await banner.first().waitFor({ timeout: WAIT });
      assert.match(await banner.first().innerText(), /another institution|teise asutuse|asutuse/i);
      assert.ok(!(await page.content()).includes(MIA.name), 'the refused case\'s child is shown');
      await screenshot(page, 'case-teacher-refused');
      await page.locator('[data-testid="back-to-cases"]').click();
    } else {
      // No way to name another case in the page: the list filtered by the child's code is empty.
      const filter = page.locator('[data-testid="case-filter"]');
      await filter.locator('[name="child_isikukood"]').fill(MIA.id);
      await filter.locator('button[type="submit"]').click();
      await page.waitForLoadState('networkidle', { timeout: WAIT }).catch(() => {});
      assert.equal(await page.locator(`[data-case-id="${s.caseMia}"]`).count(), 0);
      assert.ok(!(await page.content()).includes(MIA.name), 'the other school\'s child is shown');
      await filter.locator('[name="child_isikukood"]').fill('');
      await filter.locator('button[type="submit"]').click();
    }
    // The API refuses the same request from the page's own origin, with its header.
    const refused = await page.evaluate(async (caseId) => {
      const r = await fetch('/api/hop.v1.CaseWork/GetCase', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Hop-Client': 'console' },
        body: JSON.stringify({ caseId }),
      });
      return { status: r.status, body: await r.json() };
    }, s.caseMia);
    assert.equal(refused.status, 403, JSON.stringify(refused));
    assert.equal(refused.body.code, 'PERMISSION_DENIED');
    // Her own case opens.
    await page.locator(`[data-case-id="${s.caseOskar}"]`).first().click();
    await page.locator(`[data-testid="case-detail"][data-case-id="${s.caseOskar}"]`).waitFor({ timeout: WAIT });
    await page.locator('[data-testid="case-stage"]').waitFor({ timeout: WAIT });
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'a case opened by a teacher');
    await screenshot(page, 'case-teacher');
  });
});

test('a case manager opens a case whole: stages and their history, needs, relations', async () => {
  const tiina = await fed.person(TARTU, 'tiina');
  await withPage(TARTU, tiina, async (page) => {
    await openConsole(page, fed, TARTU, 'case');
    await onPage(page, 'case');
    await page.locator(`[data-case-id="${s.caseRasmus}"]`).first().click();
    const detail = page.locator(`[data-testid="case-detail"][data-case-id="${s.caseRasmus}"]`);
    await detail.waitFor({ timeout: WAIT });
    await page.locator('[data-testid="case-stage"][data-stage="STAGE_III"]').waitFor({ timeout: WAIT });
    const text = await detail.innerText();
    assert.match(text, /Rasmus Näidis/);
    assert.match(text, /Kambja vald \(0283\)/, 'the related municipality with its name');
    assert.match(text, /Lugemisraskused/, 'the need area by its Estonian label');
    assertNoPersonalDataInUrl(page);
    await assertAccessible(page, 'a case');
    await screenshot(page, 'case-detail');
  });
});

test('a network leader sees counts and no personal data', async () => {
  const leena = await fed.person(TARTU, 'leena');
  await withPage(TARTU, leena, async (page) => {
    await openConsole(page, fed, TARTU, 'figures');
    await onPage(page, 'figures');
    const figures = page.locator('[data-testid="figures"]');
    await figures.first().waitFor({ timeout: WAIT });
    await page.locator('[data-testid="figures-total"]').first().waitFor({ timeout: WAIT });
    // Three cases: the total is under 5 and shown suppressed (issue 13), never as a number.
    assert.match(await page.locator('[data-testid="figures-total"]').first().innerText(), /<5/);
    // The county (CaseWork/CountyFigures): one table per dimension, the county column last.
    await page.locator('[data-testid="county-figures-stage"]').first().waitFor({ timeout: WAIT });
    assert.match(await page.locator('[data-testid="county-figures"]').first().innerText(), /<5/);
    for (const route of ['find', 'case', 'consents', 'report']) {
      assert.equal(await page.locator(`[data-nav="${route}"]`).count(), 0, `a network leader is offered ${route}`);
    }
    const html = await page.content();
    for (const p of [...PERSONAL, s.caseRasmus, s.caseMia, s.caseOskar, 'Tiina Tamm', 'Kati Kask']) {
      assert.ok(!html.includes(p), `the figures page shows ${p}`);
    }
    await screenshot(page, 'figures-network-leader');
  });
});

test('the language switch: Estonian first, English one click away, remembered, <html lang> follows', async () => {
  const kadri = await fed.person(KAMBJA, 'kadri');
  await withPage(KAMBJA, kadri, async (page) => {
    await openConsole(page, fed, KAMBJA, 'find');
    await onPage(page, 'find');
    const lang = () => page.evaluate(() => document.documentElement.lang);
    const heading = () => page.locator('main h1').first().innerText();
    const nav = () => page.locator('nav').first().innerText();
    assert.equal(await lang(), 'et');
    const et = { h1: await heading(), nav: await nav() };
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: WAIT });
    const en = { h1: await heading(), nav: await nav() };
    assert.notEqual(en.h1, et.h1, 'the heading did not change');
    assert.notEqual(en.nav, et.nav, 'the navigation did not change');
    assert.match(en.nav + en.h1, /[A-Za-z]/);
    await screenshot(page, 'find-english');
    // Remembered across a reload.
    await page.reload();
    await onPage(page, 'find');
    assert.equal(await lang(), 'en');
    assert.equal(await heading(), en.h1);
    await page.locator('[data-testid="lang-switch"]').click();
    await page.waitForFunction(() => document.documentElement.lang === 'et', null, { timeout: WAIT });
    assert.equal(await heading(), et.h1);
    assert.equal(await nav(), et.nav);
  });
});

test('a staff member signs in with the PKCS#12 file hop-pki wrote for the browser', async () => {
  const kati = await fed.person(TARTU, 'kati');
  await withPage(TARTU, kati, async (page) => {
    await openConsole(page, fed, TARTU);
    const header = await page.locator('header').first().innerText();
    assert.match(header, /kati/, `signed in as kati: ${header}`);
    assert.match(header, /Tartu linn \(0793\)/);
  }, { pfx: true });
});

test('an ID-card-shaped certificate from the TEST CA signs in as its mapped user', async () => {
  const card = await fed.idCard(IVO.id, IVO.surname, IVO.given);
  await withPage(KAMBJA, card, async (page) => {
    await openConsole(page, fed, KAMBJA, 'find');
    await onPage(page, 'find');
    const header = await page.locator('header').first().innerText();
    assert.match(header, new RegExp(IVO.user), `the header names the mapped user: ${header}`);
    assert.match(header, /Kambja vald/);
    await find(page, RASMUS.id, 'speech therapy starts in Kambja');
    await page.locator('[data-testid="held-copies"] [data-origin="0793"]').first().waitFor({ timeout: WAIT });
    await screenshot(page, 'find-id-card');
  });
});

test('without a client certificate the console says how to sign in and shows no data', async () => {
  await withPage(TARTU, null, async (page) => {
    await openConsole(page, fed, TARTU, 'find');
    await onPage(page, 'signin');
    const html = await page.content();
    for (const p of [...PERSONAL, s.caseRasmus]) assert.ok(!html.includes(p), `the sign-in page shows ${p}`);
    const violations = await axeViolations(page);
    assert.deepEqual(violations, [], describeViolations(violations));
    await screenshot(page, 'signin');
  });
});

// Every page in the navigation of each kind of user: axe-core finds no serious or critical
// violation, and a screenshot is saved (page-ROUTE.png for the first user who has the page,
// page-ROUTE-USER.png for the others).
const TOURS = [
  ['case manager', KAMBJA, 'kadri'],
  ['case manager (owner)', TARTU, 'tiina'],
  ['teacher', TARTU, 'mari'],
  ['coordinator', TARTU, 'kati'],
  ['network leader', TARTU, 'leena'],
  ['admin', TARTU, 'admin'],
  ['ops', TARTU, 'ops:monitor'],
];
const seenRoutes = new Set();
for (const [label, code, user] of TOURS) {
  test(`axe-core: no serious or critical violation on any page of the ${label}`, async () => {
    const who = user.startsWith('ops:') ? await fed.ops(code, user.slice(4)) : await fed.person(code, user);
    const failures = [];
    await withPage(code, who, async (page) => {
      await openConsole(page, fed, code);
      const routes = await page.locator('nav [data-nav]').evaluateAll((els) => els.map((e) => e.getAttribute('data-nav')));
      assert.ok(routes.length > 0, `${label}: no page in the navigation`);
      for (const route of routes) {
        await go(page, route);
        const violations = await axeViolations(page);
        if (violations.length) failures.push(`${route} (${label}):\n${describeViolations(violations)}`);
        const name = `page-${route}` + (seenRoutes.has(route) ? `-${user.replace(':', '-')}` : '');
        seenRoutes.add(route);
        await screenshot(page, name);
      }
      // The English pages too, on the first route.
      await page.locator('[data-testid="lang-switch"]').click();
      await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: WAIT });
      const en = await axeViolations(page);
      if (en.length) failures.push(`${routes[routes.length - 1]} in English (${label}):\n${describeViolations(en)}`);
    });
    assert.deepEqual(failures, [], failures.join('\n'));
  });
}
