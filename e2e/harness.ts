import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { FastifyInstance } from 'fastify';
import { type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { buildApp, webDist } from '../src/app.ts';
import type { Database } from '../src/db/client.ts';
import { demoPassword, seedDemo } from '../src/db/seed/demo.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { type DatabaseKind, openTestDatabase, testDatabaseKinds } from '../test/db.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const SCREENSHOTS = path.resolve('e2e/screenshots');

/** The real app on a free port: the built web app, the demo seed, a fresh database of the kind asked for. */
export async function startLinkwork(kind: DatabaseKind = 'pglite'): Promise<{
  url: string;
  app: FastifyInstance;
  clock: ManualClock;
  close(): Promise<void>;
  database: Database;
}> {
  if (!existsSync(path.join(webDist, 'index.html'))) {
    throw new Error('The web app is not built: run `npm run build:web` (npm test does it for you).');
  }
  const database = await openTestDatabase(kind);
  const clock = new ManualClock(new Date());
  await seedDemo(database.db, clock.now());
  const app = await buildApp({ database, clock, logLevel: 'silent', publicUrl: 'http://127.0.0.1' });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    clock,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

/** Debian's Chromium, headless, with a fresh profile and no calls home. */
export async function launchBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'linkwork-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1200, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The pages are the same whichever database serves them: axe runs on the PGlite journeys, and the PostgreSQL
 * journeys check the same steps and data without it (axe costs seconds a page on a shared CI machine).
 */
let checkAccessibility = true;

/** WCAG 2.2 AA rules with axe; returns the violations in a readable form (expect it to equal []). */
export async function axeViolations(page: Page): Promise<string[]> {
  // See checkAccessibility: the PostgreSQL run of a journey shows the same pages, checked on its PGlite run.
  if (!checkAccessibility) return [];
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

// Journeys on PostgreSQL keep their screenshots apart from the PGlite ones (a file's suites run one after another).
let screenshotDir = SCREENSHOTS;

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Starts Linkwork and Chromium before a suite's journeys and stops both after them. */
export type JourneyContext = {
  linkwork: Awaited<ReturnType<typeof startLinkwork>>;
  browser: Awaited<ReturnType<typeof launchBrowser>>;
};

export function linkworkInBrowser(kind: DatabaseKind = 'pglite') {
  const ctx = {} as JourneyContext;
  beforeAll(async () => {
    screenshotDir = kind === 'pglite' ? SCREENSHOTS : path.join(SCREENSHOTS, kind);
    checkAccessibility = kind === 'pglite';
    ctx.linkwork = await startLinkwork(kind);
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.linkwork?.close();
  });
  return ctx;
}

/**
 * Browser journeys, once per test database: on PGlite always, and on the PostgreSQL server as well when
 * TEST_DATABASE_URL is set, as the database suites do.
 */
export function journeys(
  name: string,
  options: { timeout: number },
  suite: (ctx: JourneyContext) => void,
): void {
  for (const kind of testDatabaseKinds()) {
    describe(`${name} [${kind}]`, options, () => {
      suite(linkworkInBrowser(kind));
    });
  }
}

/** Checks the page a person has arrived at: its heading, no axe violations, and a screenshot to look at. */
export async function arrive(page: Page, heading: string | RegExp, name: string): Promise<void> {
  await expect
    .poll(() => page.getByRole('heading', { level: 1 }).first().textContent(), { timeout: 10_000 })
    .toMatch(heading);
  expect(await axeViolations(page), `axe on ${name}`).toEqual([]);
  await screenshot(page, name);
}

/** Signs in a demo user from the sign-in page. */
export async function signInAs(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(demoPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Someone with roles at several organisations picks the one they act for after signing in. */
export async function chooseOrganisation(page: Page, name: string): Promise<void> {
  await expect
    .poll(() => page.getByText('Which organisation are you working for?').isVisible(), { timeout: 10_000 })
    .toBe(true);
  await page.getByLabel(name).check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Chooses the one option of a select whose text matches, for options whose text grows once more is known
 * (e.g. "Amira Hassan" becomes "Amira Hassan — 14 people" when the caseloads load).
 */
export async function chooseOption(select: Locator, label: RegExp): Promise<void> {
  const option = select.locator('option').filter({ hasText: label });
  await expect.poll(() => option.count(), { timeout: 10_000 }).toBe(1);
  const value = await option.getAttribute('value');
  await select.selectOption({ value: value ?? '' });
}
