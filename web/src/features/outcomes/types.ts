import type { MeasureRecord } from '../../../../src/modules/outcomes/measures.ts';
import type { InstrumentSummary as InstrumentOnServer } from '../../../../src/modules/outcomes/service.ts';

/*
 * The outcome shapes the web app reads, taken from the server's own types so the two cannot drift apart (type-only
 * imports: nothing of the server reaches the bundle).
 */

/** One item of `GET /api/outcomes/instruments`: an instrument usable here, with its full definition. */
export type InstrumentSummary = InstrumentOnServer;
export type InstrumentDefinition = InstrumentSummary['definition'];
export type ScoreDefinition = InstrumentDefinition['scores'][number];

/** One measure of `GET /api/referrals/:id/measures`, with the episode it was taken in. */
export type PersonMeasure = MeasureRecord & {
  referralId: string;
  /** How the episode is named on the person's page, e.g. "Referral of 3 March 2026". */
  episodeLabel: string;
};
