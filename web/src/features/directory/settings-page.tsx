import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { FieldProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, SuccessBanner, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { isStale } from '../episodes/episode-parts.tsx';
import {
  type DirectorySettings,
  directoryKey,
  useDirectorySettings,
  useSaveDirectorySettings,
} from './queries.ts';

const title = 'Directory settings';

const limits = {
  staleAfterMonths: {
    min: 1,
    max: 36,
    message: 'Enter how many months a check lasts as a whole number from 1 to 36, like 6',
  },
  replyExpectedWithinDays: {
    min: 1,
    max: 90,
    message: 'Enter how many days a service has to reply as a whole number from 1 to 90, like 10',
  },
} as const;

function readBody(form: FormData, version: number) {
  const problems: FieldProblem[] = [];
  const whole = (field: keyof typeof limits) => {
    const text = String(form.get(field) ?? '').trim();
    const value = /^\d{1,3}$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= limits[field].min && value <= limits[field].max))
      problems.push({ field, message: limits[field].message });
    return value;
  };
  return {
    body: {
      version,
      staleAfterMonths: whole('staleAfterMonths'),
      replyExpectedWithinDays: whole('replyExpectedWithinDays'),
    },
    problems,
  };
}

function SettingsForm({ settings }: { settings: DirectorySettings }) {
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const save = useSaveDirectorySettings();
  const [saved, setSaved] = useState(false);
  usePageTitle(title, errors.hasErrors);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const { body, problems } = readBody(new FormData(event.currentTarget), settings.version);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    save.mutate(body, {
      onSuccess: () => {
        setSaved(true);
        window.scrollTo(0, 0);
      },
      onError: async (error) => {
        if (isStale(error)) {
          errors.show([
            {
              field: '',
              message:
                'Someone else changed these settings while you were editing them. The form now shows their settings: check them and save again if you need to.',
            },
          ]);
          await queryClient.invalidateQueries({ queryKey: directoryKey });
          return;
        }
        errors.showError(error);
      },
    });
  };

  return (
    <TwoThirds>
      <BackLink to="/directory">Back to find services</BackLink>
      {saved && !errors.hasErrors && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">Directory settings saved</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>{title}</PageHeading>
      <p>These apply to the whole directory, for every PCN in the ICB.</p>
      <form onSubmit={submit} noValidate key={settings.version}>
        <TextInput
          id="staleAfterMonths"
          label="How long a check lasts, in months"
          hint="A service nobody has verified for longer is marked as maybe out of date, and listed in the directory tasks."
          width={3}
          inputMode="numeric"
          spellCheck={false}
          defaultValue={String(settings.staleAfterMonths)}
          error={errors.messageFor('staleAfterMonths')}
        />
        <TextInput
          id="replyExpectedWithinDays"
          label="How long a service has to reply to a referral, in days"
          hint="After this, the person’s episode and the caseload show that the service has not replied."
          width={3}
          inputMode="numeric"
          spellCheck={false}
          defaultValue={String(settings.replyExpectedWithinDays)}
          error={errors.messageFor('replyExpectedWithinDays')}
        />
        <button className="nhsuk-button" type="submit">
          Save settings
        </button>
      </form>
    </TwoThirds>
  );
}

export function DirectorySettingsPage() {
  const settings = useDirectorySettings();
  if (settings.isPending) return <Loading what="directory settings" />;
  if (settings.isError) return <ProblemPage error={settings.error} />;
  return <SettingsForm settings={settings.data} />;
}
