import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { lsoaDeprivation, postcodes } from './schema.ts';

export const postcodeKey = (postcode: string) => postcode.replace(/\s/g, '').toUpperCase();

export interface PlaceFacts {
  latitude: number;
  longitude: number;
  lsoaCode: string | null;
  imdDecile: number | null;
}

/**
 * What the loaded tables say about a postcode, or null when it is not in them: nothing is ever guessed, so a
 * postcode missing from the table leaves the derived fields blank.
 */
export async function lookupPostcode(
  tx: Db,
  postcode: string | null | undefined,
): Promise<PlaceFacts | null> {
  if (!postcode) return null;
  const [row] = await tx
    .select({
      latitude: postcodes.latitude,
      longitude: postcodes.longitude,
      lsoaCode: postcodes.lsoaCode,
      imdDecile: lsoaDeprivation.imdDecile,
    })
    .from(postcodes)
    .leftJoin(lsoaDeprivation, eq(lsoaDeprivation.lsoaCode, postcodes.lsoaCode))
    .where(eq(postcodes.postcode, postcodeKey(postcode)));
  return row ?? null;
}
