import { formatDayOf } from '../../app/format.ts';
import { Tag } from '../../components/page-parts.tsx';
import { referralReference } from '../referrals/referral-parts.tsx';
import { timelineKindColours, timelineKindLabels } from './labels.ts';
import type { PersonRecord, TimelineItem } from './queries.ts';

const timeInLondon = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

/** Items of one day together, keeping the newest-first order they came in. */
function byDay(items: TimelineItem[]): { day: string; items: TimelineItem[] }[] {
  const days: { day: string; items: TimelineItem[] }[] = [];
  for (const item of items) {
    const day = formatDayOf(item.at);
    const last = days.at(-1);
    if (last?.day === day) last.items.push(item);
    else days.push({ day, items: [item] });
  }
  return days;
}

/** Everything that happened with the person, newest first, one heading per day. */
export function PersonTimeline({ person }: { person: PersonRecord }) {
  // With more than one referral, each item says which one it belongs to.
  const references =
    person.episodes.length > 1
      ? new Map(
          person.episodes.map((episode) => [
            episode.referralId,
            referralReference({ id: episode.referralId, reference: episode.reference }),
          ]),
        )
      : null;
  return (
    <section aria-labelledby="timeline-heading">
      <h2 className="nhsuk-heading-m" id="timeline-heading">
        Timeline
      </h2>
      {person.timeline.length === 0 ? (
        <p>Nothing has been recorded yet.</p>
      ) : (
        <>
          <p>Newest first. Appointments appear on the day they are booked for.</p>
          {byDay(person.timeline).map(({ day, items }) => (
            <div key={day}>
              <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-2">{day}</h3>
              <ol className="nhsuk-list app-timeline">
                {items.map((item, index) => {
                  const reference = item.referralId ? references?.get(item.referralId) : undefined;
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: timeline items have no id and can share a time
                    <li className="nhsuk-u-margin-bottom-4" key={`${item.at}-${index}`}>
                      <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">
                        <Tag colour={timelineKindColours[item.kind]}>{timelineKindLabels[item.kind]}</Tag>{' '}
                        <time dateTime={item.at}>{timeInLondon.format(new Date(item.at))}</time>
                        {reference && (
                          <span className="nhsuk-u-secondary-text-colour"> · referral {reference}</span>
                        )}
                      </p>
                      <p className="nhsuk-u-font-weight-bold nhsuk-u-margin-bottom-1">{item.title}</p>
                      {item.detail && <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{item.detail}</p>}
                    </li>
                  );
                })}
              </ol>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
