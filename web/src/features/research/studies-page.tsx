import { Link } from 'react-router';
import { studyRoleLabels } from '../../../../src/modules/research/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { ButtonLink, Loading, PageHeading } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { dateSpan, SavedBanner } from './research-parts.tsx';
import { researchPaths, useStudies } from './research-queries.ts';

/** The studies you are on the team of, with your part in each; a researcher starts a new one from here. */
export function StudiesPage() {
  const studies = useStudies();
  const title = 'Research studies';
  usePageTitle(title);

  return (
    <>
      <SavedBanner />
      <PageHeading>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            The studies you are on the team of. Everyone on a study’s team sees its participants by study ID
            only; its leads alone see who they are.
          </p>
        </div>
      </div>
      <ButtonLink to={researchPaths.newStudy}>Start a study</ButtonLink>
      {studies.isPending && <Loading what="studies" />}
      {studies.isError && <InlineProblem error={studies.error} />}
      {studies.data?.length === 0 && (
        <p>You are not on the team of any study yet. Start one, or ask a study’s lead to add you.</p>
      )}
      {studies.data && studies.data.length > 0 && (
        <ResponsiveTable
          caption="Your studies"
          items={studies.data}
          itemKey={(s) => s.id}
          columns={[
            {
              header: 'Study',
              cell: (s) => <Link to={researchPaths.study(s.id)}>{s.title}</Link>,
            },
            { header: 'Your role', cell: (s) => studyRoleLabels[s.myRole] },
            { header: 'Runs', cell: (s) => dateSpan(s.startsOn, s.endsOn) },
            { header: 'Ethics reference', cell: (s) => s.ethicsReference ?? 'Not recorded' },
          ]}
        />
      )}
    </>
  );
}
