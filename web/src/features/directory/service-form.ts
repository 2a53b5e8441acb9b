import type { FieldProblem } from '../../app/api.ts';
import { asList, asObject, asText, type Json } from './service-view.ts';

/*
 * The directory manager's form over the main fields of an ORUK 3.0 service, and back. Editing starts from the
 * record as the API gave it and changes only the groups of fields whose values the person changed, so whatever the
 * form does not show (more locations, contacts, funding, a monthly schedule…) is saved as it was, with its ids.
 * New nested objects get new UUIDs. Problems found in the record come back with ORUK paths, mapped to the form.
 */

export const costChoices = ['free', 'cost', 'unknown'] as const;
export type CostChoice = (typeof costChoices)[number];

export interface ServiceFormValues {
  name: string;
  description: string;
  organisationName: string;
  status: string;
  url: string;
  email: string;
  phone: string;
  locationName: string;
  address1: string;
  town: string;
  postcode: string;
  accessibility: string;
  days: string[];
  opens: string;
  closes: string;
  attending: string;
  cost: CostChoice;
  costText: string;
  minimumAge: string;
  maximumAge: string;
  eligibility: string;
  languages: string;
  termIds: string[];
}

export type ServiceField = keyof ServiceFormValues | 'terms';

export const fieldLabels: Record<ServiceField, string> = {
  name: 'Name',
  description: 'Description',
  organisationName: 'Organisation',
  status: 'Status',
  url: 'Website',
  email: 'Email address',
  phone: 'Phone number',
  locationName: 'Name of the place',
  address1: 'Address line 1',
  town: 'Town or city',
  postcode: 'Postcode',
  accessibility: 'Accessibility',
  days: 'Days',
  opens: 'Opening time',
  closes: 'Closing time',
  attending: 'How people attend',
  cost: 'Cost',
  costText: 'Cost',
  minimumAge: 'Minimum age',
  maximumAge: 'Maximum age',
  eligibility: 'Who can use it',
  languages: 'Languages',
  termIds: 'Kinds of service',
  terms: 'Kinds of service',
};

// ---------- Reading ----------

const clone = <T>(value: T): T => structuredClone(value);

/** Sets an optional text field, or leaves it out when empty (ORUK omits empty optional fields). */
function setText(target: Json, key: string, value: string): void {
  if (value) target[key] = value;
  else delete target[key];
}

const weekday = /^(MO|TU|WE|TH|FR|SA|SU)$/;

/** Whether an ORUK cost option says the service is free (as the directory decides it). */
function isFreeOption(option: Json): boolean {
  return option.amount === 0 || option.amount === '0' || /\bfree\b/i.test(asText(option.option));
}

/** Where the schedule the form edits sits in the record, and whether the form can show it. */
interface ScheduleSlot {
  /** e.g. ['schedules', 0] or ['service_at_locations', 0, 'schedules', 0]. */
  path: (string | number)[];
  schedule: Json | null;
  editable: boolean;
  /** How many schedules the service has in all, at the service and its locations. */
  total: number;
  /** The location the schedule hangs from, when it is not the service's own. */
  salId: string | null;
}

function scheduleSlot(record: Json | null): ScheduleSlot {
  const own = asList(record?.schedules);
  const sals = asList(record?.service_at_locations);
  const total = own.length + sals.reduce((sum, sal) => sum + asList(sal.schedules).length, 0);
  let path: (string | number)[] = ['schedules', 0];
  let schedule: Json | null = own[0] ?? null;
  let salId: string | null = null;
  if (!schedule) {
    const atFirst = asList(sals[0]?.schedules)[0];
    if (atFirst) {
      schedule = atFirst;
      path = ['service_at_locations', 0, 'schedules', 0];
      salId = asText(sals[0]?.id);
    }
  }
  // Weekly on plain weekdays is what the form can show; monthly or fortnightly ones are kept as they are.
  const days = asText(schedule?.byday).replace(/\s/g, '').toUpperCase();
  const editable =
    !schedule ||
    ((!schedule.freq || schedule.freq === 'WEEKLY') &&
      (schedule.interval === undefined || Number(schedule.interval) === 1) &&
      !schedule.bymonthday &&
      (days === '' || days.split(',').every((day) => weekday.test(day))));
  return { path, schedule, editable, total, salId };
}

function costOf(record: Json | null): { cost: CostChoice; costText: string; source: 'option' | 'fees' } {
  const options = asList(record?.cost_options);
  const paid = options.find((option) => !isFreeOption(option));
  if (options.some(isFreeOption)) return { cost: 'free', costText: '', source: 'option' };
  if (paid) {
    const amount = typeof paid.amount === 'number' ? `£${paid.amount.toFixed(2).replace(/\.00$/, '')}` : '';
    return {
      cost: 'cost',
      costText: asText(paid.amount_description) || asText(paid.option) || amount,
      source: 'option',
    };
  }
  const fees = asText(record?.fees_description) || asText(record?.fees);
  if (/^\s*(free|no charge|none)\b/i.test(fees)) return { cost: 'free', costText: '', source: 'fees' };
  return fees
    ? { cost: 'cost', costText: fees, source: 'fees' }
    : { cost: 'unknown', costText: '', source: 'option' };
}

function firstLocation(record: Json | null) {
  const sal = asList(record?.service_at_locations)[0];
  const location = asObject(sal?.location);
  const addresses = asList(location?.addresses);
  const addressIndex = Math.max(
    0,
    addresses.findIndex((address) => address.address_type === 'physical'),
  );
  const address = addresses[addressIndex];
  const accessibility = asList(location?.accessibility)[0];
  const accessibilityKey = (['description', 'accessibility', 'details'] as const).find((key) =>
    asText(accessibility?.[key]),
  );
  return { sal, location, address, addressIndex, accessibility, accessibilityKey };
}

/** The form's starting values: from the service being changed, or empty for a new one. */
export function formValuesOf(record: Json | null): ServiceFormValues {
  const { location, address, accessibility, accessibilityKey } = firstLocation(record);
  const slot = scheduleSlot(record);
  const schedule = slot.editable ? slot.schedule : null;
  const days = asText(schedule?.byday).replace(/\s/g, '').toUpperCase();
  const { cost, costText } = costOf(record);
  return {
    name: asText(record?.name),
    description: asText(record?.description),
    organisationName: asText(asObject(record?.organization)?.name),
    status: asText(record?.status).toLowerCase() || 'active',
    url: asText(record?.url),
    email: asText(record?.email),
    phone: asText(asList(record?.phones)[0]?.number),
    locationName: asText(location?.name),
    address1: asText(address?.address_1),
    town: asText(address?.city),
    postcode: asText(address?.postal_code),
    accessibility: accessibilityKey ? asText(accessibility?.[accessibilityKey]) : '',
    days: days ? days.split(',') : [],
    opens: asText(schedule?.opens_at).slice(0, 5),
    closes: asText(schedule?.closes_at).slice(0, 5),
    attending: asText(schedule?.attending_type),
    cost,
    costText,
    minimumAge: asText(record?.minimum_age),
    maximumAge: asText(record?.maximum_age),
    eligibility: asText(record?.eligibility_description),
    languages: asList(record?.languages)
      .map((language) => asText(language.name) || asText(language.code))
      .filter(Boolean)
      .join(', '),
    termIds: termIdsOf(record),
  };
}

function termIdsOf(record: Json | null): string[] {
  return asList(record?.attributes)
    .map((attribute) => asText(attribute.taxonomy_term_id) || asText(asObject(attribute.taxonomy_term)?.id))
    .filter(Boolean);
}

/** What the form can say about a record beyond its fields: a schedule it cannot show, other places and times. */
export function formNotes(record: Json | null): {
  scheduleKept: boolean;
  schedules: number;
  locations: number;
} {
  const slot = scheduleSlot(record);
  return {
    scheduleKept: !slot.editable,
    schedules: slot.total,
    locations: asList(record?.service_at_locations).length,
  };
}

// ---------- Writing ----------

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const normalisePostcode = (postcode: unknown) => asText(postcode).replace(/\s/g, '').toUpperCase();
const splitLanguages = (text: string) => [
  ...new Map(
    text
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean)
      .map((name) => [name.toLowerCase(), name] as const),
  ).values(),
];

/** Where the form's groups of fields are in the record built, to map problems back to them. */
export interface ServicePaths {
  schedule: string;
  address: string;
}

/**
 * Builds the ORUK 3.0 service to send: `base` is the record as read (null for a new service), `shownTermIds` the
 * terms the form offered, so tags from other taxonomies are kept.
 */
export function buildService(
  values: ServiceFormValues,
  base: Json | null,
  shownTermIds: readonly string[],
  newId: () => string = () => crypto.randomUUID(),
): { service: Json; paths: ServicePaths } {
  const before = formValuesOf(base);
  const changed = (...fields: (keyof ServiceFormValues)[]) =>
    base === null || fields.some((field) => !same(values[field], before[field]));
  const service: Json = base ? clone(base) : { id: newId() };

  if (changed('name')) service.name = values.name;
  if (changed('description')) setText(service, 'description', values.description);
  if (changed('status')) service.status = values.status;
  if (changed('url')) setText(service, 'url', values.url);
  if (changed('email')) setText(service, 'email', values.email);
  if (changed('eligibility')) setText(service, 'eligibility_description', values.eligibility);

  if (changed('organisationName')) {
    if (values.organisationName) {
      const organisation = asObject(service.organization) ?? { id: newId(), description: '' };
      organisation.name = values.organisationName;
      service.organization = organisation;
      service.organization_id = organisation.id;
    } else {
      delete service.organization;
      delete service.organization_id;
    }
  }

  if (changed('phone')) {
    const phones = asList(service.phones);
    if (!values.phone) phones.shift();
    else if (phones[0]) phones[0] = { ...phones[0], number: values.phone };
    else phones.unshift({ id: newId(), number: values.phone });
    service.phones = phones;
  }

  if (changed('locationName', 'address1', 'town', 'postcode', 'accessibility'))
    writeLocation(service, values, before, newId);

  const slot = scheduleSlot(base);
  let schedulePath = slot.path.join('.');
  if (slot.editable && changed('days', 'opens', 'closes', 'attending'))
    schedulePath = writeSchedule(service, values, slot, newId);

  if (changed('cost', 'costText')) writeCost(service, values, costOf(base).source, newId);

  for (const [field, key] of [
    ['minimumAge', 'minimum_age'],
    ['maximumAge', 'maximum_age'],
  ] as const) {
    if (!changed(field)) continue;
    if (values[field]) service[key] = Number(values[field]);
    else delete service[key];
  }

  if (changed('languages')) {
    const existing = new Map(
      asList(service.languages).map((language) => [
        (asText(language.name) || asText(language.code)).toLowerCase(),
        language,
      ]),
    );
    service.languages = splitLanguages(values.languages).map(
      (name) => existing.get(name.toLowerCase()) ?? { id: newId(), name },
    );
  }

  if (changed('termIds')) {
    const shown = new Set(shownTermIds);
    const wanted = new Set(values.termIds);
    const attributes = asList(service.attributes);
    const termOf = (attribute: Json) =>
      asText(attribute.taxonomy_term_id) || asText(asObject(attribute.taxonomy_term)?.id);
    const kept = attributes.filter(
      (attribute) => !shown.has(termOf(attribute)) || wanted.has(termOf(attribute)),
    );
    const have = new Set(kept.map(termOf));
    service.attributes = [
      ...kept,
      ...values.termIds.filter((id) => !have.has(id)).map((id) => ({ id: newId(), taxonomy_term_id: id })),
    ];
  }

  const address = `service_at_locations.0.location.addresses.${firstLocation(service).addressIndex}`;
  return { service, paths: { schedule: schedulePath, address } };
}

function writeLocation(
  service: Json,
  values: ServiceFormValues,
  before: ServiceFormValues,
  newId: () => string,
) {
  const sals = asList(service.service_at_locations);
  const wantsAddress = Boolean(values.address1 || values.town || values.postcode);
  const hadAddress = Boolean(before.address1 || before.town || before.postcode);
  const wantsPlace = Boolean(values.locationName || wantsAddress || values.accessibility);
  const hadPlace = Boolean(before.locationName || hadAddress || before.accessibility);
  if (!wantsPlace) {
    // Everything the form showed about the place was cleared: the service is no longer there.
    if (hadPlace) sals.shift();
    service.service_at_locations = sals;
    return;
  }
  const sal: Json = sals[0] ?? { id: newId() };
  const location: Json = asObject(sal.location) ?? { id: newId(), location_type: 'physical' };
  const { addressIndex, accessibilityKey } = firstLocation({ service_at_locations: [{ ...sal, location }] });
  setText(location, 'name', values.locationName);

  const addresses = asList(location.addresses);
  if (wantsAddress) {
    const address: Json = addresses[addressIndex] ?? {
      id: newId(),
      address_type: 'physical',
      state_province: '',
      country: 'GB',
    };
    // Coordinates belong to the old address; without them the directory places the new postcode itself.
    if (normalisePostcode(address.postal_code) !== normalisePostcode(values.postcode)) {
      delete location.latitude;
      delete location.longitude;
    }
    address.address_1 = values.address1;
    address.city = values.town;
    address.postal_code = values.postcode;
    if (addresses[addressIndex]) addresses[addressIndex] = address;
    else addresses.push(address);
  } else if (hadAddress) {
    addresses.splice(addressIndex, 1);
    delete location.latitude;
    delete location.longitude;
  }
  location.addresses = addresses;

  const accessibility = asList(location.accessibility);
  if (values.accessibility) {
    const entry: Json = accessibility[0] ?? { id: newId() };
    entry[accessibilityKey ?? 'description'] = values.accessibility;
    accessibility[0] = entry;
  } else if (before.accessibility) {
    accessibility.shift();
  }
  location.accessibility = accessibility;

  sal.location = location;
  sal.location_id = location.id;
  if (sals[0]) sals[0] = sal;
  else sals.unshift(sal);
  service.service_at_locations = sals;
}

/** Writes the schedule where it was, and says where that is in the record. */
function writeSchedule(
  service: Json,
  values: ServiceFormValues,
  slot: ScheduleSlot,
  newId: () => string,
): string {
  const wanted = Boolean(values.days.length || values.opens || values.closes || values.attending);
  const firstSal = asList(service.service_at_locations)[0];
  // A schedule at a place the form has just removed moves to the service itself.
  const atPlace = slot.salId !== null && firstSal !== undefined && asText(firstSal.id) === slot.salId;
  const listOwner: Json = atPlace ? { ...firstSal } : service;
  const list = asList(listOwner.schedules);
  const index = slot.schedule && (atPlace || slot.salId === null) ? 0 : -1;
  const path = atPlace ? 'service_at_locations.0.schedules.0' : 'schedules.0';
  const save = () => {
    listOwner.schedules = list;
    if (atPlace) service.service_at_locations = replaceFirst(service, listOwner);
  };
  if (!wanted) {
    if (index === 0) list.shift();
    save();
    return path;
  }
  const schedule: Json =
    index === 0 && list[0]
      ? { ...list[0] }
      : { ...(slot.schedule ?? {}), id: asText(slot.schedule?.id) || newId() };
  if (values.days.length > 0) {
    schedule.freq = 'WEEKLY';
    schedule.byday = values.days.join(',');
    delete schedule.interval;
  } else {
    delete schedule.freq;
    delete schedule.byday;
  }
  setText(schedule, 'opens_at', padTime(values.opens));
  setText(schedule, 'closes_at', padTime(values.closes));
  setText(schedule, 'attending_type', values.attending);
  if (index === 0) list[0] = schedule;
  else list.unshift(schedule);
  save();
  return path;
}

function replaceFirst(service: Json, sal: Json): Json[] {
  const sals = asList(service.service_at_locations);
  sals[0] = sal;
  return sals;
}

/** "9:30" → "09:30". */
export function padTime(time: string): string {
  return /^\d:\d\d$/.test(time) ? `0${time}` : time;
}

function writeCost(service: Json, values: ServiceFormValues, source: 'option' | 'fees', newId: () => string) {
  const options = asList(service.cost_options);
  const free = options.find(isFreeOption);
  const paid = options.filter((option) => !isFreeOption(option));
  if (values.cost === 'free') {
    service.cost_options = [free ?? { id: newId(), option: 'Free', amount: 0 }];
    delete service.fees;
    delete service.fees_description;
  } else if (values.cost === 'unknown') {
    service.cost_options = [];
    delete service.fees;
    delete service.fees_description;
  } else if (source === 'fees' && paid.length === 0) {
    service.cost_options = [];
    if (service.fees_description !== undefined || service.fees === undefined)
      service.fees_description = values.costText;
    else service.fees = values.costText;
  } else {
    const first: Json = paid[0] ? { ...paid[0] } : { id: newId() };
    if (asText(first.amount_description) !== values.costText) {
      // An amount that no longer matches what the cost says would mislead: the words say it now.
      delete first.amount;
      delete first.currency;
      first.amount_description = values.costText;
    }
    service.cost_options = [first, ...paid.slice(1)];
  }
}

// ---------- Problems ----------

const timePattern = /^([01]?\d|2[0-3]):[0-5]\d$/;
const wholeAge = /^\d{1,3}$/;

/** What the form can tell before asking the directory, in plain words. */
export function checkServiceValues(values: ServiceFormValues): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const add = (field: ServiceField, message: string) => problems.push({ field, message });
  if (!values.name) add('name', 'Enter the name of the service');
  if ((values.town || values.postcode) && !values.address1)
    add('address1', 'Enter the first line of the address');
  for (const [field, what] of [
    ['opens', 'opening'],
    ['closes', 'closing'],
  ] as const) {
    if (values[field] && !timePattern.test(values[field]))
      add(field, `Enter the ${what} time as hours and minutes, like 09:30`);
  }
  if ((values.opens || values.closes) && values.days.length === 0) add('days', 'Choose the days it runs');
  if (
    timePattern.test(values.opens) &&
    timePattern.test(values.closes) &&
    padTime(values.closes) <= padTime(values.opens)
  ) {
    add('closes', 'The closing time must be after the opening time');
  }
  if (values.cost === 'cost' && !values.costText) add('costText', 'Say what it costs');
  for (const [field, what] of [
    ['minimumAge', 'minimum'],
    ['maximumAge', 'maximum'],
  ] as const) {
    if (values[field] && (!wholeAge.test(values[field]) || Number(values[field]) > 150))
      add(field, `Enter the ${what} age as a whole number of years, like 18`);
  }
  if (
    wholeAge.test(values.minimumAge) &&
    wholeAge.test(values.maximumAge) &&
    Number(values.maximumAge) < Number(values.minimumAge)
  ) {
    add('maximumAge', 'The maximum age must be the same as the minimum age or more');
  }
  return problems;
}

/** "service_at_locations[0].location_id" and "service_at_locations.0.location_id" are the same place. */
export function normalisePath(path: string): string {
  return path.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');
}

function fieldRoutes(paths: ServicePaths): [string, ServiceField][] {
  const location = 'service_at_locations.0.location';
  const address = `${location}.addresses`;
  return [
    ['name', 'name'],
    ['description', 'description'],
    ['organization_id', 'organisationName'],
    ['organization', 'organisationName'],
    ['status', 'status'],
    ['url', 'url'],
    ['email', 'email'],
    ['phones.0', 'phone'],
    [`${paths.address}.address_1`, 'address1'],
    [`${paths.address}.city`, 'town'],
    [`${paths.address}.postal_code`, 'postcode'],
    [address, 'address1'],
    [`${location}.accessibility`, 'accessibility'],
    [`${location}.name`, 'locationName'],
    [`${paths.schedule}.byday`, 'days'],
    [`${paths.schedule}.freq`, 'days'],
    [`${paths.schedule}.opens_at`, 'opens'],
    [`${paths.schedule}.closes_at`, 'closes'],
    [`${paths.schedule}.attending_type`, 'attending'],
    ['service_at_locations.0', 'locationName'],
    ['cost_options', 'cost'],
    ['fees_description', 'cost'],
    ['fees', 'cost'],
    ['minimum_age', 'minimumAge'],
    ['maximum_age', 'maximumAge'],
    ['eligibility_description', 'eligibility'],
    ['languages', 'languages'],
    ['attributes', 'terms'],
  ];
}

/** The directory's names for fields, in a message, as the form calls them. */
const fieldWords: [RegExp, string][] = [
  [/\bminimum_age\b/g, 'the minimum age'],
  [/\bopens_at\b/g, 'the opening time'],
  [/\bvalid_from\b/g, 'the start date'],
];

/** Plainer words for messages whose ORUK wording reads oddly beside the form's label. */
const messageFor: Partial<Record<ServiceField, (message: string) => string | null>> = {
  email: (m) =>
    m.startsWith('must be an email')
      ? 'Enter an email address in the correct format, like name@example.org'
      : null,
  url: (m) =>
    m.startsWith('must be a web address')
      ? 'Enter a website address starting https://, like https://example.org'
      : null,
  days: (m) => (m.startsWith('is needed') || m.startsWith('has days') ? 'Choose the days it runs' : null),
  name: (m) => (m === 'must not be empty' ? 'Enter the name of the service' : null),
  organisationName: (m) => (m === 'must not be empty' ? 'Enter the name of the organisation' : null),
  address1: (m) => (m === 'must not be empty' ? 'Enter the first line of the address' : null),
};

/**
 * A problem the directory found in the record, on the form field it is about. Problems with a part of the record
 * the form does not show keep their path, so the summary can still say where.
 */
export function problemFromOruk(problem: FieldProblem, paths: ServicePaths): FieldProblem {
  const path = normalisePath(problem.field);
  const route = fieldRoutes(paths).find(([prefix]) => path === prefix || path.startsWith(`${prefix}.`));
  // The directory's own sentences start with a capital; ORUK rules are phrases about the field.
  const phrase = /^[a-z]/.test(problem.message);
  if (!route) {
    return {
      field: '',
      message: path && phrase ? `In the record’s ${path}: ${problem.message}` : problem.message,
    };
  }
  const field = route[1];
  if (!phrase) return { field, message: problem.message };
  const plain = messageFor[field]?.(problem.message);
  if (plain) return { field, message: plain };
  const words = fieldWords.reduce(
    (text, [pattern, replacement]) => text.replace(pattern, replacement),
    problem.message,
  );
  return { field, message: `${fieldLabels[field]} ${words}` };
}

/** Problems on the same field are said once, the first (the form's own check) winning. */
export function uniqueByField(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    if (problem.field === '') return true;
    if (seen.has(problem.field)) return false;
    seen.add(problem.field);
    return true;
  });
}

/** Reads the form as typed. */
export function readServiceForm(form: FormData): ServiceFormValues {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const cost = text('cost');
  return {
    name: text('name'),
    description: text('description'),
    organisationName: text('organisationName'),
    status: text('status') || 'active',
    url: text('url'),
    email: text('email'),
    phone: text('phone'),
    locationName: text('locationName'),
    address1: text('address1'),
    town: text('town'),
    postcode: text('postcode').toUpperCase(),
    accessibility: text('accessibility'),
    days: form.getAll('days').map(String),
    opens: text('opens'),
    closes: text('closes'),
    attending: text('attending'),
    cost: (costChoices as readonly string[]).includes(cost) ? (cost as CostChoice) : 'unknown',
    costText: cost === 'cost' ? text('costText') : '',
    minimumAge: text('minimumAge'),
    maximumAge: text('maximumAge'),
    eligibility: text('eligibility'),
    languages: text('languages'),
    termIds: form.getAll('termIds').map(String),
  };
}
