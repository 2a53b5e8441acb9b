import { Link } from 'react-router';
import type { Role } from '../../../../src/modules/identity/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { PageHeading } from '../../components/page-parts.tsx';
import { roleDescriptions, roleHeadings } from '../identity/labels.ts';
import { NoRolesPage } from './no-roles-page.tsx';

interface Task {
  to: string;
  title: string;
  description: string;
}

function tasksFor(role: Role, userId: string): Task[] {
  const linkWorkers: Task = {
    to: '/link-workers',
    title: 'Link workers',
    description: 'Record how each link worker is employed, where they are based and how they are supervised.',
  };
  const yourCaseload: Task = {
    to: '/caseload',
    title: 'Your caseload',
    description: 'The people allocated to you, who is waiting for first contact and what is due.',
  };
  const referSomeone: Task = {
    to: '/referrals/new',
    title: 'Refer someone',
    description: 'Refer a person to a social prescribing link worker.',
  };
  switch (role) {
    case 'admin':
      return [
        {
          to: '/organisations',
          title: 'Organisations',
          description: 'See the ICB, PCNs, GP practices and partner organisations, and add new ones.',
        },
        { to: '/users', title: 'Users', description: 'Add people, give them roles and help them sign in.' },
        linkWorkers,
        { to: '/audit', title: 'Audit log', description: 'See who did what in Linkwork, and when.' },
      ];
    case 'lead_link_worker':
      return [
        {
          to: '/triage',
          title: 'Triage',
          description: 'Accept and allocate new referrals, decline them or signpost people elsewhere.',
        },
        yourCaseload,
        {
          to: '/caseloads',
          title: 'Team caseloads',
          description: 'See each link worker’s caseload, who is over target, and hand a caseload over.',
        },
        {
          to: '/waiting-list',
          title: 'Waiting list',
          description:
            'Everyone not yet reached for a first contact, longest wait first, against the target.',
        },
        {
          to: '/pathway-settings',
          title: 'Pathway settings',
          description: 'Set the first-contact target and when someone counts as unable to contact.',
        },
        linkWorkers,
        referSomeone,
      ];
    case 'link_worker':
      return [
        yourCaseload,
        {
          to: `/link-workers/${userId}`,
          title: 'Your working arrangements',
          description: 'How you are employed, where you are based and how you are supervised.',
        },
        referSomeone,
      ];
    case 'referrer':
      return [
        referSomeone,
        {
          to: '/referrals/mine',
          title: 'Your referrals',
          description: 'See the people you have referred and what has happened to each referral.',
        },
      ];
    default:
      return [];
  }
}

function TaskCard({ task }: { task: Task }) {
  return (
    <li className="nhsuk-grid-column-one-half nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h3 className="nhsuk-card__heading nhsuk-heading-s">
            <Link className="nhsuk-card__link" to={task.to}>
              {task.title}
            </Link>
          </h3>
          <p className="nhsuk-card__description">{task.description}</p>
        </div>
      </div>
    </li>
  );
}

export function HomePage() {
  const me = useSignedIn();
  usePageTitle('Home');

  if (me.memberships.length === 0) return <NoRolesPage />;

  if (!me.acting) {
    return (
      <>
        <PageHeading>Choose an organisation</PageHeading>
        <p>
          You have roles at more than one organisation. Choose the one you are working for to see what you can
          do.
        </p>
        <p>
          <Link to="/acting-organisation">Choose the organisation you are working for</Link>
        </p>
      </>
    );
  }

  const shown = new Set<string>();
  const sections = me.acting.roles.map((role) => {
    const tasks = tasksFor(role, me.user.id).filter((task) => !shown.has(task.to));
    for (const task of tasks) shown.add(task.to);
    return { role, tasks };
  });

  return (
    <>
      <PageHeading caption={me.acting.organisationName}>What you can do</PageHeading>
      {sections.map(({ role, tasks }) => (
        <section key={role} aria-labelledby={`role-${role}`}>
          <h2 className="nhsuk-heading-m" id={`role-${role}`}>
            {roleHeadings[role]}
          </h2>
          <p>{roleDescriptions[role]}</p>
          {tasks.length > 0 && (
            <ul className="nhsuk-grid-row nhsuk-card-group">
              {tasks.map((task) => (
                <TaskCard task={task} key={task.to} />
              ))}
            </ul>
          )}
        </section>
      ))}
    </>
  );
}
