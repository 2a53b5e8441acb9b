import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiProblem } from '../../app/api.ts';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { describedBy, ErrorMessage, formGroupClass, Hint } from '../../components/field-parts.tsx';
import { type FormErrors, useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, SuccessBanner, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { TextInput } from '../../components/text-input.tsx';
import {
  canUpload,
  codingDownloads,
  codingPaths,
  type ImportQdpxSummary,
  type SourceSummary,
  useImportQdpx,
  useSources,
  useUploadSource,
} from './coding-queries.ts';
import { formatCount } from './coding-text.ts';
import { collectionKindLabels } from './labels.ts';
import { canWrite, SavedBanner, WithStudy } from './research-parts.tsx';
import { researchPaths, type Study, useCollections, useParticipants } from './research-queries.ts';

/*
 * A study's sources: transcripts and documents, each waiting for its redactions or ready to code. Researchers and
 * leads upload a file (its own bytes go to the API, which reads .txt, .docx and Teams .vtt); leads export the
 * study as a REFI-QDA project and import one.
 */

/** Problems with an upload are about the file unless the API names another field. */
export function showFileProblem(errors: FormErrors, error: unknown, field: string) {
  if (error instanceof ApiProblem && error.errors.length > 0) {
    errors.show(
      error.errors.map((p) => ({ field: p.field === 'file' ? field : p.field, message: p.message })),
    );
  } else if (error instanceof ApiProblem) {
    errors.show([{ field, message: error.detail ?? error.title }]);
  } else {
    errors.showError(error);
  }
}

export function FileField({
  id,
  label,
  hint,
  accept,
  error,
}: {
  id: string;
  label: string;
  hint: string;
  accept: string;
  error: string | undefined;
}) {
  return (
    <div className={formGroupClass(error, 'nhsuk-file-upload')}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id}>{hint}</Hint>
      <ErrorMessage id={id} message={error} />
      <input
        className="nhsuk-file-upload__input"
        id={id}
        name={id}
        type="file"
        accept={accept}
        aria-describedby={describedBy(id, hint, error)}
      />
    </div>
  );
}

function Upload({ study, errors }: { study: Study; errors: FormErrors }) {
  const me = useSignedIn();
  const navigate = useNavigate();
  const upload = useUploadSource(study.id, me.csrfToken);
  const participants = useParticipants(study.id);
  const collections = useCollections(study.id);
  const [participantId, setParticipantId] = useState('');
  const interviews = (collections.data ?? []).filter(
    (c) => c.status === 'done' && (!participantId || c.participantId === participantId),
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (upload.isPending) return;
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    if (!(file instanceof File) || file.name === '') {
      return errors.show([{ field: 'file', message: 'Choose the transcript file (.txt, .docx or .vtt)' }]);
    }
    errors.clear();
    upload.mutate(
      {
        file,
        participantId: participantId || null,
        collectionId: String(form.get('collectionId') ?? '') || null,
        name: String(form.get('sourceName') ?? '').trim() || null,
      },
      {
        onSuccess: (source) =>
          canWrite(study.myRole)
            ? navigate(codingPaths.deidentify(source.id, study.id), {
                state: {
                  saved: `${file.name} uploaded as ${source.name}. Check what may identify someone before it is coded.`,
                },
              })
            : navigate(codingPaths.sources(study.id), {
                replace: true,
                state: {
                  saved: `${file.name} uploaded as ${source.name}. A researcher de-identifies it before it is coded.`,
                },
              }),
        onError: (error) => showFileProblem(errors, error, 'file'),
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate className="app-research-group" aria-labelledby="upload-heading">
      <h2 className="nhsuk-heading-m" id="upload-heading">
        Upload a transcript
      </h2>
      <FileField
        id="file"
        label="Transcript file"
        hint="A plain text file (.txt, UTF-8), a Word document (.docx) or a Microsoft Teams transcript (.vtt). Speaker labels such as “Interviewer:” become speaker turns."
        accept=".txt,.docx,.vtt,text/plain,text/vtt,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        error={errors.messageFor('file')}
      />
      <Select
        id="participantId"
        label="Participant (optional)"
        placeholder={participants.isPending ? 'Loading…' : 'No participant'}
        options={(participants.data ?? [])
          .filter((p) => !p.withdrawnOn)
          .map((p) => ({ value: p.id, label: p.studyCode }))}
        value={participantId}
        onChange={(event) => setParticipantId(event.currentTarget.value)}
        error={errors.messageFor('participantId')}
      />
      <Select
        id="collectionId"
        label="Interview (optional)"
        hint="The interview or observation this is the transcript of: the source takes its case and work package."
        placeholder={collections.isPending ? 'Loading…' : 'No interview'}
        options={interviews.map((c) => ({
          value: c.id,
          label: `${c.participantCode ?? c.caseLabel ?? 'Study'}: ${collectionKindLabels[c.kind].toLowerCase()}, ${formatDate(c.heldOn ?? c.scheduledOn)} (${c.workPackage})`,
        }))}
        key={participantId}
        error={errors.messageFor('collectionId')}
      />
      <TextInput
        id="sourceName"
        label="Name (optional)"
        hint="Leave blank to use the file’s name"
        width={30}
        error={errors.messageFor('name')}
      />
      <button className="nhsuk-button" type="submit" disabled={upload.isPending}>
        {upload.isPending ? 'Uploading…' : 'Upload'}
      </button>
    </form>
  );
}

function Exchange({ study, errors }: { study: Study; errors: FormErrors }) {
  const me = useSignedIn();
  const importQdpx = useImportQdpx(study.id, me.csrfToken);
  const [imported, setImported] = useState<ImportQdpxSummary | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (importQdpx.isPending) return;
    const form = new FormData(event.currentTarget);
    const file = form.get('qdpxFile');
    if (!(file instanceof File) || file.name === '') {
      return errors.show([{ field: 'qdpxFile', message: 'Choose the REFI-QDA project file (.qdpx)' }]);
    }
    errors.clear();
    setImported(null);
    importQdpx.mutate(
      { file, attributeUnknownToMe: form.get('attributeUnknownTo') === 'me' },
      {
        onSuccess: setImported,
        onError: (error) => showFileProblem(errors, error, 'qdpxFile'),
      },
    );
  };

  return (
    <section aria-labelledby="exchange-heading" className="app-research-group">
      <h2 className="nhsuk-heading-m" id="exchange-heading">
        Exchange with other qualitative tools (REFI-QDA)
      </h2>
      <p>
        <a href={codingDownloads.exportQdpx(study.id)} download>
          Export the study as a REFI-QDA project (.qdpx)
        </a>
        <span className="nhsuk-u-display-block nhsuk-body-s app-research-meta">
          The codebook, de-identified sources, every coder’s codings, memos and cases, for NVivo, ATLAS.ti,
          MAXQDA or QualCoder. Positions count Unicode characters (code points).
        </span>
      </p>
      {imported && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">
            Imported {imported.sources} {imported.sources === 1 ? 'source' : 'sources'}, {imported.codings}{' '}
            codings and {imported.memos} memos; {imported.codesCreated} new codes, {imported.codesMatched}{' '}
            matched.
          </p>
          {imported.warnings.length > 0 && (
            <ul className="nhsuk-list nhsuk-list--bullet">
              {imported.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          )}
        </SuccessBanner>
      )}
      <form onSubmit={submit} noValidate>
        <FileField
          id="qdpxFile"
          label="Import a REFI-QDA project"
          hint="All of it or nothing: a problem anywhere in the file imports nothing."
          accept=".qdpx,application/zip"
          error={errors.messageFor('qdpxFile')}
        />
        <div className="nhsuk-form-group">
          <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
            <div className="nhsuk-checkboxes__item">
              <input
                className="nhsuk-checkboxes__input"
                id="attributeUnknownTo"
                name="attributeUnknownTo"
                type="checkbox"
                value="me"
              />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor="attributeUnknownTo">
                Take on coding by people who are not on the team as mine
              </label>
            </div>
          </div>
        </div>
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="submit"
          disabled={importQdpx.isPending}
        >
          {importQdpx.isPending ? 'Importing…' : 'Import'}
        </button>
      </form>
    </section>
  );
}

function SourceLink({ source, study }: { source: SourceSummary; study: Study }) {
  if (source.status === 'ready')
    return <Link to={codingPaths.source(source.id, study.id)}>{source.name}</Link>;
  if (canWrite(study.myRole)) {
    return (
      <Link to={codingPaths.deidentify(source.id, study.id)}>
        {source.name}
        <span className="nhsuk-u-visually-hidden">: de-identify it</span>
      </Link>
    );
  }
  return <>{source.name}</>;
}

function Sources({ study }: { study: Study }) {
  const sources = useSources(study.id);
  const errors = useFormErrors({});
  const title = 'Sources';
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const uploader = canUpload(study.myRole);

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      <SavedBanner />
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      <PageHeading caption={study.title}>{title}</PageHeading>
      <ul className="nhsuk-list app-research-links">
        <li>
          <Link to={codingPaths.codebook(study.id)}>Codebook</Link>
        </li>
        <li>
          <Link to={codingPaths.segments(study.id)}>Retrieve coded text</Link>
        </li>
        <li>
          <Link to={codingPaths.matrix(study.id)}>Case × code matrix</Link>
        </li>
        {study.myRole === 'lead' && (
          <li>
            <Link to={codingPaths.agreement(study.id)}>Agreement between coders</Link>
          </li>
        )}
      </ul>
      {sources.isPending && <Loading what="sources" />}
      {sources.isError && <InlineProblem error={sources.error} />}
      {sources.data &&
        (sources.data.length === 0 ? (
          <p>No sources yet.{uploader ? ' Upload a transcript below.' : ''}</p>
        ) : (
          <ResponsiveTable
            caption="Transcripts and documents"
            items={sources.data}
            itemKey={(s) => s.id}
            columns={[
              { header: 'Name', cell: (s) => <SourceLink source={s} study={study} /> },
              { header: 'Participant', nowrap: true, cell: (s) => s.participantCode ?? 'None' },
              { header: 'Case', cell: (s) => s.caseLabel ?? 'None' },
              { header: 'Work package', cell: (s) => s.workPackage ?? 'None' },
              {
                header: 'Status',
                cell: (s) =>
                  s.status === 'ready' ? (
                    <Tag colour="green">Ready</Tag>
                  ) : (
                    <Tag colour="yellow">Awaiting de-identification</Tag>
                  ),
              },
              { header: 'Length', nowrap: true, cell: (s) => `${formatCount(s.length)} characters` },
            ]}
          />
        ))}
      {uploader && (
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <Upload study={study} errors={errors} />
            {study.myRole === 'lead' && <Exchange study={study} errors={errors} />}
          </div>
        </div>
      )}
    </>
  );
}

export function SourcesPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Sources study={study} />}</WithStudy>;
}
