import { type FormEvent, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  type DischargeInput,
  dischargeBody,
  dischargeReasons,
  type Episode,
} from '../../../../src/modules/pathway/contract.ts';
import { todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { episodePath, isStale, messageBackPath, WithOpenEpisode } from './episode-parts.tsx';
import { dateProblems, optionalText, textOf } from './form-values.ts';
import { type DischargeReason, dischargeReasonLabels } from './labels.ts';
import { useDischarge, useReloadEpisode } from './queries.ts';

function readBody(form: FormData, version: number) {
  const dischargedOn = readDate(form, 'dischargedOn', 'The discharge date', '26 11 2026');
  const body = {
    version,
    reason: textOf(form, 'reason') || undefined,
    dischargedOn: dischargedOn.kind === 'date' ? dischargedOn.value : '',
    closingSummary: textOf(form, 'closingSummary'),
    supportOffered: textOf(form, 'supportOffered'),
    outcome: textOf(form, 'outcome'),
    followUpForGp: optionalText(form, 'followUpForGp'),
    consentToFollowUp:
      textOf(form, 'consentToFollowUp') === 'yes'
        ? true
        : textOf(form, 'consentToFollowUp') === 'no'
          ? false
          : undefined,
  };
  const problems = dateProblems(
    check(dischargeBody, body),
    'dischargedOn',
    dischargedOn,
    'Enter the discharge date',
  );
  if (dischargedOn.kind === 'date' && dischargedOn.value > todayInEngland()) {
    problems.push({ field: 'dischargedOn', message: 'The discharge date must be today or in the past' });
  }
  return { body: body as DischargeInput, problems };
}

function DischargeForm({ episode }: { episode: Episode }) {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const suggested = params.get('reason');
  const errors = useFormErrors({ anchors: { dischargedOn: 'dischargedOn-day' } });
  const discharge = useDischarge(episode.referralId);
  const reload = useReloadEpisode(episode.referralId);
  const [stale, setStale] = useState(false);
  const title = `Discharge ${episode.personName}`;
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (discharge.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget), episode.version);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    setStale(false);
    discharge.mutate(body, {
      onSuccess: () =>
        navigate(messageBackPath(episode.referralId), {
          state: {
            saved: `${episode.personName} has been discharged. This is the message back to the referrer and GP.`,
          },
        }),
      onError: (error) => {
        if (isStale(error)) {
          setStale(true);
          errors.show([
            {
              field: '',
              message:
                'Someone else changed this episode while you were writing. Reload it, then discharge again: what you wrote here is kept.',
            },
          ]);
        } else errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      <BackLink to={episodePath(episode.referralId)}>Back to {episode.personName}</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {stale && (
        <p>
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={async () => {
              errors.clear();
              setStale(false);
              await reload();
            }}
          >
            Reload the episode
          </button>
        </p>
      )}
      <PageHeading caption={episode.personName}>Discharge from social prescribing</PageHeading>
      <p>
        Discharging closes {episode.personName}’s episode with the link worker service. The referrer and their
        GP get a message back saying what support was offered and what happened.
      </p>
      <form onSubmit={submit} noValidate>
        <Radios
          id="reason"
          legend="Why are they being discharged?"
          legendSize="m"
          items={choicesFrom(dischargeReasons, dischargeReasonLabels)}
          defaultValue={
            suggested && (dischargeReasons as readonly string[]).includes(suggested)
              ? (suggested as DischargeReason)
              : undefined
          }
          error={errors.messageFor('reason')}
        />
        <DateInput
          id="dischargedOn"
          legend="Date of discharge"
          hint="For example, 26 11 2026"
          defaultValue={todayInEngland()}
          error={errors.messageFor('dischargedOn')}
        />
        <Textarea
          id="closingSummary"
          label="Closing summary"
          hint="For the link worker service only: how the episode went and anything to know if they are referred again"
          rows={5}
          error={errors.messageFor('closingSummary')}
        />
        <div className="nhsuk-form-group">
          <fieldset className="nhsuk-fieldset" aria-describedby="message-back-hint">
            <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">
              Message back to the referrer and GP
            </legend>
            <div className="nhsuk-hint" id="message-back-hint">
              The referrer and the GP practice see these answers. Write them so they make sense on their own.
            </div>
            <Textarea
              id="supportOffered"
              label="What support was offered?"
              hint="For example, the groups and services you connected them with"
              rows={4}
              error={errors.messageFor('supportOffered')}
            />
            <Textarea
              id="outcome"
              label="What was the outcome?"
              rows={4}
              error={errors.messageFor('outcome')}
            />
            <Textarea
              id="followUpForGp"
              label="Anything the GP should follow up (optional)"
              rows={3}
              error={errors.messageFor('followUpForGp')}
            />
          </fieldset>
        </div>
        <Radios
          id="consentToFollowUp"
          legend="Did they agree to be contacted again in 9 to 12 months, to see how they are?"
          legendSize="s"
          hint="We ask the same wellbeing and loneliness questions then, to learn whether the difference lasted."
          items={[
            { value: 'yes', label: 'Yes, they agreed' },
            { value: 'no', label: 'No' },
          ]}
          error={errors.messageFor('consentToFollowUp')}
        />
        <button className="nhsuk-button" type="submit">
          Discharge and send message back
        </button>
      </form>
    </TwoThirds>
  );
}

export function DischargePage() {
  const { id = '' } = useParams();
  return (
    <WithOpenEpisode referralId={id} title="Discharge from social prescribing">
      {(episode) => <DischargeForm episode={episode} />}
    </WithOpenEpisode>
  );
}
