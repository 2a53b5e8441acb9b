import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import {
  exportCodebookCsv,
  exportCodebookQdc,
  importCodebookCsv,
  importCodebookQdc,
} from './codebook-exchange.ts';
import {
  addMemo,
  codeSpan,
  createCode,
  deidentifySource,
  getSource,
  listCodes,
  listMemos,
  listSources,
  mergeCode,
  removeCoding,
  updateCode,
  uploadSource,
} from './coding.ts';
import {
  codeInput,
  codeMerge,
  codeUpdate,
  codingInput,
  idParams,
  memoInput,
  memoTargets,
  redactionsBody,
  sourceUploadQuery,
} from './contract.ts';
import { MAX_SOURCE_BYTES } from './sources/normalise-source.ts';

const tags = ['research'];
/** What a source upload may be sent as: the file's own bytes, whatever its type. */
const uploadTypes = [
  'application/octet-stream',
  'text/plain',
  'text/vtt',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  // Codebooks: REFI-QDA .qdc (XML) and CSV.
  'text/csv',
  'application/xml',
  'text/xml',
];

/** Sources, codebook, codings and memos of a study. */
export const codingRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  // Uploads are the file's bytes (this plugin only): a transcript is read and normalised by the service.
  app.addContentTypeParser(
    uploadTypes,
    { parseAs: 'buffer', bodyLimit: MAX_SOURCE_BYTES + 1024 },
    (_req, body, done) => done(null, body),
  );

  app.post(
    '/research/studies/:id/sources',
    {
      bodyLimit: MAX_SOURCE_BYTES + 1024,
      schema: {
        tags,
        summary: 'Upload a transcript or document (.txt, .docx, Teams .vtt) as the request body',
        params: idParams,
        querystring: sourceUploadQuery,
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new ValidationError(
          'Send the file itself as the request body (Content-Type application/octet-stream, text/plain, text/vtt or the Word type).',
          { field: 'file' },
        );
      }
      const bytes = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
      const mediaType = req.headers['content-type']?.split(';')[0]?.trim();
      return reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) =>
            uploadSource(tx, actor, req.params.id, req.query, bytes, mediaType),
          ),
        );
    },
  );
  app.get(
    '/research/studies/:id/sources',
    { schema: { tags, summary: 'The study’s sources', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listSources(tx, actor, req.params.id)),
    }),
  );
  app.get(
    '/research/sources/:id',
    {
      schema: {
        tags,
        summary:
          'A source’s text, speaker turns and codings (your own while coding is blind); likely identifiers',
        params: idParams,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => getSource(tx, actor, req.params.id)),
  );
  app.post(
    '/research/sources/:id/redactions',
    {
      schema: {
        tags,
        summary: 'Accept redactions: the source becomes de-identified',
        params: idParams,
        body: redactionsBody,
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => deidentifySource(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/research/sources/:id/codings',
    { schema: { tags, summary: 'Apply codes to a span of the source', params: idParams, body: codingInput } },
    async (req, reply) =>
      reply.status(201).send({
        items: await asActor(deps, req, (tx, actor) => codeSpan(tx, actor, req.params.id, req.body)),
      }),
  );
  app.delete(
    '/research/codings/:id',
    { schema: { tags, summary: 'Remove a coding (your own; leads any)', params: idParams } },
    async (req, reply) => {
      await asActor(deps, req, (tx, actor) => removeCoding(tx, actor, req.params.id));
      return reply.status(204).send();
    },
  );
  app.get(
    '/research/studies/:id/codes',
    { schema: { tags, summary: 'The codebook', params: idParams } },
    async (req) => ({ items: await asActor(deps, req, (tx, actor) => listCodes(tx, actor, req.params.id)) }),
  );
  app.post(
    '/research/studies/:id/codes',
    { schema: { tags, summary: 'Add a code', params: idParams, body: codeInput } },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => createCode(tx, actor, req.params.id, req.body))),
  );
  app.put(
    '/research/codes/:id',
    { schema: { tags, summary: 'Rename, redefine or move a code', params: idParams, body: codeUpdate } },
    async (req) => asActor(deps, req, (tx, actor) => updateCode(tx, actor, req.params.id, req.body)),
  );
  app.post(
    '/research/codes/:id/merge',
    { schema: { tags, summary: 'Merge a code into another', params: idParams, body: codeMerge } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => mergeCode(tx, actor, req.params.id, req.body.intoId)),
    }),
  );
  app.get(
    '/research/studies/:id/codebook.qdc',
    { schema: { tags, summary: 'The codebook as REFI-QDA .qdc', params: idParams } },
    async (req, reply) => {
      const bytes = await asActor(deps, req, (tx, actor) => exportCodebookQdc(tx, actor, req.params.id));
      return reply
        .type('application/xml; charset=utf-8')
        .header('content-disposition', 'attachment; filename="codebook.qdc"')
        .send(Buffer.from(bytes));
    },
  );
  app.get(
    '/research/studies/:id/codebook.csv',
    { schema: { tags, summary: 'The codebook as CSV, a row per code with its path', params: idParams } },
    async (req, reply) => {
      const text = await asActor(deps, req, (tx, actor) => exportCodebookCsv(tx, actor, req.params.id));
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="codebook.csv"')
        .send(text);
    },
  );
  app.post(
    '/research/studies/:id/codebook',
    {
      schema: {
        tags,
        summary: 'Import codes from a .qdc or CSV file (the body): codes the study lacks are added, by path',
        params: idParams,
        querystring: z.strictObject({
          format: z.enum(['qdc', 'csv'], { error: 'Say whether the file is qdc or csv' }),
        }),
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new ValidationError('Send the codebook file itself as the request body', { field: 'file' });
      }
      const body = req.body;
      return asActor(deps, req, (tx, actor) =>
        req.query.format === 'qdc'
          ? importCodebookQdc(
              tx,
              actor,
              req.params.id,
              new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
            )
          : importCodebookCsv(tx, actor, req.params.id, body.toString('utf8')),
      );
    },
  );
  app.post(
    '/research/studies/:id/memos',
    {
      schema: {
        tags,
        summary: 'Write a memo on the study, a case, a source, a code or a coding',
        params: idParams,
        body: memoInput,
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(await asActor(deps, req, (tx, actor) => addMemo(tx, actor, req.params.id, req.body))),
  );
  app.get(
    '/research/studies/:id/memos',
    {
      schema: {
        tags,
        summary: 'Memos, for one thing or all',
        params: idParams,
        querystring: z.strictObject({
          targetType: z.enum(memoTargets, { error: 'Choose what the memos are about' }).optional(),
          targetId: z.uuid('This id is not valid').optional(),
        }),
      },
    },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listMemos(tx, actor, req.params.id, req.query)),
    }),
  );
};
