import { formatDate, todayInEngland } from '../../app/format.ts';
import { Tag } from '../../components/page-parts.tsx';
import { ageOn, type FlagKind, flagColours, flagLabels } from './labels.ts';

/** Tags for a person's open flags and whether they could not be reached; nothing when there are none. */
export function FlagTags({ flags, unableToContact }: { flags: FlagKind[]; unableToContact?: boolean }) {
  const kinds = [...new Set(flags)];
  if (kinds.length === 0 && !unableToContact) return <>None</>;
  return (
    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
      {kinds.map((kind) => (
        <li className="nhsuk-u-margin-bottom-1" key={kind}>
          <Tag colour={flagColours[kind]}>{flagLabels[kind]}</Tag>
        </li>
      ))}
      {unableToContact && (
        <li className="nhsuk-u-margin-bottom-1">
          <Tag colour="grey">Unable to contact</Tag>
        </li>
      )}
    </ul>
  );
}

/** "14 March 1958 (aged 67)". */
export function dateOfBirthWithAge(dateOfBirth: string): string {
  const age = ageOn(dateOfBirth, todayInEngland());
  return age === null ? formatDate(dateOfBirth) : `${formatDate(dateOfBirth)} (aged ${age})`;
}
