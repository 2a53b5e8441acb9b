import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertRole } from '../../platform/actor.ts';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { settingsOf } from './access.ts';
import { caseloadOf, caseloadSummary, waitingListOf } from './caseload.ts';
import {
  appointment,
  appointmentBody,
  appointmentUpdateBody,
  caseload,
  caseloadQuery,
  caseloadSummary as caseloadSummarySchema,
  contactBody,
  dischargeBody,
  episode,
  flag,
  flagBody,
  handOverBody,
  messageBack,
  personRecord,
  plan,
  planBody,
  progressBody,
  reallocateBody,
  resolveFlagBody,
  settings,
  settingsBody,
  timelineItem,
  waitingList,
  whatMattersBody,
} from './contract.ts';
import {
  getEpisode,
  messageBackFor,
  messageBackText,
  personTimeline,
  personRecord as readPerson,
} from './episode.ts';
import { planPdf } from './plan-pdf.ts';
import {
  dischargeEpisode,
  handOver,
  raiseFlag,
  reallocate,
  recordContact,
  recordProgress,
  recordWhatMatters,
  resolveFlag,
  savePlan,
  scheduleAppointment,
  updateAppointment,
  updateSettings,
} from './work.ts';

const referralParams = z.strictObject({ id: z.uuid('This referral id is not valid') });
const idParams = (what: string) => z.strictObject({ id: z.uuid(`This ${what} id is not valid`) });
const tags = ['pathway'];

export const pathwayRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/pathway-settings',
    {
      schema: {
        tags,
        summary: 'The PCN’s first-contact target and unable-to-contact rule',
        response: { 200: settings },
      },
    },
    async (req) =>
      asActor(deps, req, (tx, actor) => {
        assertRole(actor, 'link_worker', 'lead_link_worker');
        return settingsOf(tx, actor.actingOrganisationId!);
      }),
  );
  app.put(
    '/pathway-settings',
    { schema: { tags, body: settingsBody, response: { 200: settings } } },
    async (req) => asActor(deps, req, (tx, actor) => updateSettings(tx, actor, req.body)),
  );

  app.get(
    '/caseload',
    {
      schema: {
        tags,
        summary: 'A link worker’s open episodes with last contact, next appointment, reviews due and flags',
        querystring: caseloadQuery,
        response: { 200: caseload },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => caseloadOf(tx, actor, req.query)),
  );
  app.get(
    '/waiting-list',
    {
      schema: {
        tags,
        summary:
          'Everyone in the PCN not yet reached for a first contact, against the target in working days',
        response: { 200: waitingList },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => waitingListOf(tx, actor)),
  );
  app.get(
    '/caseloads',
    {
      schema: {
        tags,
        summary: 'Caseload sizes per link worker in the PCN',
        response: { 200: caseloadSummarySchema },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => caseloadSummary(tx, actor)),
  );

  app.get(
    '/referrals/:id/episode',
    { schema: { tags, params: referralParams, response: { 200: episode } } },
    async (req) => asActor(deps, req, (tx, actor) => getEpisode(tx, actor, req.params.id)),
  );
  app.post(
    '/referrals/:id/contacts',
    {
      schema: {
        tags,
        summary: 'Log a contact, or an attempt that did not reach the person',
        params: referralParams,
        body: contactBody,
        response: {
          201: z.object({ contactId: z.string(), failedAttempts: z.number(), unableToContact: z.boolean() }),
        },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => recordContact(tx, actor, req.params.id, req.body))),
  );
  app.post(
    '/referrals/:id/appointments',
    { schema: { tags, params: referralParams, body: appointmentBody, response: { 201: appointment } } },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) => scheduleAppointment(tx, actor, req.params.id, req.body)),
        ),
  );
  app.patch(
    '/appointments/:id',
    {
      schema: {
        tags,
        params: idParams('appointment'),
        body: appointmentUpdateBody,
        response: { 200: appointment },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => updateAppointment(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/referrals/:id/what-matters',
    {
      schema: {
        tags,
        summary: 'Record the "what matters to me" conversation (a new version each time it is revisited)',
        params: referralParams,
        body: whatMattersBody,
        response: { 201: z.object({ id: z.string(), version: z.number() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => recordWhatMatters(tx, actor, req.params.id, req.body))),
  );
  app.put(
    '/referrals/:id/plan',
    {
      schema: {
        tags,
        summary: 'Create or edit the support plan',
        params: referralParams,
        body: planBody,
        response: { 200: plan },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => savePlan(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/referrals/:id/plan.pdf',
    {
      schema: { tags, summary: 'The support plan as a PDF the person can take away', params: referralParams },
    },
    async (req, reply) => {
      const { pdf, filename } = await asActor(deps, req, (tx, actor) => planPdf(tx, actor, req.params.id));
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(pdf);
    },
  );
  app.post(
    '/goals/:id/progress',
    {
      schema: {
        tags,
        params: idParams('goal'),
        body: progressBody,
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => recordProgress(tx, actor, req.params.id, req.body))),
  );
  app.post(
    '/referrals/:id/discharge',
    {
      schema: {
        tags,
        summary: 'Discharge with a reason and the message back to the referrer and GP',
        params: referralParams,
        body: dischargeBody,
        response: { 200: messageBack },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => dischargeEpisode(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/referrals/:id/message-back',
    { schema: { tags, params: referralParams, response: { 200: messageBack } } },
    async (req) => asActor(deps, req, (tx, actor) => messageBackFor(tx, actor, req.params.id)),
  );
  app.get(
    '/referrals/:id/message-back.txt',
    { schema: { tags, summary: 'The message back as plain text (UTF-8, CRLF)', params: referralParams } },
    async (req, reply) => {
      const message = await asActor(deps, req, (tx, actor) => messageBackFor(tx, actor, req.params.id));
      return reply
        .type('text/plain; charset=utf-8')
        .header(
          'content-disposition',
          `attachment; filename="message-back-${message.reference ?? message.referralId}.txt"`,
        )
        .header('cache-control', 'no-store')
        .send(messageBackText(message));
    },
  );
  app.post(
    '/referrals/:id/reallocate',
    {
      schema: {
        tags,
        params: referralParams,
        body: reallocateBody,
        response: {
          200: z.object({ referralId: z.string(), linkWorkerId: z.string(), version: z.number() }),
        },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => reallocate(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/link-workers/:id/hand-over',
    {
      schema: {
        tags,
        summary: 'Hand a link worker’s whole open caseload to another link worker',
        params: idParams('link worker'),
        body: handOverBody,
        response: { 200: z.object({ moved: z.number() }) },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => handOver(tx, actor, req.params.id, req.body)),
  );

  app.get(
    '/people/:id',
    { schema: { tags, params: idParams('person'), response: { 200: personRecord } } },
    async (req) => asActor(deps, req, (tx, actor) => readPerson(tx, actor, req.params.id)),
  );
  app.get(
    '/people/:id/timeline',
    {
      schema: {
        tags,
        params: idParams('person'),
        response: { 200: z.object({ items: z.array(timelineItem) }) },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => personTimeline(tx, actor, req.params.id)),
  );
  app.post(
    '/people/:id/flags',
    { schema: { tags, params: idParams('person'), body: flagBody, response: { 201: flag } } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => raiseFlag(tx, actor, req.params.id, req.body))),
  );
  app.post(
    '/flags/:id/resolve',
    { schema: { tags, params: idParams('flag'), body: resolveFlagBody, response: { 200: flag } } },
    async (req) => asActor(deps, req, (tx, actor) => resolveFlag(tx, actor, req.params.id, req.body)),
  );
};
