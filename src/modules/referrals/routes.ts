import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor, asSystem } from '../../platform/deps.ts';
import {
  duplicateDecisionBody,
  idempotencyHeaders,
  needsDomain,
  publicPcn,
  referral,
  referralInput,
  referralStatusView,
  selfReferralInput,
  selfReferralResult,
  triageBody,
  triageItem,
} from './contract.ts';
import { findPublicPcn, selfRefer } from './self-referral.ts';
import {
  createReferral,
  decideDuplicate,
  getReferral,
  listMyReferrals,
  listNeedsDomains,
  triageQueue,
  triageReferral,
} from './service.ts';

const idParams = z.strictObject({ id: z.uuid('This referral id is not valid') });

export const referralRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  app.get(
    '/public/pcns/:pcn',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['self-referral'],
        summary: 'The PCN a self-referral page belongs to',
        params: z.strictObject({ pcn: z.string().min(1).max(64) }),
        response: { 200: publicPcn },
      },
    },
    async (req) => {
      const pcn = await asSystem(deps, req, (tx) => findPublicPcn(tx, req.params.pcn));
      return { name: pcn.name, reference: pcn.reference };
    },
  );

  app.get(
    '/public/needs-domains',
    {
      config: { auth: 'public' },
      schema: { tags: ['self-referral'], response: { 200: z.object({ items: z.array(needsDomain) }) } },
    },
    async (req) => ({ items: await asSystem(deps, req, (tx) => listNeedsDomains(tx)) }),
  );

  app.post(
    '/public/pcns/:pcn/self-referrals',
    {
      config: { auth: 'public', csrf: false },
      // A self-referral is a short form: anything bigger is not one.
      bodyLimit: 16_384,
      schema: {
        tags: ['self-referral'],
        summary: 'Refer yourself to a PCN’s social prescribing service (no sign-in; rate-limited)',
        params: z.strictObject({ pcn: z.string().min(1).max(64) }),
        body: selfReferralInput,
        response: { 201: selfReferralResult },
      },
    },
    async (req, reply) => {
      const result = await asSystem(deps, req, (tx, ctx) => selfRefer(tx, ctx, req.params.pcn, req.body));
      return reply.status(201).send({ reference: result.reference, pcnName: result.pcnName });
    },
  );

  app.get(
    '/needs-domains',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Reasons for referral',
        response: { 200: z.object({ items: z.array(needsDomain) }) },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx) => listNeedsDomains(tx)) }),
  );

  app.post(
    '/referrals',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Refer a person to the link worker service (Idempotency-Key makes retries safe)',
        headers: idempotencyHeaders,
        body: referralInput,
        response: { 200: referral, 201: referral },
      },
    },
    async (req, reply) => {
      const result = await asActor(deps, req, (tx, actor) =>
        createReferral(tx, actor, req.body, req.headers['idempotency-key']),
      );
      if (result.replayed) reply.header('idempotent-replayed', 'true');
      return reply.status(result.replayed ? 200 : 201).send(result.referral);
    },
  );

  app.get(
    '/referrals/mine',
    {
      schema: {
        tags: ['referrals'],
        summary: 'The referrals you made, with their status',
        response: { 200: z.object({ items: z.array(referralStatusView) }) },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listMyReferrals(tx, actor)) }),
  );

  app.get(
    '/triage',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Referrals awaiting triage in your PCN',
        response: { 200: z.object({ items: z.array(triageItem) }) },
      },
    },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => triageQueue(tx, actor)) }),
  );

  app.get(
    '/referrals/:id',
    {
      schema: {
        tags: ['referrals'],
        summary: 'One referral (audited)',
        params: idParams,
        response: { 200: referral },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => getReferral(tx, actor, req.params.id)),
  );

  app.post(
    '/referrals/:id/duplicate-decision',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Confirm the referred person is someone already known, or someone else',
        params: idParams,
        body: duplicateDecisionBody,
        response: { 200: referral },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => decideDuplicate(tx, actor, req.params.id, req.body)),
  );

  app.post(
    '/referrals/:id/triage',
    {
      schema: {
        tags: ['referrals'],
        summary: 'Accept and allocate, decline with a reason, or signpost',
        params: idParams,
        body: triageBody,
        response: { 200: referral },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => triageReferral(tx, actor, req.params.id, req.body)),
  );
};
