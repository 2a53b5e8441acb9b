import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { contactMethods } from '../../../../src/modules/people/contract.ts';
import { selfReferralInput } from '../../../../src/modules/referrals/contract.ts';
import { ApiProblem, api, type FieldProblem, isProblem } from '../../app/api.ts';
import { todayInEngland } from '../../app/format.ts';
import { focusMainHeading, usePageTitle } from '../../app/page.ts';
import { Checkboxes, choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput, readDate } from '../../components/date-input.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { InsetText, Loading, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { contactMethodLabels } from './labels.ts';
import { type SelfReferralResult, usePublicNeedsDomains, usePublicPcn } from './queries.ts';

const heading = 'Ask for help from a social prescribing link worker';

function readBody(form: FormData) {
  const date = readDate(form, 'dateOfBirth', 'Date of birth', '14 3 1958');
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const website = String(form.get('website') ?? '');
  const body = {
    givenName: text('givenName'),
    familyName: text('familyName'),
    dateOfBirth: date.kind === 'date' ? date.value : '',
    postcode: text('postcode') || null,
    phone: text('phone') || null,
    email: text('email') || null,
    preferredContactMethod: text('preferredContactMethod') || null,
    reasons: form.getAll('reasons').map(String),
    whatMatters: text('whatMatters') || null,
    consentToReferral: form.get('consentToReferral') === 'yes',
    // The honeypot goes only when something filled it in, and the API then quietly stores nothing.
    ...(website ? { website } : {}),
  };
  const problems: FieldProblem[] = check(selfReferralInput, body).map((problem) => {
    if (problem.field === 'dateOfBirth' && date.kind === 'invalid') {
      return { field: problem.field, message: date.message };
    }
    return problem;
  });
  if (date.kind === 'date' && date.value > todayInEngland()) {
    problems.push({ field: 'dateOfBirth', message: 'Your date of birth must be in the past' });
  }
  return { body, problems };
}

function UrgentHelp() {
  return (
    <>
      If you feel unsafe or need urgent help, call <strong>999</strong>, or call <strong>111</strong> if it is
      not an emergency.
    </>
  );
}

function RequestSent({ result }: { result: SelfReferralResult }) {
  return (
    <TwoThirds>
      <div className="nhsuk-panel">
        <h1 className="nhsuk-panel__heading" tabIndex={-1}>
          Request sent
        </h1>
        <div className="nhsuk-panel__body">
          Your reference is <strong className="app-reference">{result.reference}</strong>
        </div>
      </div>
      <h2 className="nhsuk-heading-m">What happens next</h2>
      <p>A link worker from {result.pcnName} will contact you within 2 weeks.</p>
      <p>
        <UrgentHelp />
      </p>
    </TwoThirds>
  );
}

/** Why the page cannot be shown, in words for the public: no sign-in links, and where else to get help. */
function PublicProblem({ error }: { error: unknown }) {
  const notFound = isProblem(error, 404);
  const title = notFound ? 'We could not find this service' : 'Sorry, there is a problem with the service';
  usePageTitle(title);
  return (
    <TwoThirds>
      <PageHeading>{title}</PageHeading>
      {error instanceof ApiProblem && error.detail && <p>{error.detail}</p>}
      {!notFound && <p>Try again later.</p>}
      <p>You can also ask your GP practice to refer you to a social prescribing link worker.</p>
    </TwoThirds>
  );
}

/** A person asks a PCN's link worker service for help themself, without signing in. */
export function SelfReferralPage() {
  const { pcn = '' } = useParams();
  const service = usePublicPcn(pcn);
  const needsDomains = usePublicNeedsDomains();
  const errors = useFormErrors({ anchors: { dateOfBirth: 'dateOfBirth-day' } });
  const [sent, setSent] = useState<SelfReferralResult | null>(null);
  usePageTitle(sent ? 'Request sent' : heading, errors.hasErrors);

  // The address stays the same between the form and the confirmation, so announce each as a new page.
  const shown = useRef(sent);
  useEffect(() => {
    if (shown.current === sent) return;
    shown.current = sent;
    window.scrollTo(0, 0);
    focusMainHeading();
  }, [sent]);

  const send = useMutation({
    mutationFn: (body: unknown) =>
      api.post<SelfReferralResult>(`/api/public/pcns/${encodeURIComponent(pcn)}/self-referrals`, body, {
        anonymous: true,
      }),
    onSuccess: setSent,
    onError: (error) => {
      if (isProblem(error, 413)) errors.show([{ field: 'whatMatters', message: 'Your message is too long' }]);
      else errors.showError(error);
    },
  });

  if (sent) return <RequestSent result={sent} />;
  if (service.isPending || needsDomains.isPending) return <Loading />;
  if (service.isError) return <PublicProblem error={service.error} />;
  if (needsDomains.isError) return <PublicProblem error={needsDomains.error} />;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (send.isPending) return;
    const { body, problems } = readBody(new FormData(event.currentTarget));
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    send.mutate(body);
  };

  return (
    <TwoThirds>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={service.data.name}>{heading}</PageHeading>
      <p>
        A link worker can help you with things that affect your wellbeing, like feeling lonely, money worries
        or housing. They will contact you to talk about what matters to you.
      </p>
      <InsetText>
        <p>
          <UrgentHelp />
        </p>
      </InsetText>
      <form onSubmit={submit} noValidate>
        <h2 className="nhsuk-heading-m">About you</h2>
        <TextInput
          id="givenName"
          label="First name"
          autoComplete="given-name"
          spellCheck={false}
          error={errors.messageFor('givenName')}
        />
        <TextInput
          id="familyName"
          label="Last name"
          autoComplete="family-name"
          spellCheck={false}
          error={errors.messageFor('familyName')}
        />
        <DateInput
          id="dateOfBirth"
          legend="Date of birth"
          hint="For example, 14 3 1958"
          autoComplete="bday"
          error={errors.messageFor('dateOfBirth')}
        />
        <TextInput
          id="postcode"
          label="Postcode (optional)"
          width={10}
          autoComplete="postal-code"
          spellCheck={false}
          error={errors.messageFor('postcode')}
        />

        <h2 className="nhsuk-heading-m">How to contact you</h2>
        <TextInput
          id="phone"
          label="Phone number (optional)"
          type="tel"
          width={20}
          autoComplete="tel"
          error={errors.messageFor('phone')}
        />
        <TextInput
          id="email"
          label="Email address (optional)"
          type="email"
          autoComplete="email"
          spellCheck={false}
          error={errors.messageFor('email')}
        />
        <Radios
          id="preferredContactMethod"
          legend="How should we contact you? (optional)"
          items={choicesFrom(contactMethods, contactMethodLabels)}
          error={errors.messageFor('preferredContactMethod')}
        />

        <Checkboxes
          id="reasons"
          legendSize="m"
          legend="What would you like help with? (optional)"
          hint="Select all that apply"
          items={needsDomains.data.map((domain) => ({ value: domain.code, label: domain.label }))}
          error={errors.messageFor('reasons')}
        />
        <Textarea
          id="whatMatters"
          label="Tell us a bit about what matters to you (optional)"
          hint="For example, what you enjoy, what is hard at the moment, or what you would like to change"
          error={errors.messageFor('whatMatters')}
        />
        <div aria-hidden="true" className="nhsuk-u-visually-hidden">
          <TextInput id="website" label="Leave this empty" tabIndex={-1} autoComplete="off" />
        </div>

        <Checkboxes
          id="consentToReferral"
          legend="Your agreement"
          hint={`We will share what you tell us with the link worker service at ${service.data.name}.`}
          items={[{ value: 'yes', label: 'I agree to be referred to the social prescribing service' }]}
          error={errors.messageFor('consentToReferral')}
        />
        <button className="nhsuk-button" type="submit">
          Send
        </button>
      </form>
    </TwoThirds>
  );
}
