import { Link } from 'react-router';
import { ApiProblem } from '../app/api.ts';
import { usePageTitle } from '../app/page.ts';
import { PageHeading } from './page-parts.tsx';

export function NotFoundPage({ detail }: { detail?: string | undefined }) {
  usePageTitle('Page not found');
  return (
    <>
      <PageHeading>Page not found</PageHeading>
      {detail && <p>{detail}</p>}
      <p>If you typed the web address, check it was correct.</p>
      <p>If you pasted the web address, check you copied the entire address.</p>
      <p>
        <Link to="/">Go to the Linkwork home page</Link>
      </p>
    </>
  );
}

function headingFor(status: number): string {
  if (status === 403) return 'You do not have permission to see this page';
  if (status === 0) return 'Linkwork could not be reached';
  return 'Sorry, there is a problem with the service';
}

/** A whole page explaining why what was asked for could not be loaded. */
export function ProblemPage({ error }: { error: unknown }) {
  const problem =
    error instanceof ApiProblem ? error : new ApiProblem({ status: 500, title: 'Something went wrong' });
  const heading = headingFor(problem.status);
  usePageTitle(problem.status === 404 ? 'Page not found' : heading);
  if (problem.status === 404) return <NotFoundPage detail={problem.detail} />;
  return (
    <>
      <PageHeading>{heading}</PageHeading>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.status === 403 ? (
        <p>If you think you should be able to see it, ask your Linkwork administrator.</p>
      ) : (
        <p>Try again later.</p>
      )}
      {problem.requestId && (
        <p className="nhsuk-body-s">
          If you contact support, give them this reference:{' '}
          <span className="app-table-ids">{problem.requestId}</span>
        </p>
      )}
      <p>
        <Link to="/">Go to the Linkwork home page</Link>
      </p>
    </>
  );
}
