import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../modules/audit/service.ts';
import { ensureDirectory } from '../../modules/directory/service.ts';
import { importDeprivation, importPostcodes } from '../../modules/geography/import.ts';
import { hashPassword } from '../../modules/identity/passwords.ts';
import { type Role, roleAssignments, users } from '../../modules/identity/schema.ts';
import type { ContextInput } from '../../modules/link-workers/contract.ts';
import { linkWorkerContexts } from '../../modules/link-workers/schema.ts';
import type { OrganisationType } from '../../modules/organisations/contract.ts';
import { organisations } from '../../modules/organisations/schema.ts';
import { people as peopleTable } from '../../modules/people/schema.ts';
import { referrals } from '../../modules/referrals/schema.ts';
import { newReference } from '../../modules/referrals/service.ts';
import type { SystemContext } from '../../platform/actor.ts';
import { newId } from '../../platform/ids.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { type Db, rowsOf } from '../client.ts';
import { seedDirectoryDemo } from './directory-demo.ts';
import { seedInsightDemo } from './insight-demo.ts';
import { seedOutcomesDemo } from './outcomes-demo.ts';
import { seedPathwayDemo } from './pathway-demo.ts';
import { seedResearchDemo } from './research-demo.ts';

/** The demo is fictional: made-up names and ODS-like codes in the Z/9 ranges no real organisation uses. */
export const demoPassword = 'walking-group-on-tuesdays';
const DEMO_ICB_ODS = 'QZZ';

type OrgKey =
  | 'icb'
  | 'riverside'
  | 'moorland'
  | 'rmc'
  | 'bridge'
  | 'millbrook'
  | 'village'
  | 'hilltop'
  | 'rca'
  | 'shed'
  | 'council';

const orgs: {
  key: OrgKey;
  type: OrganisationType;
  name: string;
  ods: string | null;
  parent: OrgKey | null;
}[] = [
  { key: 'icb', type: 'icb', name: 'NHS Riverside and Moorland ICB', ods: DEMO_ICB_ODS, parent: null },
  { key: 'riverside', type: 'pcn', name: 'Riverside Central PCN', ods: 'U99001', parent: 'icb' },
  { key: 'moorland', type: 'pcn', name: 'Moorland Rural PCN', ods: 'U99002', parent: 'icb' },
  { key: 'rmc', type: 'gp_practice', name: 'Riverside Medical Centre', ods: 'Z99011', parent: 'riverside' },
  { key: 'bridge', type: 'gp_practice', name: 'Bridge Street Surgery', ods: 'Z99012', parent: 'riverside' },
  {
    key: 'millbrook',
    type: 'gp_practice',
    name: 'Millbrook Health Centre',
    ods: 'Z99013',
    parent: 'riverside',
  },
  {
    key: 'village',
    type: 'gp_practice',
    name: 'Moorland Village Practice',
    ods: 'Z99021',
    parent: 'moorland',
  },
  { key: 'hilltop', type: 'gp_practice', name: 'Hilltop Surgery', ods: 'Z99022', parent: 'moorland' },
  { key: 'rca', type: 'vcse', name: 'Riverside Community Action', ods: null, parent: 'icb' },
  { key: 'shed', type: 'vcse', name: 'Moorland Men’s Shed', ods: null, parent: 'moorland' },
  {
    key: 'council',
    type: 'local_authority',
    name: 'Riverside and Moorland Council',
    ods: null,
    parent: 'icb',
  },
];

type UserKey =
  | 'admin'
  | 'pcnAdmin'
  | 'lead'
  | 'amira'
  | 'tom'
  | 'grace'
  | 'referrer'
  | 'vcse'
  | 'commissioner'
  | 'researcher'
  | 'coder'
  | 'directory';

const people: { key: UserKey; email: string; name: string; roles: [OrgKey, Role][]; what: string }[] = [
  {
    key: 'admin',
    email: 'admin@demo.linkwork.example',
    name: 'Priya Shah',
    roles: [['icb', 'admin']],
    what: 'administrator for the ICB',
  },
  {
    key: 'lead',
    email: 'lead@demo.linkwork.example',
    name: 'Helen Okafor',
    roles: [
      ['riverside', 'lead_link_worker'],
      ['moorland', 'lead_link_worker'],
    ],
    what: 'lead link worker for two PCNs (chooses which)',
  },
  {
    key: 'amira',
    email: 'amira.hassan@demo.linkwork.example',
    name: 'Amira Hassan',
    roles: [['riverside', 'link_worker']],
    what: 'link worker, Riverside Central PCN (VCSE-hosted)',
  },
  {
    key: 'tom',
    email: 'tom.bennett@demo.linkwork.example',
    name: 'Tom Bennett',
    roles: [['moorland', 'link_worker']],
    what: 'link worker, Moorland Rural PCN',
  },
  {
    key: 'grace',
    email: 'grace.lee@demo.linkwork.example',
    name: 'Grace Lee',
    roles: [['riverside', 'link_worker']],
    what: 'link worker, Riverside Central PCN',
  },
  {
    key: 'pcnAdmin',
    email: 'pcn.admin@demo.linkwork.example',
    name: 'Mark Ellis',
    roles: [['moorland', 'admin']],
    what: 'administrator for Moorland Rural PCN only',
  },
  {
    key: 'referrer',
    email: 'dr.jones@demo.linkwork.example',
    name: 'Dr Rhys Jones',
    roles: [['rmc', 'referrer']],
    what: 'GP referrer, Riverside Medical Centre',
  },
  {
    key: 'vcse',
    email: 'partner@demo.linkwork.example',
    name: 'Sally Green',
    roles: [['rca', 'vcse_partner']],
    what: 'VCSE partner, Riverside Community Action',
  },
  {
    key: 'commissioner',
    email: 'commissioner@demo.linkwork.example',
    name: 'David Brown',
    roles: [['icb', 'commissioner']],
    what: 'commissioner for the ICB',
  },
  {
    key: 'researcher',
    email: 'researcher@demo.linkwork.example',
    name: 'Dr Nia Roberts',
    roles: [['icb', 'researcher']],
    what: 'researcher (realist evaluation): leads the demo study',
  },
  {
    key: 'coder',
    email: 'coder@demo.linkwork.example',
    name: 'Sam Turner',
    roles: [['icb', 'researcher']],
    what: 'researcher: a coder on the demo study',
  },
  {
    key: 'directory',
    email: 'directory@demo.linkwork.example',
    name: 'Joe Walker',
    roles: [['icb', 'directory_manager']],
    what: 'directory manager: keeps the ICB’s community services up to date',
  },
];

type SeedReferral = {
  pcn: OrgKey;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  sex: 'female' | 'male' | 'not_stated';
  ethnicCategory: 'A' | 'H' | 'N' | 'M' | 'C' | 'Z';
  postcode: string;
  phone: string;
  source: 'professional' | 'self';
  reasons: string[];
  context: string;
  urgency: 'routine' | 'urgent';
  daysAgo: number;
  allocatedTo?: UserKey;
};

const referralsToSeed: SeedReferral[] = [
  {
    pcn: 'riverside',
    givenName: 'Margaret',
    familyName: 'Okoro',
    dateOfBirth: '1948-05-02',
    sex: 'female',
    ethnicCategory: 'N',
    postcode: 'XX1 1AA',
    phone: '07700 900101',
    source: 'professional',
    reasons: ['loneliness', 'bereavement'],
    context: 'Widowed last spring; rarely leaves the flat since. Enjoyed singing at church years ago.',
    urgency: 'routine',
    daysAgo: 16,
  },
  {
    pcn: 'riverside',
    givenName: 'Dennis',
    familyName: 'Hargreaves',
    dateOfBirth: '1961-11-19',
    sex: 'male',
    ethnicCategory: 'A',
    postcode: 'XX1 2AA',
    phone: '07700 900102',
    source: 'professional',
    reasons: ['money_debt_benefits', 'housing'],
    context: 'Rent arrears after losing shifts; worried about an eviction letter.',
    urgency: 'urgent',
    daysAgo: 3,
  },
  {
    pcn: 'riverside',
    givenName: 'Priya',
    familyName: 'Nair',
    dateOfBirth: '1994-02-07',
    sex: 'female',
    ethnicCategory: 'H',
    postcode: 'XX1 1AB',
    phone: '07700 900103',
    source: 'self',
    reasons: ['mental_wellbeing', 'physical_activity'],
    context: 'Low mood since moving here for work; would like to meet people and get active.',
    urgency: 'routine',
    daysAgo: 9,
  },
  {
    pcn: 'riverside',
    givenName: 'Joseph',
    familyName: 'Mensah',
    dateOfBirth: '1957-08-30',
    sex: 'male',
    ethnicCategory: 'N',
    postcode: 'XX2 1AA',
    phone: '07700 900104',
    source: 'professional',
    reasons: ['long_term_condition', 'loneliness'],
    context: 'Type 2 diabetes, recently retired, spends most days alone.',
    urgency: 'routine',
    daysAgo: 12,
  },
  {
    pcn: 'riverside',
    givenName: 'Sophie',
    familyName: 'Clarke',
    dateOfBirth: '1988-04-14',
    sex: 'female',
    ethnicCategory: 'A',
    postcode: 'XX2 2AA',
    phone: '07700 900105',
    source: 'professional',
    reasons: ['caring', 'mental_wellbeing'],
    context: 'Caring for her mother with dementia; exhausted and isolated.',
    urgency: 'routine',
    daysAgo: 21,
    allocatedTo: 'amira',
  },
  {
    pcn: 'riverside',
    givenName: 'Tomasz',
    familyName: 'Nowak',
    dateOfBirth: '1979-12-01',
    sex: 'male',
    ethnicCategory: 'C',
    postcode: 'XX1 2AB',
    phone: '07700 900106',
    source: 'professional',
    reasons: ['employment_education_volunteering', 'digital_inclusion'],
    context: 'Wants help finding work; no computer at home.',
    urgency: 'routine',
    daysAgo: 18,
    allocatedTo: 'grace',
  },
  {
    pcn: 'moorland',
    givenName: 'Edith',
    familyName: 'Burrows',
    dateOfBirth: '1939-03-22',
    sex: 'female',
    ethnicCategory: 'A',
    postcode: 'XX3 1AA',
    phone: '07700 900107',
    source: 'professional',
    reasons: ['loneliness', 'food'],
    context: 'Lives alone on a farm lane; no bus since the route was cut.',
    urgency: 'routine',
    daysAgo: 7,
  },
  {
    pcn: 'moorland',
    givenName: 'Gareth',
    familyName: 'Pryce',
    dateOfBirth: '1970-06-05',
    sex: 'male',
    ethnicCategory: 'Z',
    postcode: 'XX3 2AA',
    phone: '07700 900108',
    source: 'self',
    reasons: ['mental_wellbeing', 'arts_culture_nature'],
    context: 'Would like something to do outdoors; finding winters hard.',
    urgency: 'routine',
    daysAgo: 2,
  },
];

export const demoSignIns = people.map((p) => ({ email: p.email, what: p.what }));

const contexts: {
  who: UserKey;
  pcn: OrgKey;
  employer: OrgKey;
  input: Omit<ContextInput, 'organisationId' | 'employerOrganisationId'>;
}[] = [
  {
    who: 'amira',
    pcn: 'riverside',
    employer: 'riverside',
    input: {
      effectiveFrom: '2025-04-01',
      employmentModel: 'pcn_employed',
      baseSettings: ['gp_practice'],
      contractedHoursPerWeek: 37.5,
      supervision: 'clinical_supervisor_gp',
      clinicalSystemAccess: 'yes',
      practiceMeetings: 'regular',
      deliveryMode: 'in_person',
      notes: 'Based at Riverside Medical Centre.',
    },
  },
  {
    who: 'amira',
    pcn: 'riverside',
    employer: 'rca',
    input: {
      effectiveFrom: '2026-01-05',
      employmentModel: 'vcse_hosted',
      baseSettings: ['vcse_premises', 'community'],
      contractedHoursPerWeek: 30,
      supervision: 'host_organisation_manager',
      clinicalSystemAccess: 'read_only',
      practiceMeetings: 'occasional',
      deliveryMode: 'hybrid',
      notes: 'Service moved to a VCSE host in January 2026.',
    },
  },
  {
    who: 'tom',
    pcn: 'moorland',
    employer: 'moorland',
    input: {
      effectiveFrom: '2024-09-02',
      employmentModel: 'pcn_employed',
      baseSettings: ['gp_practice', 'home'],
      contractedHoursPerWeek: 37.5,
      supervision: 'lead_link_worker',
      clinicalSystemAccess: 'yes',
      practiceMeetings: 'regular',
      deliveryMode: 'in_person',
    },
  },
  {
    who: 'grace',
    pcn: 'riverside',
    employer: 'council',
    input: {
      effectiveFrom: '2025-10-01',
      employmentModel: 'local_authority',
      baseSettings: ['council_office', 'community'],
      contractedHoursPerWeek: 22.5,
      supervision: 'peer_group',
      clinicalSystemAccess: 'no',
      practiceMeetings: 'never',
      deliveryMode: 'remote',
    },
  },
];

export async function isDatabaseEmpty(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(organisations);
  return Number(row?.n ?? 0) === 0;
}

export async function hasDemo(db: Db): Promise<boolean> {
  const [row] = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.odsCode, DEMO_ICB_ODS));
  return !!row;
}

/** Seeds the fictional demo ICB in one transaction; refuses to seed twice. */
/** The fictional sample postcodes and deprivation deciles the demo's addresses use, found beside the code. */
function sampleGeographyFiles(): { postcodes: string; imd: string } | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = path.join(dir, 'data', 'geography');
    if (existsSync(path.join(candidate, 'sample-onspd.csv'))) {
      return {
        postcodes: path.join(candidate, 'sample-onspd.csv'),
        imd: path.join(candidate, 'sample-imd.csv'),
      };
    }
    dir = path.dirname(dir);
  }
  return null;
}

/** Loads the sample geography when none is loaded, so the demo shows IMD deciles out of the box. */
async function loadSampleGeography(tx: Db): Promise<void> {
  const [{ n } = { n: 0 }] = rowsOf<{ n: number }>(
    await tx.execute(sql`select count(*)::int as n from postcodes`),
  );
  const files = sampleGeographyFiles();
  if (n > 0 || !files) return;
  await importPostcodes(tx, files.postcodes);
  await importDeprivation(tx, files.imd);
}

export async function seedDemo(db: Db, now: Date): Promise<void> {
  const ctx: SystemContext = { system: true, now, requestId: 'seed-demo' };
  const passwordHash = await hashPassword(demoPassword);
  await inTransaction(db, ctx, async (tx) => {
    if (await hasDemo(tx)) throw new Error('The demo organisation is already in this database.');
    await loadSampleGeography(tx);
    const orgIds = new Map<OrgKey, string>(orgs.map((o) => [o.key, newId()]));
    await tx.insert(organisations).values(
      orgs.map((o) => ({
        id: orgIds.get(o.key)!,
        type: o.type,
        name: o.name,
        odsCode: o.ods,
        parentId: o.parent ? orgIds.get(o.parent)! : null,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const userIds = new Map<UserKey, string>(people.map((p) => [p.key, newId()]));
    await tx.insert(users).values(
      people.map((p) => ({
        id: userIds.get(p.key)!,
        email: p.email,
        name: p.name,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await tx.insert(roleAssignments).values(
      people.flatMap((p) =>
        p.roles.map(([org, role]) => ({
          id: newId(),
          userId: userIds.get(p.key)!,
          organisationId: orgIds.get(org)!,
          role,
          createdAt: now,
        })),
      ),
    );
    await tx.insert(linkWorkerContexts).values(
      contexts.map((c) => ({
        id: newId(),
        organisationId: orgIds.get(c.pcn)!,
        linkWorkerId: userIds.get(c.who)!,
        employerOrganisationId: orgIds.get(c.employer)!,
        ...c.input,
        contractedHoursPerWeek: String(c.input.contractedHoursPerWeek),
        notes: c.input.notes ?? null,
        recordedBy: userIds.get('admin')!,
        recordedAt: now,
      })),
    );
    // A living triage queue: referrals from the practices and from people themselves, over the last three weeks.
    const demoPeople = referralsToSeed.map((p) => ({ ...p, personId: newId(), referralId: newId() }));
    await tx.insert(peopleTable).values(
      demoPeople.map((p) => ({
        id: p.personId,
        organisationId: orgIds.get(p.pcn)!,
        givenName: p.givenName,
        familyName: p.familyName,
        dateOfBirth: p.dateOfBirth,
        sex: p.sex,
        ethnicCategory: p.ethnicCategory,
        addressLines: [],
        postcode: p.postcode,
        lsoaCode: null,
        imdDecile: null,
        phone: p.phone,
        consentToShareWithServices: true,
        createdAt: now,
        updatedAt: now,
      })),
    );
    await tx.insert(referrals).values(
      demoPeople.map((p) => {
        const receivedAt = new Date(now.getTime() - p.daysAgo * 86_400_000);
        const referrer = p.source === 'self' ? null : userIds.get('referrer')!;
        return {
          id: p.referralId,
          organisationId: orgIds.get(p.pcn)!,
          personId: p.personId,
          source: p.source,
          referrerUserId: referrer,
          referringOrganisationId: referrer ? orgIds.get('rmc')! : null,
          reasons: p.reasons,
          context: p.context,
          urgency: p.urgency,
          consentToReferral: true,
          status: p.allocatedTo ? ('accepted' as const) : ('awaiting_triage' as const),
          allocatedLinkWorkerId: p.allocatedTo ? userIds.get(p.allocatedTo)! : null,
          triagedBy: p.allocatedTo ? userIds.get('lead')! : null,
          triagedAt: p.allocatedTo ? receivedAt : null,
          receivedAt,
          reference: newReference(),
          createdAt: receivedAt,
          updatedAt: receivedAt,
        };
      }),
    );
    // A living caseload on top: people at every stage of the pathway in both PCNs.
    await seedPathwayDemo(tx, now);
    // The ICB's community services directory, and the demo people's connections to its services.
    await ensureDirectory(tx, orgIds.get('icb')!, now);
    await seedDirectoryDemo(
      tx,
      orgIds.get('icb')!,
      now,
      { directoryManager: userIds.get('directory')!, amira: userIds.get('amira')!, tom: userIds.get('tom')! },
      { riverside: orgIds.get('riverside')!, moorland: orgIds.get('moorland')! },
    );
    // Outcome measures on the caseload: baselines, discharges and follow-ups, for the charts and the change table.
    await seedOutcomesDemo(tx, now);
    // History for the what-works explorer: episodes 14–20 months ago with their 9–12 month follow-ups.
    await seedInsightDemo(tx, now, {
      riverside: orgIds.get('riverside')!,
      moorland: orgIds.get('moorland')!,
      practices: {
        riverside: (['rmc', 'bridge', 'millbrook'] as const).map((k) => orgIds.get(k)!),
        moorland: (['village', 'hilltop'] as const).map((k) => orgIds.get(k)!),
      },
      rca: orgIds.get('rca')!,
      lead: userIds.get('lead')!,
      amira: userIds.get('amira')!,
      tom: userIds.get('tom')!,
      grace: userIds.get('grace')!,
    });
    // The demo researcher's realist evaluation: cases, participants, consent, interviews and WP2 follow-ups.
    await seedResearchDemo(tx, now, {
      icb: orgIds.get('icb')!,
      riverside: orgIds.get('riverside')!,
      moorland: orgIds.get('moorland')!,
      council: orgIds.get('council')!,
      researcher: userIds.get('researcher')!,
      coder: userIds.get('coder')!,
      lead: userIds.get('lead')!,
      amira: userIds.get('amira')!,
      tom: userIds.get('tom')!,
      grace: userIds.get('grace')!,
    });
    // People seeded before the geography lookup ran get their LSOA and IMD decile the same way intake derives them.
    await tx.execute(sql`
      update people p set lsoa_code = pc.lsoa_code, imd_decile = d.imd_decile
      from postcodes pc left join lsoa_deprivation d on d.lsoa_code = pc.lsoa_code
      where replace(upper(p.postcode), ' ', '') = pc.postcode and p.lsoa_code is null`);
    await recordAudit(tx, ctx, {
      action: 'demo.seeded',
      recordType: 'organisation',
      recordIds: [orgIds.get('icb')!],
      organisationId: orgIds.get('icb')!,
    });
  });
}
