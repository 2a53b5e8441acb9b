import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { arrive, chooseOption, journeys, screenshot, signInAs } from './harness.ts';

/*
 * The research workspace as the demo researcher (Dr Nia Roberts) uses it: she starts a study (the form first
 * tells her what is missing), adds a site and a case, a patient with their contact details, records their consent,
 * plans and holds their first interview and finds them on the follow-up list; then, in the demo study, the API
 * refuses to mark an interview done without consent, the follow-up list shows an open window, and she records a
 * participant's withdrawal with their data removed.
 */

const demoStudy = 'Link workers in primary care: a realist evaluation';
const newStudy = 'Link workers and loneliness in later life';

/** Today in England as YYYY-MM-DD, as the pages fill dates in. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

/** Waits until the page shows the text, e.g. a banner saying what was just saved. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

/** A table's rows that have a cell containing each of these. */
function rows(table: Locator, ...cells: (string | RegExp)[]): Locator {
  let found = table.getByRole('row');
  for (const text of cells) found = found.filter({ has: table.page().getByRole('cell', { name: text }) });
  return found;
}

/** A row of a table with row headers: the one headed `header`, with cells containing each of `cells`. */
function rowHeaded(table: Locator, header: string, ...cells: (string | RegExp)[]): Locator {
  return rows(table, ...cells).filter({ has: table.page().getByRole('rowheader', { name: header }) });
}

/** Types a date into the three boxes of an NHS date input. */
async function fillDate(page: Page, id: string, isoDate: string): Promise<void> {
  const [year, month, day] = isoDate.split('-');
  await page.locator(`#${id}-day`).fill(String(Number(day)));
  await page.locator(`#${id}-month`).fill(String(Number(month)));
  await page.locator(`#${id}-year`).fill(year ?? '');
}

/** The error summary's message, once it shows. */
async function problem(page: Page, message: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.locator('.nhsuk-error-summary').getByText(message).first().isVisible(), {
      timeout: 10_000,
      message: String(message),
    })
    .toBe(true);
}

journeys('the research workspace in Chromium', { timeout: 150_000 }, (ctx) => {
  let page: Page;

  it('a researcher starts a study, adds a site, a case and a patient, records consent and holds an interview', async () => {
    const { url } = ctx.linkwork;
    // The server's clock was fixed when it started; the browser fills today's date into forms from its own.
    ctx.linkwork.clock.set(new Date());
    await ctx.browser.context.clearCookies();
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'researcher@demo.linkwork.example');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
      .toMatch(/What you can do/);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Research' }).click();
    await arrive(page, 'Research studies', 'research-01-studies');
    const studies = page.getByRole('table', { name: 'Your studies' });
    expect(await rows(studies, demoStudy, 'Study lead').count()).toBe(1);

    await page.getByRole('link', { name: 'Start a study' }).click();
    await arrive(page, 'Start a study', 'research-02-start-study');
    await page.getByLabel('Study title').fill(newStudy);
    await page
      .getByLabel('Research question')
      .fill('How do link workers help older people who are lonely, and in what circumstances?');
    await page.getByLabel('Ethics reference (optional)').fill('26/YH/0042');
    await fillDate(page, 'startsOn', '2026-04-01');
    await fillDate(page, 'endsOn', '2026-03-01');
    await page.getByRole('button', { name: 'Start study' }).click();
    // The end date before the start and no retention period: both named, in the summary and beside the fields.
    await problem(page, 'The end date must be on or after the start date');
    await problem(page, 'Enter how many months recordings are kept, as a number');
    expect(await page.locator('#endsOn-error').textContent()).toMatch(/on or after the start date/);
    await arrive(page, 'Start a study', 'research-03-start-study-errors');
    await fillDate(page, 'endsOn', '2028-03-31');
    await page.getByLabel('Months audio recordings are kept after the study ends').fill('6');
    await page.getByRole('button', { name: 'Start study' }).click();
    await arrive(page, newStudy, 'research-04-study-started');
    await shows(page, 'Study started. You are its lead');
    const studyPath = new URL(page.url()).pathname;

    // The team: a coder joins; the only lead cannot leave (the API's 409, shown in the summary).
    await page.getByLabel('Person', { exact: true }).selectOption({ label: 'Sam Turner' });
    await page.getByLabel('Coder', { exact: true }).check();
    await page.getByRole('button', { name: 'Save team member' }).click();
    await shows(page, 'Sam Turner is on the team as coder.');
    await page.getByRole('button', { name: 'Remove Dr Nia Roberts from the team' }).click();
    await problem(page, 'A study needs at least one lead: make someone else a lead first.');

    await page.getByLabel('Site name').fill('Riverside North');
    await page.getByRole('button', { name: 'Add site' }).click();
    await shows(page, 'Site Riverside North added.');
    await page.getByRole('link', { name: 'Add a case' }).click();
    await arrive(page, 'Add a case', 'research-05-case-new');
    expect(await page.getByLabel('Case label').inputValue()).toBe('C1');
    await chooseOption(page.getByLabel('Link worker'), /Amira Hassan \(Riverside Central PCN\)/);
    await fillDate(page, 'startsOn', today());
    await page.getByRole('button', { name: 'Add case' }).click();
    await arrive(page, newStudy, 'research-06-study-with-case');
    await shows(page, /Case C1 added\. It is studied until/);
    const context = page.getByRole('table', { name: 'C1: implementation context during the case' });
    expect(await rowHeaded(context, 'Employment', 'Hosted by a VCSE organisation').count()).toBe(1);

    // Memos: one on the study, one on the case; an empty one is refused beside its box.
    await page.getByText('Memos on the study (0)').click();
    await page.getByRole('button', { name: 'Save memo on the study' }).click();
    await shows(page, 'Write the memo');
    await page
      .getByLabel('New memo on the study')
      .fill('Ethics asked us to keep GP interviews to 30 minutes: plan the topic guide around that.');
    await page.getByRole('button', { name: 'Save memo on the study' }).click();
    await shows(page, 'Memos on the study (1)');
    await shows(page, /^Dr Nia Roberts, /);
    await page.getByText('Memos on case C1 (0)').click();
    await page
      .getByLabel('New memo on case C1')
      .fill('Amira started in January: ask about her first months.');
    await page.getByRole('button', { name: 'Save memo on case C1' }).click();
    await shows(page, 'Memos on case C1 (1)');
    await arrive(page, newStudy, 'research-06a-study-memos');

    await page.getByRole('link', { name: 'Participants (0)' }).click();
    await arrive(page, 'Participants', 'research-07-participants');
    await page.getByLabel('Case', { exact: true }).selectOption({ label: 'C1: Amira Hassan' });
    await page.getByLabel('Patient', { exact: true }).check();
    await page.getByLabel('Name', { exact: true }).fill('Alex Morgan');
    await page.getByLabel('Phone number').fill('07700 900401');
    await page.getByRole('button', { name: 'Add participant' }).click();
    await arrive(page, 'C1-PT-01', 'research-08-participant');
    await shows(page, 'Participant added with the study ID C1-PT-01.');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Alex Morgan');

    await page.getByLabel('Consent form version').fill('Patient v1.0');
    await page.getByLabel('Take part in an interview').check();
    await page.getByLabel('Audio recording of the interview').check();
    await page.getByLabel('Being contacted again for a follow-up interview').check();
    await page.getByRole('button', { name: 'Record consent' }).click();
    await shows(page, 'Consent on form Patient v1.0 recorded.');
    const history = page.getByRole('table', { name: 'Consent history, latest first' });
    expect(await rows(history, 'Patient v1.0', /Being contacted again/).count()).toBe(1);

    await page.getByRole('link', { name: 'Plan an interview with C1-PT-01' }).click();
    await arrive(page, 'Plan an interview or observation', 'research-09-interview-new');
    expect(await page.getByLabel('WP1: Case studies').isChecked()).toBe(true);
    await page.getByLabel('Microsoft Teams').check();
    await fillDate(page, 'scheduledOn', today());
    await page.getByRole('button', { name: 'Plan it' }).click();
    await arrive(page, 'Interviews and observations', 'research-10-interviews');
    await shows(page, /Interview with C1-PT-01 planned for/);
    await page.getByRole('button', { name: /Record what happened at C1-PT-01’s interview/ }).click();
    await page.getByLabel('It took place').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await shows(page, /C1-PT-01’s interview on .* is marked done/);
    expect(await rows(page.getByRole('table', { name: /Held or closed/ }), 'C1-PT-01', 'Done').count()).toBe(
      1,
    );

    await page.goto(`${url}${studyPath}/follow-ups`);
    await arrive(page, 'WP2 follow-ups', 'research-11-follow-ups-new-study');
    const windows = page.getByRole('table', { name: /Follow-up windows/ });
    expect(await rows(windows, 'C1-PT-01', 'Not yet open').count()).toBe(1);
  });

  it('in the demo study: no interview is done without consent, a window is open, and a participant withdraws', async () => {
    const { url } = ctx.linkwork;
    ctx.linkwork.clock.set(new Date());
    await page.goto(`${url}/research`);
    await arrive(page, 'Research studies', 'research-12-studies-two');
    await page.getByRole('link', { name: demoStudy }).click();
    await arrive(page, demoStudy, 'research-13-demo-study');
    // Grace's supervision changed during case C3: her context at the start and at the end, side by side.
    const c3 = page.getByRole('table', { name: 'C3: implementation context at the start and end' });
    expect(await rowHeaded(c3, 'Supervision', 'Peer group supervision', 'A lead link worker').count()).toBe(
      1,
    );

    await page.getByRole('link', { name: 'Interviews and observations' }).click();
    await arrive(page, 'Interviews and observations', 'research-14-demo-interviews');
    await page.getByRole('button', { name: /Record what happened at C3-PT-01’s interview/ }).click();
    await page.getByLabel('It took place').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await problem(page, /Record their consent to be interviewed/);
    await arrive(page, 'Interviews and observations', 'research-15-done-without-consent');

    await page.getByRole('link', { name: 'Back to the study' }).click();
    await page.getByRole('link', { name: 'WP2 follow-ups' }).click();
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, 'WP2 follow-ups', 'research-16-demo-follow-ups-390');
    await page.setViewportSize({ width: 1200, height: 900 });
    const windows = page.getByRole('table', { name: /Follow-up windows/ });
    expect(await rows(windows, 'C1-PT-01', 'Open').count()).toBe(1);
    expect(await rows(windows, 'C1-PT-02', 'Opening soon').count()).toBe(1);
    expect(await rows(windows, 'C1-PT-03', 'Done').count()).toBe(1);
    expect(await rows(windows, 'C2-PT-01', 'Not yet open').count()).toBe(1);
    await rows(windows, 'C1-PT-01')
      .getByRole('link', { name: 'Plan the follow-up interview with C1-PT-01' })
      .click();
    await arrive(page, 'Plan an interview or observation', 'research-17-follow-up-new');
    expect(await page.getByLabel(/^WP2:/).isChecked()).toBe(true);
    expect(await page.getByLabel('The WP1 interview it follows up').inputValue()).not.toBe('');

    await page.goto(`${url}${new URL(page.url()).pathname.replace(/interviews\/new$/, 'participants')}`);
    await arrive(page, 'Participants', 'research-18-demo-participants');
    await page.getByRole('link', { name: 'C2-PT-02' }).click();
    await arrive(page, 'C2-PT-02', 'research-19-demo-participant');
    expect(await page.getByLabel('Name', { exact: true }).inputValue()).toBe('Bethan Hughes');
    await page.getByRole('link', { name: 'Record a withdrawal' }).click();
    await arrive(page, 'Record a withdrawal', 'research-20-withdrawal');
    await page.getByLabel('Remove their data').check();
    await page.getByLabel('Reason (optional)').fill('Moving away');
    await page.getByRole('button', { name: 'Record withdrawal' }).click();
    await shows(page, /C2-PT-02 withdrew from the study on/);
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, 'C2-PT-02', 'research-21-withdrawn-390');
    await page.setViewportSize({ width: 1200, height: 900 });
    await shows(page, 'Their contact details were removed when they withdrew.');
    expect(await page.getByLabel('Name', { exact: true }).count()).toBe(0);
    const interviews = page.getByRole('table', { name: 'With C2-PT-02' });
    expect(await rows(interviews, 'Cancelled').count()).toBe(1);
    await screenshot(page, 'research-22-withdrawn');
  });

  it('keeps an interview recording where consent allows it, until its date or a lead deletes it', async () => {
    const { url } = ctx.linkwork;
    await page.goto(`${url}/research`);
    await page.getByRole('link', { name: demoStudy }).click();
    await arrive(page, demoStudy, 'research-23-demo-study-again');
    await page.getByRole('link', { name: 'Interview recordings' }).click();
    await arrive(page, 'Interview recordings', 'research-24-recordings');
    await page.getByRole('button', { name: 'Upload' }).click();
    await problem(page, 'Choose whose interview it is');
    const participant = page.getByLabel('Participant', { exact: true });
    const value = await participant.locator('option').nth(1).getAttribute('value');
    await participant.selectOption({ value: value ?? '' });
    await page.getByLabel('Audio file').setInputFiles({
      name: 'interview.mp3',
      mimeType: 'audio/mpeg',
      buffer: Buffer.from([0x49, 0x44, 0x33, 0x04, 0, 0, 1, 2, 3, 4]),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await shows(page, /^interview\.mp3 is kept until /);
    const table = page.getByRole('table', { name: '1 recording' });
    await expect.poll(() => rows(table, /interview\.mp3/).count(), { timeout: 10_000 }).toBe(1);
    const played = await page.evaluate(async () => {
      const src = document.querySelector('audio')?.getAttribute('src') ?? '';
      const res = await fetch(src);
      return `${res.status} ${res.headers.get('content-type')}`;
    });
    expect(played).toBe('200 audio/mpeg');
    await arrive(page, 'Interview recordings', 'research-25-recording-kept');
    await page.getByRole('button', { name: /^Delete now/ }).click();
    await shows(page, /was deleted\.$/);
    await expect.poll(() => rows(table, 'Deleted by a lead').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'research-26-recording-deleted');
    await page.close();
  });
});
