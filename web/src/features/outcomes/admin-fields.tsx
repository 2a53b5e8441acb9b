import type { ChangeEvent, ReactNode } from 'react';
import { describedBy, formGroupClass, Hint } from '../../components/field-parts.tsx';

/*
 * Fields for the Questionnaires pages that can carry several problems at once (each row of a file, each part of a
 * definition): every one is listed beside the field, as in the error summary.
 */

/** A field's problems: one as the usual error message, several as a list. */
export function FieldProblems({ id, problems }: { id: string; problems: string[] }) {
  if (problems.length === 0) return null;
  return (
    <div className="nhsuk-error-message" id={`${id}-error`}>
      <span className="nhsuk-u-visually-hidden">Error: </span>
      {problems.length === 1 ? (
        problems[0]
      ) : (
        <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-0">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The NHS file upload field, without its script: the browser's own file chooser. */
export function FileUpload({
  id,
  label,
  hint,
  problems,
  accept,
  status,
  onFile,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  problems: string[];
  accept: string;
  /** What was read from the chosen file, e.g. "29 rows read from table.csv". */
  status?: ReactNode;
  onFile: (file: File | null) => void;
}) {
  const error = problems.length > 0 ? problems.join(' ') : undefined;
  return (
    <div className={formGroupClass(error, 'nhsuk-file-upload')}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <FieldProblems id={id} problems={problems} />
      <input
        className="nhsuk-file-upload__input"
        id={id}
        name={id}
        type="file"
        accept={accept}
        aria-describedby={describedBy(id, hint, error)}
        onChange={(event: ChangeEvent<HTMLInputElement>) => onFile(event.currentTarget.files?.[0] ?? null)}
      />
      {status && (
        <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0" role="status">
          {status}
        </p>
      )}
    </div>
  );
}
