import type { FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import type { Episode } from '../../../../src/modules/pathway/contract.ts';
import { formatDateTime } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, SuccessBanner, TwoThirds } from '../../components/page-parts.tsx';
import { episodePath, WithEpisode } from '../episodes/episode-parts.tsx';
import { timepointLabels } from './labels.ts';
import { type CreatedLink, useCreateCompletionLink } from './queries.ts';

/*
 * A single-use questionnaire link for the person: sent by text or email (through the message outbox) or shown
 * here as a QR code for them to scan with their phone. The link is shown once; making a new one for the same
 * timepoint cancels the old.
 */

function CreatedBanner({ link, episode }: { link: CreatedLink; episode: Episode }) {
  return (
    <SuccessBanner>
      <p className="nhsuk-notification-banner__heading">
        {link.sent
          ? `The link is on its way to ${episode.personName} by ${link.sent.channel === 'sms' ? 'text message' : 'email'}.`
          : `The link for ${episode.personName} is ready.`}
      </p>
    </SuccessBanner>
  );
}

function Created({ link, episode }: { link: CreatedLink; episode: Episode }) {
  return (
    <>
      <h2 className="nhsuk-heading-m">Scan to open the questionnaire</h2>
      <p>
        {episode.personName} can scan this with their phone’s camera. It works once, until{' '}
        {formatDateTime(link.expiresAt)}.
      </p>
      {/* The server makes the QR code from the link: an SVG of squares, no script. */}
      <div
        className="app-qr-code"
        role="img"
        aria-label="QR code of the questionnaire link"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: the SVG is made by our server's QR library from our own URL
        dangerouslySetInnerHTML={{ __html: link.qrSvg }}
      />
      <p>Or give them the link:</p>
      <p className="app-link-text">
        <code>{link.url}</code>
      </p>
      <p>This link will not be shown again. Anyone with it can answer the questionnaire until it is used.</p>
    </>
  );
}

function LinkForm({ episode }: { episode: Episode }) {
  const [params] = useSearchParams();
  const timepoint = params.get('timepoint') ?? 'baseline';
  const create = useCreateCompletionLink(episode.referralId);
  const errors = useFormErrors();
  const title = 'Send a questionnaire link';
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const how = String(new FormData(event.currentTarget).get('send') ?? '');
    if (!how) return errors.show([{ field: 'send', message: 'Choose how to give them the link' }]);
    errors.clear();
    create.mutate(
      { timepoint, send: how === 'qr' ? null : (how as 'sms' | 'email') },
      { onError: (error) => errors.showError(error) },
    );
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {create.data && <CreatedBanner link={create.data} episode={episode} />}
      <PageHeading caption={episode.personName}>{title}</PageHeading>
      {create.data ? (
        <Created link={create.data} episode={episode} />
      ) : (
        <>
          <p>
            {episode.personName} answers the questionnaires on their own phone or computer, without signing
            in. Their answers come back to this episode as the{' '}
            {timepointLabels[timepoint]?.toLowerCase() ?? timepoint} measure.
          </p>
          <form onSubmit={submit} noValidate>
            <Radios
              id="send"
              legend="How should they get the link?"
              legendSize="m"
              items={[
                {
                  value: 'sms',
                  label: 'Text message',
                  hint: episode.reach.phone ? `To ${episode.reach.phone}` : 'No mobile number is recorded',
                },
                {
                  value: 'email',
                  label: 'Email',
                  hint: episode.reach.email ? `To ${episode.reach.email}` : 'No email address is recorded',
                },
                { value: 'qr', label: 'Show a QR code now', hint: 'For them to scan while you are together' },
              ]}
              error={errors.messageFor('send')}
            />
            <button className="nhsuk-button" type="submit" disabled={create.isPending}>
              {create.isPending ? 'Making the link…' : 'Make the link'}
            </button>
          </form>
        </>
      )}
    </TwoThirds>
  );
}

export function CompletionLinkPage() {
  const { id = '' } = useParams();
  return <WithEpisode referralId={id}>{(episode) => <LinkForm episode={episode} />}</WithEpisode>;
}
