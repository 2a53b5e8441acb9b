import type { FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import {
  participantInput,
  participantRoleLabels,
  participantRoles,
} from '../../../../src/modules/research/contract.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { consentScopeShortLabels } from './labels.ts';
import { ContactFields, contactFromForm, contactRename } from './participant-contact.tsx';
import { canWrite, SavedBanner, showProblem, WithStudy } from './research-parts.tsx';
import {
  type ParticipantSummary,
  researchPaths,
  type Study,
  useAddParticipant,
  useParticipants,
} from './research-queries.ts';

function Consent({ participant }: { participant: ParticipantSummary }) {
  const consent = participant.consent;
  if (!consent) return <>None recorded</>;
  return (
    <>
      {consent.scopes.length === 0
        ? 'Nothing agreed'
        : consent.scopes.map((s) => consentScopeShortLabels[s]).join(', ')}
      <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0 app-research-meta">
        Form {consent.formVersion}, {formatDate(consent.consentedOn)}
      </span>
    </>
  );
}

function AddParticipant({ study, errors }: { study: Study; errors: FormErrors }) {
  const navigate = useNavigate();
  const add = useAddParticipant(study.id);
  const lead = study.myRole === 'lead';

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (add.isPending) return;
    const form = new FormData(event.currentTarget);
    const caseId = String(form.get('caseId') ?? '');
    const contact = lead ? contactFromForm(form) : null;
    const body = {
      caseId: caseId || null,
      role: String(form.get('role') ?? '') || undefined,
      ...(contact ? { contact } : {}),
    };
    const problems = check(participantInput, body, { role: 'Choose the participant’s role' }).map((p) => ({
      ...p,
      field: contactRename(p.field),
    }));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    add.mutate(body, {
      onSuccess: (added) =>
        navigate(researchPaths.participant(added.id, study.id), {
          state: { saved: `Participant added with the study ID ${added.studyCode}.` },
        }),
      onError: (error) => showProblem(errors, error, contactRename),
    });
  };

  return (
    <section aria-labelledby="add-participant">
      <h2 className="nhsuk-heading-l" id="add-participant">
        Add a participant
      </h2>
      <p>They get a study ID from their case and role, like C3-GP-02, which is all the team sees.</p>
      <form onSubmit={submit} noValidate>
        <Select
          id="caseId"
          label="Case"
          placeholder="Not part of a case"
          options={study.cases.map((c) => ({
            value: c.id,
            label: c.linkWorkerName ? `${c.label}: ${c.linkWorkerName}` : c.label,
          }))}
          error={errors.messageFor('caseId')}
        />
        <Radios
          id="role"
          legend="Their role"
          items={participantRoles.map((r) => ({ value: r, label: participantRoleLabels[r] }))}
          error={errors.messageFor('role')}
        />
        {lead && <ContactFields errors={errors} />}
        <button className="nhsuk-button" type="submit" disabled={add.isPending}>
          {add.isPending ? 'Adding…' : 'Add participant'}
        </button>
      </form>
    </section>
  );
}

function Participants({ study }: { study: Study }) {
  const participants = useParticipants(study.id);
  const errors = useFormErrors({});
  const title = 'Participants';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      <SavedBanner />
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      {participants.isPending && <Loading what="participants" />}
      {participants.isError && <InlineProblem error={participants.error} />}
      {participants.data?.length === 0 && <p>No participants yet.</p>}
      {participants.data && participants.data.length > 0 && (
        <ResponsiveTable
          caption="Participants by study ID"
          items={participants.data}
          itemKey={(p) => p.id}
          columns={[
            {
              header: 'Study ID',
              nowrap: true,
              cell: (p) => <Link to={researchPaths.participant(p.id, study.id)}>{p.studyCode}</Link>,
            },
            { header: 'Role', cell: (p) => participantRoleLabels[p.role] },
            { header: 'Case', cell: (p) => p.caseLabel ?? 'None' },
            { header: 'Latest consent', cell: (p) => <Consent participant={p} /> },
            {
              header: 'Status',
              nowrap: true,
              cell: (p) =>
                p.withdrawnOn ? (
                  <>
                    <Tag colour="red">Withdrawn</Tag>
                    <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0 app-research-meta">
                      {formatDate(p.withdrawnOn)}
                    </span>
                  </>
                ) : (
                  <Tag colour="green">Taking part</Tag>
                ),
            },
          ]}
        />
      )}
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {canWrite(study.myRole) && <AddParticipant study={study} errors={errors} />}
        </div>
      </div>
    </>
  );
}

export function ParticipantsPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Participants study={study} />}</WithStudy>;
}
