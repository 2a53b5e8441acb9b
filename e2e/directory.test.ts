import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { ensureAllDirectories } from '../src/modules/directory/service.ts';
import { organisations } from '../src/modules/organisations/schema.ts';
import { newId } from '../src/platform/ids.ts';
import { inTransaction } from '../src/platform/transaction.ts';
import { importServices, termId } from '../test/directory.ts';
import { arrive, axeViolations, journeys, screenshot, signInAs } from './harness.ts';

/** Olive Thompson, on Amira's caseload in the demo: lonely and short of money, living at XX1 1AA. */
const person = { name: 'Olive Thompson', postcode: 'XX1 1AA' };
const episodeHeading = new RegExp(`^Episode – ${person.name}$`);
const goal = "Go to the lunch club at St Anne's on Thursdays";

/** Places in the demo's fictional geography (data/geography/sample-onspd.csv). */
const places = {
  riverside: { postcode: 'XX1 1AB', latitude: 53.797, longitude: -1.549 },
  wharf: { postcode: 'XX1 2AA', latitude: 53.8012, longitude: -1.5391 },
  moorland: { postcode: 'XX3 1AA', latitude: 54.0102, longitude: -1.9503 }, // about 30 km away
} as const;

const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

/** A valid ORUK 3.0 service in the demo area. */
function demoService(spec: {
  name: string;
  terms: string[];
  place: keyof typeof places;
  byday: string;
  opens: string;
  closes: string;
  verifiedDaysAgo: number;
}): Record<string, unknown> {
  const place = places[spec.place];
  const organisation = { id: newId(), name: 'Riverside Community Action', description: '' };
  const locationId = newId();
  return {
    id: newId(),
    name: spec.name,
    description: `${spec.name}: friendly, local and open to all.`,
    status: 'active',
    assured_date: daysAgo(spec.verifiedDaysAgo),
    organization: organisation,
    organization_id: organisation.id,
    schedules: [
      {
        id: newId(),
        freq: 'WEEKLY',
        byday: spec.byday,
        opens_at: spec.opens,
        closes_at: spec.closes,
        attending_type: 'In person',
      },
    ],
    cost_options: [{ id: newId(), option: 'Free', amount: 0 }],
    phones: [{ id: newId(), number: '01632 960 001' }],
    attributes: spec.terms.map((code) => ({ id: newId(), taxonomy_term_id: termId(code) })),
    service_at_locations: [
      {
        id: newId(),
        location_id: locationId,
        location: {
          id: locationId,
          location_type: 'physical',
          name: `${spec.name} venue`,
          latitude: place.latitude,
          longitude: place.longitude,
          addresses: [
            {
              id: newId(),
              address_1: '1 Dock Road',
              city: 'Riverside',
              state_province: '',
              postal_code: place.postcode,
              country: 'GB',
              address_type: 'physical',
            },
          ],
        },
      },
    ],
  };
}

/** Waits until the page shows the text, e.g. a banner saying what was just saved. */
async function shows(page: Page, text: string | RegExp): Promise<void> {
  await expect
    .poll(() => page.getByText(text).first().isVisible(), { timeout: 10_000, message: String(text) })
    .toBe(true);
}

journeys('community services directory in Chromium', { timeout: 240_000 }, (ctx) => {
  const timeNow = () => ctx.linkwork.clock.set(new Date());

  beforeAll(async () => {
    // The server installs each ICB's taxonomy at start-up; the test app is built without that step. Services of
    // the journey's own sit beside the demo's, so what it looks for is there whatever the demo holds.
    const { db } = ctx.linkwork.database;
    await inTransaction(db, { system: true, now: new Date() }, (tx) => ensureAllDirectories(tx, new Date()));
    const [icb] = await inTransaction(db, { system: true, now: new Date() }, (tx) =>
      tx.select({ id: organisations.id }).from(organisations).where(eq(organisations.type, 'icb')),
    );
    const report = await importServices(
      db,
      icb!.id,
      [
        demoService({
          name: 'Riverside Lunch Club',
          terms: ['lunch-clubs'],
          place: 'riverside',
          byday: 'TH',
          opens: '12:00',
          closes: '14:00',
          verifiedDaysAgo: 10,
        }),
        demoService({
          name: 'Wharf Street Money Advice',
          terms: ['benefits-advice', 'debt-advice'],
          place: 'wharf',
          byday: 'MO,WE',
          opens: '09:00',
          closes: '17:00',
          verifiedDaysAgo: 400,
        }),
        demoService({
          name: 'Moorland Walking Group',
          terms: ['walking'],
          place: 'moorland',
          byday: 'TU',
          opens: '10:00',
          closes: '11:30',
          verifiedDaysAgo: 5,
        }),
      ],
      'e2e-directory',
    );
    expect(report.rejections).toEqual([]);
  });

  it('the directory manager adds a service to the directory, confirms its details and finds it', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    timeNow();
    await signInAs(page, url, 'directory@demo.linkwork.example');
    await arrive(page, /What you can do|Home/, 'directory-01-directory-manager-home');

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Directory' }).click();
    await arrive(page, 'Find services', 'directory-03-manager-find-services');
    await page.getByRole('link', { name: 'Add a service' }).click();
    await arrive(page, 'Add a service', 'directory-04-service-new');

    // Times without days: the form says what is missing before sending anything.
    await page.getByLabel('Opens at (optional)').fill('10:00');
    await page.getByRole('button', { name: 'Add service' }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('.nhsuk-error-summary li').allTextContents()).toEqual([
      'Enter the name of the service',
      'Choose the days it runs',
    ]);
    expect(await axeViolations(page), 'axe on the service form with errors').toEqual([]);
    await screenshot(page, 'directory-05-service-new-errors');

    await page.getByLabel('Name', { exact: true }).fill('Riverside Knit and Natter');
    await page
      .getByLabel('Description (optional)')
      .fill('Bring your knitting, or learn: tea, biscuits and good company at the library.');
    await page.getByLabel('Organisation that runs it (optional)').fill('Riverside Library Friends');
    await page.getByLabel('Phone number (optional)').fill('01632 960 002');
    await page.getByLabel('Name of the place (optional)').fill('Riverside Library');
    await page.getByLabel('Address line 1').fill('3 Mercer Street');
    await page.getByLabel('Town or city').fill('Riverside');
    await page.getByLabel('Postcode').fill('XX1 2AB');
    await page.getByLabel('Wednesday').check();
    await page.getByLabel('Closes at (optional)').fill('12:00');
    await page.getByLabel('It is free').check();
    await page.getByLabel('Languages spoken (optional)').fill('English, Polish');
    await page.locator('summary', { hasText: 'Social connection' }).click();
    await page.getByLabel('Social groups and clubs').check();
    await page.getByRole('button', { name: 'Add service' }).click();
    await arrive(page, /Riverside Knit and Natter$/, 'directory-06-service-added');
    await shows(page, 'Riverside Knit and Natter is added to the directory.');
    await shows(page, 'Wed 10:00–12:00');
    await shows(page, 'Never verified.');

    await page.getByRole('button', { name: 'These details are right' }).click();
    await shows(page, 'Thank you. The service is marked as verified today.');
    await shows(page, /^Verified today \(on /);
    await screenshot(page, 'directory-07-service-verified');

    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Directory' }).click();
    await arrive(page, 'Find services', 'directory-08-manager-find-services-again');
    await page.getByLabel('Search for a service').fill('knitting');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    // The count of the list before the search matches too: wait for the new service itself.
    await expect
      .poll(() => page.getByRole('link', { name: 'Riverside Knit and Natter' }).isVisible(), {
        timeout: 10_000,
      })
      .toBe(true);
    await shows(page, /^\d+ services?$/);
    await screenshot(page, 'directory-09-manager-search');
    await page.close();
  });

  it('a link worker finds a service for a person by their needs and postcode, connects them, and records what happened', async () => {
    const { url } = ctx.linkwork;
    await ctx.browser.context.clearCookies();
    const page = await ctx.browser.context.newPage();
    timeNow();
    await signInAs(page, url, 'amira.hassan@demo.linkwork.example');
    await arrive(page, /What you can do/, 'directory-10-link-worker-home');
    await page.getByRole('navigation', { name: 'Menu' }).getByRole('link', { name: 'Caseload' }).click();
    await arrive(page, 'Your caseload', 'directory-11-caseload');
    await page.getByRole('link', { name: person.name }).click();
    await arrive(page, episodeHeading, 'directory-12-episode');

    // Find services starts from her needs, near her home.
    await page.getByRole('link', { name: `Find a service for ${person.name}` }).click();
    await arrive(page, 'Find services', 'directory-13-find-services-for-person');
    await shows(page, `Showing services for ${person.name}’s needs near ${person.postcode}`);
    expect(new URL(page.url()).searchParams.get('need')).toBe('loneliness,money_debt_benefits');
    const lunchClub = page.locator('.app-result', { hasText: 'Riverside Lunch Club' });
    await expect.poll(() => lunchClub.isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await lunchClub.textContent()).toMatch(
      /lunch clubs and community cafés · \d\.\d km · free · Thu 12:00–14:00/,
    );
    const moneyAdvice = page.locator('.app-result', { hasText: 'Wharf Street Money Advice' });
    expect(await moneyAdvice.getByText('May be out of date').isVisible()).toBe(true);
    expect(await page.getByText('Moorland Walking Group').count()).toBe(0);

    // A postcode the directory does not know is said beside the field.
    await page.getByText(/^Filters/).click();
    await page.getByLabel('Near postcode').fill('XX9 9ZZ');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.locator('.nhsuk-error-summary').isVisible(), { timeout: 10_000 }).toBe(true);
    await shows(page, /We do not know the postcode XX9 9ZZ/);
    expect(await page.locator('#postcode-error').textContent()).toMatch(
      /We do not know the postcode XX9 9ZZ/,
    );
    expect(await axeViolations(page), 'axe on an unknown postcode').toEqual([]);
    await screenshot(page, 'directory-14-unknown-postcode');
    await page.goBack();
    await expect.poll(() => lunchClub.isVisible(), { timeout: 10_000 }).toBe(true);

    // The service's page, then connecting her to it as a referral, for her lunch club goal.
    await lunchClub.getByRole('link', { name: 'Riverside Lunch Club', exact: true }).click();
    await arrive(page, /Riverside Lunch Club$/, 'directory-15-service');
    await shows(page, /^Verified 1[01] days ago/);
    await page.getByRole('link', { name: `Connect ${person.name} to this service` }).click();
    await arrive(page, /Connect to Riverside Lunch Club$/, 'directory-16-connect');
    await page.getByLabel('Referred', { exact: true }).check();
    await page.getByRole('button', { name: 'Save connection' }).click();
    await shows(page, `Say whether ${person.name} agreed to their details being shared with the service`);
    expect(await axeViolations(page), 'axe on the connect form with errors').toEqual([]);
    await page.getByLabel('Yes', { exact: true }).check();
    await page.getByLabel('Which goal in their plan is it for? (optional)').selectOption({ label: goal });
    await page
      .getByLabel('Note (optional)')
      .fill('Spoke to Jean, who runs it: she will ring Olive this week.');
    timeNow();
    await page.getByRole('button', { name: 'Save connection' }).click();
    await arrive(page, episodeHeading, 'directory-17-episode-connected');
    await shows(page, `${person.name} connected to Riverside Lunch Club.`);
    const card = page.locator('.app-connection', { hasText: 'Riverside Lunch Club' });
    expect(await card.locator('.nhsuk-tag').first().textContent()).toBe('Waiting for a reply');
    expect(await card.getByText(goal).isVisible()).toBe(true);

    // The lunch club accepts her, and then she goes.
    for (const [status, index] of [
      ['Accepted', 18],
      ['Attended', 19],
    ] as const) {
      await card.locator('summary', { hasText: 'Update' }).click();
      await card.getByLabel('What happened?').selectOption({ label: status });
      timeNow();
      await card.getByRole('button', { name: 'Save update for Riverside Lunch Club' }).click();
      await shows(page, `Riverside Lunch Club: ${status.toLowerCase()}.`);
      await expect
        .poll(() => card.locator('.nhsuk-tag').first().textContent(), { timeout: 10_000 })
        .toBe(status);
      expect(await axeViolations(page), `axe after ${status}`).toEqual([]);
      await screenshot(page, `directory-${index}-episode-${status.toLowerCase()}`);
    }
    await card.getByText(/^History \(3\)/).click();
    expect(await card.locator('.app-connection__events li').count()).toBe(3);

    // Her record's timeline tells the story.
    await page.getByRole('heading', { level: 1 }).getByRole('link', { name: person.name }).click();
    await arrive(page, new RegExp(`${person.name}$`), 'directory-20-person-timeline');
    await shows(page, 'Connected to Riverside Lunch Club (referral)');
    await shows(page, 'Riverside Lunch Club accepted the referral');
    await shows(page, 'Attended Riverside Lunch Club');
    await page.close();
  });
});
