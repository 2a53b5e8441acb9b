import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AppDeps, asActor } from '../../platform/deps.ts';
import {
  devMessagePage,
  devMessageQuery,
  type MessageTransportName,
  messageListQuery,
  messagePage,
  outboxMessage,
} from './contract.ts';
import { listDevMessages, listMessages, retryMessage } from './service.ts';

const tags = ['messaging'];

export interface MessagingRouteOptions extends AppDeps {
  /** The configured transport, so the Messages page knows whether to show the development inbox (default dev). */
  messageTransport?: MessageTransportName;
}

export const messagingRoutes: FastifyPluginAsyncZod<MessagingRouteOptions> = async (app, deps) => {
  const transport = deps.messageTransport ?? 'dev';
  app.get(
    '/messages',
    {
      schema: {
        tags,
        summary: 'Messages sent or waiting to be sent (recipients masked), newest first',
        querystring: messageListQuery,
        response: { 200: messagePage },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listMessages(tx, actor, req.query, transport)),
  );
  app.get(
    '/messages/dev',
    {
      schema: {
        tags,
        summary: 'The development inbox: messages the development transport kept instead of sending, in full',
        querystring: devMessageQuery,
        response: { 200: devMessagePage },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => listDevMessages(tx, actor, req.query)),
  );
  app.post(
    '/messages/:id/retry',
    {
      schema: {
        tags,
        summary: 'Try a failed message again now',
        params: z.strictObject({ id: z.uuid('This message id is not valid') }),
        response: { 200: outboxMessage },
      },
    },
    async (req) => asActor(deps, req, (tx, actor) => retryMessage(tx, actor, req.params.id)),
  );
};
