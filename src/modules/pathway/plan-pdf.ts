import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { recordAudit } from '../audit/service.ts';
import { users } from '../identity/schema.ts';
import { organisations } from '../organisations/schema.ts';
import { people } from '../people/schema.ts';
import { needsDomains } from '../referrals/schema.ts';
import { episodeFor } from './access.ts';
import type { Plan } from './contract.ts';
import { planOf } from './episode.ts';
import { whatMattersConversations } from './schema.ts';

// The PDF's built-in fonts cover Western European text (Windows-1252); anything else prints as "?" rather than
// as wrong letters. The print view in the browser shows every script.
const CP1252_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const printable = (text: string) =>
  [...text.normalize('NFC')]
    .map((ch) => (ch === '\n' || (ch >= ' ' && ch <= '\u00ff') || CP1252_EXTRAS.has(ch) ? ch : '?'))
    .join('');

const longDate = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });

export interface PlanDocument {
  personName: string;
  pcnName: string;
  linkWorkerName: string | null;
  ownWords: string | null;
  needLabels: Map<string, string>;
  plan: Plan;
}

/** Renders the plan as an A4 PDF the person can take away: large type, plain words, their goals first. */
export async function renderPlanPdf(doc: PlanDocument): Promise<Buffer> {
  // Loaded when a PDF is first asked for: pdfkit and its font tables cost ~20 MB that most processes never need.
  const { default: PDFDocument } = await import('pdfkit');
  const pdf = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: `Support plan for ${printable(doc.personName)}`, Author: printable(doc.pcnName) },
  });
  const chunks: Buffer[] = [];
  pdf.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  const heading = (text: string, size = 16) => {
    pdf.moveDown(0.8).font('Helvetica-Bold').fontSize(size).fillColor('#005eb8').text(printable(text));
    pdf.moveDown(0.3).font('Helvetica').fontSize(12).fillColor('#212b32');
  };
  const para = (text: string) =>
    pdf.font('Helvetica').fontSize(12).fillColor('#212b32').text(printable(text));

  pdf.font('Helvetica-Bold').fontSize(22).fillColor('#212b32').text(printable(`My support plan`));
  pdf.moveDown(0.3).font('Helvetica').fontSize(13).text(printable(doc.personName));
  para(
    `Agreed on ${longDate(doc.plan.agreedOn)} with ${doc.linkWorkerName ?? 'your link worker'}, ${doc.pcnName}`,
  );
  if (doc.ownWords) {
    heading('What matters to me');
    para(doc.ownWords);
  }
  if (doc.plan.summary) {
    heading('Summary');
    para(doc.plan.summary);
  }
  const goalsToShow = doc.plan.goals.filter((g) => g.status !== 'stopped');
  goalsToShow.forEach((goal, i) => {
    heading(`Goal ${i + 1}: ${goal.description}`, 14);
    if (goal.needsDomain) para(`About: ${doc.needLabels.get(goal.needsDomain) ?? goal.needsDomain}`);
    if (goal.status === 'achieved') para('Achieved');
    if (goal.actions.length) {
      pdf.moveDown(0.3).font('Helvetica-Bold').text('What we will do');
      pdf.font('Helvetica');
      for (const a of goal.actions) {
        para(`${a.done ? '[done] ' : ''}${a.who}: ${a.what}${a.byWhen ? ` (by ${longDate(a.byWhen)})` : ''}`);
      }
    }
    if (goal.services) {
      pdf.moveDown(0.3).font('Helvetica-Bold').text('Groups and services to try');
      para(goal.services);
    }
    if (goal.reviewOn) para(`We will look at this again on ${longDate(goal.reviewOn)}.`);
    const last = goal.progress.at(-1);
    if (last) para(`Progress so far: ${last.rating} out of 10 (${longDate(last.recordedOn)}).`);
  });
  heading('If you need help');
  para(
    `Contact your link worker through ${doc.pcnName} or your GP practice. If you need help urgently, call NHS 111. In an emergency, call 999.`,
  );
  pdf.end();
  return done;
}

/** The plan as a PDF for the person to take away; producing it is audited like any read of their record. */
export async function planPdf(
  tx: Db,
  actor: Actor,
  referralId: string,
): Promise<{ pdf: Buffer; filename: string }> {
  const r = await episodeFor(tx, actor, referralId);
  const plan = await planOf(tx, referralId);
  if (!plan) throw new NotFoundError('This episode has no support plan yet.');
  const [person] = await tx.select().from(people).where(eq(people.id, r.personId));
  const [pcn] = await tx
    .select({ name: organisations.name })
    .from(organisations)
    .where(eq(organisations.id, r.organisationId));
  const [lw] = r.allocatedLinkWorkerId
    ? await tx.select({ name: users.name }).from(users).where(eq(users.id, r.allocatedLinkWorkerId))
    : [];
  const [conversation] = await tx
    .select({ ownWords: whatMattersConversations.ownWords })
    .from(whatMattersConversations)
    .where(eq(whatMattersConversations.referralId, referralId))
    .orderBy(desc(whatMattersConversations.version))
    .limit(1);
  const labels = await tx.select({ code: needsDomains.code, label: needsDomains.label }).from(needsDomains);
  const pdf = await renderPlanPdf({
    personName: person ? `${person.givenName} ${person.familyName}` : '',
    pcnName: pcn?.name ?? '',
    linkWorkerName: lw?.name ?? null,
    ownWords: conversation?.ownWords ?? null,
    needLabels: new Map(labels.map((l) => [l.code, l.label])),
    plan,
  });
  await recordAudit(tx, actor, {
    action: 'support_plan.pdf_downloaded',
    recordType: 'referral',
    recordIds: [referralId, r.personId],
    detail: { version: plan.version },
  });
  return { pdf, filename: `support-plan-${r.reference ?? r.id}.pdf` };
}
