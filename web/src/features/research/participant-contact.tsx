import type { FormErrors } from '../../components/form-errors.ts';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';

/*
 * Who a participant is and how to reach them: kept apart from the study data, and only the study's leads read or
 * write it. The form's fields are `contactName` … so they cannot be mistaken for the study's own fields.
 */

const fields = ['name', 'email', 'phone', 'notes'] as const;
type ContactField = (typeof fields)[number];
const fieldId = (f: ContactField) => `contact${f[0]!.toUpperCase()}${f.slice(1)}`;

/** The API's `contact.email` (or plain `email` on the contact endpoint) is the form's `contactEmail`. */
export function contactRename(field: string): string {
  const name = field.replace(/^contact\./, '') as ContactField;
  return fields.includes(name) ? fieldId(name) : field;
}

/** The contact fields as the API takes them, or null when none was filled in. */
export function contactFromForm(form: FormData): Partial<Record<ContactField, string>> | null {
  const contact: Partial<Record<ContactField, string>> = {};
  for (const f of fields) {
    const value = String(form.get(fieldId(f)) ?? '').trim();
    if (value) contact[f] = value;
  }
  return Object.keys(contact).length > 0 ? contact : null;
}

export function ContactFields({
  errors,
  values,
  legend = 'Who they are (optional)',
  legendSize = 'm',
}: {
  errors: FormErrors;
  values?: Partial<Record<ContactField, string | null>> | null;
  legend?: string;
  legendSize?: 's' | 'm';
}) {
  return (
    <fieldset className="nhsuk-fieldset app-research-group" aria-describedby="contact-hint">
      <legend className={`nhsuk-fieldset__legend nhsuk-fieldset__legend--${legendSize}`}>{legend}</legend>
      <div className="nhsuk-hint" id="contact-hint">
        Kept apart from the study data: only the study’s leads see these details.
      </div>
      <TextInput
        id="contactName"
        label="Name"
        autoComplete="off"
        defaultValue={values?.name ?? ''}
        error={errors.messageFor('contactName')}
      />
      <TextInput
        id="contactEmail"
        label="Email address"
        type="email"
        autoComplete="off"
        spellCheck={false}
        defaultValue={values?.email ?? ''}
        error={errors.messageFor('contactEmail')}
      />
      <TextInput
        id="contactPhone"
        label="Phone number"
        type="tel"
        autoComplete="off"
        width={20}
        defaultValue={values?.phone ?? ''}
        error={errors.messageFor('contactPhone')}
      />
      <Textarea
        id="contactNotes"
        label="Notes"
        hint="For example, the best time to call. Nothing about what they said in interviews."
        rows={3}
        defaultValue={values?.notes ?? ''}
        error={errors.messageFor('contactNotes')}
      />
    </fieldset>
  );
}
