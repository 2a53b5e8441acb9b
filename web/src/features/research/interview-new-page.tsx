import type { FormEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import {
  collectionInput,
  collectionKinds,
  collectionModeLabels,
  collectionModes,
  participantRoleLabels,
} from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { collectionKindLabels } from './labels.ts';
import { canWrite, showProblem, WithStudy } from './research-parts.tsx';
import {
  researchPaths,
  type Study,
  useCollections,
  useParticipants,
  useScheduleCollection,
} from './research-queries.ts';

/*
 * Planning an interview or observation. The follow-up list links here with the work package, the patient and the
 * WP1 interview a WP2 interview follows already chosen (?workPackage=WP2&participantId=…&followUpOf=…).
 */

function PlanForm({ study }: { study: Study }) {
  const me = useSignedIn();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const participants = useParticipants(study.id);
  const collections = useCollections(study.id);
  const schedule = useScheduleCollection(study.id);
  const errors = useFormErrors({ anchors: { scheduledOn: 'scheduledOn-day' } });
  const title = 'Plan an interview or observation';
  usePageTitle(title, errors.hasErrors);
  const back = researchPaths.interviews(study.id);

  if (!canWrite(study.myRole)) {
    return (
      <TwoThirds>
        <BackLink to={back}>Back to interviews and observations</BackLink>
        <PageHeading caption={study.title}>{title}</PageHeading>
        <p>Only the study’s leads and researchers plan interviews and observations.</p>
      </TwoThirds>
    );
  }
  if (participants.isPending || collections.isPending) return <Loading />;
  if (participants.isError) return <InlineProblem error={participants.error} />;

  const taking = participants.data.filter((p) => !p.withdrawnOn);
  const firstInterviews = (collections.data ?? []).filter(
    (c) => c.workPackage === 'WP1' && c.kind === 'interview' && c.status === 'done',
  );
  const wantedWp = params.get('workPackage');
  const defaultWp = study.workPackages.some((w) => w.code === wantedWp)
    ? wantedWp
    : study.workPackages[0]?.code;
  const onTeam = study.members.some((m) => m.userId === me.user.id);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (schedule.isPending) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const scheduledOn = readDate(form, 'scheduledOn', 'The date');
    const workPackage = text('workPackage');
    const body = {
      participantId: text('participantId') || null,
      caseId: text('caseId') || null,
      kind: text('kind') || undefined,
      workPackage: workPackage || undefined,
      mode: text('mode') || undefined,
      scheduledOn: scheduledOn.kind === 'date' ? scheduledOn.value : '',
      researcherId: text('researcherId') || null,
      ...(text('topicGuideVersion') ? { topicGuideVersion: text('topicGuideVersion') } : {}),
      followUpOf: workPackage === 'WP2' ? text('followUpOf') || null : null,
    };
    const problems: FieldProblem[] = check(collectionInput, body, {
      kind: 'Choose interview or observation',
      workPackage: 'Choose the work package',
      mode: 'Choose how it takes place',
    }).filter((p) => p.field !== 'scheduledOn');
    if (scheduledOn.kind !== 'date') {
      problems.push({
        field: 'scheduledOn',
        message: scheduledOn.kind === 'invalid' ? scheduledOn.message : 'Enter the date it is planned for',
      });
    }
    if (body.kind === 'interview' && !body.participantId) {
      problems.push({ field: 'participantId', message: 'Choose who is interviewed' });
    }
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    schedule.mutate(body, {
      onSuccess: (planned) =>
        navigate(back, {
          state: {
            saved: `${collectionKindLabels[planned.kind]}${planned.participantCode ? ` with ${planned.participantCode}` : ''} planned for ${formatDate(planned.scheduledOn)}.`,
          },
        }),
      onError: (error) => showProblem(errors, error),
    });
  };

  return (
    <TwoThirds>
      <BackLink to={back}>Back to interviews and observations</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <form onSubmit={submit} noValidate>
        <Radios
          id="kind"
          legend="What is it?"
          inline
          items={collectionKinds.map((k) => ({ value: k, label: collectionKindLabels[k] }))}
          defaultValue="interview"
          error={errors.messageFor('kind')}
        />
        <Select
          id="participantId"
          label="Participant"
          hint="Needed for an interview; optional for an observation"
          placeholder="Choose a participant"
          options={taking.map((p) => ({
            value: p.id,
            label: `${p.studyCode} (${participantRoleLabels[p.role]})`,
          }))}
          defaultValue={params.get('participantId') ?? ''}
          error={errors.messageFor('participantId')}
        />
        <Select
          id="caseId"
          label="Case (optional)"
          hint="For an observation without a participant. An interview belongs to its participant’s case."
          placeholder="The participant’s case"
          options={study.cases.map((c) => ({ value: c.id, label: c.label }))}
          error={errors.messageFor('caseId')}
        />
        {study.workPackages.length === 0 ? (
          <p className="nhsuk-error-message">
            The study has no work packages: a lead adds them to the study before anything can be planned.
          </p>
        ) : (
          <Radios
            id="workPackage"
            legend="Work package"
            items={study.workPackages.map((w) => ({
              value: w.code,
              label: `${w.code}: ${w.title}`,
              conditional:
                w.code === 'WP2' ? (
                  <Select
                    id="followUpOf"
                    label="The WP1 interview it follows up"
                    hint="WP2 interviews follow up a patient’s WP1 interview, 9 to 12 months on"
                    placeholder="Choose the WP1 interview"
                    options={firstInterviews.map((c) => ({
                      value: c.id,
                      label: `${c.participantCode ?? 'Unknown'}: ${formatDate(c.heldOn ?? c.scheduledOn)}`,
                    }))}
                    defaultValue={params.get('followUpOf') ?? ''}
                    error={errors.messageFor('followUpOf')}
                  />
                ) : undefined,
            }))}
            defaultValue={defaultWp}
            error={errors.messageFor('workPackage')}
          />
        )}
        <Radios
          id="mode"
          legend="How does it take place?"
          items={collectionModes.map((m) => ({ value: m, label: collectionModeLabels[m] }))}
          error={errors.messageFor('mode')}
        />
        <DateInput
          id="scheduledOn"
          legend="Date it is planned for"
          hint="For example, 15 3 2026"
          error={errors.messageFor('scheduledOn')}
        />
        <Select
          id="researcherId"
          label="Researcher"
          placeholder="Not assigned yet"
          options={study.members.map((m) => ({ value: m.userId, label: m.name }))}
          defaultValue={onTeam ? me.user.id : ''}
          error={errors.messageFor('researcherId')}
        />
        <TextInput
          id="topicGuideVersion"
          label="Topic guide version (optional)"
          hint="For example, TG-patient-v2"
          width={10}
          spellCheck={false}
          error={errors.messageFor('topicGuideVersion')}
        />
        <button className="nhsuk-button" type="submit" disabled={schedule.isPending}>
          {schedule.isPending ? 'Planning…' : 'Plan it'}
        </button>
      </form>
    </TwoThirds>
  );
}

export function InterviewNewPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <PlanForm study={study} />}</WithStudy>;
}
