import { z } from 'zod';

export const organisationTypes = ['icb', 'pcn', 'gp_practice', 'vcse', 'local_authority'] as const;
export const organisationType = z.enum(organisationTypes, { error: 'Choose the type of organisation' });
export type OrganisationType = z.infer<typeof organisationType>;

const odsCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/, 'Enter an ODS code of 3 to 10 letters and numbers, like B82005 or U12345');

export const createOrganisationBody = z.strictObject({
  type: organisationType,
  name: z
    .string({ error: 'Enter the organisation’s name' })
    .trim()
    .min(2, 'Enter the organisation’s name')
    .max(200),
  odsCode: odsCode.nullish(),
  parentId: z.uuid('Choose the organisation this one sits under'),
});

export const updateOrganisationBody = z.strictObject({
  version: z.number().int().min(1),
  name: z.string().trim().min(2, 'Enter the organisation’s name').max(200).optional(),
  odsCode: odsCode.nullish(),
  parentId: z.uuid('Choose the organisation this one sits under').optional(),
  requireMfaForAll: z.boolean().optional(),
});

export const organisation = z.object({
  id: z.string(),
  type: organisationType,
  name: z.string(),
  odsCode: z.string().nullable(),
  parentId: z.string().nullable(),
  requireMfaForAll: z.boolean(),
  /** True when the actor may manage it (an administrator acting for it or an organisation above it). */
  manageable: z.boolean(),
  version: z.number(),
});
export type Organisation = z.infer<typeof organisation>;
export const organisationList = z.object({ items: z.array(organisation) });
export const organisationParams = z.strictObject({ id: z.uuid('This organisation id is not valid') });
