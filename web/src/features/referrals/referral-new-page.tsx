import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { type Referral, referralInput, urgencies } from '../../../../src/modules/referrals/contract.ts';
import { api, type FieldProblem } from '../../app/api.ts';
import { todayInEngland } from '../../app/format.ts';
import { focusMainHeading, usePageTitle } from '../../app/page.ts';
import { Checkboxes, Radios } from '../../components/choices.tsx';
import { readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { urgencyHints, urgencyLabels } from './labels.ts';
import { PersonFields, personAnchors, readPerson } from './person-fields.tsx';
import { referralsKey, triageKey, useNeedsDomains } from './queries.ts';
import { referralReference } from './referral-parts.tsx';

function readBody(form: FormData) {
  const date = readDate(form, 'person-dateOfBirth', 'Date of birth', '14 3 1958');
  const consent = form.getAll('consent');
  const body = {
    person: readPerson(form, date.kind === 'date' ? date.value : ''),
    reasons: form.getAll('reasons').map(String),
    context: String(form.get('context') ?? '').trim() || null,
    // The API treats a missing urgency as routine; here the referrer chooses.
    urgency: String(form.get('urgency') ?? '') || null,
    consentToReferral: consent.includes('referral'),
  };
  const problems: FieldProblem[] = check(referralInput, body).map((problem) => {
    if (problem.field !== 'person.dateOfBirth') return problem;
    if (date.kind === 'invalid') return { field: problem.field, message: date.message };
    return { field: problem.field, message: 'Enter their date of birth' };
  });
  if (date.kind === 'date' && date.value > todayInEngland()) {
    problems.push({ field: 'person.dateOfBirth', message: 'Date of birth must be in the past' });
  }
  return { body, problems };
}

function ReferralSent({ referral, onReferAnother }: { referral: Referral; onReferAnother: () => void }) {
  return (
    <TwoThirds>
      <div className="nhsuk-panel">
        <h1 className="nhsuk-panel__heading" tabIndex={-1}>
          Referral sent
        </h1>
        <div className="nhsuk-panel__body">
          {referral.personName} has been referred to social prescribing
          <br />
          Your reference is <strong>{referralReference(referral)}</strong>
        </div>
      </div>
      <h2 className="nhsuk-heading-m">What happens next</h2>
      <p>
        The lead link worker reads the referral and allocates a link worker, who will contact{' '}
        {referral.personName}. You can see what has happened to your referrals in Linkwork.
      </p>
      <ul className="nhsuk-list">
        <li>
          <Link to="/referrals/new" onClick={onReferAnother}>
            Refer someone else
          </Link>
        </li>
        <li>
          <Link to="/referrals/mine">See your referrals</Link>
        </li>
      </ul>
    </TwoThirds>
  );
}

export function ReferralNewPage() {
  const needsDomains = useNeedsDomains();
  const queryClient = useQueryClient();
  const errors = useFormErrors({ anchors: personAnchors });
  const [sent, setSent] = useState<Referral | null>(null);
  usePageTitle(sent ? 'Referral sent' : 'Refer someone', errors.hasErrors);

  // The address stays the same between the form and the confirmation, so announce each as a new page.
  const shown = useRef(sent);
  useEffect(() => {
    if (shown.current === sent) return;
    shown.current = sent;
    window.scrollTo(0, 0);
    focusMainHeading();
  }, [sent]);

  const create = useMutation({
    mutationFn: (body: unknown) => api.post<Referral>('/api/referrals', body),
    onSuccess: (referral) => {
      void queryClient.invalidateQueries({ queryKey: referralsKey });
      void queryClient.invalidateQueries({ queryKey: triageKey });
      setSent(referral);
    },
    onError: errors.showError,
  });

  if (sent) {
    return (
      <ReferralSent
        referral={sent}
        onReferAnother={() => {
          create.reset();
          errors.clear();
          setSent(null);
        }}
      />
    );
  }
  if (needsDomains.isPending) return <Loading />;
  if (needsDomains.isError) return <ProblemPage error={needsDomains.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (create.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    create.mutate(body);
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Refer someone</PageHeading>
      <p>
        Refer someone to a social prescribing link worker. The lead link worker at the PCN reads each referral
        and allocates a link worker, who contacts the person.
      </p>
      <form onSubmit={submit} noValidate>
        <PersonFields errors={errors} />

        <h2 className="nhsuk-heading-m">Why are you referring them?</h2>
        <Checkboxes
          id="reasons"
          legend="Reasons for referral"
          hint="Select all that apply"
          items={needsDomains.data.map((domain) => ({ value: domain.code, label: domain.label }))}
          error={errors.messageFor('reasons')}
        />
        <Textarea
          id="context"
          label="Anything else the link worker should know (optional)"
          hint="For example, what matters to them, or what might make it hard for them to take part"
          error={errors.messageFor('context')}
        />
        <Radios
          id="urgency"
          legend="How urgent is this?"
          items={urgencies.map((urgency) => ({
            value: urgency,
            label: urgencyLabels[urgency],
            hint: urgencyHints[urgency],
          }))}
          error={errors.messageFor('urgency')}
        />

        <h2 className="nhsuk-heading-m">Consent</h2>
        <Checkboxes
          id="consentToReferral"
          name="consent"
          legend="What have they agreed to?"
          hint="Only refer someone who has agreed to be referred. Sharing their details with community services is optional."
          items={[
            { value: 'referral', label: 'They agree to be referred to the social prescribing service' },
            { value: 'share', label: 'They agree to their details being shared with community services' },
          ]}
          error={errors.messageFor('consentToReferral')}
        />
        <button className="nhsuk-button" type="submit">
          Send referral
        </button>
      </form>
    </TwoThirds>
  );
}
