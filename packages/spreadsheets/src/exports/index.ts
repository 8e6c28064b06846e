export * from './types.ts';
export * from './run.ts';
export { CONTENT_TYPES, writeRows, type WriteOptions } from './writers.ts';
export { compareAll, twoDecimals, type Compared } from './ranking.ts';
export { COMPARISON_METRICS, COMPARISON_QUERY } from './comparison.ts';
export { catalogueMetadata, resourceOf } from './metadata.ts';
