import { type FormEvent, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import {
  collectionModeLabels,
  collectionStatusLabels,
  consentInput,
  consentScopeLabels,
  consentScopes,
  participantRoleLabels,
} from '../../../../src/modules/research/contract.ts';
import type { FieldProblem } from '../../app/api.ts';
import { formatDate, formatDateTime, shortId, todayInEngland } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Checkboxes } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  InfoBanner,
  Loading,
  PageHeading,
  SuccessBanner,
  SummaryList,
  Tag,
} from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { collectionKindLabels, collectionStatusColours } from './labels.ts';
import { ContactFields, contactFromForm, contactRename } from './participant-contact.tsx';
import { canWrite, SavedBanner, showProblem } from './research-parts.tsx';
import {
  type Participant,
  researchPaths,
  useParticipant,
  useRecordConsent,
  useStudy,
  useUpdateContact,
} from './research-queries.ts';

/*
 * One participant: their study ID, role, case, consent history and interviews for the whole team; who they are
 * for the study's leads only; recording consent; and, for leads, the way to record a withdrawal. Once they have
 * withdrawn the page says so above everything else.
 */

type Said = (message: string) => void;

function WithdrawnBanner({ participant }: { participant: Participant }) {
  if (!participant.withdrawnOn) return null;
  return (
    <InfoBanner title="Withdrawn">
      <p className="nhsuk-notification-banner__heading">
        {participant.studyCode} withdrew from the study on {formatDate(participant.withdrawnOn)}.
      </p>
      <p>
        {participant.withdrawalChoice === 'remove_data'
          ? 'They asked for their data to be removed: who they are, their recordings, transcripts and codings are gone, and nothing more is collected.'
          : 'The data already collected is kept; nothing more is collected. Their planned interviews were cancelled.'}
      </p>
      {participant.withdrawalReason && <p>Reason given: {participant.withdrawalReason}</p>}
    </InfoBanner>
  );
}

function ContactSection({
  participant,
  errors,
  said,
}: {
  participant: Participant;
  errors: FormErrors;
  said: Said;
}) {
  const update = useUpdateContact(participant.id);
  const removed = participant.withdrawalChoice === 'remove_data';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (update.isPending) return;
    errors.clear();
    update.mutate(contactFromForm(new FormData(event.currentTarget)) ?? {}, {
      onSuccess: () => said('Contact details saved.'),
      onError: (error) => showProblem(errors, error, contactRename),
    });
  };
  return (
    <section aria-labelledby="contact-heading">
      <h2 className="nhsuk-heading-l" id="contact-heading">
        Who they are
      </h2>
      {removed ? (
        <p>Their contact details were removed when they withdrew.</p>
      ) : (
        <form onSubmit={submit} noValidate key={JSON.stringify(participant.contact)}>
          <ContactFields
            errors={errors}
            values={participant.contact}
            legend="Contact details"
            legendSize="s"
          />
          {participant.contact?.pathwayPersonId && (
            <p>
              Linked to their social prescribing record (person {shortId(participant.contact.pathwayPersonId)}
              ) with their consent.
            </p>
          )}
          <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={update.isPending}>
            Save contact details
          </button>
        </form>
      )}
    </section>
  );
}

function ConsentForm({
  participant,
  errors,
  said,
}: {
  participant: Participant;
  errors: FormErrors;
  said: Said;
}) {
  const record = useRecordConsent(participant.id);
  const canLink = participant.identifiableVisible && participant.role === 'patient';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (record.isPending) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const consentedOn = readDate(form, 'consentedOn', 'The date of consent');
    const scopes = form.getAll('scopes').map(String);
    const personId = String(form.get('pathwayPersonId') ?? '').trim();
    const body = {
      formVersion: String(form.get('formVersion') ?? '').trim(),
      consentedOn: consentedOn.kind === 'date' ? consentedOn.value : '',
      scopes,
      // The record is linked only with consent to it: an id typed before unticking the box is not sent.
      pathwayPersonId: canLink && scopes.includes('pathway_record') && personId ? personId : null,
    };
    const problems: FieldProblem[] = check(consentInput, body, {
      pathwayPersonId: 'Enter the person’s record id as it appears on their page, like 0190a5c4-…',
    }).filter((p) => p.field !== 'consentedOn');
    if (consentedOn.kind !== 'date') {
      problems.push({
        field: 'consentedOn',
        message: consentedOn.kind === 'invalid' ? consentedOn.message : 'Enter the date of consent',
      });
    } else if (consentedOn.value > todayInEngland()) {
      problems.push({ field: 'consentedOn', message: 'The date of consent must be today or in the past' });
    }
    if (problems.length > 0)
      return errors.show(problems.map((p) => ({ ...p, field: p.field.split('.')[0]! })));
    errors.clear();
    record.mutate(body, {
      onSuccess: () => {
        formElement.reset();
        said(`Consent on form ${body.formVersion} recorded.`);
      },
      onError: (error) => showProblem(errors, error, (field) => field.split('.')[0]!),
    });
  };
  return (
    <section aria-labelledby="consent-form-heading">
      <h2 className="nhsuk-heading-l" id="consent-form-heading">
        Record consent
      </h2>
      <p>Record each consent form they sign. The latest one counts.</p>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="formVersion"
          label="Consent form version"
          hint="As printed on the form, for example v1.2"
          width={10}
          spellCheck={false}
          defaultValue={participant.consent?.formVersion ?? ''}
          error={errors.messageFor('formVersion')}
        />
        <DateInput
          id="consentedOn"
          legend="Date they signed it"
          hint="For example, 15 3 2026"
          defaultValue={todayInEngland()}
          error={errors.messageFor('consentedOn')}
        />
        <Checkboxes
          id="scopes"
          legend="What they agreed to"
          hint="Select all they ticked or initialled on the form"
          items={consentScopes.map((s) => ({
            value: s,
            label: consentScopeLabels[s],
            conditional:
              s === 'pathway_record' && canLink ? (
                <TextInput
                  id="pathwayPersonId"
                  label="Their social prescribing record’s person id (optional)"
                  hint="From the address of their page in Linkwork. Only study leads link records."
                  spellCheck={false}
                  code
                  error={errors.messageFor('pathwayPersonId')}
                />
              ) : undefined,
          }))}
          error={errors.messageFor('scopes')}
        />
        <button className="nhsuk-button" type="submit" disabled={record.isPending}>
          {record.isPending ? 'Recording…' : 'Record consent'}
        </button>
      </form>
    </section>
  );
}

function ParticipantView({ participant, studyId }: { participant: Participant; studyId: string | null }) {
  const study = useStudy(studyId);
  const errors = useFormErrors({ anchors: { consentedOn: 'consentedOn-day' } });
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(participant.studyCode, errors.hasErrors);
  const lead = participant.identifiableVisible;
  // Without the study (a link from elsewhere) the forms show and the API refuses what the role may not do.
  const writer = study.data ? canWrite(study.data.myRole) : true;
  const withdrawn = !!participant.withdrawnOn;
  const said: Said = (message) => {
    errors.clear();
    setNotice(message);
  };
  const consent = participant.consent;

  return (
    <>
      {studyId ? (
        <BackLink to={researchPaths.participants(studyId)}>Back to participants</BackLink>
      ) : (
        <BackLink to={researchPaths.studies}>Back to research studies</BackLink>
      )}
      <WithdrawnBanner participant={participant} />
      {notice ? (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      ) : (
        !withdrawn && <SavedBanner />
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.data?.title ?? 'Participant'}>{participant.studyCode}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: 'Study ID', value: participant.studyCode },
              { key: 'Role', value: participantRoleLabels[participant.role] },
              { key: 'Case', value: participant.caseLabel ?? 'Not part of a case' },
              {
                key: 'Status',
                value: withdrawn ? <Tag colour="red">Withdrawn</Tag> : <Tag colour="green">Taking part</Tag>,
              },
              {
                key: 'Latest consent',
                value: consent
                  ? `Form ${consent.formVersion}, ${formatDate(consent.consentedOn)}`
                  : 'None recorded yet',
              },
            ]}
          />
          {lead && <ContactSection participant={participant} errors={errors} said={said} />}

          <h2 className="nhsuk-heading-l">Consent</h2>
          {participant.consents.length === 0 ? (
            <p>No consent recorded yet. They cannot be interviewed until it is.</p>
          ) : (
            <ResponsiveTable
              caption="Consent history, latest first"
              items={participant.consents}
              itemKey={(c) => c.id}
              columns={[
                { header: 'Signed', nowrap: true, cell: (c) => formatDate(c.consentedOn) },
                { header: 'Form', cell: (c) => c.formVersion },
                {
                  header: 'What they agreed to',
                  cell: (c) =>
                    c.scopes.length === 0 ? (
                      'Nothing'
                    ) : (
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {c.scopes.map((s) => (
                          <li key={s}>{consentScopeLabels[s]}</li>
                        ))}
                      </ul>
                    ),
                },
                { header: 'Recorded', cell: (c) => formatDateTime(c.recordedAt) },
              ]}
            />
          )}
          {writer && !withdrawn && <ConsentForm participant={participant} errors={errors} said={said} />}

          <h2 className="nhsuk-heading-l">Interviews and observations</h2>
          {participant.collections.length === 0 ? (
            <p>None planned yet.</p>
          ) : (
            <ResponsiveTable
              caption={`With ${participant.studyCode}`}
              items={participant.collections}
              itemKey={(c) => c.id}
              columns={[
                { header: 'Date', nowrap: true, cell: (c) => formatDate(c.heldOn ?? c.scheduledOn) },
                { header: 'What', cell: (c) => `${collectionKindLabels[c.kind]}, ${c.workPackage}` },
                { header: 'How', cell: (c) => collectionModeLabels[c.mode] },
                { header: 'Researcher', cell: (c) => c.researcherName ?? 'Not assigned' },
                {
                  header: 'Status',
                  cell: (c) => (
                    <Tag colour={collectionStatusColours[c.status]}>{collectionStatusLabels[c.status]}</Tag>
                  ),
                },
              ]}
            />
          )}
          {studyId && writer && !withdrawn && (
            <p>
              <Link
                to={`${researchPaths.newInterview(studyId)}?participantId=${encodeURIComponent(participant.id)}`}
              >
                Plan an interview with {participant.studyCode}
              </Link>
            </p>
          )}

          {lead && !withdrawn && (
            <section aria-labelledby="withdrawal-heading">
              <h2 className="nhsuk-heading-l" id="withdrawal-heading">
                Withdrawal
              </h2>
              <p>
                Participants may withdraw at any time without giving a reason. Nothing more is collected from
                them, and they choose whether the data already collected is kept or removed.
              </p>
              <Link
                className="nhsuk-button nhsuk-button--warning"
                to={researchPaths.withdrawal(participant.id, studyId)}
              >
                Record a withdrawal
              </Link>
            </section>
          )}
        </div>
      </div>
    </>
  );
}

export function ParticipantPage() {
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const participant = useParticipant(id);
  if (participant.isPending) return <Loading />;
  if (participant.isError) return <ProblemPage error={participant.error} />;
  return <ParticipantView participant={participant.data} studyId={params.get('study')} />;
}
