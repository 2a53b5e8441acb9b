import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { arrive, chooseOption, chooseOrganisation, journeys, signInAs } from './harness.ts';

/** Made up, and not in the demo seed, so the lead is not asked whether it is someone already known. */
const person = { first: 'Ottilie', last: 'Brackenbury', name: 'Ottilie Brackenbury' };
const episodeHeading = new RegExp(`^Episode – ${person.name}$`);
const goals = [
  'I want to get out of the house and meet people',
  'I want to feel confident using the bus again',
];
const outcome = 'Ottilie now goes to the Tuesday walking group and the library knit and natter each week.';

/** Waits until the page shows the text, e.g. a banner saying what was just saved. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

journeys('social prescribing pathway in Chromium', { timeout: 240_000 }, (ctx) => {
  /**
   * The server runs on a manual clock, fixed when it started; the browser fills "now" into forms from its own
   * clock. The referral arrives ten minutes before the link worker's first contact, and the server's clock
   * then keeps up with the browser's, as it would in real use.
   */
  const timeNow = () => ctx.linkwork.clock.set(new Date());

  it('a GP refers, the lead allocates, the link worker supports the person to discharge, and the GP sees the message back', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();

    // The GP refers someone new.
    ctx.linkwork.clock.set(new Date(Date.now() - 10 * 60_000));
    await signInAs(page, url, 'dr.jones@demo.linkwork.example');
    await arrive(page, /What you can do/, 'pathway-01-gp-home');
    await page.getByRole('link', { name: 'Refer someone' }).first().click();
    await arrive(page, 'Refer someone', 'pathway-02-referral-form');
    await page.getByLabel('First name').fill(person.first);
    await page.getByLabel('Last name').fill(person.last);
    await page.getByLabel('Day').fill('17');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('1949');
    await page.getByLabel('Female', { exact: true }).check();
    await page.getByLabel('Phone number (optional)').fill('07700 900 461');
    await page.getByLabel('Loneliness and social isolation').check();
    await page.getByLabel('Routine', { exact: true }).check();
    await page
      .getByLabel('Anything else the link worker should know (optional)')
      .fill('Widowed last year and has stopped going out since she gave up driving.');
    await page.getByLabel('They agree to be referred to the social prescribing service').check();
    await page.getByRole('button', { name: 'Send referral' }).click();
    await arrive(page, 'Referral sent', 'pathway-03-referral-sent');

    // The lead link worker accepts it and allocates it to Amira Hassan.
    await ctx.browser.context.clearCookies();
    timeNow();
    await signInAs(page, url, 'lead@demo.linkwork.example');
    await chooseOrganisation(page, 'Riverside Central PCN');
    await arrive(page, /What you can do/, 'pathway-04-lead-home');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Triage' }).click();
    await arrive(page, 'Triage', 'pathway-05-triage-queue');
    await page.getByRole('link', { name: `Triage ${person.name}` }).click();
    await arrive(page, new RegExp(`${person.name}.*Triage a referral`), 'pathway-06-triage-referral');
    await page.getByLabel('Accept and allocate to a link worker').check();
    await chooseOption(page.getByLabel('Allocate to link worker'), /^Amira Hassan — /);
    await page.getByLabel('Note for the link worker (optional)').fill('She would prefer a phone call first.');
    await page.getByRole('button', { name: 'Save decision' }).click();
    await arrive(page, 'Triage', 'pathway-07-triaged');
    await shows(page, `${person.name} accepted and allocated to Amira Hassan`);

    // Amira finds her on her caseload and opens the episode.
    await ctx.browser.context.clearCookies();
    timeNow();
    await signInAs(page, url, 'amira.hassan@demo.linkwork.example');
    await arrive(page, /What you can do/, 'pathway-08-link-worker-home');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Caseload' }).click();
    await arrive(page, 'Your caseload', 'pathway-09-caseload');
    const row = page.getByRole('row', { name: new RegExp(person.name) });
    await shows(page, person.name);
    expect(await row.getByText('Awaiting first contact').isVisible()).toBe(true);
    await row.getByRole('link', { name: person.name }).click();
    await arrive(page, episodeHeading, 'pathway-10-episode-new');
    await shows(page, 'Awaiting first contact');

    // First contact: she accepts social prescribing.
    await page.getByRole('link', { name: 'Record first contact' }).click();
    await arrive(page, 'Record first contact', 'pathway-11-first-contact');
    await page.getByLabel('Phone call').check();
    await page.getByLabel('How long did it last, in minutes? (optional)').fill('20');
    await page.getByLabel('Yes, they accept social prescribing').check();
    await page.getByLabel('Notes (optional)').fill('Introduced the service. Happy to meet at the library.');
    timeNow();
    await page.getByRole('button', { name: 'Save first contact' }).click();
    await arrive(page, episodeHeading, 'pathway-12-episode-first-contact');
    await shows(page, /First contact recorded\..*SNOMED CT 871731000000106/);

    // The what matters conversation, with two needs.
    await page.getByRole('link', { name: 'Record what matters' }).click();
    await arrive(page, 'What matters conversation', 'pathway-13-what-matters');
    const need1 = page.getByRole('group', { name: 'Need 1', exact: true });
    await need1.getByLabel('What is it about?').selectOption({ label: 'Loneliness and social isolation' });
    await need1.getByLabel('High', { exact: true }).check();
    await need1.getByLabel('What is the concern?').fill('Has hardly left the house since her husband died.');
    await page.getByRole('button', { name: 'Add another need' }).click();
    const need2 = page.getByRole('group', { name: 'Need 2', exact: true });
    await need2.getByLabel('What is it about?').selectOption({ label: 'Physical activity' });
    await need2.getByLabel('Medium', { exact: true }).check();
    await need2.getByLabel('What is the concern?').fill('Walks less since giving up the car.');
    await page
      .getByLabel('In their own words')
      .fill('“I just want a reason to put my coat on in the morning, and someone to talk to.”');
    await page
      .getByLabel('Strengths and assets (optional)')
      .fill('Loves gardening; good friends with her neighbour.');
    await page.getByLabel('Barriers (optional)').fill('Nervous about buses since she stopped driving.');
    await page.getByRole('button', { name: 'Save what matters' }).click();
    await arrive(page, episodeHeading, 'pathway-14-episode-what-matters');
    await shows(page, 'What matters conversation recorded.');
    await shows(page, 'I just want a reason to put my coat on in the morning');

    // A support plan with two goals, each with an action.
    await page.getByRole('link', { name: 'Create the support plan' }).first().click();
    await arrive(page, 'Create the support plan', 'pathway-15-plan-new');
    await page
      .getByLabel('Summary (optional)')
      .fill('Meet people nearby and get back on the bus, a step at a time.');
    const goal1 = page.getByRole('group', { name: 'Goal 1', exact: true });
    await goal1.getByLabel('The goal, in their words').fill(goals[0]!);
    await goal1
      .getByLabel('Which need is it about? (optional)')
      .selectOption({ label: 'Loneliness and social isolation' });
    await goal1
      .getByLabel('Services to connect with (optional)')
      .fill('Tuesday walking group; library knit and natter');
    await page.getByRole('button', { name: 'Add an action for goal 1' }).click();
    const action1 = page.getByRole('group', { name: 'Action 1 for goal 1', exact: true });
    await action1.getByLabel('Who will do it?').fill('Amira (link worker)');
    await action1.getByLabel('What will they do?').fill('Go with Ottilie to her first walking group.');
    await page.getByRole('button', { name: 'Add another goal' }).click();
    const goal2 = page.getByRole('group', { name: 'Goal 2', exact: true });
    await goal2.getByLabel('The goal, in their words').fill(goals[1]!);
    await goal2.getByLabel('Which need is it about? (optional)').selectOption({ label: 'Physical activity' });
    await page.getByRole('button', { name: 'Add an action for goal 2' }).click();
    const action2 = page.getByRole('group', { name: 'Action 1 for goal 2', exact: true });
    await action2.getByLabel('Who will do it?').fill('Ottilie');
    await action2
      .getByLabel('What will they do?')
      .fill('Take the number 12 bus to the library with her neighbour.');
    await page.getByRole('button', { name: 'Save support plan' }).click();
    await arrive(page, episodeHeading, 'pathway-16-episode-plan');
    await shows(page, 'Support plan created.');
    for (const goal of goals) await shows(page, goal);

    // The printable plan, and the same plan as a PDF to give her.
    await page.getByRole('link', { name: 'Print the support plan' }).click();
    await arrive(page, `${person.name}’s support plan`, 'pathway-17-plan-print');
    for (const goal of goals) await shows(page, goal);
    const folder = mkdtempSync(path.join(tmpdir(), 'linkwork-plan-'));
    try {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download PDF' }).click(),
      ]);
      const file = path.join(folder, 'plan.pdf');
      await download.saveAs(file);
      const pdf = readFileSync(file);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.length).toBeGreaterThan(1024);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
    await page.getByRole('link', { name: `Back to ${person.name}` }).click();
    await arrive(page, episodeHeading, 'pathway-18-episode-after-print');

    // Two more contacts, each with how she is getting on with both goals.
    const ratings = [
      ['3', '2'],
      ['8', '7'],
    ] as const;
    for (const [index, [first, second]] of ratings.entries()) {
      await page.getByRole('link', { name: 'Log a contact', exact: true }).click();
      await arrive(page, 'Log a contact', `pathway-${19 + index * 2}-contact-${index + 1}`);
      await page.getByLabel('We spoke').check();
      await page.getByLabel(index === 0 ? 'At a community venue' : 'Phone call').check();
      await page.getByLabel('How long did it last, in minutes? (optional)').fill(index === 0 ? '45' : '15');
      await page
        .getByLabel('Notes (optional)')
        .fill(`Check-in ${index + 1}: talked about the walking group.`);
      await page.getByLabel(goals[0]!).selectOption({ label: first });
      await page.getByLabel(goals[1]!).selectOption({ label: second });
      timeNow();
      await page.getByRole('button', { name: 'Save contact' }).click();
      await arrive(page, episodeHeading, `pathway-${20 + index * 2}-episode-contact-${index + 1}`);
      await shows(page, 'Contact logged, with progress on 2 goals.');
    }
    await shows(page, '8 out of 10');
    await shows(page, '7 out of 10');

    // Discharge, goals met, with the message back to the GP.
    await page
      .getByRole('link', { name: `Discharge ${person.name}` })
      .first()
      .click();
    await arrive(page, 'Discharge from social prescribing', 'pathway-23-discharge');
    await page.getByLabel('Their goals were met').check();
    await page
      .getByLabel('Closing summary')
      .fill('Engaged well from the start. Ready to carry on without a link worker; welcome back any time.');
    await page
      .getByLabel('What support was offered?')
      .fill('Three conversations, a plan with two goals, and going with her to the walking group.');
    await page.getByLabel('What was the outcome?').fill(outcome);
    timeNow();
    await page.getByRole('button', { name: 'Discharge and send message back' }).click();
    await arrive(page, 'Social prescribing message back', 'pathway-24-message-back-sent');
    await shows(page, `${person.name} has been discharged.`);
    await shows(page, outcome);

    // The GP sees the referral discharged, and reads the message back.
    await ctx.browser.context.clearCookies();
    timeNow();
    await signInAs(page, url, 'dr.jones@demo.linkwork.example');
    await arrive(page, /What you can do/, 'pathway-25-gp-home-again');
    await page.getByRole('link', { name: 'Your referrals' }).click();
    await arrive(page, 'Your referrals', 'pathway-26-gp-referrals');
    const referral = page.getByRole('row', { name: new RegExp(person.name) });
    expect(await referral.getByText('Discharged', { exact: true }).isVisible()).toBe(true);
    await referral.getByRole('link', { name: `View message back for ${person.name}` }).click();
    await arrive(page, 'Social prescribing message back', 'pathway-27-gp-message-back');
    await shows(page, outcome);
    expect(await page.getByRole('cell', { name: '871731000000106' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'Back to your referrals' }).isVisible()).toBe(true);
    await page.close();
  });
});
