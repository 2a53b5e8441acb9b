import type {
  CollectionKind,
  CollectionStatus,
  ConsentScope,
  StudyRole,
  WithdrawalChoice,
} from '../../../../src/modules/research/contract.ts';
import type { FollowUpStatus } from '../../../../src/modules/research/service.ts';
import type { TagColour } from '../../components/page-parts.tsx';

/*
 * Labels the research pages add to the ones the contract exports (studyRoleLabels, participantRoleLabels,
 * consentScopeLabels, withdrawalChoiceLabels, collectionModeLabels, collectionStatusLabels), which the pages
 * import from the contract itself.
 */

/** What each study role may do, as a hint beside the choice. */
export const studyRoleHints: Record<StudyRole, string> = {
  lead: 'Runs the study: manages the team, sees who participants are and records withdrawals',
  researcher: 'Adds sites, cases and participants, records consent and plans interviews',
  coder: 'Reads the study and codes its transcripts; changes nothing else',
  transcriber: 'Reads the study, adds transcripts and works with the interview recordings',
  read_only: 'Reads the study',
};

export const collectionKindLabels: Record<CollectionKind, string> = {
  interview: 'Interview',
  observation: 'Observation',
};

export const collectionStatusColours: Record<CollectionStatus, TagColour> = {
  planned: 'blue',
  done: 'green',
  cancelled: 'grey',
  did_not_attend: 'orange',
};

/** Consent scopes in a table cell, where the contract's full sentences would not fit. */
export const consentScopeShortLabels: Record<ConsentScope, string> = {
  interview: 'Interview',
  audio_recording: 'Audio recording',
  anonymised_quotes: 'Anonymised quotes',
  future_contact: 'Future contact',
  pathway_record: 'Pathway record',
};

/** The short name of each withdrawal choice; the contract's label explains it. */
export const withdrawalChoiceTitles: Record<WithdrawalChoice, string> = {
  keep_data: 'Keep their data',
  remove_data: 'Remove their data',
};

export const followUpStatusLabels: Record<FollowUpStatus, string> = {
  open: 'Open',
  opening: 'Opening soon',
  missed: 'Missed',
  planned: 'Planned',
  not_yet: 'Not yet open',
  done: 'Done',
};

export const followUpStatusColours: Record<FollowUpStatus, TagColour> = {
  open: 'yellow',
  opening: 'white',
  missed: 'red',
  planned: 'blue',
  not_yet: 'grey',
  done: 'green',
};
