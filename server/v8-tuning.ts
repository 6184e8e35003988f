/**
 * V8 settings for the hub process, applied by the entry point before the hub starts (imported first by main.ts).
 *
 * Allocation-site pretenuring is off. V8 watches each object literal's allocation site, and when nearly all of a
 * site's objects survive a young-generation collection it allocates that site's objects directly in the old
 * generation from then on. The hub's bursts fool it: while a hundred visitors connect at once, or a turn's messages
 * wait for their group's commit, the rows, records and frames of that moment all survive the next scavenge, so V8
 * tenured about twenty sites (`--trace-pretenuring`) whose objects live a few milliseconds in steady traffic. Those
 * then filled the old generation with garbage, and a full collection (a pause of 5–10 ms, and a loop slowed for tens
 * of ms around it) came twice as often: two in the delivery bench's rounds instead of one, its p99 7.7 ms against
 * 5.5 at the median of seven runs each (docs/performance-history.md, session 38).
 *
 * `setFlagsFromString` after start-up is safe for this flag: V8 reads it each time it counts an allocation or
 * makes a decision, and nothing has been decided before the hub serves anyone.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
