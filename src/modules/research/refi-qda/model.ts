/**
 * The REFI-QDA exchange model (QDA-XML 1.0, www.qdasoftware.org): the part of a `.qdpx` project and a `.qdc`
 * codebook that Linkwork reads and writes.
 *
 * Positions: the standard does not say what `startPosition` and `endPosition` count, and tools differ (NVivo round
 * trips are known to drift). Linkwork counts **Unicode code points** of the source text, from 0, end exclusive:
 * in "a😀b" the "b" is [2, 3), although JavaScript's `"a😀b".length` is 4. Every position in this model is in code
 * points; files are written in code points and read as code points unless the reader is told the file counts
 * UTF-16 code units (`positionsUnit: 'utf16'`).
 *
 * GUIDs are lower-case 8-4-4-4-12 hex (the reader turns `{…}` and upper-case forms into this). Dates and times are
 * kept as the file wrote them (xsd:dateTime, such as `2024-05-01T09:30:00Z`).
 */

export type QdaGuid = string;

export interface QdaUser {
  guid: QdaGuid;
  name?: string;
  /** The tool's own identifier for the user, such as an initials or login name. */
  id?: string;
}

export interface QdaCode {
  guid: QdaGuid;
  name: string;
  /** False for a heading that only groups other codes. */
  isCodable: boolean;
  /** `#RRGGBB`. */
  color?: string;
  description?: string;
  noteRefs: QdaGuid[];
  children: QdaCode[];
}

export interface QdaCodebook {
  /** The tool a `.qdc` codebook came from (only a `.qdc` file carries it). */
  origin?: string;
  codes: QdaCode[];
}

export const qdaVariableTypes = ['Text', 'Boolean', 'Integer', 'Float', 'Date', 'DateTime'] as const;
export type QdaVariableType = (typeof qdaVariableTypes)[number];

export interface QdaVariable {
  guid: QdaGuid;
  name: string;
  typeOfVariable: QdaVariableType;
  description?: string;
}

/** A value as typed in the file: Date is `YYYY-MM-DD`, DateTime an xsd:dateTime; Integer a safe integer. */
export type QdaValue =
  | { type: 'Text'; value: string }
  | { type: 'Boolean'; value: boolean }
  | { type: 'Integer'; value: number }
  | { type: 'Float'; value: number }
  | { type: 'Date'; value: string }
  | { type: 'DateTime'; value: string };

export interface QdaVariableValue {
  variableRef: QdaGuid;
  /** Null when the file names the variable without giving a value. */
  value: QdaValue | null;
}

export interface QdaCase {
  guid: QdaGuid;
  name?: string;
  description?: string;
  codeRefs: QdaGuid[];
  variableValues: QdaVariableValue[];
  sourceRefs: QdaGuid[];
  selectionRefs: QdaGuid[];
}

interface QdaAuthored {
  creatingUser?: QdaGuid;
  creationDateTime?: string;
  modifyingUser?: QdaGuid;
  modifiedDateTime?: string;
}

export interface QdaCoding {
  guid: QdaGuid;
  codeRef: QdaGuid;
  creatingUser?: QdaGuid;
  creationDateTime?: string;
  noteRefs: QdaGuid[];
}

export interface QdaTextSelection extends QdaAuthored {
  guid: QdaGuid;
  name?: string;
  description?: string;
  /** Unicode code points from the start of the text (see the top of this file). */
  startPosition: number;
  /** Exclusive, in code points; never before `startPosition`, never past the end of the text. */
  endPosition: number;
  codings: QdaCoding[];
  noteRefs: QdaGuid[];
}

/**
 * A text source (an interview transcript, field notes). Written as `Sources/<guid>.txt` (UTF-8) with
 * `plainTextPath="internal://<guid>.txt"`; read from a file or from inline `PlainTextContent`.
 */
export interface QdaTextSource extends QdaAuthored {
  guid: QdaGuid;
  name?: string;
  description?: string;
  /** The plain text, exactly as stored: positions count its code points. */
  text: string;
  selections: QdaTextSelection[];
  /** Codings of the whole source (rare; most codings sit on a selection). */
  codings: QdaCoding[];
  variableValues: QdaVariableValue[];
  noteRefs: QdaGuid[];
}

/** A memo: written inline as `PlainTextContent`. */
export interface QdaNote extends QdaAuthored {
  guid: QdaGuid;
  name?: string;
  description?: string;
  text: string;
}

export interface QdaSet {
  guid: QdaGuid;
  name: string;
  description?: string;
  memberCodes: QdaGuid[];
  memberSources: QdaGuid[];
  memberNotes: QdaGuid[];
}

export interface QdaProject {
  name: string;
  /** The tool that wrote the project, such as "Linkwork 0.1" or "QualCoder 3.5". */
  origin?: string;
  creatingUserGUID?: QdaGuid;
  creationDateTime?: string;
  modifyingUserGUID?: QdaGuid;
  modifiedDateTime?: string;
  description?: string;
  users: QdaUser[];
  codebook: QdaCodebook;
  variables: QdaVariable[];
  cases: QdaCase[];
  sources: QdaTextSource[];
  notes: QdaNote[];
  sets: QdaSet[];
  /** Notes about the project as a whole. */
  noteRefs: QdaGuid[];
}

export type QdaWarningCode = 'notImported' | 'positionsUnit' | 'ignored';

/** Something an import left out or adjusted: shown to the researcher, never fatal. */
export interface QdaWarning {
  code: QdaWarningCode;
  message: string;
}

/**
 * A source listed in the project but not imported: PDF, picture, audio and video (Linkwork codes text only), and
 * text sources that come only as rich text (.docx).
 */
export interface QdaUnimportedSource {
  guid: QdaGuid;
  name?: string;
  kind: 'TextSource' | 'PictureSource' | 'PDFSource' | 'AudioSource' | 'VideoSource';
}

/** What `readQdpx` returns: the project, plus what it could not bring in and why. */
export interface QdaImport extends QdaProject {
  warnings: QdaWarning[];
  unimportedSources: QdaUnimportedSource[];
}

/** What a project file counts positions in: Linkwork's own unit, or UTF-16 code units (converted on read). */
export type QdaPositionsUnit = 'codePoint' | 'utf16';

export const QDA_PROJECT_NAMESPACE = 'urn:QDA-XML:project:1.0';
export const QDA_CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
