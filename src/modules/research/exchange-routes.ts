import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import { idParams } from './contract.ts';
import { exportStudyQdpxFile, importStudyQdpx } from './exchange.ts';

const tags = ['research'];
/**
 * A .qdpx file is a zip archive. The REFI-QDA standard registers no media type of its own, so it goes out as
 * application/zip (the .qdpx file name says what it is) and comes in as any of the types a client may give a zip.
 */
const QDPX_TYPE = 'application/zip';
const importTypes = ['application/octet-stream', 'application/zip', 'application/x-zip-compressed'];
export const MAX_QDPX_BYTES = 100 * 1024 * 1024;

export const importQdpxQuery = z.strictObject({
  positionsUnit: z
    .enum(['codePoint', 'utf16'], {
      error: 'Say what the file’s positions count: codePoint (Linkwork, QualCoder) or utf16',
    })
    .default('codePoint'),
  attributeUnknownTo: z
    .enum(['me'], { error: 'Give attributeUnknownTo=me, or leave it out to be told who is not on the team' })
    .optional(),
});

/** A study's REFI-QDA project (.qdpx): export and import. */
export const exchangeRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  // Imports are the file's bytes (this plugin only).
  app.addContentTypeParser(
    importTypes,
    { parseAs: 'buffer', bodyLimit: MAX_QDPX_BYTES },
    (_req, body, done) => done(null, body),
  );

  app.get(
    '/research/studies/:id/export.qdpx',
    {
      schema: {
        tags,
        summary:
          'The study as a REFI-QDA project (.qdpx): codebook, de-identified sources, every coder’s codings, memos, cases (leads)',
        params: idParams,
      },
    },
    async (req, reply) => {
      const file = await asActor(deps, req, (tx, actor) => exportStudyQdpxFile(tx, actor, req.params.id));
      return reply
        .type(QDPX_TYPE)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength));
    },
  );

  app.post(
    '/research/studies/:id/import.qdpx',
    {
      bodyLimit: MAX_QDPX_BYTES,
      schema: {
        tags,
        summary:
          'Import a REFI-QDA project (.qdpx, sent as the request body) into the study: all of it or nothing (leads)',
        params: idParams,
        querystring: importQdpxQuery,
      },
    },
    async (req) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new ValidationError(
          'Send the .qdpx file itself as the request body (Content-Type application/octet-stream or application/zip).',
          { field: 'file' },
        );
      }
      const bytes = new Uint8Array(req.body.buffer, req.body.byteOffset, req.body.byteLength);
      return asActor(deps, req, (tx, actor) => importStudyQdpx(tx, actor, req.params.id, bytes, req.query));
    },
  );
};
