import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { studentTQuantile } from '../src/modules/outcomes/stats.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { arrive, chooseOption, journeys, screenshot, signInAs } from './harness.ts';

/*
 * What works, for whom, in what circumstances, as the people who ask it. The commissioner opens the explorer and
 * compares the change in loneliness (UCLA-3) from baseline to the 9–12 month follow-up by the link worker's host
 * model crossed with IMD quintile, over the demo's history (episodes 14 to 20 months back: Amira and Tom employed
 * by their PCNs, Grace hosted by a VCSE organisation then). She sees confidence intervals, a group too small to
 * show saying so, reads the adjusted model and downloads the CSV. The researcher opens the same view from its
 * address and turns the pattern into a candidate CMO configuration in the demo study, landing on its page.
 */

const heading = 'What works, for whom, in what circumstances';
const grid = 'Mean change, 95% CI and n: Link worker’s employer or host by IMD quintile';
const VCSE = 'Hosted by a VCSE organisation';
const STUDY = 'Link workers in primary care: a realist evaluation';

async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 15_000, message: String(text) })
    .toBe(true);
}

/** What a cell says, without the column name narrow screens show in it. */
async function said(cell: Locator): Promise<string> {
  return ((await cell.locator(':scope > div').textContent()) ?? '').trim();
}

/** The cell of the grid at a row (first factor's level) and a column (second factor's level). */
async function gridCell(page: Page, row: string, column: string): Promise<Locator> {
  const table = page.getByRole('table', { name: grid });
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const index = headers.indexOf(column);
  expect(index, `column ${column} in ${headers.join(' | ')}`).toBeGreaterThan(0);
  return table
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: row, exact: true }) })
    .getByRole('cell')
    .nth(index - 1);
}

/** The cells of each line of a CSV file (quoted cells may hold commas and doubled quotes). */
function csvRows(text: string): string[][] {
  return text
    .trim()
    .split('\r\n')
    .map((line) =>
      [...line.matchAll(/(?:^|,)("(?:[^"]|"")*"|[^,]*)/g)].map((m) =>
        m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'),
      ),
    );
}

/** "−0.85" → -0.85 (the page writes a true minus sign). */
const numberOf = (text: string) => Number(text.replace('−', '-').replace('+', ''));
/** -1.234 → "−1.23", as the page writes it. */
const written = (x: number) => x.toFixed(2).replace('-', '−');

journeys('the what-works explorer in Chromium', { timeout: 180_000 }, (ctx) => {
  let page: Page;
  /** The commissioner's view, as its address, to share. */
  let view = '';

  /**
   * The VCSE-hosted link worker's people counted from the records themselves: each episode's UCLA-3 total at
   * baseline and at the 9–12 month follow-up, for Grace's people (VCSE-hosted through this period), baselines in
   * the period the page shows; those living in some IMD deciles only, those with any recorded, or everyone.
   */
  async function graceChanges(from: string, to: string, deciles: 'any' | 'recorded' | number[]) {
    const rows = await inTransaction(
      ctx.linkwork.database.db,
      { system: true, now: new Date() },
      async (tx) =>
        rowsOf<{ before: number; after: number }>(
          await tx.execute(sql`
          select (select (s->>'value')::float8 from jsonb_array_elements(b.scores) s where s->>'code' = 'ucla3_total') as before,
            (select (s->>'value')::float8 from jsonb_array_elements(f.scores) s where s->>'code' = 'ucla3_total') as after
          from outcome_responses b
          join outcome_responses f on f.referral_id = b.referral_id and f.instrument_code = 'ucla3'
            and f.timepoint = 'follow_up_long' and not f.superseded
          join referrals r on r.id = b.referral_id
          join users u on u.id = r.allocated_link_worker_id
          join people p on p.id = r.person_id
          where b.instrument_code = 'ucla3' and b.timepoint = 'baseline' and not b.superseded
            and u.name = 'Grace Lee'
            and (${deciles === 'any'}::boolean or (p.imd_decile is not null
              and (${deciles === 'recorded'}::boolean or p.imd_decile = any(${sql.param(Array.isArray(deciles) ? deciles : [])}::int[]))))
            and b.completed_on between ${from}::date and ${to}::date`),
        ),
    );
    const changes = rows.map((r) => Number(r.after) - Number(r.before));
    const n = changes.length;
    const mean = changes.reduce((s, c) => s + c, 0) / n;
    const sd = Math.sqrt(changes.reduce((s, c) => s + (c - mean) ** 2, 0) / (n - 1));
    const half = studentTQuantile(0.975, n - 1) * (sd / Math.sqrt(n));
    return { n, mean, lower: mean - half, upper: mean + half };
  }

  it('the commissioner compares UCLA-3 change by host model and IMD quintile, with CIs and a small group hidden', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'commissioner@demo.linkwork.example');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
      .toMatch(/What you can do/);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'What works' }).click();
    await arrive(page, heading, 'insight-01-explorer');
    await shows(page, 'Choose what to look at, then select “Show what works”.');

    // The defaults: the long-term follow-up, baselines in the year that ended a year ago, her ICB.
    expect(await page.getByLabel('Baseline to long-term follow-up (9–12 months)').isChecked()).toBe(true);
    await page.getByLabel('Outcome measure').selectOption({ label: 'UCLA 3-item loneliness scale' });
    await expect
      .poll(() => page.getByLabel('Score or question').locator('option:checked').textContent())
      .toMatch(/Loneliness/);
    await page
      .getByLabel('Break the change down by')
      .selectOption({ label: 'Link worker’s employer or host' });
    await shows(page, 'employment model on the day of the baseline');
    await page.getByRole('button', { name: 'Show what works' }).click();

    // One factor: a row per host model, with everyone's figures and the complete cases' beside them.
    const byHost = page.getByRole('table', {
      name: 'Change in Loneliness (UCLA-3, 3–9) by Link worker’s employer or host',
    });
    await expect.poll(() => byHost.isVisible(), { timeout: 20_000 }).toBe(true);
    const [first, last] = (new URL(page.url()).searchParams.get('period') ?? '').split('|') as [
      string,
      string,
    ];
    const everyone = await graceChanges(first, last, 'any');
    const complete = await graceChanges(first, last, 'recorded');
    const vcse = byHost
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: VCSE, exact: true }) })
      .getByRole('cell');
    expect(Number(await said(vcse.nth(0)))).toBe(everyone.n);
    const change = /^([+−]?\d+\.\d\d) \((−?\d+\.\d\d) to (−?\d+\.\d\d)\)$/.exec(await said(vcse.nth(2)));
    expect(change, 'mean change (CI)').not.toBeNull();
    expect(numberOf(change![1]!)).toBeCloseTo(everyone.mean, 2);
    expect(numberOf(change![2]!)).toBeCloseTo(everyone.lower, 2);
    expect(numberOf(change![3]!)).toBeCloseTo(everyone.upper, 2);
    expect(await said(vcse.nth(5))).toMatch(
      new RegExp(
        `^n = ${complete.n}: ${written(complete.mean)} \\(${written(complete.lower)} to ${written(complete.upper)}\\)$`,
      ),
    );
    await arrive(page, heading, 'insight-02-host');

    // Then crossed with deprivation.
    await page.getByLabel('And by (optional)').selectOption({ label: 'IMD quintile' });
    await page.getByRole('button', { name: 'Show what works' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: grid }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    view = page.url();
    const address = new URL(view).searchParams;
    expect(address.get('factor')).toBe('host_model');
    expect(address.get('by')).toBe('imd_quintile');
    expect(address.get('comparison')).toBe('follow_up_long');
    const [from, to] = (address.get('period') ?? '').split('|') as [string, string];
    expect(from).toMatch(/^\d{4}-\d\d-\d\d$/);

    // The standing caution, in view, and the reading in words.
    await shows(page, 'Associations, not causes');
    await shows(page, /not proof that one thing caused another/);
    await shows(page, /^Over everyone in the table/);
    await shows(page, /^By link worker’s employer or host: /);
    await arrive(page, heading, 'insight-03-host-by-imd');

    // The VCSE-hosted link worker's people in the most deprived fifth: the figures a plain count gives.
    const want = await graceChanges(from, to, [1, 2]);
    expect(want.n).toBeGreaterThanOrEqual(5);
    const cell = await said(await gridCell(page, VCSE, '1 (most deprived)'));
    const figures = /^([+−]?\d+\.\d\d)\((−?\d+\.\d\d) to (−?\d+\.\d\d)\)n = (\d+)$/.exec(cell);
    expect(figures, `mean (CI) n in “${cell}”`).not.toBeNull();
    const [mean, lower, upper, n] = figures!.slice(1).map(numberOf) as [number, number, number, number];
    expect(n).toBe(want.n);
    expect(mean).toBeCloseTo(want.mean, 2);
    expect(lower).toBeCloseTo(want.lower, 2);
    expect(upper).toBeCloseTo(want.upper, 2);
    expect(lower).toBeLessThan(mean);
    expect(mean).toBeLessThan(upper);

    // Few of Grace's people lived in Moorland (the least deprived fifth): that group is hidden, and says why.
    const small = await said(await gridCell(page, VCSE, '5 (least deprived)'));
    expect(small).toMatch(/not shown/i);
    expect(small).not.toMatch(/\d\.\d\d/);

    // The chart beside the table, with the better direction named.
    const chart = page.getByRole('img', {
      name: /^Chart of the mean change in .* by link worker’s employer or host and IMD quintile/,
    });
    await expect.poll(() => chart.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await chart.getByText('← Improvement').count()).toBe(1);

    // The adjusted model, complete cases and all available side by side.
    const model = page.getByRole('region', { name: 'Adjusted model' });
    await expect
      .poll(() => model.getByRole('table', { name: 'Coefficients: complete cases' }).isVisible(), {
        timeout: 20_000,
      })
      .toBe(true);
    expect(await model.getByRole('table', { name: 'Coefficients: all available' }).isVisible()).toBe(true);
    await shows(
      page,
      /Compared with \(the reference groups\): Link worker’s employer or host: Employed by the PCN/,
    );
    const vcseRow = model
      .getByRole('table', { name: 'Coefficients: complete cases' })
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: `Link worker’s employer or host: ${VCSE}` }) });
    const estimate = await said(vcseRow.getByRole('cell').nth(0));
    expect(estimate).toMatch(/^[+−]\d+\.\d\d$/);
    expect(await said(vcseRow.getByRole('cell').nth(1))).toMatch(/^−?\d+\.\d\d to −?\d+\.\d\d$/);
    await shows(page, /^People whose link worker was hosted by a VCSE organisation improved by/);
    await screenshot(page, 'insight-04-model');

    // The interaction: whether the VCSE difference depends on deprivation.
    await model.getByLabel('Include the interaction').check();
    await model.getByRole('button', { name: 'Fit the model again' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('interaction')).toBe('true');
    await expect
      .poll(
        () =>
          model
            .getByRole('rowheader', { name: /^Link worker’s employer or host × IMD quintile: / })
            .first()
            .isVisible(),
        { timeout: 20_000 },
      )
      .toBe(true);
    await shows(page, 'With the interaction of the two factors.');
    await arrive(page, heading, 'insight-05-model-interaction');

    // The CSV: the same table, the same group's figures, the hidden group's reason.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /^Download this table \(CSV\)/ }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^what-works-ucla3-host_model-by-imd_quintile-.*\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const lines = csvRows(csv);
    const header = lines.find((l) => l[0] === 'Link worker’s employer or host' && l[1] === 'IMD quintile')!;
    const row = lines.find((l) => l[0] === VCSE && l[1] === '1 (most deprived)')!;
    expect(Number(row[header.indexOf('n (pairs)')])).toBe(want.n);
    expect(Number(row[header.indexOf('Mean change')])).toBeCloseTo(want.mean, 2);
    expect(Number(row[header.indexOf('95% CI lower')])).toBeCloseTo(want.lower, 2);
    const hidden = lines.find((l) => l[0] === VCSE && l[1] === '5 (least deprived)')!;
    expect(hidden[header.indexOf('n (pairs)')]).toMatch(/not shown/i);
    expect(hidden[header.indexOf('Mean change')]).toBe('');

    // An address edited by hand to ask the impossible: the error summary says what to change, at the field.
    const same = new URL(view);
    same.searchParams.set('by', 'host_model');
    await page.goto(same.toString());
    const problem = page
      .locator('.nhsuk-error-summary')
      .getByRole('link', { name: 'Choose a second factor different from the first' });
    await expect.poll(() => problem.isVisible(), { timeout: 10_000 }).toBe(true);
    await problem.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('by');
    expect(await page.title()).toMatch(/^Error: /);
    await arrive(page, heading, 'insight-06-same-factor-twice');
    await page.goto(view);
    await expect
      .poll(() => page.getByRole('table', { name: grid }).isVisible(), { timeout: 20_000 })
      .toBe(true);

    // On a phone: the grid's rows become blocks, the chart redraws at its width.
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, heading, 'insight-07-explorer-390');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('the researcher turns the pattern into a candidate CMO configuration in the demo study', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'researcher@demo.linkwork.example');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
      .toMatch(/What you can do/);
    // The commissioner's view, shared as its address.
    await page.goto(view);
    await expect
      .poll(() => page.getByRole('table', { name: grid }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const section = page.getByRole('region', { name: 'Make this a candidate CMO configuration' });
    await expect.poll(() => section.isVisible(), { timeout: 10_000 }).toBe(true);

    // No group chosen: the error summary says so, and nothing is made.
    await section.getByLabel('Study').selectOption({ label: STUDY });
    await section.getByRole('button', { name: 'Propose the configuration' }).click();
    await expect
      .poll(() =>
        section
          .locator('.nhsuk-error-summary')
          .getByRole('link', { name: 'Choose the group the pattern is about' })
          .isVisible(),
      )
      .toBe(true);
    await arrive(page, heading, 'insight-08-candidate-no-group');

    // Only groups the table shows are offered: not the hidden VCSE-hosted, least deprived one.
    const groups = await section
      .getByLabel('The group the pattern is about')
      .locator('option')
      .allTextContents();
    expect(groups.some((g) => g.startsWith(`${VCSE}; 5 (least deprived)`))).toBe(false);
    await chooseOption(
      section.getByLabel('The group the pattern is about'),
      new RegExp(`^${VCSE}; 1 \\(most deprived\\) \\(n = \\d+`),
    );
    await section.getByRole('button', { name: 'Propose the configuration' }).click();
    await shows(page, 'Configuration proposed');
    await shows(page, `Added to ${STUDY} as a candidate`);
    await arrive(page, heading, 'insight-09-candidate-made');

    await page.getByRole('link', { name: 'Open the configuration' }).click();
    await arrive(page, new RegExp(`${VCSE}, 1 \\(most deprived\\): `), 'insight-10-cmoc');
    await shows(page, 'Link worker’s employer or host: Hosted by a VCSE organisation');
    await shows(page, 'IMD quintile: 1 (most deprived)');
    await shows(page, /To be found in the qualitative work/);
  });
});
