import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { mfaCodeBody } from '../../../../src/modules/identity/contract.ts';
import { api, isProblem } from '../../app/api.ts';
import { focusMainHeading, usePageTitle } from '../../app/page.ts';
import { meKey, useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, PageHeading, TwoThirds } from '../../components/page-parts.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { useContinueSignIn } from './complete-sign-in.ts';

interface Enrolment {
  secret: string;
  otpauthUri: string;
  qrCodeSvg: string;
}

type Step =
  | { name: 'start' }
  | { name: 'scan'; enrolment: Enrolment }
  | { name: 'codes'; recoveryCodes: string[] };

const titles: Record<Step['name'], string> = {
  start: 'Set up two-factor authentication',
  scan: 'Add Linkwork to your authenticator app',
  codes: 'Save your recovery codes',
};

function groupsOfFour(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

function StartStep({
  required,
  onStart,
  pending,
  errors,
}: {
  required: boolean;
  onStart: () => void;
  pending: boolean;
  errors: ReturnType<typeof useFormErrors>;
}) {
  usePageTitle(titles.start, errors.hasErrors);
  return (
    <>
      {!required && <BackLink to="/account">Back to your account</BackLink>}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{titles.start}</PageHeading>
      {required ? (
        <p>
          Your organisation needs everyone with your roles to use two-factor authentication. You will need to
          set it up before you can use Linkwork.
        </p>
      ) : (
        <p>Two-factor authentication keeps your account safe even if someone finds out your password.</p>
      )}
      <p>Each time you sign in, you will enter your password and then a code from an app on your phone.</p>
      <p>
        You need an authenticator app, such as Microsoft Authenticator or Google Authenticator. Install one
        from your phone’s app store before you continue.
      </p>
      <button
        className="nhsuk-button"
        type="button"
        onClick={() => {
          if (!pending) onStart();
        }}
      >
        Continue
      </button>
    </>
  );
}

function ScanStep({
  enrolment,
  onConfirmed,
}: {
  enrolment: Enrolment;
  onConfirmed: (codes: string[]) => void;
}) {
  const errors = useFormErrors();
  const confirm = useMutation({
    mutationFn: (body: { code: string }) =>
      api.post<{ recoveryCodes: string[] }>('/api/auth/mfa/enrolment/confirm', body),
    onSuccess: (result) => onConfirmed(result.recoveryCodes),
    onError: (error) => {
      if (isProblem(error) && error.errors.length === 0 && error.status === 400) {
        errors.show([{ field: 'code', message: error.detail ?? 'Enter the 6-digit code shown in your app' }]);
      } else errors.showError(error);
    },
  });
  usePageTitle(titles.scan, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (confirm.isPending) return;
    const body = { code: String(new FormData(event.currentTarget).get('code') ?? '') };
    const problems = check(mfaCodeBody, body);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    confirm.mutate(body);
  };

  return (
    <>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{titles.scan}</PageHeading>
      <ol className="nhsuk-list nhsuk-list--number">
        <li>Open your authenticator app and choose to add an account.</li>
        <li>Scan this QR code with your phone’s camera.</li>
      </ol>
      <img
        className="app-qr-code"
        src={`data:image/svg+xml;utf8,${encodeURIComponent(enrolment.qrCodeSvg)}`}
        alt="QR code to add Linkwork to your authenticator app"
      />
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">I cannot scan the QR code</span>
        </summary>
        <div className="nhsuk-details__text">
          <p>Choose to enter a setup key in your app, and type in this key:</p>
          <p className="app-secret">{groupsOfFour(enrolment.secret)}</p>
          <p>Choose a time-based key if your app asks.</p>
        </div>
      </details>
      <form onSubmit={submit} noValidate>
        <TextInput
          id="code"
          label="Enter the 6-digit code your app shows for Linkwork"
          labelSize="s"
          hint="The code changes every 30 seconds"
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          width={10}
          code
          error={errors.messageFor('code')}
        />
        <button className="nhsuk-button" type="submit">
          Turn on two-factor authentication
        </button>
      </form>
    </>
  );
}

function CodesStep({ recoveryCodes, onContinue }: { recoveryCodes: string[]; onContinue: () => void }) {
  usePageTitle(titles.codes);
  return (
    <>
      <PageHeading>{titles.codes}</PageHeading>
      <p>Two-factor authentication is now on.</p>
      <p>
        If you lose your phone, you can sign in with one of these recovery codes instead of a code from your
        app. Each code works once.
      </p>
      <ul className="app-recovery-codes">
        {recoveryCodes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <div className="nhsuk-card nhsuk-card--warning">
        <div className="nhsuk-card__content">
          <h2 className="nhsuk-card__heading">Important</h2>
          <p className="nhsuk-card__description">
            This is the only time you will see these codes. Print them or write them down and keep them
            somewhere safe, away from your phone.
          </p>
        </div>
      </div>
      <button className="nhsuk-button" type="button" onClick={onContinue}>
        Continue
      </button>
    </>
  );
}

function AlreadyOn() {
  usePageTitle('Two-factor authentication is on');
  return (
    <TwoThirds>
      <BackLink to="/account">Back to your account</BackLink>
      <PageHeading>Two-factor authentication is on</PageHeading>
      <p>You already use two-factor authentication to sign in to Linkwork.</p>
      <p>
        If you have a new phone, ask your Linkwork administrator to reset your two-factor authentication. You
        will then set it up again the next time you sign in.
      </p>
      <p>
        <Link to="/account">Go to your account</Link>
      </p>
    </TwoThirds>
  );
}

export function TwoFactorSetUpPage() {
  const me = useSignedIn();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const continueSignIn = useContinueSignIn();
  const [required] = useState(me.stage === 'mfa_enrolment_required');
  const [alreadyOn] = useState(me.stage === 'complete' && me.user.mfaEnabled);
  const [step, setStep] = useState<Step>({ name: 'start' });
  const startErrors = useFormErrors();
  const firstRender = useRef(true);

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (step.name !== 'start') focusMainHeading();
  }, [step]);

  const start = useMutation({
    mutationFn: () => api.post<Enrolment>('/api/auth/mfa/enrolment'),
    onSuccess: (enrolment) => setStep({ name: 'scan', enrolment }),
    onError: startErrors.showError,
  });

  const finish = () => {
    if (required) {
      void continueSignIn();
    } else {
      void queryClient.invalidateQueries({ queryKey: meKey });
      navigate('/account');
    }
  };

  if (alreadyOn) return <AlreadyOn />;

  return (
    <TwoThirds>
      {step.name === 'start' && (
        <StartStep
          required={required}
          onStart={() => start.mutate()}
          pending={start.isPending}
          errors={startErrors}
        />
      )}
      {step.name === 'scan' && (
        <ScanStep
          enrolment={step.enrolment}
          onConfirmed={(recoveryCodes) => setStep({ name: 'codes', recoveryCodes })}
        />
      )}
      {step.name === 'codes' && <CodesStep recoveryCodes={step.recoveryCodes} onContinue={finish} />}
    </TwoThirds>
  );
}
