import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { arrive, CHROMIUM, journeys, screenshot, signInAs } from './harness.ts';

/*
 * Outcome measures end to end, as the people who use them: the link worker records a baseline with the person,
 * the person answers a questionnaire link on their own phone, discharge measures are taken, the long-term
 * follow-up comes due nine months on (the server's injectable clock moved forward), and the commissioner reads
 * the service's change table.
 */

/** In the demo seed: on Amira's caseload, first contact made, no "what matters" conversation and no baseline yet. */
const person = 'Lewis Grant';
const episodeHeading = new RegExp(`^Episode – ${person}$`);

const ons4 = {
  life: 'Overall, how satisfied are you with your life nowadays?',
  worthwhile: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
  happy: 'Overall, how happy did you feel yesterday?',
  anxious:
    'On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?',
};
const ucla3 = {
  companionship: 'How often do you feel that you lack companionship?',
  leftOut: 'How often do you feel left out?',
  isolated: 'How often do you feel isolated from others?',
};

/** Waits until the page shows the text, e.g. a banner saying what was just saved. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

/**
 * Waits for a page's heading and takes its screenshot, without axe: for pages other journeys check, or the same
 * page again with nothing new on it (each axe run costs seconds on a shared machine).
 */
async function reach(page: Page, heading: string | RegExp, name: string): Promise<void> {
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
    .toMatch(heading);
  await screenshot(page, name);
}

/** Chooses an answer to one question of a questionnaire (each question is a group of radios, its legend the question). */
async function answer(page: Page, question: string, option: string): Promise<void> {
  await page.getByRole('group', { name: question, exact: true }).getByLabel(option, { exact: true }).check();
}

/** A table's rows that have a cell saying exactly each of these. */
function rows(table: Locator, ...cells: string[]): Locator {
  let found = table.getByRole('row');
  for (const text of cells)
    found = found.filter({ has: table.page().getByRole('cell', { name: text, exact: true }) });
  return found;
}

/** The measures recorded on the episode page: the row for one timepoint and questionnaire. */
function recorded(page: Page, when: string, questionnaire: string): Locator {
  return rows(page.getByRole('table', { name: 'Measures recorded' }), when, questionnaire);
}

journeys('outcome measures in Chromium', { timeout: 180_000 }, (ctx) => {
  let page: Page;
  let phoneBrowser: Browser | undefined;
  /** The episode's page, as its path (/episodes/<referral id>). */
  let episodePath = '';

  /**
   * The server's clock was fixed when it started; the browser fills today's date into forms from its own clock.
   * Each step starts by bringing the server up to the browser's time, as in real use.
   */
  const timeNow = () => ctx.linkwork.clock.set(new Date());

  afterAll(async () => {
    await phoneBrowser?.close();
  });

  it('a link worker records a baseline ONS4 and UCLA-3 with the person, in person', async () => {
    const { url } = ctx.linkwork;
    timeNow();
    await ctx.browser.context.clearCookies();
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'amira.hassan@demo.linkwork.example');
    await reach(page, /What you can do/, 'outcomes-01-link-worker-home');

    // Her caseload's measures due: the baseline is due for someone she has not yet had "what matters" with.
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Measures' }).click();
    await arrive(page, 'Outcome measures due', 'outcomes-02-measures-due');
    const due = rows(page.getByRole('table'), person, 'Baseline');
    await expect
      .poll(() => due.count(), { timeout: 10_000, message: `${person}'s baseline due (from the demo seed)` })
      .toBe(1);
    expect(await due.getByRole('cell', { name: 'Due', exact: true }).count()).toBe(1);
    await due.getByRole('link', { name: person }).click();
    await arrive(page, episodeHeading, 'outcomes-03-episode-baseline-due');
    episodePath = new URL(page.url()).pathname;
    expect(episodePath).toMatch(/^\/episodes\/[0-9a-f-]{36}$/);
    const section = page.getByRole('region', { name: 'Outcome measures' });
    await shows(page, 'No measures recorded yet.');
    const dueHere = section.getByRole('table', { name: 'Measures this episode calls for' });
    expect(await rows(dueHere, 'Baseline', 'Due').count()).toBe(2);

    await section.getByRole('link', { name: 'Record baseline measures' }).click();
    await arrive(page, 'Record outcome measures', 'outcomes-04-record-baseline');
    expect(await page.getByLabel('Baseline').isChecked()).toBe(true);
    expect(await page.getByLabel('ONS personal well-being (ONS4)').isChecked()).toBe(true);
    expect(await page.getByLabel('UCLA 3-item loneliness scale').isChecked()).toBe(true);
    expect(await page.getByLabel('The person, with the link worker').isChecked()).toBe(true);
    expect(await page.getByLabel('In person').isChecked()).toBe(true);

    await answer(page, ons4.life, '4');
    await answer(page, ons4.worthwhile, '5');
    await answer(page, ons4.happy, '3');
    await answer(page, ons4.anxious, '7');
    await answer(page, ucla3.companionship, 'Often');
    await answer(page, ucla3.leftOut, 'Often');

    // One question left unanswered: the error summary names it, and nothing is recorded.
    await page.getByRole('button', { name: 'Record measures' }).click();
    await shows(page, 'There is a problem');
    const missing = `Choose an answer to “${ucla3.isolated}”, or record it as partly answered below`;
    expect(await page.locator('.nhsuk-error-summary').getByRole('link', { name: missing }).isVisible()).toBe(
      true,
    );
    await arrive(page, 'Record outcome measures', 'outcomes-05-record-baseline-unanswered');
    expect(await page.getByText(/Record as partly answered/).isVisible()).toBe(true);

    await answer(page, ucla3.isolated, 'Some of the time');
    await page.getByRole('button', { name: 'Record measures' }).click();
    await arrive(page, episodeHeading, 'outcomes-06-episode-baseline-recorded');
    await shows(
      page,
      `ONS personal well-being (ONS4) and UCLA 3-item loneliness scale recorded for ${person}.`,
    );
    const baselineOns4 = recorded(page, 'Baseline', 'ONS personal well-being (ONS4)');
    const baselineUcla3 = recorded(page, 'Baseline', 'UCLA 3-item loneliness scale');
    await expect.poll(() => baselineOns4.count(), { timeout: 10_000 }).toBe(1);
    expect(await baselineOns4.textContent()).toContain(
      'Life satisfaction 4 (Low); Things done in life are worthwhile 5 (Medium); Happiness yesterday 3 (Low); Anxiety yesterday 7 (High)',
    );
    expect(await baselineOns4.textContent()).toContain('The person, with the link worker, in person');
    expect(await baselineUcla3.textContent()).toContain('Loneliness (UCLA-3, 3–9) 8');
  });

  it('she shows a questionnaire link as a QR code, and the person answers it on their phone', async () => {
    const { url } = ctx.linkwork;
    timeNow();
    // No timepoint is open between baseline and discharge: a check-in in between is an "other" measure.
    await page.goto(`${url}${episodePath}/measures/link?timepoint=other`);
    await arrive(page, 'Send a questionnaire link', 'outcomes-07-link-choose');
    await shows(page, `${person} answers the questionnaires on their own phone or computer`);
    await page.getByLabel('Show a QR code now').check();
    await page.getByRole('button', { name: 'Make the link' }).click();
    await shows(page, 'Scan to open the questionnaire');
    expect(await page.getByRole('img', { name: 'QR code of the questionnaire link' }).isVisible()).toBe(true);
    await arrive(page, 'Send a questionnaire link', 'outcomes-08-link-qr');
    const shown = (await page.locator('code').filter({ hasText: '/r/' }).textContent()) ?? '';
    const token = /\/r\/([A-Za-z0-9_-]{43})$/.exec(shown.trim())?.[1];
    expect(token, `a link to a questionnaire in “${shown}”`).toBeDefined();
    // The harness gives the app its public address without the port it happens to listen on.
    const link = `${url}/r/${token}`;

    // The person's own phone: no staff session, a small touch screen.
    phoneBrowser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
      ],
    });
    const phone = await (
      await phoneBrowser.newContext({
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
      })
    ).newPage();
    await phone.goto(link);
    await arrive(phone, 'ONS personal well-being (ONS4)', 'outcomes-phone-01-ons4');
    await shows(phone, 'Questionnaire 1 of 2');

    // Continuing with a question unanswered asks for it (or to skip it on purpose).
    await answer(phone, ons4.life, '6');
    await answer(phone, ons4.worthwhile, '7');
    await answer(phone, ons4.happy, '6');
    await phone.getByRole('button', { name: 'Continue' }).click();
    await shows(phone, 'There is a problem');
    expect(await phone.getByRole('link', { name: `Answer: ${ons4.anxious}` }).isVisible()).toBe(true);
    await arrive(phone, 'ONS personal well-being (ONS4)', 'outcomes-phone-02-ons4-unanswered');
    expect(
      await phone.getByRole('button', { name: 'Skip the questions I have not answered' }).isVisible(),
    ).toBe(true);
    await answer(phone, ons4.anxious, '5');

    // Answers are saved as they go: opening the link again finds them.
    const saved = phone.waitForResponse((r) => r.url().endsWith('/api/completion/progress'));
    await phone.getByRole('button', { name: 'Continue' }).click();
    expect((await saved).ok()).toBe(true);
    await arrive(phone, 'UCLA 3-item loneliness scale', 'outcomes-phone-03-ucla3');
    await phone.reload();
    await reach(phone, 'ONS personal well-being (ONS4)', 'outcomes-phone-04-ons4-reopened');
    expect(
      await phone
        .getByRole('group', { name: ons4.life, exact: true })
        .getByLabel('6', { exact: true })
        .isChecked(),
    ).toBe(true);
    await phone.getByRole('button', { name: 'Continue' }).click();
    await reach(phone, 'UCLA 3-item loneliness scale', 'outcomes-phone-05-ucla3-again');
    await shows(phone, 'Questionnaire 2 of 2');
    await answer(phone, ucla3.companionship, 'Some of the time');
    await answer(phone, ucla3.leftOut, 'Hardly ever or never');
    await answer(phone, ucla3.isolated, 'Some of the time');
    await phone.getByRole('button', { name: 'Continue' }).click();

    await arrive(phone, 'Check your answers', 'outcomes-phone-06-check');
    const row = (question: string) => phone.locator('.nhsuk-summary-list__row').filter({ hasText: question });
    expect(await row(ons4.anxious).locator('.nhsuk-summary-list__value').textContent()).toBe('5');
    expect(await row(ucla3.leftOut).locator('.nhsuk-summary-list__value').textContent()).toBe(
      'Hardly ever or never',
    );
    await phone.getByRole('button', { name: 'Send my answers' }).click();
    await arrive(phone, 'Thank you', 'outcomes-phone-07-thank-you');
    await shows(phone, 'Your answers have been sent to your link worker.');

    // The link works once.
    await phone.goto(link);
    await arrive(phone, 'You have already sent your answers', 'outcomes-phone-08-already-sent');
    await phone.goto(`${url}/r/${'x'.repeat(43)}`);
    await arrive(phone, 'We could not find this questionnaire', 'outcomes-phone-09-unknown-link');
    await phone.close();
    await phoneBrowser.close();
    phoneBrowser = undefined;

    // Back on the episode: his answers, as he gave them, and the link marked answered.
    await page.goto(`${url}${episodePath}`);
    await arrive(page, episodeHeading, 'outcomes-09-episode-link-answered');
    const other = recorded(page, 'Other', 'ONS personal well-being (ONS4)');
    await expect.poll(() => other.count(), { timeout: 10_000 }).toBe(1);
    expect(await other.textContent()).toContain('Life satisfaction 6 (Medium)');
    expect(await other.textContent()).toContain('The person, on their own, online');
    expect(await recorded(page, 'Other', 'UCLA 3-item loneliness scale').textContent()).toContain(
      'Loneliness (UCLA-3, 3–9) 5',
    );
    await shows(page, /Answered\s*Other link made/);
  });

  it('at discharge the measures are due, and she records them', async () => {
    timeNow();
    await page
      .getByRole('link', { name: `Discharge ${person}` })
      .first()
      .click();
    await reach(page, 'Discharge from social prescribing', 'outcomes-10-discharge');
    await page.getByLabel('Referred on to another service').check();
    await page
      .getByLabel('Closing summary')
      .fill('Rehoused with the council’s help; happy to be contacted later.');
    await page
      .getByLabel('What support was offered?')
      .fill('Two conversations, and a referral to the council’s housing options team.');
    await page.getByLabel('What was the outcome?').fill('Lewis has a new tenancy and feels more settled.');
    await page.getByLabel('Yes, they agreed').check();
    await page.getByRole('button', { name: 'Discharge and send message back' }).click();
    await reach(page, 'Social prescribing message back', 'outcomes-11-message-back');

    await page.getByRole('link', { name: `Back to ${person}` }).click();
    await reach(page, episodeHeading, 'outcomes-12-episode-discharge-due');
    const dueHere = page.getByRole('table', { name: 'Measures this episode calls for' });
    await expect.poll(() => rows(dueHere, 'Discharge', 'Due').count(), { timeout: 10_000 }).toBe(2);
    // He agreed to be contacted later, so both follow-ups are on their way.
    expect(await rows(dueHere, 'Short-term follow-up', 'Not due yet').count()).toBe(2);
    expect(await rows(dueHere, 'Long-term follow-up (9–12 months)', 'Not due yet').count()).toBe(2);

    await page.getByRole('link', { name: 'Record discharge measures' }).click();
    await reach(page, 'Record outcome measures', 'outcomes-13-record-discharge');
    expect(await page.getByLabel('Discharge', { exact: true }).isChecked()).toBe(true);
    await answer(page, ons4.life, '7');
    await answer(page, ons4.worthwhile, '8');
    await answer(page, ons4.happy, '7');
    await answer(page, ons4.anxious, '3');
    await answer(page, ucla3.companionship, 'Some of the time');
    await answer(page, ucla3.leftOut, 'Hardly ever or never');
    await answer(page, ucla3.isolated, 'Hardly ever or never');
    await page.getByRole('button', { name: 'Record measures' }).click();
    await reach(page, episodeHeading, 'outcomes-14-episode-discharge-recorded');
    const dischargeOns4 = recorded(page, 'Discharge', 'ONS personal well-being (ONS4)');
    await expect.poll(() => dischargeOns4.count(), { timeout: 10_000 }).toBe(1);
    expect(await dischargeOns4.textContent()).toContain('Life satisfaction 7 (High)');
    expect(await dischargeOns4.textContent()).toContain('Anxiety yesterday 3 (Low)');
    expect(await recorded(page, 'Discharge', 'UCLA 3-item loneliness scale').textContent()).toContain(
      'Loneliness (UCLA-3, 3–9) 4',
    );
    expect(await rows(dueHere, 'Discharge', 'Done').count()).toBe(2);

    // The person's record shows each measure over time, as charts with their numbers.
    await page.getByRole('heading', { level: 1 }).getByRole('link', { name: person }).click();
    const overTime = page.getByRole('region', { name: 'Outcome measures over time' });
    await expect
      .poll(() => overTime.getByRole('heading', { name: 'UCLA 3-item loneliness scale' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await overTime.getByText('Show the numbers').first().click();
    await arrive(page, person, 'outcomes-15-person-measures');
  });

  it('nine months after discharge, the long-term follow-up is due', async () => {
    const { url, clock } = ctx.linkwork;
    const later = new Date();
    later.setUTCMonth(later.getUTCMonth() + 9);
    later.setUTCDate(later.getUTCDate() + 7);
    clock.set(later);
    // The server's clock moves nine months on; her session has long expired, so she signs in again.
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'amira.hassan@demo.linkwork.example');
    await reach(page, /What you can do/, 'outcomes-16-link-worker-home-later');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Measures' }).click();
    await reach(page, 'Outcome measures due', 'outcomes-17-follow-up-due');
    const followUp = rows(page.getByRole('table'), person, 'Long-term follow-up (9–12 months)');
    await expect.poll(() => followUp.count(), { timeout: 10_000 }).toBe(1);
    expect(await followUp.textContent()).toContain(
      'ONS personal well-being (ONS4), UCLA 3-item loneliness scale',
    );
    expect(await followUp.getByRole('cell', { name: 'Due', exact: true }).count()).toBe(1);

    await followUp.getByRole('link', { name: person }).click();
    await reach(page, episodeHeading, 'outcomes-18-episode-follow-up-due');
    const dueHere = page.getByRole('table', { name: 'Measures this episode calls for' });
    await expect
      .poll(() => rows(dueHere, 'Long-term follow-up (9–12 months)', 'Due').count(), { timeout: 10_000 })
      .toBe(2);
    expect(await rows(dueHere, 'Short-term follow-up', 'Overdue').count()).toBe(2);
  });

  it('the commissioner sees the change in loneliness across the ICB, with confidence intervals and small cells hidden', async () => {
    const { url } = ctx.linkwork;
    timeNow();
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'commissioner@demo.linkwork.example');
    await reach(page, /What you can do/, 'outcomes-19-commissioner-home');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Outcomes' }).click();
    await arrive(page, 'Change in outcomes', 'outcomes-20-change-ons4');
    await page.getByLabel('Measure').selectOption({ label: 'UCLA 3-item loneliness scale' });
    await page.getByRole('button', { name: 'Show the table' }).click();
    await shows(page, /^UCLA 3-item loneliness scale: /);
    await arrive(page, 'Change in outcomes', 'outcomes-21-change-ucla3');
    await shows(page, 'Cells with fewer than 5 people are not shown');

    /** What a cell of the loneliness score's row says (without the column name narrow screens show in it). */
    const loneliness = (comparison: string) => ({
      cell: async (column: number) =>
        (
          await page
            .getByRole('table', { name: comparison })
            .getByRole('row')
            .filter({ hasText: 'Loneliness (UCLA-3, 3–9)' })
            .getByRole('cell')
            .nth(column)
            .locator(':scope > div')
            .textContent()
        )?.trim() ?? '',
    });

    // Baseline to discharge: enough people for a mean change with its 95% confidence interval.
    const discharge = loneliness('Baseline to discharge');
    expect(Number(await discharge.cell(1))).toBeGreaterThanOrEqual(5);
    const change = /^([+-]?\d+\.\d\d) \(([+-]?\d+\.\d\d) to ([+-]?\d+\.\d\d)\)/.exec(await discharge.cell(2));
    expect(change, 'mean change (lower to upper)').not.toBeNull();
    const [mean, lower, upper] = change!.slice(1).map(Number) as [number, number, number];
    expect(lower).toBeLessThanOrEqual(mean);
    expect(mean).toBeLessThanOrEqual(upper);
    expect(await discharge.cell(3)).toMatch(/^[+-]?\d+\.\d\d \((negligible|small|moderate|large)\)$/);

    // Nobody in the demo is 9–12 months past discharge yet: the long-term cells are suppressed, and say so.
    const longTerm = loneliness('Baseline to long-term follow-up (9–12 months)');
    expect(await longTerm.cell(2)).toMatch(/^Fewer than 5 — not shown/);
    expect(await longTerm.cell(3)).toMatch(/^Fewer than 5 — not shown/);
  });
});
