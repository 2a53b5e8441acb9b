import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/db.ts';
import {
  makeTestApp,
  makeUser,
  signedInUsers,
  type TestApp,
  type TestUser,
} from '../../../test/factories.ts';
import { makeWorld, type World } from '../../../test/world.ts';
import { rowsOf } from '../../db/client.ts';
import { ManualClock } from '../../platform/clock.ts';
import { inTransaction } from '../../platform/transaction.ts';
import { deleteExpiredRecordings } from './recordings.ts';

const AUDIO = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]);

describeEachDatabase('the research workspace: audio recordings', (db) => {
  let t: TestApp;
  let world: World;
  let lead: TestUser;
  let transcriber: TestUser;
  let coder: TestUser;
  const { as, req } = signedInUsers(() => t);
  const upload = async (user: TestUser, participantId: string, type = 'audio/mpeg', bytes = AUDIO) => {
    const s = await as(user);
    return t.app.inject({
      method: 'POST',
      url: `/api/research/studies/${studyId}/recordings?participantId=${participantId}&fileName=interview.mp3`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken, 'content-type': type },
      payload: bytes,
    });
  };
  let studyId: string;
  const participants: Record<string, string> = {};

  beforeAll(async () => {
    world = await makeWorld(db().db);
    lead = world.users.researcherA;
    transcriber = await makeUser(db().db, {
      roles: [[world.orgs.icbA, 'researcher']],
      name: 'Transcriber T',
    });
    coder = await makeUser(db().db, { roles: [[world.orgs.icbA, 'researcher']], name: 'Coder C' });
    t = await makeTestApp(db(), new ManualClock('2026-03-02T10:00:00Z'));
    studyId = (
      await req(lead, 'POST', '/research/studies', {
        title: 'Recorded study',
        question: 'What works?',
        startsOn: '2026-01-01',
        endsOn: '2026-06-30',
        audioRetentionMonths: 3,
      })
    ).json().id;
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, {
      userId: transcriber.id,
      role: 'transcriber',
    });
    await req(lead, 'PUT', `/research/studies/${studyId}/members`, { userId: coder.id, role: 'coder' });
    for (const [key, scopes] of [
      ['agreed', ['interview', 'audio_recording']],
      ['notAgreed', ['interview']],
      ['leaving', ['interview', 'audio_recording']],
    ] as const) {
      const p = (
        await req(lead, 'POST', `/research/studies/${studyId}/participants`, { role: 'patient' })
      ).json();
      participants[key] = p.id;
      await req(lead, 'POST', `/research/participants/${p.id}/consents`, {
        formVersion: 'v1',
        consentedOn: '2026-03-01',
        scopes,
      });
    }
  });
  afterAll(() => t?.close());

  it('keeps audio only with consent to recording, for leads and transcribers, deleted on the retention date', async () => {
    const res = await upload(transcriber, participants.agreed!);
    expect(res.statusCode, res.body).toBe(201);
    // The study ends 30 June 2026; recordings are kept 3 months after.
    expect(res.json()).toMatchObject({ sizeBytes: AUDIO.length, deleteOn: '2026-09-30', deletedAt: null });
    const id = res.json().id;
    const refused = await upload(lead, participants.notAgreed!);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/has not agreed to audio recording/);
    expect((await upload(lead, participants.agreed!, 'video/mp4')).statusCode).toBe(415);
    expect((await upload(coder, participants.agreed!)).statusCode).toBe(403);
    expect((await req(coder, 'GET', `/research/studies/${studyId}/recordings`)).statusCode).toBe(403);
    expect((await req(coder, 'GET', `/research/recordings/${id}/audio`)).statusCode).toBe(403);
    const played = await req(lead, 'GET', `/research/recordings/${id}/audio`);
    expect(played.statusCode).toBe(200);
    expect(played.headers['content-type']).toBe('audio/mpeg');
    expect(Buffer.from(played.rawPayload)).toEqual(AUDIO);

    // The day before the date nothing goes; on it, the audio goes and the deletion is audited.
    const sweep = (at: string) =>
      inTransaction(db().db, { system: true, now: new Date(at) }, (tx) =>
        deleteExpiredRecordings(tx, { system: true, now: new Date(at) }),
      );
    expect(await sweep('2026-09-29T12:00:00Z')).toBe(0);
    expect(await sweep('2026-09-30T12:00:00Z')).toBe(1);
    expect(await sweep('2026-10-01T12:00:00Z')).toBe(0);
    const gone = await req(lead, 'GET', `/research/recordings/${id}/audio`);
    expect(gone.statusCode).toBe(409);
    expect(gone.json().detail).toMatch(/deleted on 2026-09-30 \(retention\)/);
    const list = (await req(transcriber, 'GET', `/research/studies/${studyId}/recordings`)).json().items;
    expect(list[0]).toMatchObject({ id, deletedReason: 'retention' });
    const [stored] = await inTransaction(db().db, { system: true, now: new Date() }, async (tx) =>
      rowsOf<{ content: unknown; n: number }>(
        await tx.execute(sql`select content, (select count(*)::int from audit_events
          where action = 'research.recording.deleted' and record_ids @> ${JSON.stringify([id])}::jsonb) as n
          from research_recordings where id = ${id}`),
      ),
    );
    expect(stored).toEqual({ content: null, n: 1 });
  });

  it('deletes a participant’s recordings when they withdraw, and a lead can delete one at once', async () => {
    const first = (await upload(lead, participants.leaving!)).json().id;
    const second = (await upload(lead, participants.leaving!)).json().id;
    expect((await req(transcriber, 'DELETE', `/research/recordings/${first}`)).statusCode).toBe(403);
    expect((await req(lead, 'DELETE', `/research/recordings/${first}`)).statusCode).toBe(204);
    expect((await req(lead, 'DELETE', `/research/recordings/${first}`)).statusCode).toBe(409);
    const withdrawn = await req(lead, 'POST', `/research/participants/${participants.leaving}/withdrawal`, {
      withdrawnOn: '2026-03-02',
      choice: 'keep_data',
      version: 1,
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    const list = (await req(lead, 'GET', `/research/studies/${studyId}/recordings`)).json().items;
    expect(
      list
        .filter((r: { id: string }) => [first, second].includes(r.id))
        .map((r: { deletedReason: string }) => r.deletedReason)
        .sort(),
    ).toEqual(['by_lead', 'withdrawal']);
    expect((await upload(lead, participants.leaving!)).statusCode).toBe(409);
  });
});
