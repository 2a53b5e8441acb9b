import { Tag } from '../../components/page-parts.tsx';
import { type ReferralStatus, statusColours, statusLabels, type Urgency, urgencyLabels } from './labels.ts';

/** From this many days a referral's wait is highlighted, and from twice as many it is shown in red. */
export const longWaitDays = 10;

export function StatusTag({ status }: { status: ReferralStatus }) {
  return <Tag colour={statusColours[status]}>{statusLabels[status]}</Tag>;
}

export function UrgencyTag({ urgency }: { urgency: Urgency }) {
  return <Tag colour={urgency === 'urgent' ? 'red' : 'grey'}>{urgencyLabels[urgency]}</Tag>;
}

/** Days as "Today", "1 day", "12 days". */
export function daysLabel(days: number): string {
  if (days === 0) return 'Today';
  return days === 1 ? '1 day' : `${days} days`;
}

export function WaitingTime({ days }: { days: number }) {
  if (days < longWaitDays) return <>{daysLabel(days)}</>;
  return <Tag colour={days >= longWaitDays * 2 ? 'red' : 'orange'}>Waiting {days} days</Tag>;
}

export function ReasonList({ reasons, labelFor }: { reasons: string[]; labelFor: (code: string) => string }) {
  if (reasons.length === 1) return <>{labelFor(reasons[0] as string)}</>;
  return (
    <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
      {reasons.map((code) => (
        <li key={code}>{labelFor(code)}</li>
      ))}
    </ul>
  );
}

/** A reference to quote on the phone: the end of the id, because the start of a UUIDv7 is only a timestamp. */
/** The referral's readable reference (LW-XXXX-XXXX), or a short form of its id for older referrals without one. */
export function referralReference(referral: { id: string; reference: string | null }): string {
  return referral.reference ?? referral.id.replaceAll('-', '').slice(-8).toUpperCase();
}
