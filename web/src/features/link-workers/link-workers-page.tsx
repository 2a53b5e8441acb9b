import { Link } from 'react-router';
import { formatHours } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { employmentModelLabels } from './labels.ts';
import { useLinkWorkers } from './queries.ts';

export function LinkWorkersPage() {
  const linkWorkers = useLinkWorkers();
  usePageTitle('Link workers');
  if (linkWorkers.isPending) return <Loading what="link workers" />;
  if (linkWorkers.isError) return <ProblemPage error={linkWorkers.error} />;

  return (
    <>
      <PageHeading>Link workers</PageHeading>
      <p>
        How each link worker is employed, where they are based and how they are supervised. Recording changes
        as they happen lets Linkwork compare what works in different arrangements.
      </p>
      {linkWorkers.data.length === 0 ? (
        <p>There are no link workers yet. Give someone the link worker role to see them here.</p>
      ) : (
        <div className="nhsuk-table-container">
          <table className="nhsuk-table">
            <caption className="nhsuk-u-visually-hidden">Link workers and their current arrangements</caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
                <th className="nhsuk-table__header" scope="col">
                  PCN
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Employment
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Hours a week
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {linkWorkers.data.map((linkWorker) => (
                <tr className="nhsuk-table__row" key={linkWorker.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/link-workers/${linkWorker.id}`}>{linkWorker.name}</Link>
                    {!linkWorker.active && (
                      <>
                        {' '}
                        <Tag colour="grey">Deactivated</Tag>
                      </>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {linkWorker.pcns.map((pcn) => pcn.name).join(', ') || 'None'}
                  </td>
                  <td className="nhsuk-table__cell">
                    {linkWorker.current
                      ? employmentModelLabels[linkWorker.current.employmentModel]
                      : 'Not recorded yet'}
                  </td>
                  <td className="nhsuk-table__cell">
                    {linkWorker.current
                      ? formatHours(linkWorker.current.contractedHoursPerWeek)
                      : 'Not recorded'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
