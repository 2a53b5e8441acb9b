import type { QdaProject } from './model.ts';

/** A fixed GUID per number, readable in failures: guid(7) is 00000000-0000-4000-8000-000000000007. */
export function guid(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/**
 * Source A, with positions counted by hand in code points (the emoji is one code point, two UTF-16 units):
 *   C0 a1 f2 é3 ␠4 😀5 ␠6 g7 r8 o9 u10 p11 ␠12 h13 e14 l15 p16 s17 .18 ⏎19
 *   I20 ␠21 g22 o23 ␠24 e25 v26 e27 r28 y29 ␠30 w31 e32 e33 k34 .35          → 36 code points, 37 UTF-16 units
 */
export const sourceAText = 'Café 😀 group helps.\nI go every week.';
/** Source B is ASCII: positions are the same in every unit. "we met" is [13, 19); "easier" is [53, 59). */
export const sourceBText = 'Link worker: we met at the practice.\nPatient: it was easier than calling.';

/**
 * A project with everything the round trip must keep: a nested codebook, two users, two sources (one with
 * non-ASCII text and an emoji), overlapping codings, notes, cases with variables and a set.
 */
export function makeQdaProject(): QdaProject {
  return {
    name: 'Link worker case studies — WP1',
    origin: 'Linkwork 0.1',
    creatingUserGUID: guid(1),
    creationDateTime: '2024-05-01T09:30:00Z',
    modifyingUserGUID: guid(2),
    modifiedDateTime: '2024-06-12T16:05:10.250+01:00',
    description: 'Interviews from site 3.\nPseudonymised.',
    users: [
      { guid: guid(1), name: 'Researcher One', id: 'R1' },
      { guid: guid(2), name: 'Researcher Two' },
    ],
    codebook: {
      codes: [
        {
          guid: guid(10),
          name: 'Buy-in',
          isCodable: false,
          color: '#1F77B4',
          description: 'Whether people believe in the link worker role.',
          noteRefs: [guid(60)],
          children: [
            {
              guid: guid(11),
              name: 'Buy-in from practice staff',
              isCodable: true,
              color: '#aec7e8',
              noteRefs: [],
              children: [
                {
                  guid: guid(12),
                  name: 'GP refers "the right people"',
                  isCodable: true,
                  noteRefs: [],
                  children: [],
                },
              ],
            },
            { guid: guid(13), name: 'Buy-in from patients', isCodable: true, noteRefs: [], children: [] },
          ],
        },
        {
          guid: guid(14),
          name: 'Connections & <trust>',
          isCodable: true,
          color: '#FF7F0E',
          noteRefs: [],
          children: [],
        },
      ],
    },
    variables: [
      { guid: guid(20), name: 'Site', typeOfVariable: 'Text', description: 'Geographical area' },
      { guid: guid(21), name: 'Caseload', typeOfVariable: 'Integer' },
      { guid: guid(22), name: 'Remote delivery', typeOfVariable: 'Boolean' },
      { guid: guid(23), name: 'Hours a week', typeOfVariable: 'Float' },
      { guid: guid(24), name: 'Started', typeOfVariable: 'Date' },
      { guid: guid(25), name: 'Interviewed at', typeOfVariable: 'DateTime' },
    ],
    cases: [
      {
        guid: guid(30),
        name: 'Case 3 — link worker at site 3',
        description: 'Hosted by a VCSE organisation.',
        codeRefs: [guid(13)],
        variableValues: [
          { variableRef: guid(20), value: { type: 'Text', value: 'North Tyneside ' } },
          { variableRef: guid(21), value: { type: 'Integer', value: 42 } },
          { variableRef: guid(22), value: { type: 'Boolean', value: false } },
          { variableRef: guid(23), value: { type: 'Float', value: 37.5 } },
          { variableRef: guid(24), value: { type: 'Date', value: '2023-09-04' } },
          { variableRef: guid(25), value: { type: 'DateTime', value: '2024-05-01T10:00:00Z' } },
        ],
        sourceRefs: [guid(40)],
        selectionRefs: [guid(41)],
      },
      {
        guid: guid(31),
        codeRefs: [],
        variableValues: [
          { variableRef: guid(21), value: { type: 'Integer', value: -3 } },
          { variableRef: guid(23), value: { type: 'Float', value: 0.0000001 } },
          { variableRef: guid(20), value: null },
        ],
        sourceRefs: [guid(50)],
        selectionRefs: [],
      },
    ],
    sources: [
      {
        guid: guid(40),
        name: 'Interview C3-PT-01 (patient)',
        description: 'First interview',
        text: sourceAText,
        creatingUser: guid(1),
        creationDateTime: '2024-05-01T11:00:00Z',
        modifyingUser: guid(2),
        modifiedDateTime: '2024-05-02T11:00:00Z',
        selections: [
          {
            // "group helps." = [7, 19): in UTF-16 units it would be [8, 20).
            guid: guid(41),
            name: 'group helps.',
            startPosition: 7,
            endPosition: 19,
            creatingUser: guid(1),
            creationDateTime: '2024-05-03T09:00:00Z',
            codings: [
              {
                guid: guid(42),
                codeRef: guid(13),
                creatingUser: guid(1),
                creationDateTime: '2024-05-03T09:00:00Z',
                noteRefs: [],
              },
              { guid: guid(43), codeRef: guid(14), creatingUser: guid(2), noteRefs: [guid(61)] },
            ],
            noteRefs: [guid(61)],
          },
          {
            // "😀 group" = [5, 12): overlaps the selection above on "group".
            guid: guid(44),
            startPosition: 5,
            endPosition: 12,
            description: 'smiles',
            codings: [{ guid: guid(45), codeRef: guid(13), creatingUser: guid(2), noteRefs: [] }],
            noteRefs: [],
          },
          {
            // "I go every week." = [20, 36): ends at the end of the text.
            guid: guid(46),
            startPosition: 20,
            endPosition: 36,
            codings: [{ guid: guid(47), codeRef: guid(12), noteRefs: [] }],
            noteRefs: [],
          },
        ],
        codings: [],
        variableValues: [{ variableRef: guid(22), value: { type: 'Boolean', value: true } }],
        noteRefs: [guid(60)],
      },
      {
        guid: guid(50),
        name: 'Interview C3-LW-01 (link worker)',
        text: sourceBText,
        selections: [
          {
            guid: guid(51),
            startPosition: 13,
            endPosition: 19,
            codings: [{ guid: guid(52), codeRef: guid(11), creatingUser: guid(1), noteRefs: [] }],
            noteRefs: [],
          },
          {
            guid: guid(53),
            startPosition: 53,
            endPosition: 59,
            codings: [{ guid: guid(54), codeRef: guid(11), noteRefs: [] }],
            noteRefs: [],
          },
        ],
        codings: [{ guid: guid(55), codeRef: guid(14), noteRefs: [] }],
        variableValues: [],
        noteRefs: [],
      },
    ],
    notes: [
      {
        guid: guid(60),
        name: 'Memo: buy-in',
        text: 'Buy-in seems to hinge on the GP.\r\nCheck at site 4 — 🙂\tlater.',
        creatingUser: guid(1),
        creationDateTime: '2024-05-04T08:00:00Z',
      },
      { guid: guid(61), text: '' },
    ],
    sets: [
      {
        guid: guid(70),
        name: 'Patients',
        description: 'Patient interviews',
        memberCodes: [guid(13)],
        memberSources: [guid(40)],
        memberNotes: [guid(60)],
      },
    ],
    noteRefs: [guid(60)],
  };
}
