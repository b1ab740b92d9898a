// What Anchor requires of a receiver: see core/vocabulary.ts.
export { RECEIVER_CHECK_IDS, RECEIVER_CHECKS, type ReceiverCheck, type ReceiverCheckId } from './vocabulary.js';
