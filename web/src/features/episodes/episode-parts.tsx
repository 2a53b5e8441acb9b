import { type ReactNode, useState } from 'react';
import { useLocation } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { BackLink, Loading, PageHeading, Tag, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import {
  type EpisodeStage,
  type ReferralStatus,
  referralStatusColours,
  referralStatusLabels,
} from './labels.ts';
import { useEpisode } from './queries.ts';

export const episodePath = (referralId: string) => `/episodes/${referralId}`;
export const messageBackPath = (referralId: string) => `/referrals/${referralId}/message-back`;

/** Where an episode is on the pathway, from what has been recorded so far. */
export function episodeStage(episode: Episode): EpisodeStage {
  if (episode.status === 'discharged') return 'discharged';
  if (episode.status === 'declined_by_person') return 'declined_by_person';
  if (episode.status !== 'accepted') return 'not_open';
  if (!episode.firstContactAt) return 'awaiting_first_contact';
  if (episode.whatMatters.length === 0) return 'what_matters';
  if (!episode.plan) return 'planning';
  return 'supporting';
}

/** The latest what matters conversation, or null before the first. */
export function latestWhatMatters(episode: Episode): Episode['whatMatters'][number] | null {
  return episode.whatMatters.reduce<Episode['whatMatters'][number] | null>(
    (latest, item) => (latest === null || item.version > latest.version ? item : latest),
    null,
  );
}

export function StatusTag({ status }: { status: ReferralStatus }) {
  return <Tag colour={referralStatusColours[status]}>{referralStatusLabels[status]}</Tag>;
}

export function workingDays(days: number): string {
  return days === 1 ? '1 working day' : `${days} working days`;
}

/** How long the person has waited for their first contact, against the PCN's target. */
export function WaitingTag({ episode }: { episode: Episode }) {
  const target = episode.settings.firstContactTargetWorkingDays;
  if (episode.firstContactAt) {
    return (
      <>
        First contact after {workingDays(episode.workingDaysWaiting)}
        {episode.overTarget && (
          <>
            {' '}
            <Tag colour="orange">Over the {workingDays(target)} target</Tag>
          </>
        )}
      </>
    );
  }
  return (
    <>
      Waiting {workingDays(episode.workingDaysWaiting)}{' '}
      {episode.overTarget ? (
        <Tag colour="red">Over the {workingDays(target)} target</Tag>
      ) : (
        <span className="nhsuk-body-s">(target {workingDays(target)})</span>
      )}
    </>
  );
}

/** A rating from 0 to 10 as a short bar of text, with the number for anyone who cannot see the bar. */
export function ProgressBar({ rating }: { rating: number }) {
  const filled = Math.max(0, Math.min(10, Math.round(rating)));
  return (
    <>
      <span className="app-progress-bar" aria-hidden="true">
        {'█'.repeat(filled)}
        {'░'.repeat(10 - filled)}
      </span>{' '}
      <strong>{rating}</strong> out of 10
    </>
  );
}

/** The NHS warning callout, with a heading at the level that fits where it sits. */
export function WarningCallout({
  heading,
  level = 2,
  children,
}: {
  heading: string;
  level?: 2 | 3;
  children: ReactNode;
}) {
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div className="nhsuk-card nhsuk-card--warning">
      <div className="nhsuk-card__content">
        <Heading className="nhsuk-card__heading">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {heading}
        </Heading>
        {children}
      </div>
    </div>
  );
}

/** Text someone typed, keeping their line breaks. */
export function Written({ text, className = 'nhsuk-body' }: { text: string; className?: string }) {
  return <p className={`${className} app-written`}>{text}</p>;
}

/** The message a page was sent with after saving something, e.g. "First contact recorded". */
export function useSavedMessage(): string | null {
  const location = useLocation();
  return (location.state as { saved?: string } | null)?.saved ?? null;
}

/** Loads the episode for a page, showing loading and problems the usual way. */
export function WithEpisode({
  referralId,
  children,
}: {
  referralId: string;
  children: (episode: Episode) => ReactNode;
}) {
  const episode = useEpisode(referralId);
  if (episode.isPending) return <Loading />;
  if (episode.isError) return <ProblemPage error={episode.error} />;
  return <>{children(episode.data)}</>;
}

/** Said instead of a form when the episode is no longer at a point where the form makes sense. */
export function NotNow({ episode, title, reason }: { episode: Episode; title: string; reason: string }) {
  usePageTitle(title);
  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      <p>{reason}</p>
      <p>
        Status: <StatusTag status={episode.status} />
      </p>
    </TwoThirds>
  );
}

/** Why a form for an open episode cannot be used, or null when it can. */
export function notOpenReason(episode: Episode): string | null {
  switch (episode.status) {
    case 'accepted':
      return null;
    case 'discharged':
      return `${episode.personName} has been discharged, so this episode can no longer change.`;
    case 'declined_by_person':
      return `${episode.personName} declined social prescribing at their first contact, so this episode is closed.`;
    default:
      return 'This referral does not have an open episode with a link worker.';
  }
}

/** Decides once whether the form can be used, so that saving it does not swap it for "not now" on the way out. */
function Gate({
  episode,
  title,
  reason,
  children,
}: {
  episode: Episode;
  title: string;
  reason: string | null;
  children: ReactNode;
}) {
  const [blocked] = useState(reason);
  if (blocked) return <NotNow episode={episode} title={title} reason={blocked} />;
  return <>{children}</>;
}

/**
 * Loads the episode for a form that needs it open, and says why not when it is closed or `unavailable` gives a
 * reason.
 */
export function WithOpenEpisode({
  referralId,
  title,
  unavailable,
  children,
}: {
  referralId: string;
  title: string;
  unavailable?: (episode: Episode) => string | null;
  children: (episode: Episode) => ReactNode;
}) {
  return (
    <WithEpisode referralId={referralId}>
      {(episode) => (
        <Gate
          episode={episode}
          title={title}
          reason={notOpenReason(episode) ?? unavailable?.(episode) ?? null}
        >
          {children(episode)}
        </Gate>
      )}
    </WithEpisode>
  );
}

/** Buttons for the screen only: printing leaves them out. */
export function PrintActions({ download, downloadLabel }: { download: string; downloadLabel: string }) {
  return (
    <div className="app-actions app-no-print">
      <button className="nhsuk-button" type="button" onClick={() => window.print()}>
        Print
      </button>
      <p className="nhsuk-u-margin-top-2">
        <a href={download} download>
          {downloadLabel}
        </a>
      </p>
    </div>
  );
}

/** A 409 because someone else saved first (the API's version_conflict), rather than a rule of the pathway. */
export function isStale(error: unknown): boolean {
  return isProblem(error, 409) && (error.type?.endsWith('/version_conflict') ?? false);
}
