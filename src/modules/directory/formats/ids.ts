import { createHash } from 'node:crypto';

/**
 * The namespace every import namespace hangs from: UUID v5 of "urn:linkwork:directory-import" in the RFC 9562
 * URL namespace. Fixed here so that a change of code can never re-key records already imported.
 */
export const LINKWORK_IMPORT_NAMESPACE = 'a87c4177-2f33-544c-ad4c-90297b58a1b2';

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 9562 version 1–8, variant 10xx: what zod's z.uuid() in oruk.ts accepts, less the nil and max UUIDs, which
// feeds use as blanks (many records sharing one would overwrite each other).
const rfcUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

function v5(namespace: string, name: string): string {
  const hash = createHash('sha1').update(uuidBytes(namespace)).update(name, 'utf8').digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A UUID v5 (RFC 9562, SHA-1) for a source id, so the same source id always maps to the same UUID. `namespace` is
 * either a UUID (used as is, as in the RFC's examples) or a name such as "camden:service", which is first turned
 * into a UUID under LINKWORK_IMPORT_NAMESPACE.
 */
export function stableUuid(namespace: string, sourceId: string): string {
  const ns = uuidShape.test(namespace) ? namespace : v5(LINKWORK_IMPORT_NAMESPACE, namespace);
  return v5(ns, sourceId);
}

/** True for an RFC 9562 UUID that can stand as an ORUK 3.0 id as it is. */
export function isOrukUuid(raw: string): boolean {
  return rfcUuid.test(raw);
}

/** The source id itself when it is already a UUID (lower-cased), otherwise its stable UUID in `namespace`. */
export function asOrukId(namespace: string, raw: string | number): string {
  const id = String(raw).trim();
  return isOrukUuid(id) ? id.toLowerCase() : stableUuid(namespace, id);
}
