import type { Organisation, OrganisationType } from '../../../../src/modules/organisations/contract.ts';
import type { SelectOption } from '../../components/select.tsx';
import { organisationTypeShortLabels } from './labels.ts';

export interface OrganisationNode {
  organisation: Organisation;
  children: OrganisationNode[];
}

const typeOrder: Record<OrganisationType, number> = {
  icb: 0,
  pcn: 1,
  gp_practice: 2,
  vcse: 3,
  local_authority: 4,
};

function byTypeThenName(a: OrganisationNode, b: OrganisationNode): number {
  return (
    typeOrder[a.organisation.type] - typeOrder[b.organisation.type] ||
    a.organisation.name.localeCompare(b.organisation.name, 'en-GB')
  );
}

/** ICB → PCN → GP practice, with VCSE organisations and local authorities under their parent. */
export function buildTree(items: Organisation[]): OrganisationNode[] {
  const nodes = new Map(
    items.map((organisation) => [organisation.id, { organisation, children: [] } as OrganisationNode]),
  );
  const roots: OrganisationNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.organisation.parentId ? nodes.get(node.organisation.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const sort = (list: OrganisationNode[]) => {
    list.sort(byTypeThenName);
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

/** Organisations in tree order, depth first. */
export function flatten(nodes: OrganisationNode[]): Organisation[] {
  return nodes.flatMap((node) => [node.organisation, ...flatten(node.children)]);
}

/** Ids of an organisation and everything under it. */
export function withDescendants(items: Organisation[], id: string): Set<string> {
  const ids = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const item of items) {
      if (item.parentId && ids.has(item.parentId) && !ids.has(item.id)) {
        ids.add(item.id);
        grew = true;
      }
    }
  }
  return ids;
}

export function organisationOptions(items: Organisation[]): SelectOption[] {
  return flatten(buildTree(items)).map((organisation) => ({
    value: organisation.id,
    label: `${organisation.name} (${organisationTypeShortLabels[organisation.type]})`,
  }));
}
