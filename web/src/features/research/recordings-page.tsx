import { type FormEvent, useState } from 'react';
import { useParams } from 'react-router';
import { formatDate } from '../../app/format.ts';
import { usePageTitle } from '../../app/page.ts';
import { useSignedIn } from '../../app/session.tsx';
import { ErrorSummary } from '../../components/error-summary.tsx';
import { useFormErrors } from '../../components/form-errors.ts';
import { InlineProblem } from '../../components/inline-problem.tsx';
import { BackLink, Loading, PageHeading, SuccessBanner, Tag } from '../../components/page-parts.tsx';
import { ResponsiveTable } from '../../components/responsive-table.tsx';
import { Select } from '../../components/select.tsx';
import { formatCount } from './coding-text.ts';
import {
  type Recording,
  recordingAudioUrl,
  useDeleteRecording,
  useRecordings,
  useUploadRecording,
} from './recordings-queries.ts';
import { WithStudy } from './research-parts.tsx';
import { researchPaths, type Study, useCollections, useParticipants } from './research-queries.ts';
import { FileField, showFileProblem } from './sources-page.tsx';

/*
 * Interview audio, for the study's leads and transcribers: kept only where the participant agreed to recording,
 * deleted on the study's retention date, on withdrawal, or by a lead. Each play and each deletion is audited.
 */

const deletedLabels: Record<string, string> = {
  retention: 'Deleted on its retention date',
  withdrawal: 'Deleted when the participant withdrew',
  by_lead: 'Deleted by a lead',
};

const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${formatCount(Math.ceil(bytes / 1024))} KB`;

function Recordings({ study }: { study: Study }) {
  const title = 'Interview recordings';
  const me = useSignedIn();
  const errors = useFormErrors({});
  const recordings = useRecordings(study.id);
  const participants = useParticipants(study.id);
  const collections = useCollections(study.id);
  const upload = useUploadRecording(study.id, me.csrfToken);
  const remove = useDeleteRecording(study.id);
  const [participantId, setParticipantId] = useState('');
  const [said, setSaid] = useState<string | null>(null);
  usePageTitle(`${title} – ${study.title}`, errors.hasErrors);
  const lead = study.myRole === 'lead';
  const allowed = lead || study.myRole === 'transcriber';
  const agreed = (participants.data ?? []).filter(
    (p) => !p.withdrawnOn && p.consent?.scopes.includes('audio_recording'),
  );
  const interviews = (collections.data ?? []).filter(
    (c) => c.kind === 'interview' && c.participantId === participantId,
  );

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (upload.isPending) return;
    const form = new FormData(event.currentTarget);
    const file = form.get('file');
    const problems = [];
    if (!participantId) problems.push({ field: 'participantId', message: 'Choose whose interview it is' });
    if (!(file instanceof File) || file.name === '') {
      problems.push({ field: 'file', message: 'Choose the audio file' });
    }
    if (problems.length) return errors.show(problems);
    errors.clear();
    const form2 = event.currentTarget;
    upload.mutate(
      {
        file: file as File,
        participantId,
        collectionId: String(form.get('collectionId') ?? '') || null,
      },
      {
        onSuccess: (r) => {
          form2.reset();
          setParticipantId('');
          setSaid(`${r.fileName} is kept until ${formatDate(r.deleteOn)}.`);
        },
        onError: (error) => showFileProblem(errors, error, 'file'),
      },
    );
  };

  const columns = [
    { header: 'Participant', cell: (r: Recording) => r.participantCode ?? '–' },
    { header: 'File', cell: (r: Recording) => `${r.fileName} (${size(r.sizeBytes)})` },
    { header: 'Uploaded', cell: (r: Recording) => formatDate(r.uploadedAt.slice(0, 10)) },
    {
      header: 'Kept until',
      cell: (r: Recording) =>
        r.deletedAt ? (
          <Tag colour="grey">{deletedLabels[r.deletedReason ?? ''] ?? 'Deleted'}</Tag>
        ) : (
          formatDate(r.deleteOn)
        ),
    },
    {
      header: 'Listen',
      cell: (r: Recording) =>
        r.deletedAt ? (
          'No longer kept'
        ) : (
          // biome-ignore lint/a11y/useMediaCaption: interview audio has no captions; its transcript is the source
          <audio
            controls
            preload="none"
            src={recordingAudioUrl(r.id)}
            aria-label={`Recording of ${r.participantCode}`}
          />
        ),
    },
    ...(lead
      ? [
          {
            header: 'Delete',
            cell: (r: Recording) =>
              r.deletedAt ? null : (
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                  disabled={remove.isPending}
                  onClick={() =>
                    remove.mutate(r.id, {
                      onSuccess: () => setSaid(`The recording of ${r.participantCode} was deleted.`),
                      onError: (error) => errors.showError(error),
                    })
                  }
                >
                  Delete now
                  <span className="nhsuk-u-visually-hidden"> the recording of {r.participantCode}</span>
                </button>
              ),
          },
        ]
      : []),
  ];

  return (
    <>
      <BackLink to={researchPaths.study(study.id)}>Back to the study</BackLink>
      <ErrorSummary items={errors.items} attempt={errors.attempt} />
      {said && (
        <SuccessBanner>
          <p className="nhsuk-notification-banner__heading">{said}</p>
        </SuccessBanner>
      )}
      <PageHeading caption={study.title}>{title}</PageHeading>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Audio of interviews whose participant agreed to recording. Only the study’s leads and transcribers
            can listen. A recording is deleted {study.audioRetentionMonths} months after the study ends (on{' '}
            {formatDate(study.endsOn)}), when its participant withdraws, or when a lead deletes it; the record
            that it existed stays.
          </p>
        </div>
      </div>
      {!allowed ? (
        <p>Only the study’s leads and transcribers work with recordings.</p>
      ) : (
        <>
          {recordings.isPending && <Loading what="recordings" />}
          {recordings.isError && <InlineProblem error={recordings.error} />}
          {recordings.data &&
            (recordings.data.length === 0 ? (
              <p>No recordings yet.</p>
            ) : (
              <ResponsiveTable
                caption={`${recordings.data.length} ${recordings.data.length === 1 ? 'recording' : 'recordings'}`}
                items={recordings.data}
                itemKey={(r) => r.id}
                columns={columns}
              />
            ))}
          <form onSubmit={submit} noValidate className="app-research-group" aria-labelledby="upload-heading">
            <h2 className="nhsuk-heading-m" id="upload-heading">
              Upload a recording
            </h2>
            <Select
              id="participantId"
              label="Participant"
              hint="Only participants whose latest consent includes audio recording are listed"
              value={participantId}
              onChange={(e) => setParticipantId(e.target.value)}
              options={[
                { value: '', label: 'Choose a participant' },
                ...agreed.map((p) => ({ value: p.id, label: p.studyCode })),
              ]}
              error={errors.messageFor('participantId')}
            />
            <Select
              id="collectionId"
              label="Interview (optional)"
              options={[
                { value: '', label: interviews.length ? 'Choose an interview' : 'No interviews with them' },
                ...interviews.map((c) => ({
                  value: c.id,
                  label: `${c.workPackage} interview, ${formatDate(c.heldOn ?? c.scheduledOn)}`,
                })),
              ]}
              error={errors.messageFor('collectionId')}
            />
            <FileField
              id="file"
              label="Audio file"
              hint="MP3, M4A, WAV, WebM or Ogg audio, up to 200 MB"
              accept="audio/*,.mp3,.m4a,.wav,.webm,.ogg"
              error={errors.messageFor('file')}
            />
            <button type="submit" className="nhsuk-button" disabled={upload.isPending}>
              Upload
            </button>
          </form>
        </>
      )}
    </>
  );
}

export function RecordingsPage() {
  const { id = '' } = useParams();
  return <WithStudy id={id}>{(study) => <Recordings study={study} />}</WithStudy>;
}
