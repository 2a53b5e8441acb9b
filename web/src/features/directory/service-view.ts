import { agesText } from './labels.ts';

/*
 * What the service page shows, read from the ORUK 3.0 record the API gives. The record is the standard's JSON with
 * empty fields left out, so every part is read as possibly missing.
 */

export type Json = Record<string, unknown>;

export const asObject = (value: unknown): Json | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
export const asList = (value: unknown): Json[] =>
  Array.isArray(value) ? value.map(asObject).filter((item): item is Json => item !== undefined) : [];
export const asText = (value: unknown): string =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
const asNumber = (value: unknown): number | undefined => {
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && value ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : undefined;
};

export interface Place {
  name: string;
  lines: string[];
  accessibility: string[];
  transport: string;
}

export interface Contact {
  name: string;
  email: string;
  phones: string[];
}

export interface ServiceView {
  name: string;
  organisation: string;
  description: string;
  alert: string;
  url: string;
  email: string;
  phones: string[];
  contacts: Contact[];
  places: Place[];
  costs: string[];
  ages: string;
  eligibility: string;
  applicationProcess: string;
  languages: string[];
}

const phoneText = (phone: Json) =>
  [
    asText(phone.number),
    phone.extension !== undefined ? `extension ${asText(phone.extension)}` : '',
    asText(phone.description),
  ]
    .filter(Boolean)
    .join(', ');

function costText(option: Json): string {
  const amount = asNumber(option.amount);
  const money =
    amount === undefined
      ? ''
      : amount === 0
        ? 'Free'
        : `${asText(option.currency) === 'GBP' || !option.currency ? '£' : `${asText(option.currency)} `}${amount.toFixed(2).replace(/\.00$/, '')}`;
  const describe = asText(option.amount_description) || money;
  const what = asText(option.option);
  // "Free: Free" says it twice; "Carers: Free" and "Per session: £3" do not.
  if (!what || what.toLowerCase() === describe.toLowerCase()) return describe || 'Not given';
  return describe ? `${what}: ${describe}` : what;
}

/** The parts of a service a link worker reads, from its ORUK record. */
export function serviceView(record: Json): ServiceView {
  const places = asList(record.service_at_locations).flatMap((sal) => {
    const location = asObject(sal.location);
    if (!location) return [];
    const addresses = asList(location.addresses);
    const address = addresses.find((a) => a.address_type === 'physical') ?? addresses[0];
    const lines = address
      ? [address.address_1, address.address_2, address.city, address.state_province, address.postal_code]
          .map(asText)
          .filter(Boolean)
      : [];
    const accessibility = asList(location.accessibility)
      .map((entry) =>
        [entry.accessibility, entry.description, entry.details].map(asText).filter(Boolean).join(': '),
      )
      .filter(Boolean);
    return [
      {
        name: asText(location.name) || (location.location_type === 'virtual' ? 'Online' : ''),
        lines,
        accessibility,
        transport: asText(location.transportation),
      },
    ];
  });
  const options = asList(record.cost_options);
  const fees = [asText(record.fees_description), asText(record.fees)].filter(Boolean);
  return {
    name: asText(record.name),
    organisation: asText(asObject(record.organization)?.name),
    description: asText(record.description),
    alert: asText(record.alert),
    url: asText(record.url),
    email: asText(record.email),
    phones: asList(record.phones).map(phoneText).filter(Boolean),
    contacts: asList(record.contacts)
      .map((contact) => ({
        name: [asText(contact.name), asText(contact.title)].filter(Boolean).join(', '),
        email: asText(contact.email),
        phones: asList(contact.phones).map(phoneText).filter(Boolean),
      }))
      .filter((contact) => contact.name || contact.email || contact.phones.length > 0),
    places,
    costs: options.length > 0 ? options.map(costText) : fees,
    ages: agesText(asNumber(record.minimum_age), asNumber(record.maximum_age)),
    eligibility: asText(record.eligibility_description),
    applicationProcess: asText(record.application_process),
    languages: asList(record.languages)
      .map((language) => asText(language.name) || asText(language.code))
      .filter(Boolean),
  };
}
