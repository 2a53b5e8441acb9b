import type { OrganisationType } from '../../../../src/modules/organisations/contract.ts';
import type { TagColour } from '../../components/page-parts.tsx';

export const organisationTypeLabels: Record<OrganisationType, string> = {
  icb: 'ICB (integrated care board)',
  pcn: 'PCN (primary care network)',
  gp_practice: 'GP practice',
  vcse: 'VCSE organisation (voluntary, community or social enterprise)',
  local_authority: 'Local authority',
};

/** Short names for tags and tables. */
export const organisationTypeShortLabels: Record<OrganisationType, string> = {
  icb: 'ICB',
  pcn: 'PCN',
  gp_practice: 'GP practice',
  vcse: 'VCSE',
  local_authority: 'Local authority',
};

export const organisationTypeColours: Record<OrganisationType, TagColour> = {
  icb: 'blue',
  pcn: 'purple',
  gp_practice: 'green',
  vcse: 'orange',
  local_authority: 'aqua-green',
};

/** A membership's type arrives as a plain string; show it nicely when it is a known type. */
export function organisationTypeName(type: string): string {
  return type in organisationTypeShortLabels ? organisationTypeShortLabels[type as OrganisationType] : type;
}
