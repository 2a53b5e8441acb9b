import { generate } from 'otplib';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { arrive, chooseOrganisation, journeys, screenshot, signInAs } from './harness.ts';

/*
 * Outcome measures' administration end to end: a PCN's administrator adds the organisation's own questionnaire
 * from its JSON definition (and is told what is wrong with a broken one, and with a licence sent without its
 * table), the lead chooses it for the PCN's link workers and moves the short-term follow-up earlier, and a month
 * later (the server's clock moved on) the link worker finds a discharged person's follow-up open.
 */

const pcn = 'Moorland Rural PCN';
/** In the demo seed: discharged by Tom Bennett (Moorland) about seven weeks ago, and agreed to be contacted. */
const person = 'Tony Rigby';

/** An organisation's own questionnaire, written for this test: one 0–10 rating of progress towards a goal. */
const goalBasedOutcome = {
  code: 'goal_based_outcome',
  version: '1',
  title: 'Goal-based outcome',
  instructions: 'Think about the goal you chose with your link worker.',
  items: [
    {
      linkId: 'goal_progress',
      text: 'How close are you to reaching your goal?',
      options: Array.from({ length: 11 }, (_, v) => ({
        value: v,
        label: v === 0 ? '0 – not at all' : v === 10 ? '10 – goal reached' : String(v),
      })),
    },
  ],
  scores: [
    {
      code: 'goal_progress',
      label: 'Progress towards the goal',
      kind: 'item',
      items: ['goal_progress'],
      higherIsBetter: true,
    },
  ],
};

/** Waits until the page shows the text, e.g. a banner saying what was just saved. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

/** The error summary's list, as its lines. */
async function summaryLines(page: Page): Promise<string[]> {
  await shows(page, 'There is a problem');
  return (await page.locator('.nhsuk-error-summary li').allTextContents()).map((t) => t.trim());
}

/** A table's rows that have a cell containing each of these. */
function rows(table: Locator, ...cells: (string | RegExp)[]): Locator {
  let found = table.getByRole('row');
  for (const text of cells) found = found.filter({ has: table.page().getByRole('cell', { name: text }) });
  return found;
}

function menu(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name, exact: true });
}

journeys('outcome measures administration in Chromium', { timeout: 120_000 }, (ctx) => {
  let page: Page;

  it('a PCN’s administrator adds their own questionnaire from its JSON definition', async () => {
    const { url, clock } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'pcn.admin@demo.linkwork.example');
    // Administrators set up two-factor authentication first (the foundation journey checks these pages).
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByText('I cannot scan the QR code').click();
    const secret = (await page.locator('.app-secret').textContent())!.replace(/\s/g, '');
    const code = await generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) });
    await page.getByLabel('Enter the 6-digit code your app shows for Linkwork').fill(code);
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();

    await menu(page, 'Questionnaires').click();
    await arrive(page, /Questionnaires$/, 'outcomes-admin-01-questionnaires');
    const list = page.getByRole('table', { name: 'Questionnaires available here' });
    const swemwbs = rows(list, /Warwick-Edinburgh/);
    await expect.poll(() => swemwbs.count(), { timeout: 10_000 }).toBe(1);
    expect(await swemwbs.textContent()).toContain('Needed, not recorded yet');
    expect(await rows(list, /ONS personal well-being/).textContent()).toContain('Not needed');

    // A licence sent with a table that is not numbers is stopped row by row; one sent without its table gets the
    // server's word on what is missing. (No conversion values are written here: they come with the licence.)
    await swemwbs.getByRole('link', { name: /^Record a licence/ }).click();
    await arrive(page, /Record a licence$/, 'outcomes-admin-02-licence');
    const table = page.getByLabel(/^Conversion table for/);
    await table.setInputFiles({
      name: 'table.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('raw,converted\nseven,x\n'),
    });
    await page.getByRole('button', { name: 'Record the licence' }).click();
    expect(await summaryLines(page)).toEqual([
      'Row 2: the raw score “seven” is not a whole number',
      'Row 2: the converted score “x” is not a number (use a full stop for decimals)',
    ]);
    await table.setInputFiles([]);
    await page.getByLabel('Licence reference').fill('E2E-TEST-REFERENCE');
    await page.getByRole('button', { name: 'Record the licence' }).click();
    await expect
      .poll(() => summaryLines(page), { timeout: 10_000 })
      .toEqual(['Add the swemwbs_metric table your licence came with']);
    await arrive(page, /Record a licence$/, 'outcomes-admin-03-licence-without-table');

    await page.getByRole('link', { name: 'Back to questionnaires' }).click();
    await page.getByRole('link', { name: 'Add your own questionnaire' }).click();
    await arrive(page, 'Add your own questionnaire', 'outcomes-admin-04-add');
    const definition = page.getByLabel('Definition (JSON)');
    await definition.fill('{"code": "goal_based_outcome",');
    await page.getByRole('button', { name: 'Add questionnaire' }).click();
    expect((await summaryLines(page))[0]).toMatch(/^The definition is not valid JSON/);

    // Valid JSON, but an item with one answer option: the server names where.
    const broken = structuredClone(goalBasedOutcome);
    broken.items[0]!.options = broken.items[0]!.options.slice(0, 1);
    await definition.fill(JSON.stringify(broken, null, 2));
    await page.getByRole('button', { name: 'Add questionnaire' }).click();
    await expect
      .poll(() => summaryLines(page), { timeout: 10_000 })
      .toContain('items[0].options: An item needs at least two options');
    expect(await page.locator('#definition-error').textContent()).toContain(
      'items[0].options: An item needs at least two options',
    );
    await arrive(page, 'Add your own questionnaire', 'outcomes-admin-05-add-broken');

    // The corrected file, uploaded: it fills the definition in, to check before adding.
    await page.getByLabel('Upload a JSON file').setInputFiles({
      name: 'goal-based-outcome.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(goalBasedOutcome, null, 2)),
    });
    await expect.poll(() => definition.inputValue()).toContain('"goal_based_outcome"');
    await page.getByRole('button', { name: 'Add questionnaire' }).click();
    await shows(page, 'Goal-based outcome (version 1) added.');
    const added = rows(
      page.getByRole('table', { name: 'Questionnaires available here' }),
      /Goal-based outcome/,
    );
    await expect.poll(() => added.count(), { timeout: 10_000 }).toBe(1);
    expect(await added.textContent()).toContain('Your organisation');
    await arrive(page, /Questionnaires$/, 'outcomes-admin-06-added');

    // Its FHIR Questionnaire downloads as JSON.
    const href = await added.getByRole('link', { name: /^Download \(JSON\)/ }).getAttribute('href');
    const fhir = await page.request.get(`${url}${href}`);
    expect(fhir.status()).toBe(200);
    const questionnaire = (await fhir.json()) as { resourceType: string; title: string };
    expect([questionnaire.resourceType, questionnaire.title]).toEqual([
      'Questionnaire',
      'Goal-based outcome',
    ]);
  });

  it('the lead chooses it for the PCN and opens the short-term follow-up a month earlier', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, pcn);
    // A lead's menu is full: Follow-ups is reached from Measures.
    await menu(page, 'Measures').click();
    await page.getByRole('link', { name: 'Follow-ups open or opening soon' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent(), { timeout: 10_000 })
      .toMatch(/Follow-ups$/);
    await page.getByRole('link', { name: 'Change them in outcome settings' }).click();
    await arrive(page, /Outcome settings$/, 'outcomes-admin-07-settings');

    const own = page.getByLabel('Goal-based outcome');
    expect(await own.isEnabled()).toBe(true);
    expect(await own.isChecked()).toBe(false);
    expect(await page.getByLabel(/Warwick-Edinburgh/).isDisabled()).toBe(true);
    await own.check();
    const short = page.getByRole('group', { name: 'Short-term follow-up' });
    const opens = short.getByLabel('Opens, in months after discharge');
    expect(await opens.inputValue()).toBe('3');
    expect(await short.getByLabel('Closes, in months after discharge').inputValue()).toBe('4');

    // Opening after it closes: the server's rule, shown in the summary and beside the field.
    await opens.fill('5');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect
      .poll(() => summaryLines(page), { timeout: 10_000 })
      .toEqual(['The short-term follow-up window must end after it opens']);
    expect(await page.locator('#shortFollowUpToMonths-error').textContent()).toContain(
      'The short-term follow-up window must end after it opens',
    );
    await arrive(page, /Outcome settings$/, 'outcomes-admin-08-settings-error');

    // The same settings open in a second tab, to be saved after these: that one is told to check them again.
    const otherTab = await ctx.browser.context.newPage();
    await otherTab.goto(`${url}/outcomes/settings`);
    const otherCloses = otherTab
      .getByRole('group', { name: 'Long-term follow-up' })
      .getByLabel('Closes, in months after discharge');
    await expect.poll(() => otherCloses.inputValue(), { timeout: 10_000 }).toBe('12');

    await opens.fill('2');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await shows(page, 'Outcome settings saved');
    expect(await opens.inputValue()).toBe('2');
    expect(await page.getByLabel('Goal-based outcome').isChecked()).toBe(true);
    await screenshot(page, 'outcomes-admin-09-settings-saved');

    await otherCloses.fill('11');
    await otherTab.getByRole('button', { name: 'Save settings' }).click();
    expect(await summaryLines(otherTab)).toEqual([
      'Someone else changed these settings while you were editing them. The form now shows the settings as they are: check them and make your change again.',
    ]);
    const otherOpens = otherTab
      .getByRole('group', { name: 'Short-term follow-up' })
      .getByLabel('Opens, in months after discharge');
    await expect.poll(() => otherOpens.inputValue(), { timeout: 10_000 }).toBe('2');
    expect(await otherCloses.inputValue()).toBe('12');
    await screenshot(otherTab, 'outcomes-admin-09a-settings-changed-elsewhere');
    await otherTab.close();
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'outcomes-admin-09b-settings-narrow');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('a month on, the link worker sees the person whose follow-up is now open', async () => {
    const { url, clock } = ctx.linkwork;
    // Discharged about seven weeks before the demo was made: a month on, past two months (the new opening) and
    // short of three (the old one).
    clock.set(new Date(clock.now().getTime() + 30 * 86_400_000));
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'tom.bennett@demo.linkwork.example');
    await menu(page, 'Follow-ups').click();
    await arrive(page, /Follow-ups$/, 'outcomes-admin-10-follow-ups');
    const followUp = rows(page.getByRole('table'), person, 'Short-term (2 to 4 months)');
    await expect
      .poll(() => followUp.count(), {
        timeout: 10_000,
        message: `${person}'s follow-up (from the demo seed)`,
      })
      .toBe(1);
    expect(await followUp.getByRole('cell', { name: 'Open now' }).count()).toBe(1);
    expect(await followUp.textContent()).toContain('Goal-based outcome');
    const record = followUp.getByRole('link', {
      name: `Record outcome measures for ${person}`,
      exact: false,
    });
    expect(await record.getAttribute('href')).toMatch(
      /^\/episodes\/[0-9a-f-]{36}\/measures\/new\?timepoint=follow_up_short$/,
    );
    expect(await followUp.getByRole('link', { name: person, exact: true }).getAttribute('href')).toMatch(
      /^\/people\/[0-9a-f-]{36}$/,
    );

    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, /Follow-ups$/, 'outcomes-admin-11-follow-ups-narrow');
    await page.setViewportSize({ width: 1200, height: 900 });
  });
});
