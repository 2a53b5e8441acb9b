import { useParams } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { BackLink, Loading, PageHeading, SummaryList } from '../../components/page-parts.tsx';
import { reasonLabeller, useNeedsDomains } from '../referrals/queries.ts';
import {
  episodePath,
  latestWhatMatters,
  NotNow,
  PrintActions,
  WithEpisode,
  Written,
} from './episode-parts.tsx';
import { goalStatusLabels } from './labels.ts';
import { planPdfPath } from './queries.ts';

function PrintablePlan({ episode }: { episode: Episode }) {
  const me = useSignedIn();
  const domains = useNeedsDomains();
  const plan = episode.plan;
  const title = `${episode.personName}’s support plan`;
  usePageTitle(title);
  if (domains.isPending) return <Loading />;
  if (!plan) {
    return (
      <NotNow
        episode={episode}
        title="Support plan"
        reason={`No support plan has been agreed with ${episode.personName} yet.`}
      />
    );
  }
  const labelFor = reasonLabeller(domains.data);
  const whatMatters = latestWhatMatters(episode);
  const goals = [...plan.goals]
    .filter((goal) => goal.status !== 'stopped')
    .sort((a, b) => a.position - b.position);
  const service = me.acting?.organisationName ?? 'your primary care network';

  return (
    <div className="app-print-page">
      <div className="app-no-print">
        <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      </div>
      <PageHeading caption="Social prescribing">{title}</PageHeading>
      <PrintActions download={planPdfPath(episode.referralId)} downloadLabel="Download PDF" />
      <SummaryList
        rows={[
          { key: 'Name', value: episode.personName },
          { key: 'Agreed on', value: formatDate(plan.agreedOn) },
          { key: 'Link worker', value: episode.linkWorkerName ?? 'Not allocated' },
          ...(episode.reference ? [{ key: 'Reference', value: episode.reference }] : []),
        ]}
      />
      {plan.summary && <Written text={plan.summary} />}

      {whatMatters && (
        <>
          <h2 className="nhsuk-heading-m">What matters to you</h2>
          <Written text={whatMatters.ownWords} />
        </>
      )}

      <h2 className="nhsuk-heading-m">Your goals</h2>
      {goals.map((goal, index) => (
        <section className="app-print-page__goal" key={goal.id} aria-labelledby={`goal-${index + 1}`}>
          <h3 className="nhsuk-heading-s" id={`goal-${index + 1}`}>
            Goal {index + 1}: {goal.description}
          </h3>
          <SummaryList
            noBorder
            rows={[
              ...(goal.status === 'achieved' ? [{ key: 'Status', value: goalStatusLabels.achieved }] : []),
              ...(goal.needsDomain ? [{ key: 'About', value: labelFor(goal.needsDomain) }] : []),
              { key: 'Services', value: goal.services ? <Written text={goal.services} /> : 'None named yet' },
              {
                key: 'We will review it',
                value: goal.reviewOn ? formatDate(goal.reviewOn) : 'When we next meet',
              },
            ]}
          />
          {goal.actions.length > 0 && (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                Actions for goal {index + 1}
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Who
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    What
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    By when
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Done
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {goal.actions.map((action, actionIndex) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: actions have no id and keep their order
                  <tr className="nhsuk-table__row" key={actionIndex}>
                    <td className="nhsuk-table__cell">{action.who}</td>
                    <td className="nhsuk-table__cell">{action.what}</td>
                    <td className="nhsuk-table__cell app-table-nowrap">
                      {action.byWhen ? formatDate(action.byWhen) : '–'}
                    </td>
                    <td className="nhsuk-table__cell">{action.done ? 'Yes' : 'Not yet'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}

      <h2 className="nhsuk-heading-m">How to contact us</h2>
      <p>
        Your link worker is {episode.linkWorkerName ?? 'not allocated yet'}, from the social prescribing link
        worker service at {service}.
      </p>
      <p>
        To get in touch, contact your GP practice and ask for the social prescribing link worker
        {episode.reference ? (
          <>
            , giving your reference <span className="app-reference">{episode.reference}</span>
          </>
        ) : (
          ''
        )}
        .
      </p>
    </div>
  );
}

export function PlanPrintPage() {
  const { id = '' } = useParams();
  return <WithEpisode referralId={id}>{(episode) => <PrintablePlan episode={episode} />}</WithEpisode>;
}
