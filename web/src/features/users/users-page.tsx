import { Link, useSearchParams } from 'react-router';
import { roles } from '../../../../src/modules/identity/contract.ts';
import { usePageTitle } from '../../app/page.ts';
import { FilterForm } from '../../components/filter-form.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { ButtonLink, Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import { roleLabels } from '../identity/labels.ts';
import { type UserFilters, useUsers } from './queries.ts';

function filtersFrom(params: URLSearchParams): UserFilters {
  const value = (key: string) => params.get(key)?.trim() || undefined;
  return { q: value('q'), role: value('role'), active: value('active') };
}

export function UsersPage() {
  const [params] = useSearchParams();
  const filters = filtersFrom(params);
  const users = useUsers(filters);
  usePageTitle('Users');
  const filtered = Boolean(filters.q || filters.role || filters.active);

  return (
    <>
      <PageHeading>Users</PageHeading>
      <ButtonLink to="/users/new">Add a user</ButtonLink>

      <FilterForm action="/users" label="Find users">
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-one-third">
            <TextInput
              id="q"
              label="Name or email address"
              defaultValue={filters.q ?? ''}
              autoComplete="off"
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <Select
              id="role"
              label="Role"
              placeholder="Any role"
              options={roles.map((role) => ({ value: role, label: roleLabels[role] }))}
              defaultValue={filters.role ?? ''}
            />
          </div>
          <div className="nhsuk-grid-column-one-third">
            <Select
              id="active"
              label="Status"
              placeholder="Active or deactivated"
              options={[
                { value: 'true', label: 'Active' },
                { value: 'false', label: 'Deactivated' },
              ]}
              defaultValue={filters.active ?? ''}
            />
          </div>
        </div>
        <div className="app-actions">
          <button className="nhsuk-button nhsuk-button--secondary" type="submit">
            Find users
          </button>
          {filtered && (
            <p className="nhsuk-body">
              <Link to="/users">Clear filters</Link>
            </p>
          )}
        </div>
      </FilterForm>

      {users.isPending && <Loading what="users" />}
      {users.isError && <InlineProblem error={users.error} />}
      {users.isSuccess && users.data.length === 0 && (
        <p>{filtered ? 'No users match these filters.' : 'There are no users yet.'}</p>
      )}
      {users.isSuccess && users.data.length > 0 && (
        <div className="nhsuk-table-container">
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">
              {users.data.length === 1 ? '1 user' : `${users.data.length} users`}
            </caption>
            <thead className="nhsuk-table__head">
              <tr className="nhsuk-table__row">
                <th className="nhsuk-table__header" scope="col">
                  Name
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Roles
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Status
                </th>
                <th className="nhsuk-table__header" scope="col">
                  Two-factor
                </th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {users.data.map((user) => (
                <tr className="nhsuk-table__row" key={user.id}>
                  <td className="nhsuk-table__cell">
                    <Link to={`/users/${user.id}`}>{user.name}</Link>
                    <br />
                    <span className="nhsuk-body-s">{user.email}</span>
                  </td>
                  <td className="nhsuk-table__cell">
                    {user.roles.length === 0 ? (
                      'No roles'
                    ) : (
                      <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                        {user.roles.map((role) => (
                          <li key={role.id}>
                            {roleLabels[role.role]} at {role.organisationName}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="nhsuk-table__cell">
                    {user.active ? <Tag colour="green">Active</Tag> : <Tag colour="grey">Deactivated</Tag>}
                  </td>
                  <td className="nhsuk-table__cell">{user.mfaEnabled ? 'On' : 'Off'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
