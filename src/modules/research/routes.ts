import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  caseInput,
  collectionInput,
  collectionUpdate,
  consentInput,
  contactInput,
  idParams,
  memberInput,
  memberParams,
  participantInput,
  siteInput,
  studyInput,
  studyUpdate,
  withdrawalBody,
} from './contract.ts';
import {
  addCase,
  addParticipant,
  addSite,
  caseCandidates,
  createStudy,
  followUps,
  getParticipant,
  getStudy,
  listCollections,
  listParticipants,
  listStudies,
  recordConsent,
  removeMember,
  scheduleCollection,
  setMember,
  teamCandidates,
  updateCollection,
  updateContact,
  updateStudy,
  withdrawParticipant,
} from './service.ts';

const tags = ['research'];

/** The research workspace: studies, team, sites, cases, participants, consent, interviews, WP2 follow-ups. */
export const researchRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/research/studies',
    { schema: { tags, summary: 'The studies you are on the team of' } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listStudies(tx, actor)),
    }),
  );
  app.post(
    '/research/studies',
    { schema: { tags, summary: 'Start a study (you become its lead)', body: studyInput } },
    async (req, reply) =>
      reply.status(201).send(await asActor(deps, req, (tx, actor) => createStudy(tx, actor, req.body))),
  );
  app.get(
    '/research/studies/:id',
    { schema: { tags, summary: 'A study with its team, sites and cases', params: idParams } },
    async (req) => asActor(deps, req, (tx, actor) => getStudy(tx, actor, req.params.id)),
  );
  app.put(
    '/research/studies/:id',
    { schema: { tags, summary: 'Change a study’s details (leads)', params: idParams, body: studyUpdate } },
    async (req) => asActor(deps, req, (tx, actor) => updateStudy(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/research/studies/:id/team-candidates',
    { schema: { tags, summary: 'Researchers who can join the team (leads)', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => teamCandidates(tx, actor, req.params.id)),
    }),
  );
  app.put(
    '/research/studies/:id/members',
    {
      schema: {
        tags,
        summary: 'Add someone to the team or change their role (leads)',
        params: idParams,
        body: memberInput,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => setMember(tx, actor, req.params.id, req.body)),
  );
  app.delete(
    '/research/studies/:id/members/:userId',
    { schema: { tags, summary: 'Take someone off the team (leads)', params: memberParams } },
    async (req) =>
      asActor(deps, req, (tx, actor) => removeMember(tx, actor, req.params.id, req.params.userId)),
  );
  app.post(
    '/research/studies/:id/sites',
    { schema: { tags, summary: 'Add a site', params: idParams, body: siteInput } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => addSite(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/studies/:id/case-candidates',
    { schema: { tags, summary: 'Link workers who can be a case', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => caseCandidates(tx, actor, req.params.id)),
    }),
  );
  app.post(
    '/research/studies/:id/cases',
    {
      schema: {
        tags,
        summary: 'Add a case: a link worker at a site (3 months by default)',
        params: idParams,
        body: caseInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => addCase(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/studies/:id/participants',
    { schema: { tags, summary: 'Participants by study ID, with their latest consent', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listParticipants(tx, actor, req.params.id)),
    }),
  );
  app.post(
    '/research/studies/:id/participants',
    {
      schema: {
        tags,
        summary: 'Add a participant; they get a study ID',
        params: idParams,
        body: participantInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => addParticipant(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/participants/:id',
    { schema: { tags, summary: 'A participant; who they are for leads only', params: idParams } },
    async (req) => asActor(deps, req, (tx, actor) => getParticipant(tx, actor, req.params.id)),
  );
  app.post(
    '/research/participants/:id/consents',
    {
      schema: {
        tags,
        summary: 'Record consent as given on a form version',
        params: idParams,
        body: consentInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => recordConsent(tx, actor, req.params.id, req.body))),
  );
  app.put(
    '/research/participants/:id/contact',
    {
      schema: {
        tags,
        summary: 'Who the participant is and how to reach them (leads)',
        params: idParams,
        body: contactInput,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => updateContact(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/research/participants/:id/withdrawal',
    {
      schema: {
        tags,
        summary: 'Record a withdrawal and what happens to their data (leads)',
        params: idParams,
        body: withdrawalBody,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => withdrawParticipant(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/research/studies/:id/collections',
    { schema: { tags, summary: 'Interviews and observations, planned and held', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listCollections(tx, actor, req.params.id)),
    }),
  );
  app.post(
    '/research/studies/:id/collections',
    {
      schema: { tags, summary: 'Plan an interview or observation', params: idParams, body: collectionInput },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) => scheduleCollection(tx, actor, req.params.id, req.body)),
        ),
  );
  app.patch(
    '/research/collections/:id',
    {
      schema: {
        tags,
        summary: 'Mark an interview done, cancelled or not attended',
        params: idParams,
        body: collectionUpdate,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => updateCollection(tx, actor, req.params.id, req.body)),
  );
  app.get(
    '/research/studies/:id/follow-ups',
    {
      schema: {
        tags,
        summary: 'WP2 follow-ups: 9–12 months after each patient’s first interview',
        params: idParams,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => followUps(tx, actor, req.params.id)),
  );
};
