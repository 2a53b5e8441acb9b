import { usePageTitle } from '../../app/page.ts';
import { PageHeading, TwoThirds } from '../../components/page-parts.tsx';

export function NoRolesPage() {
  usePageTitle('You have no roles yet');
  return (
    <TwoThirds>
      <PageHeading>You have no roles yet</PageHeading>
      <p>
        You can sign in, but you do not have a role at any organisation, so there is nothing you can do yet.
      </p>
      <p>Ask your Linkwork administrator to give you a role.</p>
    </TwoThirds>
  );
}
