import type { ReactNode } from 'react';
import type { LinkWorkerContext } from '../../../../src/modules/link-workers/contract.ts';
import { formatDate } from '../../app/format.ts';
import {
  baseSettingLabels,
  clinicalSystemAccessLabels,
  deliveryModeLabels,
  employmentModelLabels,
  practiceMeetingLabels,
  supervisionLabels,
} from '../link-workers/labels.ts';
import type { StudyCase } from './research-queries.ts';

/*
 * A case's implementation context: how its link worker's role was set up when the case began and, if that changed
 * during the case, when it ended — side by side, so a change (a new host, remote delivery) stands out.
 */

const aspects: { label: string; value: (c: LinkWorkerContext) => ReactNode }[] = [
  { label: 'Employment', value: (c) => employmentModelLabels[c.employmentModel] },
  { label: 'Employer or host', value: (c) => c.employerOrganisationName ?? 'Not recorded' },
  { label: 'Based at', value: (c) => c.baseSettings.map((s) => baseSettingLabels[s]).join('; ') },
  { label: 'Supervision', value: (c) => supervisionLabels[c.supervision] },
  { label: 'GP clinical system access', value: (c) => clinicalSystemAccessLabels[c.clinicalSystemAccess] },
  { label: 'Attends practice meetings', value: (c) => practiceMeetingLabels[c.practiceMeetings] },
  { label: 'Delivers support', value: (c) => deliveryModeLabels[c.deliveryMode] },
];

export function CaseContext({ studyCase }: { studyCase: StudyCase }) {
  const start = studyCase.contextAtStart ?? null;
  const end = studyCase.contextAtEnd ?? null;
  if (!studyCase.linkWorkerId) return null;
  if (!start) {
    return (
      <p>
        No implementation context was recorded for {studyCase.linkWorkerName ?? 'the link worker'} when the
        case began. A lead link worker or administrator records it on the link worker’s page.
      </p>
    );
  }
  const changed = !!end && end.id !== start.id;
  const columns = changed && end ? [start, end] : [start];
  return (
    <>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          {studyCase.label}: implementation context {changed ? 'at the start and end' : 'during the case'}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <td className="nhsuk-table__header" />
            <th className="nhsuk-table__header" scope="col">
              At the start ({formatDate(studyCase.startsOn)})
            </th>
            {changed && (
              <th className="nhsuk-table__header" scope="col">
                At the end ({formatDate(studyCase.endsOn)})
              </th>
            )}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {aspects.map((aspect) => {
            const values = columns.map((c) => aspect.value(c));
            const differs = changed && String(values[0]) !== String(values[1]);
            return (
              <tr className="nhsuk-table__row" key={aspect.label}>
                <th className="nhsuk-table__header" scope="row">
                  {aspect.label}
                </th>
                {values.map((value, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: at most two columns, start then end
                  <td className="nhsuk-table__cell" key={i}>
                    {differs && i === 1 ? <strong>{value}</strong> : value}
                    {differs && i === 1 && <span className="nhsuk-u-visually-hidden"> (changed)</span>}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="nhsuk-body-s">
        {changed && end
          ? `The role changed on ${formatDate(end.effectiveFrom)}, during the case. Changes are shown in bold.`
          : 'No change to the role has been recorded during the case.'}
      </p>
    </>
  );
}
