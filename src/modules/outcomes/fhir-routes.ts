import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  episodeMeasuresAsFhir,
  fhirImportBody,
  importQuestionnaireResponses,
  measureAsFhir,
} from './fhir-response.ts';

const tags = ['outcomes', 'fhir'];
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/** Completed measures as FHIR R4 QuestionnaireResponses, out and in. Registered under /api. */
export const fhirMeasureRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  // FHIR's own media type, read as JSON — for these routes only (this plugin is encapsulated).
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.get(
    '/measures/:id/fhir',
    {
      schema: {
        tags,
        summary: 'A measure as a FHIR R4 QuestionnaireResponse',
        params: z.strictObject({ id: z.uuid('This measure id is not valid') }),
      },
    },
    async (req, reply) => {
      const resource = await asActor(deps, req, (tx, actor) =>
        measureAsFhir(tx, actor, req.params.id, deps.publicUrl),
      );
      return reply.type(FHIR_JSON).send(JSON.stringify(resource));
    },
  );

  const referralParams = z.strictObject({ id: z.uuid('This referral id is not valid') });

  app.get(
    '/referrals/:id/measures/fhir',
    {
      schema: {
        tags,
        summary: 'An episode’s current measures as a FHIR R4 Bundle (collection) of QuestionnaireResponses',
        params: referralParams,
      },
    },
    async (req, reply) => {
      const bundle = await asActor(deps, req, (tx, actor) =>
        episodeMeasuresAsFhir(tx, actor, req.params.id, deps.publicUrl),
      );
      return reply.type(FHIR_JSON).send(JSON.stringify(bundle));
    },
  );

  app.post(
    '/referrals/:id/measures/fhir',
    {
      schema: {
        tags,
        summary:
          'Record measures from a FHIR R4 QuestionnaireResponse or a Bundle of them: all or none; the same ' +
          'response sent twice is one measure',
        params: referralParams,
        body: fhirImportBody,
      },
    },
    async (req, reply) => {
      const result = await asActor(deps, req, (tx, actor) =>
        importQuestionnaireResponses(tx, actor, req.params.id, req.body, deps.publicUrl),
      );
      return reply.status(result.created > 0 ? 201 : 200).send(result);
    },
  );
};
