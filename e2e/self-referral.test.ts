import { expect, it } from 'vitest';
import { arrive, axeViolations, chooseOrganisation, journeys, screenshot, signInAs } from './harness.ts';

journeys('self-referral journey in Chromium', { timeout: 120_000 }, (ctx) => {
  it('a person refers themself on their phone, without signing in, and the lead sees them in triage', async () => {
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${ctx.linkwork.url}/self-refer/U99001`);
    await arrive(page, /Ask for help from a social prescribing link worker/, 'self-referral-01-form');
    expect(await page.getByText('Riverside Central PCN').first().isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Menu' }).count()).toBe(0);

    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await page.locator('.nhsuk-error-summary').getByText('Enter your first name').isVisible()).toBe(
      true,
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'self-referral-02-errors');

    await page.getByLabel('First name').fill('Dorothy');
    await page.getByLabel('Last name').fill('Pemberton');
    await page.getByLabel('Day').fill('23');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('1951');
    await page.getByLabel('Postcode (optional)').fill('XX1 1AA');
    await page.getByLabel('Phone number (optional)').fill('07700 900 982');
    await page.getByLabel('Phone call').check();
    await page.getByLabel('Loneliness and social isolation').check();
    await page
      .getByLabel('Tell us a bit about what matters to you (optional)')
      .fill('I would like to get out more and meet people. I used to love gardening.');
    await page.getByLabel('I agree to be referred to the social prescribing service').check();
    await page.getByRole('button', { name: 'Send' }).click();
    await arrive(page, 'Request sent', 'self-referral-03-sent');
    expect(await page.getByText(/Your reference is LW-[0-9A-Z]{4}-[0-9A-Z]{4}/).isVisible()).toBe(true);
    expect(
      await page
        .getByText('A link worker from Riverside Central PCN will contact you within 2 weeks.')
        .isVisible(),
    ).toBe(true);

    await signInAs(page, ctx.linkwork.url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, 'Riverside Central PCN');
    await arrive(page, /What you can do/, 'self-referral-04-lead-home');
    await page.goto(`${ctx.linkwork.url}/triage`);
    await arrive(page, 'Triage', 'self-referral-05-triage-queue');
    expect(await page.getByRole('link', { name: 'Triage Dorothy Pemberton' }).isVisible()).toBe(true);
    await page.close();
  });

  it('tells a person when the web address is not for a service', async () => {
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${ctx.linkwork.url}/self-refer/U00000`);
    await arrive(page, 'We could not find this service', 'self-referral-06-not-found');
    expect(await page.getByText('Check the web address you were given').isVisible()).toBe(true);
    await page.close();
  });
});
