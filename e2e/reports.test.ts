import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { formatDate } from '../web/src/app/format.ts';
import { arrive, chooseOption, chooseOrganisation, journeys, screenshot, signInAs } from './harness.ts';

/*
 * The operational report, as the people who read it. The ICB's commissioner opens the report for the last 24
 * months (the demo's history and its recent referrals), sees suppressed figures saying so and the referrals chart
 * with its table, downloads the CSV and the workbook and finds the same count of referrals as the records give,
 * loads a practice population (a file with mistakes first: each line named) and sees people referred per 1,000,
 * then opens a month's summary to print. The lead opens her PCN's report from Outcomes, link workers named.
 */

const heading = 'Operational report';
const ICB = 'NHS Riverside and Moorland ICB';
const SUPPRESSED = 'suppressed (n < 5)';
const PRACTICES = ['Z99011', 'Z99012', 'Z99013', 'Z99021', 'Z99022'];

async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 15_000, message: String(text) })
    .toBe(true);
}

/** What a cell says, without the column name narrow screens show in it. */
async function said(cell: Locator): Promise<string> {
  return ((await cell.locator(':scope > div').textContent()) ?? '').trim();
}

/** The cell of a table at a row (its heading) and a column (its heading). */
async function cellAt(table: Locator, row: string, column: string): Promise<Locator> {
  const headers = (await table.getByRole('columnheader').allTextContents()).map((h) => h.trim());
  const index = headers.indexOf(column);
  expect(index, `column ${column} in ${headers.join(' | ')}`).toBeGreaterThan(0);
  return table
    .getByRole('row')
    .filter({ has: table.page().getByRole('rowheader', { name: row, exact: true }) })
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

const whole = (n: number) => n.toLocaleString('en-GB');

journeys('the operational report in Chromium', { timeout: 150_000 }, (ctx) => {
  let page: Page;
  /** The commissioner's report, as its address. */
  let view = '';
  let from = '';
  let to = '';

  async function query<T>(statement: ReturnType<typeof sql>): Promise<T[]> {
    return inTransaction(ctx.linkwork.database.db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<T>(await tx.execute(statement)),
    );
  }

  /** Referrals to the ICB's PCNs received between two London dates, counted from the records. */
  async function referralsReceived(first: string, last: string, source?: string): Promise<number> {
    const [row] = await query<{ n: number }>(sql`
      select count(*)::int as n from referrals r
      join organisations pcn on pcn.id = r.organisation_id
      join organisations icb on icb.id = pcn.parent_id
      where icb.name = ${ICB}
        and (r.received_at at time zone 'Europe/London')::date between ${first}::date and ${last}::date
        and (${source ?? null}::text is null or r.source = ${source ?? null})`);
    return row!.n;
  }

  it('the commissioner opens the ICB’s report, sees suppression and the referrals chart with its table, and downloads it', async () => {
    const { url } = ctx.linkwork;
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'commissioner@demo.linkwork.example');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
      .toMatch(/What you can do/);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Reports' }).click();
    // The last 12 complete months, for her ICB, straight away.
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: new RegExp(`^${ICB}: 1 `) }).isVisible(), {
        timeout: 20_000,
      })
      .toBe(true);
    await arrive(page, heading, 'reports-01-default');

    // The last 24 months take in the demo’s history as well as its recent referrals.
    await chooseOption(page.getByLabel('Period', { exact: true }), /^The last 24 complete months/);
    await page.getByRole('button', { name: 'Show the report' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('from')).toMatch(/^\d{4}-\d\d-01$/);
    view = page.url();
    from = new URL(view).searchParams.get('from')!;
    to = new URL(view).searchParams.get('to')!;
    // The address changes before the page shows the new period's report: wait for its heading, not the old one's.
    await expect
      .poll(
        () =>
          page
            .getByRole('heading', { level: 2, name: `${ICB}: ${formatDate(from)} to ${formatDate(to)}` })
            .isVisible(),
        { timeout: 20_000 },
      )
      .toBe(true);
    const bySource = page.getByRole('table', { name: 'Referrals received, by source and month' });
    await expect.poll(() => bySource.isVisible(), { timeout: 20_000 }).toBe(true);

    // The whole period's referrals, and a month's from professionals, as the records count them.
    const received = await referralsReceived(from, to);
    expect(received).toBeGreaterThan(100);
    expect(await said(await cellAt(bySource, 'Total', 'Total'))).toBe(whole(received));
    const busiest = await query<{ month: string; n: number }>(sql`
      select to_char(r.received_at at time zone 'Europe/London', 'YYYY-MM') as month, count(*)::int as n
      from referrals r join organisations pcn on pcn.id = r.organisation_id
      join organisations icb on icb.id = pcn.parent_id
      where icb.name = ${ICB} and r.source = 'professional'
        and (r.received_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date
      group by 1 order by 2 desc, 1 limit 1`);
    const month = busiest[0]!;
    const monthHeading = new Intl.DateTimeFormat('en-GB', {
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(`${month.month}-01T00:00:00Z`));
    expect(month.n).toBeGreaterThanOrEqual(5);
    expect(await said(await cellAt(bySource, 'A professional', monthHeading))).toBe(whole(month.n));

    // Small numbers say why they are not shown, in words.
    const hidden = bySource.getByRole('cell').filter({ hasText: SUPPRESSED });
    expect(await hidden.count()).toBeGreaterThan(0);
    await shows(page, /Counts of 1 to 4 read “suppressed \(n < 5\)”/);
    // Commissioners see how caseloads are spread, never a link worker's name.
    expect(
      await page
        .getByRole('table', {
          name: 'How many link workers hold caseloads of each size at the end of the period',
        })
        .isVisible(),
    ).toBe(true);
    expect(await page.getByText('Amira Hassan').count()).toBe(0);

    // The chart of referrals by source, with its table below it.
    const chart = page.getByRole('img', { name: /^Line chart of referrals received each month/ });
    await expect.poll(() => chart.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await chart.getAttribute('aria-label')).toMatch(/all referrals, a professional, self-referral/);
    const waits = page.getByRole('img', { name: /^Line chart of the median and 90th percentile days/ });
    await expect.poll(() => waits.isVisible(), { timeout: 10_000 }).toBe(true);
    await shows(page, 'Target: 10 working days (about 14 days)');
    await arrive(page, heading, 'reports-02-24-months');

    // The whole report as CSV: a line per figure, the same count of referrals.
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'CSV file of the operational report' }).click(),
    ]);
    expect(csvDownload.suggestedFilename()).toBe(
      `operational-report-nhs-riverside-and-moorland-icb-${from}-to-${to}.csv`,
    );
    const lines = csvRows(readFileSync((await csvDownload.path())!, 'utf8').replace(/^\uFEFF/, ''));
    const header = lines[0]!;
    const at = (line: string[], column: string) => line[header.indexOf(column)];
    const referrals = lines.find((l) => at(l, 'table') === 'summary' && at(l, 'row_key') === 'referrals')!;
    expect(Number(at(referrals, 'value'))).toBe(received);
    const professional = lines.find(
      (l) =>
        at(l, 'table') === 'referrals_by_source' &&
        at(l, 'row_key') === 'professional' &&
        at(l, 'column_key') === month.month,
    )!;
    expect(Number(at(professional, 'value'))).toBe(month.n);
    expect(lines.some((l) => at(l, 'suppressed') === SUPPRESSED && at(l, 'value') === '')).toBe(true);

    // And as a workbook: a sheet per table, the same figures.
    const [xlsxDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Excel (XLSX) file of the operational report' }).click(),
    ]);
    expect(xlsxDownload.suggestedFilename()).toMatch(/\.xlsx$/);
    const { default: ExcelJS } = await import('exceljs');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await xlsxDownload.path())!);
    const summary = workbook.getWorksheet('Summary')!;
    const rowOf = (sheet: typeof summary, label: string) =>
      sheet.getSheetValues().find((r) => Array.isArray(r) && r[1] === label) as unknown[];
    expect(rowOf(summary, 'Referrals received')[2]).toBe(received);
    const sourceSheet = workbook.getWorksheet('Referrals by source')!;
    expect(rowOf(sourceSheet, 'Total').at(-1)).toBe(received);

    // Dates edited into the address the wrong way round: the error summary says so, at the field.
    const backwards = new URL(view);
    backwards.searchParams.set('from', to);
    backwards.searchParams.set('to', from);
    await page.goto(backwards.toString());
    const problem = page
      .locator('.nhsuk-error-summary')
      .getByRole('link', { name: 'The end of the period must be on or after its start' });
    await expect.poll(() => problem.isVisible(), { timeout: 10_000 }).toBe(true);
    await problem.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('to');
    expect(await page.title()).toMatch(/^Error: /);
    await arrive(page, heading, 'reports-03-dates-backwards');
  });

  it('the commissioner loads a practice population, a file with mistakes first, and sees people referred per 1,000', async () => {
    await page.goto(view);
    const upload = page.getByRole('form', { name: 'Load practice populations' });
    await expect.poll(() => upload.isVisible(), { timeout: 20_000 }).toBe(true);
    // The contents list goes to the section.
    await page
      .getByRole('navigation', { name: 'Sections of the report' })
      .getByRole('link', { name: 'Reach against the practice population' })
      .click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#reach');
    await expect
      .poll(() =>
        page.getByRole('heading', { level: 2, name: 'Reach against the practice population' }).boundingBox(),
      )
      .toMatchObject({ y: expect.any(Number) });
    expect(
      (await page
        .getByRole('heading', { level: 2, name: 'Reach against the practice population' })
        .boundingBox())!.y,
    ).toBeLessThan(900);
    await shows(page, /^No practice population is loaded for NHS Riverside and Moorland ICB’s practices/);

    // Two lines wrong: nothing loads, and each is listed with its line number.
    const asOf = from;
    const bad = [
      'practice,band_type,band,count,as_of',
      `Z99011,sex,female,4210,${asOf}`,
      `Z99011,age_band,twenties,702,${asOf}`,
      `NOSUCH,sex,male,4032,${asOf}`,
    ].join('\n');
    const file = upload.getByLabel('Practice population file (CSV)');
    await file.setInputFiles({ name: 'populations.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
    await upload.getByRole('button', { name: 'Load the file' }).click();
    const summary = page.locator('.nhsuk-error-summary');
    const line3 = summary.getByRole('link', {
      name: /^Line 3: band “twenties” is not one of the age_band bands/,
    });
    await expect.poll(() => line3.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(
      await summary
        .getByRole('link', { name: 'Line 4: there is no GP practice “NOSUCH” within your organisation' })
        .isVisible(),
    ).toBe(true);
    expect(await page.title()).toMatch(/^Error: /);
    await line3.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('populationFile');
    await arrive(page, heading, 'reports-04-population-errors');

    // A good file: women and men registered at each of the five practices.
    const registered = { female: [4210, 3980, 5120, 2210, 1890], male: [4032, 3870, 4990, 2175, 1930] };
    const good = [
      'practice,band_type,band,count,as_of',
      ...PRACTICES.flatMap((p, i) => [
        `${p},sex,female,${registered.female[i]},${asOf}`,
        `${p},sex,male,${registered.male[i]},${asOf}`,
      ]),
    ].join('\n');
    await file.setInputFiles({ name: 'populations.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
    await upload.getByRole('button', { name: 'Load the file' }).click();
    await shows(page, /^10 figures for 5 practices, as at /);
    expect(await summary.count()).toBe(0);

    // Women referred (each once) per 1,000 registered, from the records and the file.
    const [women] = await query<{ n: number }>(sql`
      with firsts as (
        select distinct on (r.person_id) p.sex, coalesce(p.registered_practice_id, r.referring_organisation_id) as practice
        from referrals r join people p on p.id = r.person_id
        join organisations pcn on pcn.id = r.organisation_id
        join organisations icb on icb.id = pcn.parent_id
        where icb.name = ${ICB}
          and (r.received_at at time zone 'Europe/London')::date between ${from}::date and ${to}::date
        order by r.person_id, r.received_at
      )
      select count(*)::int as n from firsts where sex = 'female' and practice is not null`);
    const femaleRegistered = registered.female.reduce((a, b) => a + b, 0);
    const bySex = page.getByRole('table', { name: 'People referred per 1,000 registered patients, by sex' });
    await expect.poll(() => bySex.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(women!.n).toBeGreaterThanOrEqual(5);
    expect(await said(await cellAt(bySex, 'Female', 'People referred'))).toBe(whole(women!.n));
    expect(await said(await cellAt(bySex, 'Female', 'Registered patients'))).toBe(whole(femaleRegistered));
    expect(await said(await cellAt(bySex, 'Female', 'Referred per 1,000 registered'))).toBe(
      ((1000 * women!.n) / femaleRegistered).toFixed(1),
    );
    const reachChart = page.getByRole('img', {
      name: /^Bar chart of people referred per 1,000 registered patients by sex/,
    });
    await expect.poll(() => reachChart.isVisible(), { timeout: 10_000 }).toBe(true);
    await arrive(page, heading, 'reports-05-reach');
  });

  it('the commissioner opens a month’s summary to print or save as PDF', async () => {
    await page.goto(view);
    const chooser = page.getByRole('form', { name: 'Monthly summary' });
    await expect.poll(() => chooser.isVisible(), { timeout: 20_000 }).toBe(true);
    const month = to.slice(0, 7);
    expect(await chooser.getByLabel('Monthly summary to print or save as PDF').inputValue()).toBe(month);
    await chooser.getByRole('button', { name: 'Open the monthly summary' }).click();
    const name = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
      new Date(`${month}-01T00:00:00Z`),
    );
    await shows(page, 'Key figures');
    await arrive(page, `Monthly summary: ${name}`, 'reports-06-monthly-summary');
    const received = await referralsReceived(`${month}-01`, to);
    const figure = page
      .locator('.app-key-figures__item')
      .filter({ has: page.locator('dt', { hasText: /^Referrals received$/ }) });
    expect((await figure.locator('dd').textContent())?.trim()).toBe(
      received < 5 && received > 0 ? SUPPRESSED : whole(received),
    );
    // One month: no Total column repeating it.
    const bySource = page.getByRole('table', { name: 'Referrals received, by source and month' });
    expect((await bySource.getByRole('columnheader').allTextContents()).map((h) => h.trim())).toEqual([
      'Source',
      new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${month}-01T00:00:00Z`),
      ),
    ]);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(true);

    // Printed: no header, footer or controls; it makes a PDF.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Print or save as PDF' }).isVisible()).toBe(false);
    expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
    await screenshot(page, 'reports-07-monthly-summary-print');
    const pdf = await page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.emulateMedia({ media: 'screen' });

    // On a phone.
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, `Monthly summary: ${name}`, 'reports-08-monthly-summary-390');
    await page.goto(view);
    await expect
      .poll(() => page.getByRole('table', { name: 'Referrals received, by source and month' }).isVisible(), {
        timeout: 20_000,
      })
      .toBe(true);
    await arrive(page, heading, 'reports-09-report-390');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('the lead opens her PCN’s report from Outcomes, with its link workers named', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    await signInAs(page, url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, 'Riverside Central PCN');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
      .toMatch(/What you can do/);
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Outcomes' }).click();
    await page.getByRole('link', { name: 'Operational report' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 2, name: /^Riverside Central PCN: 1 / }).isVisible(), {
        timeout: 20_000,
      })
      .toBe(true);
    const caseloads = page.getByRole('table', {
      name: 'Caseload of each link worker at the end of the period',
    });
    await expect.poll(() => caseloads.isVisible(), { timeout: 10_000 }).toBe(true);
    const names = (await caseloads.getByRole('rowheader').locator(':scope > div').allTextContents()).map(
      (n) => n.trim(),
    );
    expect(names).toEqual(expect.arrayContaining(['Amira Hassan', 'Grace Lee', 'Total']));
    // Her PCN's practices only, and no population form: loading is for the ICB and administrators.
    const practices = page.getByRole('table', { name: 'Referrals received, by GP practice and month' });
    expect(
      (await practices.getByRole('rowheader').locator(':scope > div').allTextContents())
        .map((n) => n.trim())
        .filter((n) => n !== 'Total'),
    ).toEqual(['Bridge Street Surgery', 'Millbrook Health Centre', 'Riverside Medical Centre']);
    expect(await page.getByRole('form', { name: 'Load practice populations' }).count()).toBe(0);
    await arrive(page, heading, 'reports-10-lead');
  });
});
