import { Link, useLocation } from 'react-router';
import { usePageTitle } from '../../app/page.ts';
import { ButtonLink, Loading, PageHeading, SuccessBanner, Tag } from '../../components/page-parts.tsx';
import { ProblemPage } from '../../components/problem-page.tsx';
import { organisationTypeColours, organisationTypeShortLabels } from './labels.ts';
import { useOrganisations } from './queries.ts';
import { buildTree, type OrganisationNode } from './tree.ts';

/** Organisations that others sit under, where adding one beneath makes sense. */
const canHoldChildren = new Set(['icb', 'pcn']);

function Branch({ node }: { node: OrganisationNode }) {
  const { organisation, children } = node;
  return (
    <li>
      {organisation.manageable ? (
        <Link to={`/organisations/${organisation.id}`}>{organisation.name}</Link>
      ) : (
        <span>{organisation.name}</span>
      )}
      <Tag colour={organisationTypeColours[organisation.type]}>
        {organisationTypeShortLabels[organisation.type]}
      </Tag>
      {organisation.odsCode && (
        <span className="app-organisation-tree__meta">ODS code {organisation.odsCode}</span>
      )}
      {organisation.requireMfaForAll && (
        <span className="app-organisation-tree__meta">Two-factor required for everyone</span>
      )}
      {organisation.manageable && canHoldChildren.has(organisation.type) && (
        <span className="app-organisation-tree__meta">
          <Link to={`/organisations/new?parentId=${organisation.id}`}>
            Add<span className="nhsuk-u-visually-hidden"> an organisation under {organisation.name}</span>
          </Link>
        </span>
      )}
      {children.length > 0 && (
        <ul>
          {children.map((child) => (
            <Branch node={child} key={child.organisation.id} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function OrganisationsPage() {
  const organisations = useOrganisations();
  const location = useLocation();
  const saved = (location.state as { saved?: string } | null)?.saved;
  usePageTitle('Organisations');

  if (organisations.isPending) return <Loading what="organisations" />;
  if (organisations.isError) return <ProblemPage error={organisations.error} />;

  const tree = buildTree(organisations.data);
  const anyManageable = organisations.data.some((organisation) => organisation.manageable);
  return (
    <>
      {saved && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{saved}</p>
        </SuccessBanner>
      )}
      <PageHeading>Organisations</PageHeading>
      <p>
        Each integrated care board (ICB) holds its primary care networks (PCNs), and each PCN its GP
        practices. Voluntary, community and social enterprise (VCSE) organisations and local authorities sit
        under the organisation that works with them.
      </p>
      {anyManageable && <ButtonLink to="/organisations/new">Add an organisation</ButtonLink>}
      {tree.length === 0 ? (
        <p>There are no organisations you can see.</p>
      ) : (
        <ul className="app-organisation-tree">
          {tree.map((node) => (
            <Branch node={node} key={node.organisation.id} />
          ))}
        </ul>
      )}
    </>
  );
}
