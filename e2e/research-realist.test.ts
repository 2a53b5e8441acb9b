import { sql } from 'drizzle-orm';
import type { APIResponse, Locator, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { rowsOf } from '../src/db/client.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { arrive, journeys, screenshot, signInAs } from './harness.ts';

/*
 * Realist analysis as the demo researcher (Dr Nia Roberts, a study lead) does it. Set-up through the API with her
 * browser session: a study with two initial configurations, a case with Amira Hassan as its link worker, a patient
 * and their WP1 interview's transcript (no redactions needed), a code and one coding. Then in the browser she reads
 * the programme theory, links supporting evidence from the coded text and refuting evidence by position, judges
 * the second configuration supported (first forgetting the confidence; then someone else's change in between),
 * refines the first with a reason, reads the history, the cross-case matrix (filtered by role) and fills in two
 * RAMESES II items, whose PDF downloads. Last she proposes a third configuration and links evidence both ways.
 */

const TRANSCRIPT = [
  'Interviewer: What made the difference?',
  'Participant: The GP knew her and trusted her, so I went along to the group.',
  'Interviewer: Was anything hard?',
  'Participant: The first week nobody spoke to me and I nearly stopped going.',
].join('\n');
const CODED = 'The GP knew her and trusted her';
const REFUTING = 'nobody spoke to me and I nearly stopped going';

const buyIn = {
  title: 'Practice buy-in',
  contexts: ['Practice staff know the link worker', 'The link worker sits in the practice'],
  mechanismResource: 'A warm handover from the GP',
  mechanismResponse: 'patients trust the referral',
  outcome: 'Patients take up the referral',
};
const connections = {
  title: 'Community connections',
  contexts: ['The link worker knows local groups'],
  mechanismResource: 'Introductions to group leaders',
  mechanismResponse: 'people feel welcome',
  outcome: 'people keep going to groups',
};

/** Today in England as YYYY-MM-DD, and a day some days before. */
const dayInEngland = (daysAgo = 0) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(
    new Date(Date.now() - daysAgo * 86_400_000),
  );

async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

async function problem(page: Page, message: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.locator('.nhsuk-error-summary').getByText(message).first().isVisible(), {
      timeout: 10_000,
      message: String(message),
    })
    .toBe(true);
}

/** The part of the page under a heading of its own (a form, a section of a configuration's page). */
function under(page: Page, selector: string, heading: string): Locator {
  return page.locator(selector, { has: page.getByRole('heading', { name: heading, exact: true }) });
}

journeys('realist analysis in Chromium', { timeout: 150_000 }, (ctx) => {
  let page: Page;
  let url: string;
  let studyId: string;
  let studyPath: string;
  let refuting: { start: number; end: number };

  /** An API call with the browser's session, as the web app makes it. */
  let call: (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => Promise<APIResponse>;
  const json = async <T = Record<string, unknown>>(res: APIResponse): Promise<T> => {
    expect(res.ok(), `${res.url()}: ${res.status()} ${await res.text()}`).toBe(true);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    url = ctx.linkwork.url;
    ctx.linkwork.clock.set(new Date());
    page = await ctx.browser.context.newPage();
    await signInAs(page, url, 'researcher@demo.linkwork.example');
    // expect.poll belongs to tests: wait for the home page's heading the way Playwright does.
    await page.getByRole('heading', { level: 1, name: /What you can do/ }).waitFor({ timeout: 10_000 });
    const me = await json<{ csrfToken: string }>(await page.request.get(`${url}/api/me`));
    call = (method, path, body) =>
      page.request.fetch(`${url}/api${path}`, {
        method,
        headers: { 'x-csrf-token': me.csrfToken, accept: 'application/json' },
        ...(body === undefined ? {} : { data: body }),
      });

    const study = await json<{ id: string }>(
      await call('POST', '/research/studies', {
        title: 'Buy-in and belonging',
        question: 'What works, for whom, why and in what circumstances?',
        startsOn: dayInEngland(365),
        endsOn: dayInEngland(-365),
        workPackages: [{ code: 'WP1', title: 'Case studies' }],
        audioRetentionMonths: 6,
        initialCmocs: [buyIn, connections],
      }),
    );
    studyId = study.id;
    studyPath = `/research/studies/${studyId}`;
    const site = await json<{ id: string }>(await call('POST', `${studyPath}/sites`, { name: 'Riverside' }));
    const candidates = await json<{ items: { id: string; name: string; organisationId: string }[] }>(
      await call('GET', `${studyPath}/case-candidates`),
    );
    const amira = candidates.items.find((c) => c.name === 'Amira Hassan');
    expect(amira, 'Amira Hassan is a link worker the study can follow').toBeDefined();
    const kase = await json<{ id: string }>(
      await call('POST', `${studyPath}/cases`, {
        siteId: site.id,
        label: 'C1',
        linkWorkerId: amira!.id,
        linkWorkerOrganisationId: amira!.organisationId,
        startsOn: dayInEngland(90),
        endsOn: dayInEngland(0),
      }),
    );
    const participant = await json<{ id: string }>(
      await call('POST', `${studyPath}/participants`, { caseId: kase.id, role: 'patient' }),
    );
    const interview = await json<{ id: string }>(
      await call('POST', `${studyPath}/collections`, {
        participantId: participant.id,
        kind: 'interview',
        workPackage: 'WP1',
        mode: 'teams',
        scheduledOn: dayInEngland(10),
      }),
    );
    const uploaded = await json<{ id: string; version: number }>(
      await page.request.post(
        `${url}/api${studyPath}/sources?fileName=c1-pt-01.txt&collectionId=${interview.id}`,
        {
          headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'text/plain' },
          data: Buffer.from(TRANSCRIPT),
        },
      ),
    );
    const source = await json<{ id: string; text: string }>(
      await call('POST', `/research/sources/${uploaded.id}/redactions`, {
        redactions: [],
        version: uploaded.version,
      }),
    );
    const code = await json<{ id: string }>(
      await call('POST', `${studyPath}/codes`, { name: 'Trust in the GP' }),
    );
    const start = source.text.indexOf(CODED);
    expect(start).toBeGreaterThan(0);
    await json(
      await call('POST', `/research/sources/${uploaded.id}/codings`, {
        codeIds: [code.id],
        start,
        end: start + CODED.length,
      }),
    );
    // Where the refuting words are in the de-identified text, for the form that takes positions.
    refuting = { start: source.text.indexOf(REFUTING), end: source.text.indexOf(REFUTING) + REFUTING.length };
    expect(refuting.start).toBeGreaterThan(start);
  });

  it('links evidence to a configuration from coded text and by position', async () => {
    await page.goto(`${url}${studyPath}/theory`);
    await arrive(page, 'Programme theory', 'realist-01-theory');
    await shows(page, '2 configurations: 0 supported, 0 refuted, 2 proposed.');
    expect(await page.getByRole('heading', { name: 'CMOC 1: Practice buy-in' }).count()).toBe(1);
    expect(await page.getByRole('heading', { name: 'CMOC 2: Community connections' }).count()).toBe(1);
    // Written from the parts when the study was set up.
    await shows(
      page,
      'If practice staff know the link worker and the link worker sits in the practice, then patients take up the referral, because a warm handover from the GP leads to patients trust the referral.',
    );

    await page.getByRole('link', { name: 'CMOC 1: Practice buy-in' }).click();
    await arrive(page, 'CMOC 1: Practice buy-in', 'realist-02-cmoc');
    await shows(page, 'No evidence linked to CMOC 1 yet.');
    const coded = under(page, '.app-research-group', 'From coded text');
    await coded.getByLabel('Code', { exact: true }).selectOption({ label: 'Trust in the GP (1)' });
    await coded.getByRole('button', { name: 'Find coded text' }).click();
    await coded.getByLabel(`“${CODED}”`).check();
    await coded.getByLabel('Supports', { exact: true }).check();
    await coded.getByLabel('Note (optional)').fill('Trust in the GP carries over to the link worker.');
    await coded.getByRole('button', { name: 'Add evidence' }).click();
    await shows(page, 'Evidence from c1-pt-01 added: it supports CMOC 1.');
    const evidence = under(page, 'section', 'Evidence');
    await expect.poll(() => evidence.getByRole('heading', { name: 'Supports (1)' }).count()).toBe(1);
    await shows(page, 'c1-pt-01, characters');
    expect(await evidence.getByText(CODED).count()).toBe(1);

    const byPosition = under(page, '.app-research-group', 'By position in a source');
    await byPosition.getByLabel('Source').selectOption({ index: 1 });
    await byPosition.getByLabel('Start').fill(String(refuting.end));
    await byPosition.getByLabel('End').fill(String(refuting.start));
    await byPosition.getByLabel('Refutes', { exact: true }).check();
    await byPosition.getByRole('button', { name: 'Add evidence' }).click();
    await problem(page, 'The end must be after the start');
    await byPosition.getByLabel('Start').fill(String(refuting.start));
    await byPosition.getByLabel('End').fill(String(refuting.end));
    await byPosition.getByRole('button', { name: 'Add evidence' }).click();
    await shows(page, 'Evidence from c1-pt-01 added: it refutes CMOC 1.');
    await expect.poll(() => evidence.getByRole('heading', { name: 'Refutes (1)' }).count()).toBe(1);
    expect(await evidence.getByText(REFUTING).count()).toBe(1);
    await shows(page, /C1-PT-01 \(Patient\) · Case C1 · WP1/);
    await arrive(page, 'CMOC 1: Practice buy-in', 'realist-03-cmoc-with-evidence');
  });

  it('judges a configuration supported, and is told when someone else changed it first', async () => {
    await page.getByRole('link', { name: 'Back to the programme theory' }).click();
    await page.getByRole('link', { name: 'CMOC 2: Community connections' }).click();
    await arrive(page, 'CMOC 2: Community connections', 'realist-04-cmoc-2');
    const judge = under(page, 'section', 'Judge it');
    await judge.getByLabel('Supported', { exact: true }).check();
    await judge.getByRole('button', { name: 'Save judgement' }).click();
    await problem(page, 'Choose how confident the team is that it is supported: low, moderate or high');
    await arrive(page, 'CMOC 2: Community connections', 'realist-05-judge-errors');
    await judge.getByLabel('Moderate', { exact: true }).check();
    await judge.getByLabel('Memo (optional)').fill('Seen in C1; to test in the other cases.');
    await judge.getByRole('button', { name: 'Save judgement' }).click();
    await shows(page, 'CMOC 2 is marked supported with moderate confidence.');

    // A colleague judges it too while the page is open: saving again meets their change.
    const cmocId = new URL(page.url()).pathname.split('/').at(-1)!;
    const now = await json<{ version: number }>(await call('GET', `/research/cmocs/${cmocId}`));
    await json(
      await call('PUT', `/research/cmocs/${cmocId}/judgement`, {
        status: 'supported',
        confidence: 'high',
        memo: 'Seen in C1 and C2.',
        version: now.version,
      }),
    );
    await judge.getByLabel('Low', { exact: true }).check();
    await judge.getByRole('button', { name: 'Save judgement' }).click();
    await problem(page, 'This configuration was changed by someone else since you opened it.');
    await judge.getByRole('button', { name: 'Reload it' }).click();
    await expect
      .poll(() => judge.getByLabel('High', { exact: true }).isChecked(), { timeout: 10_000 })
      .toBe(true);
    expect(await judge.getByLabel('Memo (optional)').inputValue()).toBe('Seen in C1 and C2.');
  });

  it('refines a configuration with the reason, and reads how the theory changed', async () => {
    await page.getByRole('link', { name: 'Back to the programme theory' }).click();
    await arrive(page, 'Programme theory', 'realist-06-theory-judged');
    await shows(page, '2 configurations: 1 supported, 0 refuted, 1 proposed.');
    await page.getByRole('link', { name: 'CMOC 1: Practice buy-in' }).click();
    await page.getByRole('button', { name: 'Refine CMOC 1' }).click();
    const refine = under(page, 'section', 'Refine it');
    // Pre-filled from the version it refines.
    expect(await refine.getByLabel('Context 2', { exact: true }).inputValue()).toBe(buyIn.contexts[1]);
    await refine.getByRole('button', { name: 'Save the new version' }).click();
    await problem(page, 'Enter the reason for refining it');
    await refine
      .getByLabel('Why it is refined')
      .fill('A warm handover was not enough where the group did not welcome her (C1-PT-01).');
    await refine.getByRole('button', { name: 'Add another context' }).click();
    await refine.getByLabel('Context 3', { exact: true }).fill('The group welcomes newcomers');
    await refine.getByRole('button', { name: 'Save the new version' }).click();
    await arrive(page, 'CMOC 1 v2: Practice buy-in', 'realist-07-refined');
    await shows(page, 'CMOC 1 v2 saved. CMOC 1 is kept in its history with the evidence it stood on.');
    await shows(page, /and the group welcomes newcomers, then patients take up the referral/);
    const history = under(page, 'section', 'History');
    expect(await history.getByRole('link', { name: 'CMOC 1' }).count()).toBe(1);
    await shows(page, 'Evidence it stood on: supports 1 · refutes 1 · refines 0');
    await shows(page, 'Evidence so far: supports 0 · refutes 0 · refines 0');
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, 'CMOC 1 v2: Practice buy-in', 'realist-07-refined-390');
    await page.setViewportSize({ width: 1200, height: 900 });

    await page.getByRole('link', { name: 'How the programme theory changed' }).click();
    await arrive(page, 'How the programme theory changed', 'realist-08-history');
    await shows(page, '3 versions written, oldest first; 1 refinement.');
    const changes = page.locator('.app-realist-timeline__item h2');
    expect(await changes.allTextContents()).toEqual([
      'CMOC 1 in the initial programme theory: Practice buy-in (CMOC 1)',
      'CMOC 2 in the initial programme theory: Community connections (CMOC 2)',
      'CMOC 1 refined into CMOC 1 v2: Practice buy-in (CMOC 1 v2)',
    ]);
    await shows(page, 'CMOC 1 stood on: supports 1 · refutes 1 · refines 0');
  });

  it('compares the cases by role, with the case’s context and pathway figures', async () => {
    await page.getByRole('link', { name: 'Cross-case matrix' }).click();
    await arrive(page, 'Cross-case matrix', 'realist-09-cross-case');
    const matrix = page.getByRole('table', { name: 'Evidence by case and configuration' });
    const c1 = matrix.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^C1/ }) });
    // Evidence of all CMOC 1's versions counts under CMOC 1 v2.
    const cells = c1.getByRole('cell');
    expect(await cells.nth(0).textContent()).toMatch(/Supports 1\s*Refutes 1\s*Refines 0/);
    expect(await cells.nth(1).textContent()).toMatch(/No evidence/);
    await cells.nth(0).getByText('What it says').click();
    expect(await cells.nth(0).getByText('Trust in the GP carries over to the link worker.').isVisible()).toBe(
      true,
    );

    // The pathway figures of Amira's referrals in the case period: counted here from the records themselves.
    const period = { from: dayInEngland(90), to: dayInEngland(0) };
    const [counted] = await inTransaction(
      ctx.linkwork.database.db,
      { system: true, now: new Date() },
      async (tx) =>
        rowsOf<{ n: number }>(
          await tx.execute(sql`select count(*)::int as n from referrals r join users u on u.id = r.allocated_link_worker_id
          where u.name = 'Amira Hassan'
            and (r.received_at at time zone 'Europe/London')::date between ${period.from}::date and ${period.to}::date`),
        ),
    );
    const figures = page.getByRole('table', { name: 'C1: pathway figures for the case period' });
    const referrals = figures
      .getByRole('row')
      .filter({ has: page.getByRole('rowheader', { name: /^Referrals allocated to Amira Hassan/ }) });
    expect(await referrals.getByRole('cell').textContent()).toBe(
      counted!.n < 5 ? 'suppressed (fewer than 5)' : String(counted!.n),
    );
    await shows(page, /Disclosure control: pathway counts under 5 are not shown/);
    expect(
      await page.getByRole('table', { name: /^C1: implementation context/ }).count(),
      'Amira’s implementation context beside the case',
    ).toBe(1);

    await page.getByLabel('Informants').selectOption({ label: 'GP' });
    await page.getByRole('button', { name: 'Show' }).click();
    const gps = page.getByRole('table', { name: 'Evidence by case and configuration: GP informants' });
    await expect.poll(() => gps.count(), { timeout: 10_000 }).toBe(1);
    expect(new URL(page.url()).search).toBe('?role=gp');
    expect(await gps.getByRole('cell').nth(0).textContent()).toMatch(/No evidence/);
    await page.setViewportSize({ width: 390, height: 844 });
    await arrive(page, 'Cross-case matrix', 'realist-10-cross-case-gp-390');
    await page.setViewportSize({ width: 1200, height: 900 });
  });

  it('fills in two RAMESES II items and downloads the checklist', async () => {
    await page.getByRole('link', { name: 'RAMESES II reporting checklist' }).click();
    await arrive(page, 'RAMESES II reporting checklist', 'realist-11-rameses');
    await shows(page, '0 of 20 items answered.');
    await page.getByLabel('Note (optional) (item 17').fill('Limitations to write up');
    await page.getByRole('button', { name: 'Save checklist' }).click();
    await problem(
      page,
      'Say whether item 17 (strengths, limitations and future research directions) is reported',
    );
    await page
      .getByRole('group', { name: /^Reported\? \(item 6,/ })
      .getByLabel('Yes')
      .check();
    await page.getByLabel('Where (item 6').fill('Methods, ethics paragraph');
    await page
      .getByRole('group', { name: /^Reported\? \(item 17,/ })
      .getByLabel('Unclear')
      .check();
    await page.getByRole('button', { name: 'Save checklist' }).click();
    await shows(page, 'Checklist saved: 2 of 20 items answered.');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await arrive(page, 'RAMESES II reporting checklist', 'realist-12-rameses-saved-390');
    await page.setViewportSize({ width: 1200, height: 900 });
    expect(
      await page
        .getByRole('group', { name: /^Reported\? \(item 6,/ })
        .getByLabel('Yes')
        .isChecked(),
    ).toBe(true);
    expect(await page.getByLabel('Where (item 6').inputValue()).toBe('Methods, ethics paragraph');
    const href = await page.getByRole('link', { name: 'Download the checklist (PDF)' }).getAttribute('href');
    const pdf = await page.request.get(`${url}${href}`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${url}${studyPath}/theory`);
    await arrive(page, 'Programme theory', 'realist-13-theory-390');
    await page.setViewportSize({ width: 1200, height: 900 });
    await screenshot(page, 'realist-14-theory-end');
  });

  it('proposes a configuration of its own and gives it supporting and refuting evidence', async () => {
    await page.goto(`${url}${studyPath}/theory`);
    await arrive(page, 'Programme theory', 'realist-15-propose');
    await page.getByLabel('Short title').fill('Keeping people going');
    await page.getByLabel('Context 1').fill('The group meets near the person’s home');
    await page.getByLabel('Mechanism: resource').fill('A volunteer greets newcomers');
    await page.getByLabel('Mechanism: response').fill('people feel noticed');
    await page.getByRole('button', { name: 'Propose configuration' }).click();
    await problem(page, /outcome/i);
    await page.getByLabel('Outcome', { exact: true }).fill('people keep going after the first weeks');
    await page.getByRole('button', { name: 'Propose configuration' }).click();
    await shows(page, /^CMOC 3 proposed:/);
    await page.getByRole('link', { name: 'Keeping people going' }).first().click();
    await arrive(page, 'CMOC 3: Keeping people going', 'realist-16-cmoc-3');
    const coded = under(page, '.app-research-group', 'From coded text');
    await coded.getByLabel('Code', { exact: true }).selectOption({ label: 'Trust in the GP (1)' });
    await coded.getByRole('button', { name: 'Find coded text' }).click();
    await coded.getByLabel(`“${CODED}”`).check();
    await coded.getByLabel('Supports', { exact: true }).check();
    await coded.getByRole('button', { name: 'Add evidence' }).click();
    await shows(page, 'Evidence from c1-pt-01 added: it supports CMOC 3.');
    const byPosition = under(page, '.app-research-group', 'By position in a source');
    await byPosition.getByLabel('Source').selectOption({ index: 1 });
    await byPosition.getByLabel('Start').fill(String(refuting.start));
    await byPosition.getByLabel('End').fill(String(refuting.end));
    await byPosition.getByLabel('Refutes', { exact: true }).check();
    await byPosition.getByRole('button', { name: 'Add evidence' }).click();
    await shows(page, 'Evidence from c1-pt-01 added: it refutes CMOC 3.');
    const evidence = under(page, 'section', 'Evidence');
    await expect.poll(() => evidence.getByRole('heading', { name: 'Supports (1)' }).count()).toBe(1);
    await expect.poll(() => evidence.getByRole('heading', { name: 'Refutes (1)' }).count()).toBe(1);
    await arrive(page, 'CMOC 3: Keeping people going', 'realist-17-cmoc-3-evidence');
    await page.close();
  });
});
