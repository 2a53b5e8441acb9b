import { expect, it } from 'vitest';
import {
  arrive,
  axeViolations,
  chooseOption,
  chooseOrganisation,
  journeys,
  screenshot,
  signInAs,
} from './harness.ts';

journeys('referral journey in Chromium', { timeout: 120_000 }, (ctx) => {
  it('a GP refers, the lead accepts and allocates, and the GP sees the referral accepted', async () => {
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    await signInAs(page, ctx.linkwork.url, 'dr.jones@demo.linkwork.example');
    await arrive(page, /What you can do/, 'referral-01-gp-home');
    await page.getByRole('link', { name: 'Refer someone' }).first().click();
    await arrive(page, 'Refer someone', 'referral-02-form');
    await page.getByRole('button', { name: 'Send referral' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'referral-03-form-errors');

    await page.getByLabel('First name').fill('Winifred');
    await page.getByLabel('Last name').fill('Hale');
    await page.getByLabel('Day').fill('9');
    await page.getByLabel('Month').fill('7');
    await page.getByLabel('Year').fill('1944');
    await page.getByLabel('Female', { exact: true }).check();
    await page.getByLabel('Postcode (optional)').fill('XX1 1AA');
    await page.getByLabel('Loneliness and social isolation').check();
    await page.getByLabel('Routine', { exact: true }).check();
    await page.getByLabel('They agree to be referred to the social prescribing service').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await arrive(page, 'Referral sent', 'referral-04-sent');
    expect(await page.getByText(/Your reference is LW-[0-9A-Z]{4}-[0-9A-Z]{4}/).isVisible()).toBe(true);
    await page.getByRole('link', { name: 'See your referrals' }).click();
    await arrive(page, 'Your referrals', 'referral-05-mine');
    expect(
      await page
        .getByRole('row', { name: /Winifred Hale/ })
        .getByText('Awaiting triage')
        .isVisible(),
    ).toBe(true);

    await ctx.browser.context.clearCookies();
    await signInAs(page, ctx.linkwork.url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, 'Riverside Central PCN');
    await arrive(page, /What you can do/, 'referral-06-lead-home');
    await page.getByRole('link', { name: 'Triage' }).first().click();
    await arrive(page, 'Triage', 'referral-07-triage-queue');
    await page.getByRole('link', { name: 'Triage Winifred Hale' }).click();
    await arrive(page, /Winifred Hale/, 'referral-08-triage-referral');
    await page.getByLabel('Accept and allocate to a link worker').check();
    // Each link worker is shown with their caseload, to balance the work.
    await chooseOption(
      page.getByLabel('Allocate to link worker'),
      /^Amira Hassan — (\d+ people|1 person|no one on their caseload)/,
    );
    await page.getByRole('button', { name: 'Save decision' }).click();
    // The referral's own page is headed "Triage a referral" too: wait for the decision's message, not a heading.
    await expect
      .poll(() => page.getByText('Winifred Hale accepted and allocated to Amira Hassan').isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await arrive(page, 'Triage', 'referral-09-triaged');

    await ctx.browser.context.clearCookies();
    await signInAs(page, ctx.linkwork.url, 'dr.jones@demo.linkwork.example');
    await arrive(page, /What you can do/, 'referral-10-gp-home-again');
    await page.goto(`${ctx.linkwork.url}/referrals/mine`);
    await arrive(page, 'Your referrals', 'referral-11-mine-accepted');
    expect(
      await page
        .getByRole('row', { name: /Winifred Hale/ })
        .getByText('Accepted')
        .isVisible(),
    ).toBe(true);
    await page.close();
  });

  it('offers a possible match to the lead, who confirms it before triage', async () => {
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    await signInAs(page, ctx.linkwork.url, 'dr.jones@demo.linkwork.example');
    await arrive(page, /What you can do/, 'duplicate-01-gp-home');
    await page.goto(`${ctx.linkwork.url}/referrals/new`);
    await arrive(page, 'Refer someone', 'duplicate-02-form');
    await page.getByLabel('First name').fill('Margret');
    await page.getByLabel('Last name').fill('Okoro');
    await page.getByLabel('Day').fill('2');
    await page.getByLabel('Month').fill('5');
    await page.getByLabel('Year').fill('1948');
    await page.getByLabel('Female', { exact: true }).check();
    await page.getByLabel('Money, debt and benefits').check();
    await page.getByLabel('Routine', { exact: true }).check();
    await page.getByLabel('They agree to be referred to the social prescribing service').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await arrive(page, 'Referral sent', 'duplicate-03-sent');

    await ctx.browser.context.clearCookies();
    await signInAs(page, ctx.linkwork.url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, 'Riverside Central PCN');
    await arrive(page, /What you can do/, 'duplicate-04-lead-home');
    await page.goto(`${ctx.linkwork.url}/triage`);
    await arrive(page, 'Triage', 'duplicate-05-queue');
    await page.getByRole('link', { name: 'Triage Margret Okoro' }).click();
    await expect
      .poll(() => page.getByText('Is this someone the service already knows?').isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'duplicate-06-possible-match');
    await page.getByLabel('Yes, this is Margaret Okoro').check();
    await page.getByRole('button', { name: 'Save and continue to triage' }).click();
    await expect
      .poll(() => page.getByText('What do you want to do?').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await page.getByText('Earlier referrals of this person').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'duplicate-07-confirmed');
    await page.close();
  });
});
