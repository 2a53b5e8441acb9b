import { useEffect, useRef } from 'react';
import { Link, NavLink, Outlet, useLocation } from 'react-router';
import type { Me, Role } from '../../../src/modules/identity/contract.ts';
import { describeError } from '../components/form-errors.ts';
import { NhsLogo } from '../components/nhs-logo.tsx';
import { useSignOut } from '../features/identity/sign-out.ts';
import { focusMainHeading } from './page.ts';
import { useMe } from './session.tsx';

function UserIcon() {
  return (
    <svg
      className="nhsuk-icon nhsuk-icon--user"
      xmlns="http://www.w3.org/2000/svg"
      viewBox="0 0 24 24"
      width="16"
      height="16"
      focusable="false"
      aria-hidden="true"
    >
      <path d="M12 1a11 11 0 1 1 0 22 11 11 0 0 1 0-22Zm0 2a9 9 0 0 0-5 16.5V18a4 4 0 0 1 4-4h2a4 4 0 0 1 4 4v1.5A9 9 0 0 0 12 3Zm0 3a3.5 3.5 0 1 1-3.5 3.5A3.4 3.4 0 0 1 12 6Z" />
    </svg>
  );
}

/** Who may find community services in the directory (the API's DIRECTORY_READERS). */
const directoryReaders: Role[] = [
  'link_worker',
  'lead_link_worker',
  'referrer',
  'directory_manager',
  'admin',
];

/** The sections someone can use, from the roles they hold at the organisation they act for. */
export function sectionsFor(me: Me): { to: string; label: string }[] {
  const roles = me.acting?.roles ?? [];
  const sections: { to: string; label: string }[] = [];
  if (roles.includes('lead_link_worker')) {
    sections.push(
      { to: '/triage', label: 'Triage' },
      { to: '/waiting-list', label: 'Waiting list' },
      { to: '/caseload', label: 'Caseload' },
      { to: '/caseloads', label: 'Team' },
      { to: '/outcomes/due', label: 'Measures' },
    );
  } else if (roles.includes('link_worker')) {
    sections.push(
      { to: '/caseload', label: 'Caseload' },
      { to: '/outcomes/due', label: 'Measures' },
      { to: '/outcomes/follow-ups', label: 'Follow-ups' },
    );
  }
  if (roles.includes('referrer')) sections.push({ to: '/referrals/mine', label: 'Referrals' });
  if (roles.includes('admin')) {
    sections.push({ to: '/organisations', label: 'Organisations' }, { to: '/users', label: 'Users' });
  }
  if (roles.includes('admin') || roles.includes('lead_link_worker')) {
    sections.push({ to: '/link-workers', label: 'Link workers' });
  }
  if (roles.some((role) => role === 'lead_link_worker' || role === 'admin' || role === 'commissioner')) {
    sections.push({ to: '/outcomes/change', label: 'Outcomes' });
  }
  // Leads and administrators reach the what-works explorer from Outcomes (their menu is full).
  if (roles.includes('commissioner') || roles.includes('researcher')) {
    sections.push({ to: '/insight/explorer', label: 'What works' });
  }
  // Leads and administrators reach the operational report from Outcomes too.
  if (roles.includes('commissioner')) sections.push({ to: '/reports/operational', label: 'Reports' });
  // Leads reach Follow-ups from Measures (their menu is full); outcome settings are linked from Follow-ups (leads)
  // and Questionnaires (administrators).
  if (roles.includes('admin')) sections.push({ to: '/outcomes/instruments', label: 'Questionnaires' });
  if (roles.includes('researcher')) sections.push({ to: '/research', label: 'Research' });
  if (roles.includes('admin') || roles.includes('lead_link_worker')) {
    sections.push({ to: '/messages', label: 'Messages' });
  }
  if (roles.includes('admin')) sections.push({ to: '/audit', label: 'Audit log' });
  // One entry for the community services directory, so the menu wraps no more than it did: its other pages
  // (tasks, and for the ICB's directory managers adding services and settings) are linked from Find services.
  const keepsDirectory =
    (roles.includes('directory_manager') || roles.includes('admin')) && me.acting?.organisationType === 'icb';
  if (keepsDirectory) sections.push({ to: '/directory', label: 'Directory' });
  else if (roles.some((role) => directoryReaders.includes(role)))
    sections.push({ to: '/directory', label: 'Find services' });
  return sections;
}

function SignOutButton() {
  const signOut = useSignOut();
  return (
    <form
      className="nhsuk-header__account-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (!signOut.isPending) signOut.mutate();
      }}
    >
      <button className="nhsuk-header__account-button" type="submit">
        Sign out
      </button>
      {signOut.isError && (
        <span className="nhsuk-u-visually-hidden" role="alert">
          {describeError(signOut.error)}
        </span>
      )}
    </form>
  );
}

function Header({ me }: { me: Me | null }) {
  const complete = me?.stage === 'complete';
  const sections = me && complete ? sectionsFor(me) : [];
  return (
    <header className="nhsuk-header">
      <div className="nhsuk-header__container nhsuk-width-container">
        <div className="nhsuk-header__service">
          <Link className="nhsuk-header__service-logo" to="/" aria-label="NHS Linkwork homepage">
            <NhsLogo />
            <span className="nhsuk-header__service-name">Linkwork</span>
          </Link>
        </div>
        {me && (
          <nav className="nhsuk-header__account" aria-label="Account">
            <ul className="nhsuk-header__account-list">
              <li className="nhsuk-header__account-item">
                <UserIcon />
                {me.user.name}
              </li>
              {complete && me.acting && (
                <li className="nhsuk-header__account-item">
                  Acting for: <span className="app-header__acting">{me.acting.organisationName}</span>
                </li>
              )}
              {complete && me.memberships.length > 1 && (
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/acting-organisation">
                    Change
                    <span className="nhsuk-u-visually-hidden"> the organisation you are acting for</span>
                  </Link>
                </li>
              )}
              {complete && (
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/account">
                    Account
                  </Link>
                </li>
              )}
              <li className="nhsuk-header__account-item">
                <SignOutButton />
              </li>
            </ul>
          </nav>
        )}
      </div>
      {sections.length > 0 && (
        <nav className="nhsuk-header__navigation" aria-label="Menu">
          <div className="nhsuk-header__navigation-container nhsuk-width-container">
            <ul className="nhsuk-header__navigation-list">
              {[{ to: '/', label: 'Home' }, ...sections].map((section) => (
                <li className="nhsuk-header__navigation-item" key={section.to}>
                  <NavLink className="nhsuk-header__navigation-link" to={section.to} end={section.to === '/'}>
                    {section.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </div>
        </nav>
      )}
    </header>
  );
}

function Footer() {
  return (
    <footer className="nhsuk-footer">
      <div className="nhsuk-width-container">
        <div className="nhsuk-footer__meta">
          <h2 className="nhsuk-u-visually-hidden">Support links</h2>
          <ul className="nhsuk-footer__list">
            <li className="nhsuk-footer__list-item">
              <a className="nhsuk-footer__list-item-link" href="/api/docs">
                API documentation
              </a>
            </li>
          </ul>
          <p className="nhsuk-body-s">Linkwork – social prescribing in primary care</p>
        </div>
      </div>
    </footer>
  );
}

/** The skip link moves focus itself: a fragment link would count as a navigation for the router. */
function useSkipLink() {
  const ref = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    const link = ref.current;
    if (!link) return;
    const skip = (event: Event) => {
      const main = document.getElementById('maincontent');
      if (!main) return;
      event.preventDefault();
      main.setAttribute('tabindex', '-1');
      main.focus();
      main.addEventListener('blur', () => main.removeAttribute('tabindex'), { once: true });
    };
    link.addEventListener('click', skip);
    return () => link.removeEventListener('click', skip);
  }, []);
  return ref;
}

export function Layout() {
  const { data: me } = useMe();
  const { pathname } = useLocation();
  const firstPath = useRef(pathname);
  const skipLink = useSkipLink();

  useEffect(() => {
    // On first load the browser starts at the top of the page as usual; afterwards, announce each new page.
    if (pathname === firstPath.current) return;
    firstPath.current = '';
    window.scrollTo(0, 0);
    focusMainHeading();
  }, [pathname]);

  return (
    <>
      <a className="nhsuk-skip-link" href="#maincontent" ref={skipLink}>
        Skip to main content
      </a>
      <Header me={me ?? null} />
      <div className="nhsuk-width-container">
        <main className="nhsuk-main-wrapper" id="maincontent">
          <Outlet />
        </main>
      </div>
      <Footer />
    </>
  );
}
