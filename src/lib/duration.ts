// Durations with units (250ms, 1s, 30s, 5m, 1h, 2d): see core/vocabulary.ts.
export { parseDuration } from '../core/vocabulary.js';
