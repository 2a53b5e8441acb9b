import { z } from 'zod';
import { organisationType } from '../organisations/contract.ts';

export const roles = [
  'link_worker',
  'lead_link_worker',
  'referrer',
  'vcse_partner',
  'commissioner',
  'researcher',
  'admin',
  /** Keeps the ICB's community services directory: adds and changes services, resolves reports. */
  'directory_manager',
] as const;
export type Role = (typeof roles)[number];

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

export const role = z.enum(roles, { error: 'Choose a role' });

const email = z
  .string({ error: 'Enter an email address' })
  .trim()
  .toLowerCase()
  .max(254, 'Enter an email address of 254 characters or fewer')
  .pipe(z.email('Enter an email address in the correct format, like name@example.nhs.uk'));

export const signInBody = z.strictObject({
  email: z
    .string({ error: 'Enter your email address' })
    .trim()
    .toLowerCase()
    .min(1, 'Enter your email address')
    .max(254),
  password: z
    .string({ error: 'Enter your password' })
    .min(1, 'Enter your password')
    .max(PASSWORD_MAX * 4),
});

export const sessionStage = z.enum(['mfa_required', 'mfa_enrolment_required', 'complete']);
export type SessionStage = z.infer<typeof sessionStage>;

export const membership = z.object({
  organisationId: z.string(),
  organisationName: z.string(),
  organisationType: organisationType,
  roles: z.array(role),
});
export type Membership = z.infer<typeof membership>;

export const me = z.object({
  user: z.object({ id: z.string(), email: z.string(), name: z.string(), mfaEnabled: z.boolean() }),
  stage: sessionStage,
  mfaRequired: z.boolean(),
  memberships: z.array(membership),
  acting: membership.nullable(),
  csrfToken: z.string(),
  idleTimeoutMinutes: z.number(),
});
export type Me = z.infer<typeof me>;

export const mfaCodeBody = z.strictObject({
  code: z
    .string({ error: 'Enter the code from your authenticator app or a recovery code' })
    .trim()
    .min(1, 'Enter the code from your authenticator app or a recovery code')
    .max(32, 'Enter the 6-digit code from your authenticator app, or a recovery code'),
});

export const mfaEnrolment = z.object({ secret: z.string(), otpauthUri: z.string(), qrCodeSvg: z.string() });
export const recoveryCodesResult = z.object({ recoveryCodes: z.array(z.string()) });

export const actingBody = z.strictObject({ organisationId: z.uuid('Choose an organisation') });

export const setPasswordBody = z.strictObject({
  token: z.string().min(10, 'This link is not valid').max(200, 'This link is not valid'),
  password: z.string({ error: 'Enter a password' }).max(PASSWORD_MAX * 4),
});
export const changePasswordBody = z.strictObject({
  currentPassword: z
    .string({ error: 'Enter your current password' })
    .min(1, 'Enter your current password')
    .max(512),
  newPassword: z.string({ error: 'Enter a new password' }).max(PASSWORD_MAX * 4),
});
export const passwordTokenQuery = z.strictObject({ token: z.string().min(10).max(200) });
export const passwordTokenInfo = z.object({ purpose: z.enum(['invitation', 'reset']), name: z.string() });

// Users, managed by administrators

export const roleAssignmentInput = z.strictObject({
  organisationId: z.uuid('Choose an organisation'),
  role,
});

export const createUserBody = z.strictObject({
  email,
  name: z
    .string({ error: 'Enter the person’s full name' })
    .trim()
    .min(1, 'Enter the person’s full name')
    .max(200),
  roles: z.array(roleAssignmentInput).min(1, 'Give the user at least one role at an organisation').max(20),
});

export const updateUserBody = z.strictObject({
  version: z.number().int().min(1),
  email: email.optional(),
  name: z.string().trim().min(1, 'Enter the person’s full name').max(200).optional(),
});

export const roleAssignment = z.object({
  id: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  organisationType: organisationType,
  role,
});

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  active: z.boolean(),
  mfaEnabled: z.boolean(),
  hasPassword: z.boolean(),
  lastSignedInAt: z.string().nullable(),
  version: z.number(),
  roles: z.array(roleAssignment),
});
export type UserSummary = z.infer<typeof userSummary>;

export const userList = z.object({ items: z.array(userSummary) });
export const userListQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  role: role.optional(),
  organisationId: z.uuid().optional(),
  active: z.enum(['true', 'false']).optional(),
});

export const userWithLink = z.object({
  user: userSummary,
  setPasswordUrl: z.string(),
  expiresAt: z.string(),
});
export const idParams = z.strictObject({ id: z.uuid('This id is not valid') });
export const roleParams = z.strictObject({ id: z.uuid(), assignmentId: z.uuid() });
