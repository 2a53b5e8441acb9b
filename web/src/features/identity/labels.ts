import type { Role } from '../../../../src/modules/identity/contract.ts';

export const roleLabels: Record<Role, string> = {
  link_worker: 'Link worker',
  lead_link_worker: 'Lead link worker',
  referrer: 'Referrer',
  vcse_partner: 'VCSE partner',
  commissioner: 'Commissioner',
  researcher: 'Researcher',
  admin: 'Administrator',
  directory_manager: 'Directory manager',
};

export const roleHints: Record<Role, string> = {
  link_worker: 'Works with people referred for social prescribing',
  lead_link_worker: 'Supports and coordinates the link workers in a PCN',
  referrer: 'Refers people to social prescribing, for example a GP or practice nurse',
  vcse_partner: 'Works for a voluntary, community or social enterprise organisation that receives referrals',
  commissioner: 'Plans and pays for social prescribing, for example at the ICB',
  researcher: 'Evaluates what works, for whom and in what circumstances',
  admin: 'Manages organisations and users',
  directory_manager: 'Keeps the ICB’s directory of community services up to date',
};

/** What each role will do in Linkwork, shown on the home page. */
export const roleDescriptions: Record<Role, string> = {
  link_worker:
    'You work through your caseload, keep each person’s record and contacts up to date, and agree support plans with them.',
  lead_link_worker:
    'You triage new referrals, watch the waiting list and your team’s caseloads, hand caseloads over and change the PCN’s pathway settings.',
  referrer: 'You refer people to social prescribing and see what has happened to your referrals.',
  vcse_partner:
    'Referrals to your organisation’s services will appear here, so you can accept them and report back.',
  commissioner: 'Reports on how social prescribing is used and what difference it makes will appear here.',
  researcher:
    'Your realist evaluation work – case studies, interviews and programme theories – will appear here.',
  admin: 'You set up organisations and users, decide who can do what, and check the audit log.',
  directory_manager:
    'You keep the community services directory right: add and change services, import feeds, and act on verification tasks and reports from link workers.',
};

export function roleList(roles: readonly Role[]): string {
  return roles.map((role) => roleLabels[role]).join(', ');
}

export const roleHeadings: Record<Role, string> = {
  link_worker: 'As a link worker',
  lead_link_worker: 'As a lead link worker',
  referrer: 'As a referrer',
  vcse_partner: 'As a VCSE partner',
  commissioner: 'As a commissioner',
  researcher: 'As a researcher',
  admin: 'As an administrator',
  directory_manager: 'As a directory manager',
};
