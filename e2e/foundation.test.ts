import { generate } from 'otplib';
import { expect, it } from 'vitest';
import { demoPassword } from '../src/db/seed/demo.ts';
import { arrive, axeViolations, journeys, screenshot, signInAs } from './harness.ts';

journeys('foundation journeys in Chromium', { timeout: 120_000 }, (ctx) => {
  let newLinkWorkerLink = '';

  it('an administrator signs in, sets up two-factor, adds a PCN and a link worker, and records the link worker’s context', async () => {
    await ctx.browser.context.clearCookies(); // each person starts signed out
    const page = await ctx.browser.context.newPage();
    await page.goto(`${ctx.linkwork.url}/`);
    await arrive(page, /Sign in/, 'journey-01-sign-in');

    await page.getByLabel('Email address').fill('admin@demo.linkwork.example');
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-02-sign-in-error');

    await page.getByLabel('Password').fill(demoPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(page, /two-factor|authenticator/i, 'journey-03-two-factor-intro');
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(page, /authenticator app/, 'journey-04-two-factor-scan');
    await page.getByText('I cannot scan the QR code').click();
    const secret = (await page.locator('.app-secret').textContent())!.replace(/\s/g, '');
    const code = await generate({ secret, epoch: Math.floor(ctx.linkwork.clock.now().getTime() / 1000) });
    await page.getByLabel('Enter the 6-digit code your app shows for Linkwork').fill(code);
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await arrive(page, /recovery codes/i, 'journey-05-recovery-codes');
    expect(await page.locator('.app-recovery-codes li').count()).toBe(10);
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(page, /Priya Shah|Home|What/i, 'journey-06-admin-home');

    await page.getByRole('link', { name: 'Organisations' }).first().click();
    await arrive(page, 'Organisations', 'journey-07-organisations');
    await page
      .getByRole('link', { name: /Add( an)? organisation/ })
      .first()
      .click();
    await arrive(page, /Add an organisation|Add organisation/, 'journey-08-organisation-new');
    await page.getByLabel('PCN (primary care network)').check();
    await page.getByLabel('Name').fill('Estuary PCN');
    await page.getByLabel('ODS code (optional)').fill('U99003');
    await page
      .getByLabel('Which organisation does it sit under?')
      .selectOption({ label: 'NHS Riverside and Moorland ICB (ICB)' });
    await page.getByRole('button', { name: 'Add organisation' }).click();
    await expect
      .poll(() => page.getByText('Estuary PCN').first().isVisible(), { timeout: 10_000 })
      .toBe(true);
    await screenshot(page, 'journey-09-organisation-added');

    await page.getByRole('link', { name: 'Users' }).first().click();
    await arrive(page, 'Users', 'journey-10-users');
    await page
      .getByRole('link', { name: /Add( a)? user/ })
      .first()
      .click();
    await arrive(page, /Add a user|Add user/, 'journey-11-user-new');
    await page.getByLabel('Full name').fill('Jo Murray');
    await page.getByLabel('Email address').fill('jo.murray@demo.linkwork.example');
    await page.getByLabel('Organisation').selectOption({ label: 'Estuary PCN (PCN)' });
    await page.getByLabel('Link worker', { exact: true }).check();
    await page.getByRole('button', { name: 'Add user' }).click();
    await expect
      .poll(() => page.locator('#set-password-url').inputValue(), { timeout: 10_000 })
      .toContain('/set-password?token=');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-12-user-added');
    newLinkWorkerLink = new URL(await page.locator('#set-password-url').inputValue()).search;
    await page.getByRole('link', { name: /See Jo Murray/ }).click();
    await arrive(page, 'Jo Murray', 'journey-12b-user-page');

    await page.goto(`${ctx.linkwork.url}/organisations`);
    await page.getByRole('link', { name: 'Estuary PCN' }).first().click();
    await arrive(page, /Estuary PCN/, 'journey-12c-organisation-edit');

    await page.getByRole('link', { name: 'Link workers' }).first().click();
    await arrive(page, 'Link workers', 'journey-13-link-workers');
    await page.getByRole('link', { name: 'Jo Murray' }).click();
    await arrive(page, 'Jo Murray', 'journey-14-link-worker-empty');
    await page
      .getByRole('link', { name: /Record (a change in context|their context|context)/ })
      .first()
      .click();
    await arrive(page, /context|arrangements/i, 'journey-15-context-new');
    await page.getByLabel('Day').fill('1');
    await page.getByLabel('Month').fill('11');
    await page.getByLabel('Year').fill('2026');
    await page.getByLabel('Hosted by a VCSE organisation').check();
    await page
      .getByLabel('Employing or hosting organisation (optional)')
      .selectOption({ label: 'Riverside Community Action (VCSE)' });
    await page.getByLabel('GP practice', { exact: true }).check();
    await page.getByLabel('Contracted hours per week').fill('30');
    await page.getByLabel('A manager at the host organisation').check();
    await page.getByLabel('Read only').check();
    await page.getByLabel('Occasionally').check();
    await page.getByLabel('A mix of in person and remote').check();
    await page.getByRole('button', { name: 'Record change' }).click();
    await arrive(page, 'Jo Murray', 'journey-16-context-recorded');
    await expect.poll(() => page.getByText('Riverside Community Action').first().isVisible()).toBe(true);

    await page.goto(`${ctx.linkwork.url}/audit`);
    await arrive(page, 'Audit log', 'journey-17-audit');
    await page
      .getByRole('button', { name: /Sign out/ })
      .or(page.getByRole('link', { name: 'Sign out' }))
      .first()
      .click();
    await arrive(page, /Sign in|signed out/i, 'journey-18-signed-out');
    await page.close();
  });

  it('the new link worker sets their password from the link, signs in and sees their home page', async () => {
    expect(newLinkWorkerLink).toContain('token=');
    await ctx.browser.context.clearCookies(); // each person starts signed out
    const page = await ctx.browser.context.newPage();
    await page.goto(`${ctx.linkwork.url}/set-password${newLinkWorkerLink}`);
    await arrive(page, /password/i, 'journey-20-set-password');
    const password = 'estuary tide at dawn';
    await page
      .getByLabel(/^(New password|Password|Create a password)/)
      .first()
      .fill(password);
    await page.getByLabel(/Confirm|again/i).fill(password);
    await page.getByRole('button', { name: /Set password|Save password|Continue/ }).click();
    await arrive(page, /Password set|password has been set|set your password/i, 'journey-21-password-set');
    await page.goto(`${ctx.linkwork.url}/sign-in`);
    await page.getByLabel('Email address').fill('jo.murray@demo.linkwork.example');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await arrive(page, /Jo Murray|Home|What/i, 'journey-22-link-worker-home');
    expect(await page.getByText('Estuary PCN').first().isVisible()).toBe(true);
    await page.reload();
    await arrive(page, /Jo Murray|Home|What/i, 'journey-23-link-worker-home-after-reload');
    await page.goto(`${ctx.linkwork.url}/no-such-page`);
    await arrive(page, /Page not found/i, 'journey-24-not-found');
    await page.close();
  });

  it('a lead link worker serving two PCNs chooses which one to act for, and manages their account', async () => {
    await ctx.browser.context.clearCookies(); // each person starts signed out
    const page = await ctx.browser.context.newPage();
    await signInAs(page, ctx.linkwork.url, 'lead@demo.linkwork.example');
    await expect
      .poll(() => page.getByText('Which organisation are you working for?').isVisible(), { timeout: 10_000 })
      .toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-30-acting-organisation');
    await page.getByLabel('Moorland Rural PCN').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await arrive(page, /What you can do|Home/i, 'journey-31-lead-home');
    await page.getByRole('link', { name: 'Link workers' }).first().click();
    await arrive(page, 'Link workers', 'journey-32-lead-link-workers');
    expect(await page.getByRole('link', { name: 'Tom Bennett' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Amira Hassan' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Account' }).first().click();
    await arrive(page, 'Your account', 'journey-33-account');
    await page.getByLabel('Current password').fill(demoPassword);
    await page.getByLabel('New password', { exact: true }).fill('short');
    await page.getByLabel('Confirm new password').fill('short');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'journey-34-account-password-error');
    await page.close();
  });
});
