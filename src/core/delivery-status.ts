// The statuses the delivery log can be filtered by (the newer API revision's four).
export const DELIVERY_FILTER_STATUSES = ['pending', 'succeeded', 'failed', 'dead'] as const;
