import { postcodeKey } from '../geography/service.ts';

/** Edit distance allowing one transposition per pair (optimal string alignment): "Jonh" is one step from "John". */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

const simplify = (name: string) =>
  name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** Names a person might have typed differently: one slip in a short name, two in a longer one. */
export function namesAlike(a: string, b: string): boolean {
  const x = simplify(a);
  const y = simplify(b);
  if (!x || !y) return false;
  if (x === y) return true;
  return editDistance(x, y) <= (Math.min(x.length, y.length) <= 5 ? 1 : 2);
}

export interface MatchablePerson {
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  postcode: string | null;
}

/**
 * A probable match, offered to a triager and never merged silently: the same date of birth and a similar family
 * name, and either a similar first name or the same postcode.
 */
export function isProbableMatch(a: MatchablePerson, b: MatchablePerson): boolean {
  if (a.dateOfBirth !== b.dateOfBirth || !namesAlike(a.familyName, b.familyName)) return false;
  const samePostcode = !!a.postcode && !!b.postcode && postcodeKey(a.postcode) === postcodeKey(b.postcode);
  return namesAlike(a.givenName, b.givenName) || samePostcode;
}
