import type {
  baseSettings,
  clinicalSystemAccess,
  deliveryModes,
  employmentModels,
  practiceMeetingAttendance,
  supervisionArrangements,
} from '../../../../src/modules/link-workers/contract.ts';

export const employmentModelLabels: Record<(typeof employmentModels)[number], string> = {
  pcn_employed: 'Employed by the PCN',
  practice_employed: 'Employed by a GP practice',
  vcse_hosted: 'Hosted by a VCSE organisation',
  local_authority: 'Employed by the local authority',
  other: 'Another arrangement',
};

export const baseSettingLabels: Record<(typeof baseSettings)[number], string> = {
  gp_practice: 'GP practice',
  pcn_hub: 'PCN hub',
  vcse_premises: 'VCSE organisation’s premises',
  council_office: 'Council office',
  community: 'Community venues, such as libraries or community centres',
  home: 'Working from home',
};

export const supervisionLabels: Record<(typeof supervisionArrangements)[number], string> = {
  clinical_supervisor_gp: 'A GP acting as clinical supervisor',
  lead_link_worker: 'A lead link worker',
  host_organisation_manager: 'A manager at the host organisation',
  peer_group: 'Peer group supervision',
  none: 'No regular supervision',
  other: 'Another arrangement',
};

export const clinicalSystemAccessLabels: Record<(typeof clinicalSystemAccess)[number], string> = {
  yes: 'Yes, they can read and write records',
  read_only: 'Read only',
  no: 'No access',
};

export const practiceMeetingLabels: Record<(typeof practiceMeetingAttendance)[number], string> = {
  regular: 'Regularly',
  occasional: 'Occasionally',
  never: 'Never',
};

export const deliveryModeLabels: Record<(typeof deliveryModes)[number], string> = {
  in_person: 'Mostly in person',
  remote: 'Mostly by phone or video',
  hybrid: 'A mix of in person and remote',
};
