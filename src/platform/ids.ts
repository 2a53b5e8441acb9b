import { uuidv7 } from 'uuidv7';

/** UUIDv7 made in the app: PostgreSQL 15 has no uuidv7(), and time-ordered ids index well. */
export const newId = (): string => uuidv7();
