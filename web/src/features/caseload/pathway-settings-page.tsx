import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { z } from 'zod';
import { settingsBody } from '../../../../src/modules/pathway/contract.ts';
import { api, type FieldProblem, isProblem } from '../../app/api.ts';
import { usePageTitle } from '../../app/page.ts';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { check, useFormErrors } from '../../components/form-errors.ts';
import { BackLink, Loading, PageHeading, SuccessBanner, TwoThirds } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { TextInput } from '../../components/text-input.tsx';
import {
  invalidateCaseloads,
  type PathwaySettings,
  pathwaySettingsKey,
  usePathwaySettings,
} from './queries.ts';

type SettingsInput = z.infer<typeof settingsBody>;

const wholeNumberMessages: Record<'firstContactTargetWorkingDays' | 'unableToContactAttempts', string> = {
  firstContactTargetWorkingDays: 'Enter the first-contact target as a whole number of working days, like 10',
  unableToContactAttempts: 'Enter the number of failed attempts as a whole number, like 3',
};

function readBody(form: FormData, version: number): { body: SettingsInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const whole = (field: keyof typeof wholeNumberMessages) => {
    const text = String(form.get(field) ?? '').trim();
    if (/^\d{1,4}$/.test(text)) return Number(text);
    problems.push({ field, message: wholeNumberMessages[field] });
    return Number.NaN;
  };
  const body = {
    version,
    firstContactTargetWorkingDays: whole('firstContactTargetWorkingDays'),
    unableToContactAttempts: whole('unableToContactAttempts'),
  };
  const typed = new Set(problems.map((problem) => problem.field));
  return {
    body,
    problems: [...problems, ...check(settingsBody, body).filter((problem) => !typed.has(problem.field))],
  };
}

function SettingsForm({ settings }: { settings: PathwaySettings }) {
  const queryClient = useQueryClient();
  const errors = useFormErrors();
  const [saved, setSaved] = useState(false);
  usePageTitle('Pathway settings', errors.hasErrors);

  const save = useMutation({
    mutationFn: (body: SettingsInput) => api.put<PathwaySettings>('/api/pathway-settings', body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(pathwaySettingsKey, updated);
      setSaved(true);
      window.scrollTo(0, 0);
      await invalidateCaseloads(queryClient);
    },
    onError: async (error) => {
      if (isProblem(error, 409)) {
        errors.show([
          {
            // Not about one field: the summary shows it without a link.
            field: '',
            message:
              'Someone else changed these settings while you were editing them. The form now shows their settings: check them and save again if you need to.',
          },
        ]);
        await queryClient.invalidateQueries({ queryKey: pathwaySettingsKey });
        return;
      }
      errors.showError(error);
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    setSaved(false);
    const { body, problems } = readBody(new FormData(event.currentTarget), settings.version);
    if (problems.length > 0) return errors.show(problems);
    errors.clear();
    save.mutate(body);
  };

  return (
    <TwoThirds>
      <BackLink to="/caseloads">Back to team caseloads</BackLink>
      {saved && !errors.hasErrors && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">Pathway settings saved</p>
        </SuccessBanner>
      )}
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading>Pathway settings</PageHeading>
      <p>
        These apply to everyone referred to the PCN’s link workers. Caseloads show who is waiting longer than
        the target, and who could not be reached.
      </p>
      <form onSubmit={submit} noValidate key={settings.version}>
        <TextInput
          id="firstContactTargetWorkingDays"
          label="Target for first contact, in working days"
          hint="How soon after the referral a link worker should first speak with the person, from 1 to 60 working days. Weekends do not count."
          width={3}
          inputMode="numeric"
          spellCheck={false}
          defaultValue={String(settings.firstContactTargetWorkingDays)}
          error={errors.messageFor('firstContactTargetWorkingDays')}
        />
        <TextInput
          id="unableToContactAttempts"
          label="Failed attempts before “unable to contact”"
          hint="After this many tries in a row without reaching the person, from 1 to 10, they are shown as unable to contact."
          width={3}
          inputMode="numeric"
          spellCheck={false}
          defaultValue={String(settings.unableToContactAttempts)}
          error={errors.messageFor('unableToContactAttempts')}
        />
        <button className="nhsuk-button" type="submit">
          Save settings
        </button>
      </form>
    </TwoThirds>
  );
}

export function PathwaySettingsPage() {
  const settings = usePathwaySettings();
  if (settings.isPending) return <Loading what="pathway settings" />;
  if (settings.isError) return <ProblemPage error={settings.error} />;
  return <SettingsForm settings={settings.data} />;
}
