import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { QDA_CODEBOOK_NAMESPACE, QDA_PROJECT_NAMESPACE } from './model.ts';

// The REFI-QDA 1.0 project schema (MIT, REFI), copied from /work/shared/standards/refi-qda (see LICENSE-NOTE.md there).
const projectXsd = readFileSync(new URL('./Project-mrt2019.xsd', import.meta.url), 'utf8');

/** Test helper: libxml2's schema validation of a project.qde; an empty list when it is valid. */
export async function projectXsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'project.qde', contents: xml }],
    schema: [projectXsd],
  });
  return result.errors.map((error) => error.rawMessage);
}

/**
 * Test helper: the upstream codebook XSD is not well-formed, and its CodeBook uses the project schema's types, so a
 * .qdc's CodeBook is validated inside a minimal project (the codebook namespace swapped for the project's, and
 * `origin`, which the project's CodeBook does not have, left out).
 */
export async function codebookXsdErrors(qdcXml: string): Promise<string[]> {
  const codeBook = qdcXml
    .replace(/^<\?xml[^>]*\?>\n/, '')
    .replace(` xmlns="${QDA_CODEBOOK_NAMESPACE}"`, '')
    .replace(/^<CodeBook origin="[^"]*"/, '<CodeBook');
  return projectXsdErrors(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="${QDA_PROJECT_NAMESPACE}" name="codebook">\n${codeBook}</Project>\n`,
  );
}
