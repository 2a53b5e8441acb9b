import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { listRecordings } from '../../../../src/modules/research/recordings.ts';
import { api } from '../../app/api.ts';
import { sendFile } from './coding-queries.ts';

/* Interview audio (/api/research/…/recordings): for a study's leads and transcribers. */

export type Recording = Awaited<ReturnType<typeof listRecordings>>[number];

const key = (studyId: string) => ['research', 'recordings', studyId] as const;

export const recordingsPath = (studyId: string) => `/research/studies/${studyId}/recordings`;
export const recordingAudioUrl = (id: string) => `/api/research/recordings/${encodeURIComponent(id)}/audio`;

export function useRecordings(studyId: string) {
  return useQuery({
    queryKey: key(studyId),
    queryFn: () =>
      api.get<{ items: Recording[] }>(`/api/research/studies/${encodeURIComponent(studyId)}/recordings`),
    select: (d) => d.items,
  });
}

/** The audio type a file goes up as, from its name when the browser gives none. */
export function audioType(file: File): string {
  if (file.type.startsWith('audio/')) return file.type;
  const extension = file.name.toLowerCase().split('.').pop();
  return (
    {
      mp3: 'audio/mpeg',
      m4a: 'audio/x-m4a',
      mp4: 'audio/mp4',
      wav: 'audio/wav',
      webm: 'audio/webm',
      ogg: 'audio/ogg',
    }[extension ?? ''] ?? 'application/octet-stream'
  );
}

export function useUploadRecording(studyId: string, csrfToken: string | null) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { file: File; participantId: string; collectionId: string | null }) => {
      const query = new URLSearchParams({ participantId: input.participantId, fileName: input.file.name });
      if (input.collectionId) query.set('collectionId', input.collectionId);
      return sendFile<Recording>(
        `/api/research/studies/${encodeURIComponent(studyId)}/recordings?${query}`,
        input.file,
        audioType(input.file),
        csrfToken,
      );
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: key(studyId) });
    },
  });
}

export function useDeleteRecording(studyId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/research/recordings/${encodeURIComponent(id)}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: key(studyId) });
    },
  });
}
