import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { type StudyRole, studyRoleLabels, studyRoles } from '../../../../src/modules/research/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { Radios } from '../../components/choices.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import {
  BackLink,
  ButtonLink,
  PageHeading,
  SuccessBanner,
  SummaryList,
} from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { CaseContext } from './case-context.tsx';
import { codingPaths } from './coding-queries.ts';
import { studyRoleHints } from './labels.ts';
import { Memos } from './memos.tsx';
import { realistPaths } from './realist-queries.ts';
import { recordingsPath } from './recordings-queries.ts';
import { canWrite, dateSpan, SavedBanner, showProblem, WithStudy, Written } from './research-parts.tsx';
import {
  researchPaths,
  type Study,
  useAddSite,
  useRemoveMember,
  useSetMember,
  useTeamCandidates,
} from './research-queries.ts';

/*
 * A study: its details and work packages, its team (leads add, change and remove members), its sites and cases
 * (each case with its link worker's implementation context), and the way to its participants, interviews and
 * follow-ups. The page's forms share one error summary at the top, each naming its own fields.
 */

/** Shows what an action on the page did, or (null) clears the last message as another action starts. */
type Said = (message: string | null) => void;

function Team({ study, errors, said }: { study: Study; errors: FormErrors; said: Said }) {
  const me = useSignedIn();
  const lead = study.myRole === 'lead';
  const candidates = useTeamCandidates(study.id, lead);
  const setMember = useSetMember(study.id);
  const removeMember = useRemoveMember(study.id);
  const rename = (field: string) =>
    field === 'userId' ? 'memberUserId' : field === 'role' ? 'memberRole' : field;
  const roleOf = new Map(study.members.map((m) => [m.userId, m.role]));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (setMember.isPending) return;
    const form = new FormData(event.currentTarget);
    const userId = String(form.get('memberUserId') ?? '');
    const role = String(form.get('memberRole') ?? '');
    const problems = [
      ...(userId ? [] : [{ field: 'memberUserId', message: 'Choose a person from the list' }]),
      ...(role ? [] : [{ field: 'memberRole', message: 'Choose a study role' }]),
    ];
    said(null);
    if (problems.length > 0) return errors.show(problems);
    const name = candidates.data?.find((c) => c.id === userId)?.name ?? 'They';
    setMember.mutate(
      { userId, role },
      {
        onSuccess: () =>
          said(`${name} is on the team as ${studyRoleLabels[role as StudyRole].toLowerCase()}.`),
        onError: (error) => showProblem(errors, error, rename),
      },
    );
  };

  const remove = (userId: string, name: string) => {
    if (removeMember.isPending) return;
    said(null);
    removeMember.mutate(userId, {
      onSuccess: () => said(`${name} is no longer on the team.`),
      onError: (error) => showProblem(errors, error),
    });
  };

  return (
    <section aria-labelledby="team-heading">
      <h2 className="nhsuk-heading-l" id="team-heading">
        Team
      </h2>
      <ResponsiveTable
        caption="Team members and their study roles"
        items={study.members}
        itemKey={(m) => m.userId}
        columns={[
          { header: 'Name', cell: (m) => (m.userId === me.user.id ? `${m.name} (you)` : m.name) },
          { header: 'Study role', cell: (m) => studyRoleLabels[m.role] },
          ...(lead
            ? [
                {
                  header: 'Action',
                  hiddenHeader: true,
                  cell: (m: Study['members'][number]) => (
                    <button
                      className="app-link-button"
                      type="button"
                      onClick={() => remove(m.userId, m.name)}
                    >
                      Remove<span className="nhsuk-u-visually-hidden"> {m.name} from the team</span>
                    </button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {lead && (
        <form onSubmit={submit} noValidate className="app-research-group">
          <h3 className="nhsuk-heading-m">Add someone or change their role</h3>
          <Select
            id="memberUserId"
            label="Person"
            hint="Researchers at the study’s organisation"
            placeholder={candidates.isPending ? 'Loading…' : 'Choose a person'}
            options={(candidates.data ?? []).map((c) => {
              const role = roleOf.get(c.id);
              return { value: c.id, label: role ? `${c.name} (${studyRoleLabels[role]})` : c.name };
            })}
            error={errors.messageFor('memberUserId')}
          />
          <Radios
            id="memberRole"
            legend="Study role"
            items={studyRoles.map((r) => ({ value: r, label: studyRoleLabels[r], hint: studyRoleHints[r] }))}
            error={errors.messageFor('memberRole')}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Save team member
          </button>
        </form>
      )}
    </section>
  );
}

function Sites({ study, errors, said }: { study: Study; errors: FormErrors; said: Said }) {
  const addSite = useAddSite(study.id);
  const rename = (field: string) =>
    field === 'name' ? 'siteName' : field === 'description' ? 'siteDescription' : field;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (addSite.isPending) return;
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const name = String(form.get('siteName') ?? '').trim();
    const description = String(form.get('siteDescription') ?? '').trim();
    said(null);
    if (!name) return errors.show([{ field: 'siteName', message: 'Enter the site’s name' }]);
    addSite.mutate(
      { name, ...(description ? { description } : {}) },
      {
        onSuccess: () => {
          formElement.reset();
          said(`Site ${name} added.`);
        },
        onError: (error) => showProblem(errors, error, rename),
      },
    );
  };

  return (
    <section aria-labelledby="sites-heading">
      <h2 className="nhsuk-heading-l" id="sites-heading">
        Sites
      </h2>
      {study.sites.length === 0 ? (
        <p>No sites yet. A site is a geographical area where one or more cases are studied.</p>
      ) : (
        <ResponsiveTable
          caption="Sites and the cases at each"
          items={study.sites}
          itemKey={(s) => s.id}
          columns={[
            { header: 'Site', cell: (s) => s.name },
            { header: 'Description', cell: (s) => s.description ?? '' },
            {
              header: 'Cases',
              cell: (s) =>
                study.cases
                  .filter((c) => c.siteId === s.id)
                  .map((c) => c.label)
                  .join(', ') || 'None yet',
            },
          ]}
        />
      )}
      {canWrite(study.myRole) && (
        <form onSubmit={submit} noValidate className="app-research-group">
          <h3 className="nhsuk-heading-m">Add a site</h3>
          <TextInput id="siteName" label="Site name" width={20} error={errors.messageFor('siteName')} />
          <Textarea
            id="siteDescription"
            label="Description (optional)"
            hint="For example, an urban PCN with a high-deprivation population"
            rows={2}
            error={errors.messageFor('siteDescription')}
          />
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Add site
          </button>
        </form>
      )}
    </section>
  );
}

function Cases({ study }: { study: Study }) {
  const siteName = (id: string) => study.sites.find((s) => s.id === id)?.name ?? 'Unknown site';
  return (
    <section aria-labelledby="cases-heading">
      <h2 className="nhsuk-heading-l" id="cases-heading">
        Cases
      </h2>
      {study.cases.length === 0 && (
        <p>No cases yet. A case is a link worker at a site, studied in depth for 3 months by default.</p>
      )}
      {study.cases.map((c) => (
        <div className="app-research-case" key={c.id}>
          <h3 className="nhsuk-heading-m">
            {c.label}
            {c.linkWorkerName ? `: ${c.linkWorkerName}` : ''}
          </h3>
          <SummaryList
            rows={[
              { key: 'Site', value: siteName(c.siteId) },
              {
                key: 'Link worker',
                value: c.linkWorkerName
                  ? `${c.linkWorkerName}, ${c.linkWorkerOrganisationName ?? 'PCN not recorded'}`
                  : 'None',
              },
              { key: 'Studied', value: dateSpan(c.startsOn, c.endsOn) },
              { key: 'Participants', value: String(c.participants) },
              ...(c.description ? [{ key: 'Description', value: <Written>{c.description}</Written> }] : []),
            ]}
          />
          <CaseContext studyCase={c} />
          <Memos studyId={study.id} targetType="case" targetId={c.id} about={`case ${c.label}`} />
        </div>
      ))}
      {canWrite(study.myRole) && <ButtonLink to={researchPaths.newCase(study.id)}>Add a case</ButtonLink>}
    </section>
  );
}

function StudyView({ study }: { study: Study }) {
  const errors = useFormErrors({});
  const [notice, setNotice] = useState<string | null>(null);
  usePageTitle(study.title, errors.hasErrors);
  const said: Said = (message) => {
    errors.clear();
    setNotice(message);
  };
  const participants = study.cases.reduce((n, c) => n + c.participants, study.participantsWithoutCase);

  return (
    <>
      <BackLink to={researchPaths.studies}>Back to research studies</BackLink>
      {notice ? (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{notice}</p>
        </SuccessBanner>
      ) : (
        <SavedBanner />
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption="Research study">{study.title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ul className="nhsuk-list app-research-links">
            <li>
              <Link to={researchPaths.participants(study.id)}>Participants ({participants})</Link>
            </li>
            <li>
              <Link to={researchPaths.interviews(study.id)}>Interviews and observations</Link>
            </li>
            <li>
              <Link to={researchPaths.followUps(study.id)}>WP2 follow-ups</Link>
            </li>
            <li>
              <Link to={codingPaths.sources(study.id)}>Transcripts and documents</Link>
            </li>
            {(study.myRole === 'lead' || study.myRole === 'transcriber') && (
              <li>
                <Link to={recordingsPath(study.id)}>Interview recordings</Link>
              </li>
            )}
            <li>
              <Link to={codingPaths.codebook(study.id)}>Codebook</Link>
            </li>
            <li>
              <Link to={codingPaths.segments(study.id)}>Retrieve coded text</Link>
            </li>
            <li>
              <Link to={codingPaths.matrix(study.id)}>Case × code matrix</Link>
            </li>
            {study.myRole === 'lead' && (
              <li>
                <Link to={codingPaths.agreement(study.id)}>Agreement between coders</Link>
              </li>
            )}
            <li>
              <Link to={realistPaths.theory(study.id)}>Programme theory (CMO configurations)</Link>
            </li>
            <li>
              <Link to={realistPaths.crossCase(study.id)}>Cross-case matrix</Link>
            </li>
            <li>
              <Link to={realistPaths.rameses(study.id)}>RAMESES II reporting checklist</Link>
            </li>
          </ul>
          <SummaryList
            rows={[
              { key: 'Research question', value: <Written>{study.question}</Written> },
              { key: 'Your role', value: studyRoleLabels[study.myRole] },
              { key: 'Runs', value: dateSpan(study.startsOn, study.endsOn) },
              { key: 'Ethics reference', value: study.ethicsReference ?? 'Not recorded' },
              { key: 'Funder', value: study.funder ?? 'Not recorded' },
              {
                key: 'Audio recordings',
                value:
                  study.audioRetentionMonths === 0
                    ? 'Deleted when the study ends'
                    : `Kept for ${study.audioRetentionMonths} ${study.audioRetentionMonths === 1 ? 'month' : 'months'} after the study ends`,
              },
              {
                key: 'Transcripts before de-identification',
                value: study.keepUnredactedText ? 'Kept' : 'Not kept once redactions are accepted',
              },
            ]}
          />
          <h2 className="nhsuk-heading-l">Work packages</h2>
          {study.workPackages.length === 0 ? (
            <p>This study has no work packages.</p>
          ) : (
            <SummaryList
              rows={study.workPackages.map((w) => ({
                key: w.code,
                value: (
                  <>
                    <p className="nhsuk-u-margin-bottom-2">
                      <strong>{w.title}</strong>
                    </p>
                    {w.description && <Written>{w.description}</Written>}
                  </>
                ),
              }))}
            />
          )}
          <h2 className="nhsuk-heading-l">Initial programme theory</h2>
          {study.initialProgrammeTheory ? (
            <Written>{study.initialProgrammeTheory}</Written>
          ) : (
            <p>Not recorded yet.</p>
          )}
          <Memos studyId={study.id} targetType="study" about="the study" />
          <Team study={study} errors={errors} said={said} />
          <Sites study={study} errors={errors} said={said} />
          <Cases study={study} />
        </div>
      </div>
    </>
  );
}

export function StudyPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <StudyView study={study} />}</WithStudy>;
}
