import { describeError } from './form-errors.ts';

/** A failed load inside a page that otherwise works, such as a list below a filter form. */
export function InlineProblem({ error }: { error: unknown }) {
  return (
    <p className="nhsuk-error-message" role="alert">
      <span className="nhsuk-u-visually-hidden">Error: </span>
      {describeError(error)}
    </p>
  );
}
