import { Link, useSearchParams } from 'react-router';
import { withQuery } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { canEditDirectory, Pagination, servicePath } from './directory-parts.tsx';
import { taskKindColours, taskKindLabels } from './labels.ts';
import { type Task, useDirectoryTasks } from './queries.ts';

const title = 'Directory tasks';
const perPage = 25;

function tasksCount(count: number): string {
  return count === 1 ? '1 task' : `${count.toLocaleString('en-GB')} tasks`;
}

function What({ task }: { task: Task }) {
  return (
    <>
      <Tag colour={taskKindColours[task.kind]}>{taskKindLabels[task.kind]}</Tag>
      <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0 app-written">
        {task.kind === 'stale'
          ? task.assuredDate
            ? 'Not verified since'
            : 'Never verified'
          : (task.note ?? '')}
      </span>
    </>
  );
}

export function DirectoryTasksPage() {
  const me = useSignedIn();
  const [params] = useSearchParams();
  const requested = Number(params.get('page') ?? '1');
  const page = Number.isInteger(requested) && requested >= 1 ? requested : 1;
  const tasks = useDirectoryTasks(page);
  usePageTitle(title);
  const editor = canEditDirectory(me);
  const total = tasks.data?.total ?? 0;
  const pages = Math.ceil(total / perPage);

  return (
    <>
      <BackLink to="/directory">Back to find services</BackLink>
      <PageHeading>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Services nobody has verified
            {tasks.data ? ` for ${tasks.data.staleAfterMonths} months or more` : ' for a while'}, and problems
            people reported. Open a service to check its details with the people who run it, then say they are
            right or report what is wrong.
            {editor && ' Resolve reports from the service’s page.'}
          </p>
        </div>
      </div>
      {tasks.isPending && <Loading what="tasks" />}
      {tasks.isError && <InlineProblem error={tasks.error} />}
      {tasks.isSuccess && total === 0 && (
        <p>There is nothing to check: every service has been verified recently.</p>
      )}
      {tasks.isSuccess && total > 0 && (
        <>
          <ResponsiveTable
            caption={`${tasksCount(total)}${pages > 1 ? `, page ${page} of ${pages}` : ''}`}
            items={tasks.data.items}
            itemKey={(task) => `${task.serviceId}-${task.kind}-${task.since ?? ''}-${task.note ?? ''}`}
            columns={[
              {
                header: 'Service',
                cell: (task) => (
                  <>
                    <Link to={servicePath(task.serviceId)}>{task.name}</Link>
                    {task.organisationName && (
                      <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">
                        {task.organisationName}
                      </span>
                    )}
                  </>
                ),
              },
              { header: 'What needs doing', cell: (task) => <What task={task} /> },
              {
                header: 'Since',
                nowrap: true,
                cell: (task) => (task.since ? formatDate(task.since) : 'Never verified'),
              },
              {
                header: 'Action',
                hiddenHeader: true,
                cell: (task) => (
                  <Link to={servicePath(task.serviceId)}>
                    {task.kind === 'stale' ? 'Check' : editor ? 'Resolve' : 'See the report'}
                    <span className="nhsuk-u-visually-hidden">
                      {task.kind === 'stale' ? ` ${task.name}` : ` about ${task.name}`}
                    </span>
                  </Link>
                ),
              },
            ]}
          />
          <Pagination
            page={page}
            pages={pages}
            what="tasks"
            hrefFor={(to) => withQuery('/directory/tasks', { page: to === 1 ? undefined : to })}
          />
        </>
      )}
    </>
  );
}
