import { Link, useParams } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { followUpStatusColours, followUpStatusLabels } from './labels.ts';
import { canWrite, dateSpan, WithStudy } from './research-parts.tsx';
import { type FollowUp, researchPaths, type Study, useFollowUps } from './research-queries.ts';

/** Where "Plan the follow-up interview" goes: the interview form with WP2, the patient and their WP1 interview chosen. */
function planPath(study: Study, f: FollowUp): string {
  const query = new URLSearchParams({
    workPackage: 'WP2',
    participantId: f.participantId,
    followUpOf: f.firstInterviewId,
  });
  return `${researchPaths.newInterview(study.id)}?${query}`;
}

function Action({ study, followUp }: { study: Study; followUp: FollowUp }) {
  if (followUp.status === 'done') return <>Held on {formatDate(followUp.followUpOn ?? '')}</>;
  if (followUp.status === 'planned') return <>Planned for {formatDate(followUp.followUpOn ?? '')}</>;
  if (!canWrite(study.myRole)) return null;
  return (
    <Link to={planPath(study, followUp)}>
      Plan the follow-up interview<span className="nhsuk-u-visually-hidden"> with {followUp.studyCode}</span>
    </Link>
  );
}

function FollowUps({ study }: { study: Study }) {
  const followUps = useFollowUps(study.id);
  const title = 'WP2 follow-ups';
  usePageTitle(`${title} – ${study.title}`);

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Patients whose first (WP1) interview has taken place and who agreed to be contacted again. Their
            follow-up interview is due 9 to 12 months after the first one; a window shows as opening soon 4
            weeks before it opens. Patients who withdrew are not listed.
          </p>
        </div>
      </div>
      {followUps.isPending && <Loading what="follow-ups" />}
      {followUps.isError && <InlineProblem error={followUps.error} />}
      {followUps.data && (
        <>
          <p className="nhsuk-body-s">As of {formatDate(followUps.data.today)}.</p>
          {followUps.data.items.length === 0 ? (
            <p>No patients are waiting for a follow-up interview yet.</p>
          ) : (
            <ResponsiveTable
              caption="Follow-up windows, the most pressing first"
              items={followUps.data.items}
              itemKey={(f) => f.participantId}
              columns={[
                {
                  header: 'Study ID',
                  nowrap: true,
                  cell: (f) => (
                    <Link to={researchPaths.participant(f.participantId, study.id)}>{f.studyCode}</Link>
                  ),
                },
                { header: 'Case', cell: (f) => f.caseLabel ?? 'None' },
                { header: 'First interview', cell: (f) => formatDate(f.firstInterviewOn) },
                { header: 'Window', cell: (f) => dateSpan(f.windowFrom, f.windowTo) },
                {
                  header: 'Status',
                  cell: (f) => (
                    <Tag colour={followUpStatusColours[f.status]}>{followUpStatusLabels[f.status]}</Tag>
                  ),
                },
                {
                  header: 'Follow-up interview',
                  cell: (f) => <Action study={study} followUp={f} />,
                },
              ]}
            />
          )}
        </>
      )}
    </>
  );
}

export function FollowUpsPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <FollowUps study={study} />}</WithStudy>;
}
