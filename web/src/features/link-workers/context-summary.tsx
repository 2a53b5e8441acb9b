import type { LinkWorkerContext } from '../../../../src/modules/link-workers/contract.ts';
import { formatDate, formatDateTime, formatHours } from '../../app/format.ts';
import { SummaryList } from '../../components/page-parts.tsx';
import {
  baseSettingLabels,
  clinicalSystemAccessLabels,
  deliveryModeLabels,
  employmentModelLabels,
  practiceMeetingLabels,
  supervisionLabels,
} from './labels.ts';

export function dateRange(context: LinkWorkerContext): string {
  const from = formatDate(context.effectiveFrom);
  return context.effectiveTo ? `${from} to ${formatDate(context.effectiveTo)}` : `${from} onwards`;
}

export function ContextSummary({ context }: { context: LinkWorkerContext }) {
  return (
    <SummaryList
      rows={[
        { key: 'Applies', value: dateRange(context) },
        { key: 'Employment', value: employmentModelLabels[context.employmentModel] },
        { key: 'Employer or host', value: context.employerOrganisationName ?? 'Not recorded' },
        {
          key: 'Based at',
          value: (
            <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
              {context.baseSettings.map((setting) => (
                <li key={setting}>{baseSettingLabels[setting]}</li>
              ))}
            </ul>
          ),
        },
        { key: 'Contracted hours', value: `${formatHours(context.contractedHoursPerWeek)} a week` },
        { key: 'Supervision', value: supervisionLabels[context.supervision] },
        { key: 'GP clinical system access', value: clinicalSystemAccessLabels[context.clinicalSystemAccess] },
        { key: 'Attends practice meetings', value: practiceMeetingLabels[context.practiceMeetings] },
        { key: 'Delivers support', value: deliveryModeLabels[context.deliveryMode] },
        { key: 'Notes', value: context.notes || 'None' },
        {
          key: 'Recorded',
          value: `${formatDateTime(context.recordedAt)}${context.recordedByName ? ` by ${context.recordedByName}` : ''}`,
        },
      ]}
    />
  );
}
