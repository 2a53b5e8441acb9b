import type { InstrumentDefinition } from './definition.ts';

/*
 * An instrument as a FHIR R4 Questionnaire: one `choice` item per question, its options as codings carrying
 * their score in the standard ordinalValue extension, the instructions as a leading display item and the licence
 * notice as the copyright.
 */

const ORDINAL_VALUE = 'http://hl7.org/fhir/StructureDefinition/ordinalValue';

/** FHIR names are machine-friendly: a capital letter, then letters, digits or underscores. */
const fhirName = (code: string) =>
  code.replace(/(^|_)([a-z0-9])/g, (_, _u, c: string) => c.toUpperCase()).replace(/^(\d)/, 'Q$1');

export function toFhirQuestionnaire(
  definition: InstrumentDefinition,
  baseUrl: string,
): Record<string, unknown> {
  const url = `${baseUrl.replace(/\/+$/, '')}/fhir/Questionnaire/${definition.code}`;
  return {
    resourceType: 'Questionnaire',
    // FHIR ids allow letters, digits, '-' and '.', up to 64 characters; codes never contain '-'.
    id: `${definition.code}-${definition.version}`.replaceAll('_', '-').replaceAll('.', '-').slice(0, 64),
    url,
    version: definition.version,
    name: fhirName(definition.code),
    title: definition.title,
    status: 'active',
    ...(definition.instructions ? { description: definition.instructions } : {}),
    ...(definition.licenceNotice ? { copyright: definition.licenceNotice } : {}),
    item: [
      ...(definition.instructions
        ? [{ linkId: 'instructions', type: 'display', text: definition.instructions }]
        : []),
      ...definition.items.map((item) => ({
        linkId: item.linkId,
        text: item.text,
        type: 'choice',
        required: true,
        answerOption: item.options.map((o) => ({
          valueCoding: {
            system: `${url}/answers`,
            code: String(o.value),
            display: o.label,
            extension: [{ url: ORDINAL_VALUE, valueDecimal: o.value }],
          },
        })),
      })),
    ],
  };
}
