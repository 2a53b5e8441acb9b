import { z } from 'zod';

export const auditQuery = z.strictObject({
  actorUserId: z.uuid('Actor must be a user id').optional(),
  action: z.string().max(100).optional(),
  recordType: z.string().max(100).optional(),
  recordId: z.uuid('Record id must be an id such as 0199…').optional(),
  from: z.iso.date('From must be a date such as 2026-11-01').optional(),
  to: z.iso.date('To must be a date such as 2026-11-30').optional(),
  cursor: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditEvent = z.object({
  id: z.string(),
  occurredAt: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  actingOrganisationId: z.string().nullable(),
  actingOrganisationName: z.string().nullable(),
  organisationId: z.string().nullable(),
  action: z.string(),
  recordType: z.string().nullable(),
  recordIds: z.array(z.string()),
  requestId: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
});
export type AuditEvent = z.infer<typeof auditEvent>;

export const auditPage = z.object({ items: z.array(auditEvent), nextCursor: z.string().nullable() });
