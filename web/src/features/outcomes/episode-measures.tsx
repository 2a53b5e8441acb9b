import { useState } from 'react';
import { Link } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { formatDate, formatDateTime } from '../../app/format.ts';
import { describeError } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { ButtonLink, Loading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import {
  completedByLabels,
  dueStatusColours,
  dueStatusLabels,
  linkStatusColours,
  linkStatusLabels,
  modeLabels,
  timepointLabels,
} from './labels.ts';
import {
  useCompletionLinks,
  useEpisodeDue,
  useEpisodeMeasures,
  useInstruments,
  useRevokeCompletionLink,
} from './queries.ts';
import type { InstrumentSummary } from './types.ts';

/** "Life satisfaction 7 (High)": each score of a measure with its label and band. */
export function scoreText(
  measure: {
    instrumentCode: string;
    status: string;
    scores: { code: string; value: number; band: string | null }[];
  },
  instruments: InstrumentSummary[],
): string {
  if (measure.scores.length === 0) return 'Not scored (partly answered)';
  const definition = instruments.find((i) => i.code === measure.instrumentCode)?.definition;
  const text = measure.scores
    .map((s) => {
      const label = definition?.scores.find((d) => d.code === s.code)?.label ?? s.code;
      return `${label} ${s.value}${s.band ? ` (${s.band})` : ''}`;
    })
    .join('; ');
  return measure.status === 'partial' ? `${text} — partly answered` : text;
}

const windowText = (from: string, to: string | null) =>
  to ? `${formatDate(from)} to ${formatDate(to)}` : `From ${formatDate(from)}, before the first conversation`;

function DueMeasures({ episode, titleOf }: { episode: Episode; titleOf: (code: string) => string }) {
  const due = useEpisodeDue(episode.referralId);
  if (due.isPending) return <Loading what="measures due" />;
  if (due.isError) return <InlineProblem error={due.error} />;
  const rows = due.data.items.filter((d) => d.status !== 'not_yet' || d.timepoint !== 'baseline');
  const open = rows.filter((d) => d.status === 'due' || d.status === 'overdue');
  // A window open now before one already missed: nine months on, the long-term follow-up, not the short one.
  const nextTimepoint = (open.find((d) => d.status === 'due') ?? open[0])?.timepoint;
  return (
    <>
      {rows.length > 0 && (
        <ResponsiveTable
          caption="Measures this episode calls for"
          items={rows}
          itemKey={(d) => `${d.timepoint}-${d.instrumentCode}`}
          columns={[
            { header: 'When', cell: (d) => timepointLabels[d.timepoint] ?? d.timepoint },
            { header: 'Questionnaire', cell: (d) => titleOf(d.instrumentCode) },
            { header: 'Window', cell: (d) => windowText(d.from, d.to) },
            {
              header: 'Status',
              cell: (d) => <Tag colour={dueStatusColours[d.status]}>{dueStatusLabels[d.status]}</Tag>,
            },
          ]}
        />
      )}
      {nextTimepoint ? (
        <div className="nhsuk-button-group">
          <ButtonLink to={`/episodes/${episode.referralId}/measures/new?timepoint=${nextTimepoint}`}>
            Record {timepointLabels[nextTimepoint]?.toLowerCase()} measures
          </ButtonLink>
          <ButtonLink
            to={`/episodes/${episode.referralId}/measures/link?timepoint=${nextTimepoint}`}
            secondary
          >
            Send a questionnaire link
          </ButtonLink>
        </div>
      ) : (
        <p>
          <Link to={`/episodes/${episode.referralId}/measures/new`}>Record another measure</Link>
        </p>
      )}
    </>
  );
}

function Links({ episode }: { episode: Episode }) {
  const links = useCompletionLinks(episode.referralId);
  const revoke = useRevokeCompletionLink(episode.referralId);
  const [problem, setProblem] = useState<string | null>(null);
  const items = links.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <>
      <h3 className="nhsuk-heading-s">Questionnaire links</h3>
      {problem && (
        <p className="nhsuk-error-message" role="alert">
          {problem}
        </p>
      )}
      <ul className="nhsuk-list">
        {items.map((link) => (
          <li key={link.id}>
            <Tag colour={linkStatusColours[link.status]}>{linkStatusLabels[link.status]}</Tag>{' '}
            {timepointLabels[link.timepoint]} link made {formatDateTime(link.createdAt)}
            {link.status === 'active' && (
              <>
                , works until {formatDateTime(link.expiresAt)}
                {link.firstOpenedAt ? ' (opened)' : ' (not opened yet)'}{' '}
                <button
                  type="button"
                  className="app-link-button"
                  disabled={revoke.isPending}
                  onClick={() =>
                    revoke.mutate(link.id, {
                      onSuccess: () => setProblem(null),
                      onError: (e) => setProblem(describeError(e)),
                    })
                  }
                >
                  Cancel this link
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The episode's outcome measures: what is due, what was recorded, and the questionnaire links sent. */
export function EpisodeMeasures({ episode }: { episode: Episode }) {
  const measures = useEpisodeMeasures(episode.referralId);
  const instruments = useInstruments();
  const all = instruments.data?.items ?? [];
  const titleOf = (code: string) => all.find((i) => i.code === code)?.title ?? code;
  return (
    <section aria-labelledby="outcome-measures-heading">
      <h2 className="nhsuk-heading-l" id="outcome-measures-heading">
        Outcome measures
      </h2>
      <DueMeasures episode={episode} titleOf={titleOf} />
      {measures.isPending && <Loading what="outcome measures" />}
      {measures.isError && <InlineProblem error={measures.error} />}
      {measures.isSuccess && measures.data.items.length === 0 && <p>No measures recorded yet.</p>}
      {measures.isSuccess && measures.data.items.length > 0 && (
        <ResponsiveTable
          caption="Measures recorded"
          items={measures.data.items}
          itemKey={(m) => m.id}
          columns={[
            { header: 'Date', cell: (m) => formatDate(m.completedOn), nowrap: true },
            { header: 'When', cell: (m) => timepointLabels[m.timepoint] ?? m.timepoint },
            { header: 'Questionnaire', cell: (m) => m.instrumentTitle },
            { header: 'Scores', cell: (m) => scoreText(m, all) },
            {
              header: 'Completed',
              cell: (m) =>
                `${completedByLabels[m.completedBy] ?? m.completedBy}, ${(modeLabels[m.mode] ?? m.mode).toLowerCase()}`,
            },
          ]}
        />
      )}
      <Links episode={episode} />
    </section>
  );
}
