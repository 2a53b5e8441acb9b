import { contactMethods, ethnicCategories, sexes } from '../../../../src/modules/people/contract.ts';
import { choicesFrom, Radios } from '../../components/choices.tsx';
import { DateInput } from '../../components/date-input.tsx';
import type { FormErrors } from '../../components/form-errors.ts';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { Textarea } from '../../components/textarea.tsx';
import { contactMethodLabels, ethnicCategoryLabels, sexLabels } from './labels.ts';

/** Field ids are the API's dotted paths with dashes, so its field errors link to the right input. */
export const personField = (name: string) => `person-${name}`;

/** The summary links a date of birth problem to the day input. */
export const personAnchors = { 'person.dateOfBirth': `${personField('dateOfBirth')}-day` };

// The referrer types in someone else's details: the browser should not offer their own.
const notTheirOwn = { autoComplete: 'off', spellCheck: false } as const;

export function PersonFields({ errors }: { errors: FormErrors }) {
  const error = (name: string) => errors.messageFor(`person.${name}`);
  return (
    <>
      <h2 className="nhsuk-heading-m">About the person</h2>
      <TextInput
        id={personField('nhsNumber')}
        label="NHS number (optional)"
        hint="10 digits, for example 943 476 5919"
        inputMode="numeric"
        width={10}
        {...notTheirOwn}
        error={error('nhsNumber')}
      />
      <TextInput
        id={personField('givenName')}
        label="First name"
        {...notTheirOwn}
        error={error('givenName')}
      />
      <TextInput
        id={personField('familyName')}
        label="Last name"
        {...notTheirOwn}
        error={error('familyName')}
      />
      <DateInput
        id={personField('dateOfBirth')}
        legend="Date of birth"
        hint="For example, 14 3 1958"
        error={error('dateOfBirth')}
      />
      <Radios
        id={personField('sex')}
        legend="Sex"
        items={choicesFrom(sexes, sexLabels)}
        error={error('sex')}
      />
      <Select
        id={personField('ethnicCategory')}
        label="Ethnic category (optional)"
        hint="As they describe it. Choose ‘Not stated’ if they prefer not to say."
        placeholder="Not known"
        options={ethnicCategories.map((code) => ({ value: code, label: ethnicCategoryLabels[code] }))}
        error={error('ethnicCategory')}
      />

      <h2 className="nhsuk-heading-m">How to contact them</h2>
      <TextInput
        id={personField('addressLines-0')}
        label="Address line 1 (optional)"
        {...notTheirOwn}
        error={errors.messageFor('person.addressLines.0')}
      />
      <TextInput
        id={personField('addressLines-1')}
        label="Address line 2 (optional)"
        {...notTheirOwn}
        error={errors.messageFor('person.addressLines.1')}
      />
      <TextInput
        id={personField('postcode')}
        label="Postcode (optional)"
        width={10}
        {...notTheirOwn}
        error={error('postcode')}
      />
      <TextInput
        id={personField('phone')}
        label="Phone number (optional)"
        type="tel"
        width={20}
        {...notTheirOwn}
        error={error('phone')}
      />
      <TextInput
        id={personField('email')}
        label="Email address (optional)"
        type="email"
        {...notTheirOwn}
        error={error('email')}
      />
      <Radios
        id={personField('preferredContactMethod')}
        legend="How do they prefer to be contacted? (optional)"
        items={choicesFrom(contactMethods, contactMethodLabels)}
        error={error('preferredContactMethod')}
      />
      <TextInput
        id={personField('interpreterLanguage')}
        label="Language they need an interpreter for (optional)"
        hint="Leave this blank if they do not need an interpreter. For British Sign Language, enter BSL."
        width={20}
        {...notTheirOwn}
        error={error('interpreterLanguage')}
      />
      <Textarea
        id={personField('accessibilityNeeds')}
        label="Accessibility needs (optional)"
        hint="For example, they use a wheelchair, or need letters in large print or easy read"
        rows={3}
        error={error('accessibilityNeeds')}
      />
    </>
  );
}

/** The person's details from the form, with empty optional answers left out. */
export function readPerson(form: FormData, dateOfBirth: string) {
  const text = (name: string) => String(form.get(personField(name)) ?? '').trim();
  const optional = (name: string) => text(name) || null;
  return {
    nhsNumber: optional('nhsNumber'),
    givenName: text('givenName'),
    familyName: text('familyName'),
    dateOfBirth,
    sex: text('sex') || undefined,
    ethnicCategory: text('ethnicCategory') || undefined,
    addressLines: [text('addressLines-0'), text('addressLines-1')].filter(Boolean),
    postcode: optional('postcode'),
    phone: optional('phone'),
    email: optional('email'),
    preferredContactMethod: optional('preferredContactMethod'),
    interpreterLanguage: optional('interpreterLanguage'),
    accessibilityNeeds: optional('accessibilityNeeds'),
    consentToShareWithServices: form.getAll('consent').includes('share'),
  };
}
