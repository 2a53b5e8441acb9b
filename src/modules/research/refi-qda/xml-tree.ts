import { SaxesParser } from 'saxes';
import { ValidationError } from '../../../platform/errors.ts';

/** An element of a parsed QDA-XML file, with the line its start tag is on (for messages researchers can act on). */
export interface XmlElement {
  /** Local name; only elements in the document's namespace are kept. */
  name: string;
  /** Unprefixed attributes (QDA-XML attributes carry no namespace). */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** The element's own text and CDATA, in order (text inside child elements excluded). */
  text: string;
  line: number;
}

// Deeper than any real codebook; stops a hostile file from exhausting the stack of the readers that recurse.
const MAX_DEPTH = 200;

/**
 * Parses a whole document strictly (saxes: well-formedness and namespaces per the XML 1.0 and Namespaces specs, no
 * external entities). Elements outside `namespace` (extensions) are left out with their content. The root must be
 * `rootName` in `namespace`.
 */
export function parseXmlDocument(
  xml: string,
  fileName: string,
  rootName: string,
  namespace: string,
): XmlElement {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: (XmlElement | null)[] = [];
  let root: XmlElement | null = null;
  let tagLine = 1;
  const appendText = (text: string) => {
    const current = stack.at(-1);
    if (current) current.text += text;
  };

  parser.on('opentagstart', () => {
    tagLine = parser.line;
  });
  parser.on('opentag', (tag) => {
    if (stack.length === 0) {
      if (tag.local !== rootName || tag.uri !== namespace) {
        const found = tag.uri ? `${tag.local} in namespace "${tag.uri}"` : `${tag.local} with no namespace`;
        throw new ValidationError(
          `${fileName} line ${tagLine}: the root element must be ${rootName} in namespace "${namespace}", but it is ${found}.`,
          { field: `${fileName}:${rootName}` },
        );
      }
    }
    if (stack.length >= MAX_DEPTH) {
      throw new ValidationError(
        `${fileName} line ${tagLine}: elements are nested more than ${MAX_DEPTH} deep.`,
        {
          field: `${fileName}:${tag.local}`,
        },
      );
    }
    const parent = stack.at(-1);
    const inScope = tag.uri === namespace && (stack.length === 0 || parent !== null);
    if (!inScope) {
      stack.push(null);
      return;
    }
    const attributes = new Map<string, string>();
    for (const attribute of Object.values(tag.attributes)) {
      if (attribute.prefix === '' && attribute.local !== 'xmlns')
        attributes.set(attribute.local, attribute.value);
    }
    const element: XmlElement = { name: tag.local, attributes, children: [], text: '', line: tagLine };
    if (parent) parent.children.push(element);
    else root = element;
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);

  try {
    parser.write(xml).close();
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    // saxes reports "line:column: what is wrong".
    const message = error instanceof Error ? error.message : String(error);
    const located = /^(\d+):(\d+): ([\s\S]*)$/.exec(message);
    const where = located ? `line ${located[1]}, column ${located[2]}` : `line ${parser.line}`;
    throw new ValidationError(`${fileName} is not well-formed XML: ${where}: ${located?.[3] ?? message}`, {
      field: fileName,
    });
  }
  if (!root) {
    throw new ValidationError(`${fileName} has no ${rootName} element.`, { field: fileName });
  }
  return root;
}

/** An element to write: attributes left undefined are not written; children are elements or text. */
export interface XmlNode {
  name: string;
  attributes?: Record<string, string | undefined>;
  children?: (XmlNode | undefined)[];
  text?: string;
}

function escapeText(text: string): string {
  // A literal CR would be read back as LF (XML end-of-line handling), so it is written as a character reference.
  return text.replace(/[&<>\r]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&#13;',
  );
}

function escapeAttribute(value: string): string {
  // Tabs and line breaks in attributes are normalised to spaces by readers unless written as references.
  const named: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
  return value.replace(/[&<>"\t\n\r]/g, (c) => named[c] ?? `&#${c.charCodeAt(0)};`);
}

// Characters outside XML 1.0's Char production (most C0 controls, lone surrogates, U+FFFE/U+FFFF): no reference
// can carry them.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

function assertXmlChars(value: string, what: string, owner: string | undefined) {
  const found = NOT_XML_CHAR.exec(value);
  if (!found) return;
  const code = found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  throw new ValidationError(
    `Cannot write ${what}${owner ? ` of ${owner}` : ''}: it contains the character U+${code}, which XML cannot carry. Remove it and export again.`,
    { field: what },
  );
}

/** Serialises with two-space indentation and LF line endings; an element with text is written on one line. */
export function serializeXml(root: XmlNode, namespace: string): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const write = (node: XmlNode, depth: number, extra: string, owner: string | undefined) => {
    const guid = node.attributes?.guid;
    const self = guid ? `${node.name} ${guid}` : owner;
    const attributes = Object.entries(node.attributes ?? {})
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([name, value]) => {
        assertXmlChars(value, `${node.name} ${name}`, self);
        return ` ${name}="${escapeAttribute(value)}"`;
      })
      .join('');
    if (node.text !== undefined) assertXmlChars(node.text, node.name, self);
    const indent = '  '.repeat(depth);
    const children = (node.children ?? []).filter((child): child is XmlNode => child !== undefined);
    if (node.text !== undefined) {
      lines.push(`${indent}<${node.name}${extra}${attributes}>${escapeText(node.text)}</${node.name}>`);
    } else if (children.length === 0) {
      lines.push(`${indent}<${node.name}${extra}${attributes}/>`);
    } else {
      lines.push(`${indent}<${node.name}${extra}${attributes}>`);
      for (const child of children) write(child, depth + 1, '', self);
      lines.push(`${indent}</${node.name}>`);
    }
  };
  write(root, 0, ` xmlns="${namespace}"`, undefined);
  return `${lines.join('\n')}\n`;
}
