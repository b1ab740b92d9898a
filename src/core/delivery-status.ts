// The statuses the delivery log can be filtered by: see core/vocabulary.ts.
export { DELIVERY_FILTER_STATUSES } from './vocabulary.js';
