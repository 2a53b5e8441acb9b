import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import { idParams, recordingMediaTypes, recordingUploadQuery } from './contract.ts';
import {
  deleteRecording,
  listRecordings,
  MAX_RECORDING_BYTES,
  recordingAudio,
  uploadRecording,
} from './recordings.ts';

const tags = ['research'];

/** Audio recordings of interviews: for a study's leads and transcribers only. */
export const recordingRoutes: FastifyPluginAsyncZod<AppDeps> = async (app, deps) => {
  // The audio's own bytes (this plugin only); other types are refused by the service with what it takes.
  app.addContentTypeParser(
    [...recordingMediaTypes, 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_RECORDING_BYTES },
    (_req, body, done) => done(null, body),
  );
  app.post(
    '/research/studies/:id/recordings',
    {
      bodyLimit: MAX_RECORDING_BYTES,
      schema: {
        tags,
        summary: 'Upload an interview’s audio (the body), where the participant agreed to recording',
        params: idParams,
        querystring: recordingUploadQuery,
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body)) {
        throw new ValidationError('Send the audio file itself as the request body', { field: 'file' });
      }
      const body = req.body;
      const mediaType = req.headers['content-type']?.split(';')[0]?.trim();
      return reply
        .status(201)
        .send(
          await asActor(deps, req, (tx, actor) =>
            uploadRecording(
              tx,
              actor,
              req.params.id,
              req.query,
              new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
              mediaType,
            ),
          ),
        );
    },
  );
  app.get(
    '/research/studies/:id/recordings',
    { schema: { tags, summary: 'The study’s recordings and when each is deleted', params: idParams } },
    async (req) => ({
      items: await asActor(deps, req, (tx, actor) => listRecordings(tx, actor, req.params.id)),
    }),
  );
  app.get(
    '/research/recordings/:id/audio',
    { schema: { tags, summary: 'Play a recording (audited)', params: idParams } },
    async (req, reply) => {
      const audio = await asActor(deps, req, (tx, actor) => recordingAudio(tx, actor, req.params.id));
      return reply
        .type(audio.mediaType)
        .header('cache-control', 'no-store')
        .header('content-disposition', 'inline')
        .send(Buffer.from(audio.bytes));
    },
  );
  app.delete(
    '/research/recordings/:id',
    { schema: { tags, summary: 'Delete a recording’s audio now (leads; audited)', params: idParams } },
    async (req, reply) => {
      await asActor(deps, req, (tx, actor) => deleteRecording(tx, actor, req.params.id));
      return reply.status(204).send();
    },
  );
};
