import { Link } from 'react-router';
import { withQuery } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { Loading, PageHeading } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { workingDays } from './labels.ts';
import { useCaseloads } from './queries.ts';

export function TeamCaseloadsPage() {
  const team = useCaseloads();
  usePageTitle('Team caseloads');
  if (team.isPending) return <Loading what="team caseloads" />;
  if (team.isError) return <ProblemPage error={team.error} />;
  const { linkWorkers, settings } = team.data;

  return (
    <>
      <PageHeading>Team caseloads</PageHeading>
      <p>
        Each link worker in the PCN and the people whose support is still open with them. Over target means
        waiting more than {workingDays(settings.firstContactTargetWorkingDays)} for a first contact.
      </p>
      <p>
        <Link to="/pathway-settings">
          Change the first-contact target and when someone counts as unable to contact
        </Link>
      </p>
      {linkWorkers.length === 0 ? (
        <p>There are no link workers in this PCN yet.</p>
      ) : (
        <ResponsiveTable
          caption="Link workers’ caseloads"
          items={linkWorkers}
          itemKey={(row) => row.id}
          columns={[
            {
              header: 'Link worker',
              cell: (row) => <Link to={withQuery('/caseload', { linkWorkerId: row.id })}>{row.name}</Link>,
            },
            { header: 'Active', cell: (row) => row.active },
            { header: 'Awaiting first contact', cell: (row) => row.awaitingFirstContact },
            { header: 'Over target', cell: (row) => row.overTarget },
            { header: 'Flagged', cell: (row) => row.flagged },
            {
              header: 'Action',
              hiddenHeader: true,
              cell: (row) => (
                <Link to={`/caseloads/${encodeURIComponent(row.id)}/hand-over`}>
                  Hand over caseload<span className="nhsuk-u-visually-hidden"> of {row.name}</span>
                </Link>
              ),
            },
          ]}
        />
      )}
    </>
  );
}
