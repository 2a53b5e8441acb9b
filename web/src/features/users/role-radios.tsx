import { roles } from '../../../../src/modules/identity/contract.ts';
import { Radios } from '../../components/choices.tsx';
import { roleHints, roleLabels } from '../identity/labels.ts';

export function RoleRadios({ error }: { error: string | undefined }) {
  return (
    <Radios
      id="role"
      legend="Role at this organisation"
      error={error}
      items={roles.map((role) => ({ value: role, label: roleLabels[role], hint: roleHints[role] }))}
    />
  );
}
