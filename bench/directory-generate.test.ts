// vitest.config.ts includes src/, test/ and e2e/ only: run this with a config whose include is
// ['bench/**/*.test.ts'], e.g. `npx vitest run -c <that config> --root . bench/directory-generate.test.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reasonsOf, service } from '../src/modules/directory/oruk.ts';
import { SHIPPED_TAXONOMY, SHIPPED_TERMS } from '../src/modules/directory/taxonomy.ts';
import { type Written, writeServices } from './directory-generate.ts';

const N = 1000;
const asOf = new Date('2026-03-02T12:00:00Z');

interface Line {
  id: string;
  organization_id: string;
  organization: { id: string };
  schedules: { freq: string; byday: string }[];
  service_at_locations: {
    location_id: string;
    location: {
      id: string;
      location_type: string;
      latitude?: number;
      longitude?: number;
      addresses: { postal_code: string }[];
    };
    schedules: { freq: string; byday: string }[];
  }[];
  cost_options: { option?: string; amount?: number }[];
  attributes: { taxonomy_term_id: string; taxonomy_term: { id: string; taxonomy_id: string } }[];
  assured_date: string;
}

let dir: string;
let written: Written;
let text: string;
let lines: Line[];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'linkwork-directory-generate-'));
  written = await writeServices(path.join(dir, 'a.ndjson'), N, 7, { asOf });
  text = readFileSync(written.file, 'utf8');
  lines = text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeServices', () => {
  it('writes one ORUK 3.0 service a line, every one accepted by the import schema', () => {
    expect(lines).toHaveLength(N);
    const rejected = lines
      .map((l, i) => ({ i, result: service.safeParse(l) }))
      .filter((r) => !r.result.success)
      .map((r) => `line ${r.i + 1}: ${r.result.success ? '' : reasonsOf(r.result.error).join('; ')}`);
    expect(rejected).toEqual([]);
    expect(new Set(lines.map((l) => l.id)).size).toBe(N);
  });

  it('writes the same bytes for the same seed and day, and other ids for another seed', async () => {
    const again = await writeServices(path.join(dir, 'b.ndjson'), N, 7, { asOf });
    expect(readFileSync(again.file, 'utf8')).toBe(text);
    expect(readFileSync(again.postcodesFile, 'utf8')).toBe(readFileSync(written.postcodesFile, 'utf8'));
    const other = await writeServices(path.join(dir, 'c.ndjson'), 10, 8, { asOf });
    const otherIds = readFileSync(other.file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as Line).id);
    expect(otherIds.filter((id) => lines.some((l) => l.id === id))).toEqual([]);
  });

  it('shares about n/4 organisations and n/2 locations, each the same wherever it appears', () => {
    const orgs = new Map<string, string>();
    const places = new Map<string, string>();
    for (const l of lines) {
      const org = JSON.stringify(l.organization);
      expect(orgs.get(l.organization_id) ?? org).toBe(org);
      orgs.set(l.organization_id, org);
      for (const sal of l.service_at_locations) {
        const place = JSON.stringify(sal.location);
        expect(places.get(sal.location_id) ?? place).toBe(place);
        places.set(sal.location_id, place);
      }
    }
    expect(orgs.size).toBe(written.organisations);
    expect(places.size).toBe(written.locations);
    expect(written.organisations).toBeGreaterThanOrEqual(220);
    expect(written.organisations).toBeLessThanOrEqual(280);
    expect(written.locations).toBeGreaterThanOrEqual(380);
    expect(written.locations).toBeLessThanOrEqual(570);
  });

  it('has about 15 % of services online or by phone only, and about 60 % free', () => {
    const remote = lines.filter(
      (l) => !l.service_at_locations.some((s) => s.location.location_type === 'physical'),
    ).length;
    const free = lines.filter((l) =>
      l.cost_options.every((c) => c.option === 'Free' || c.amount === 0),
    ).length;
    expect(remote).toBe(written.remoteServices);
    expect(free).toBe(written.freeServices);
    expect(remote / N).toBeGreaterThan(0.11);
    expect(remote / N).toBeLessThan(0.19);
    expect(free / N).toBeGreaterThan(0.55);
    expect(free / N).toBeLessThan(0.67);
  });

  it('lists every physical location’s own postcode with its coordinates, inside England', () => {
    const csv = readFileSync(written.postcodesFile, 'utf8').trim().split('\n');
    expect(csv[0]).toBe('pcds,lat,long');
    const rows = new Map(
      csv.slice(1).map((r) => {
        const [code, lat, lon] = r.split(',');
        return [code!, { lat: Number(lat), lon: Number(lon) }];
      }),
    );
    expect(rows.size).toBe(csv.length - 1);
    expect(rows.size).toBe(written.postcodes);
    const seen = new Map<string, string>();
    for (const l of lines) {
      for (const { location } of l.service_at_locations) {
        if (location.location_type !== 'physical') continue;
        const code = location.addresses[0]!.postal_code;
        expect(code).toMatch(/^[A-Z]{1,2}\d{1,2} \d[ABD-HJLNP-UW-Z]{2}$/);
        expect(seen.get(code) ?? location.id).toBe(location.id);
        seen.set(code, location.id);
        expect(rows.get(code)).toEqual({ lat: location.latitude, lon: location.longitude });
        expect(location.latitude).toBeGreaterThan(49.8);
        expect(location.latitude).toBeLessThan(55.9);
        expect(location.longitude).toBeGreaterThan(-5.8);
        expect(location.longitude).toBeLessThan(1.9);
      }
    }
    expect(seen.size).toBe(written.postcodes);
  });

  it('tags each service with 1–3 shipped taxonomy terms and recurring schedules', () => {
    const shipped = new Set(SHIPPED_TERMS.map((t) => t.id));
    for (const l of lines) {
      expect(l.attributes.length).toBeGreaterThanOrEqual(1);
      expect(l.attributes.length).toBeLessThanOrEqual(3);
      for (const a of l.attributes) {
        expect(shipped.has(a.taxonomy_term_id)).toBe(true);
        expect(a.taxonomy_term.id).toBe(a.taxonomy_term_id);
        expect(a.taxonomy_term.taxonomy_id).toBe(SHIPPED_TAXONOMY.id);
      }
      const schedules = [...l.schedules, ...l.service_at_locations.flatMap((s) => s.schedules)];
      expect(schedules.length).toBeGreaterThanOrEqual(1);
    }
    const all = lines.flatMap((l) => [...l.schedules, ...l.service_at_locations.flatMap((s) => s.schedules)]);
    expect(all.some((s) => s.freq === 'MONTHLY' && /^(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)$/.test(s.byday))).toBe(
      true,
    );
    expect(
      all.every(
        (s) => s.freq === 'MONTHLY' || /^(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))*$/.test(s.byday),
      ),
    ).toBe(true);
  });

  it('spreads assured dates over the 18 months before the day it is given', () => {
    const dates = lines.map((l) => l.assured_date).sort();
    expect(dates.at(-1)! <= '2026-03-02').toBe(true);
    expect(dates[0]! >= '2024-09-01').toBe(true);
    expect(dates.filter((d) => d < '2025-03-02').length).toBeGreaterThan(N * 0.1);
  });
});
