// What Anchor requires of a receiver, as `anchor webhooks check-receiver` checks it: each check's
// id, what it sends, the right answer, whether it is required, and the fix in one sentence.
// Declarations only (completion and help load them); local/check-receiver.ts sends them.

export interface ReceiverCheck {
  id: string;
  sends: string;
  /** The right answer: a 2xx, or anything but a 2xx. */
  expect: '2xx' | 'not 2xx';
  required: boolean;
  fix: string;
}

export const RECEIVER_CHECKS = [
  {
    id: 'accepts_valid',
    sends: 'a correct delivery',
    expect: '2xx',
    required: true,
    fix: "Your endpoint refused a correct delivery: check that it uses this webhook's secret, computes HMAC-SHA256 of `v0:<t>:<raw body>`, and answers 2xx within 10 s (do slow work after answering).",
  },
  {
    id: 'raw_body',
    sends: 'a correct delivery whose JSON has legal but unusual formatting (spacing, key order, \\u escapes)',
    expect: '2xx',
    required: true,
    // check-receiver adds the way of the receiver's framework (core/receiver-frameworks.ts).
    fix: 'Verify the raw request bytes, before any JSON parser re-serialises them.',
  },
  {
    id: 'rejects_bad_signature',
    sends: 'a delivery with a wrong v1=',
    expect: 'not 2xx',
    required: true,
    fix: 'Compare every v1= of Anchor-Signature with your HMAC (in constant time) and answer 401 when none matches.',
  },
  {
    id: 'rejects_stale',
    sends: 'a correctly signed delivery with a timestamp 10 minutes old',
    expect: 'not 2xx',
    required: true,
    fix: 'Refuse a delivery whose t= is more than a few minutes from your clock: an old, correctly signed delivery is a replay.',
  },
  {
    id: 'rejects_missing_headers',
    sends: 'a delivery without the Anchor-* headers',
    expect: 'not 2xx',
    required: true,
    fix: 'Answer 400 or 401 when Anchor-Signature or Anchor-Timestamp is missing, before doing anything else.',
  },
  {
    id: 'rotation',
    sends: 'two v1= values, only the second one right (as during a secret rotation)',
    expect: '2xx',
    required: true,
    fix: 'During a secret rotation Anchor-Signature carries several v1= values: accept the delivery when any of them matches, not only the first.',
  },
  {
    id: 'rejects_timestamp_mismatch',
    sends: 'a t= that differs from the Anchor-Timestamp header',
    expect: 'not 2xx',
    required: false,
    fix: 'Check that the Anchor-Timestamp header equals the t= of Anchor-Signature.',
  },
  {
    id: 'duplicate_ack',
    sends: 'the same envelope id again, with a new delivery id',
    expect: '2xx',
    required: false,
    fix: 'Deliveries are at least once: when an envelope id was already processed, answer 2xx again (an error makes Anchor retry it) without acting on it twice. Deduplicate on the envelope `id`, not Anchor-Delivery-Id, which is new on every attempt.',
  },
  {
    id: 'unknown_event_type',
    sends: 'a correctly signed event of a type not in the catalog yet',
    expect: '2xx',
    required: false,
    fix: 'Answer 2xx to event types you do not handle yet: Anchor adds new ones, and a refusal makes it retry.',
  },
  {
    id: 'large_body',
    sends: 'a correct delivery of 256 KiB',
    expect: '2xx',
    // Required, unlike the contract's table: a receiver that answers 413 here refuses real events
    // (Anchor retries them, then gives up), and an optional failure let such a run exit 0.
    required: true,
    fix: 'Accept bodies of up to 1 MiB on the webhook route: a smaller limit refuses real events, which Anchor retries until they fail.',
  },
] as const satisfies readonly ReceiverCheck[];

export type ReceiverCheckId = (typeof RECEIVER_CHECKS)[number]['id'];
export const RECEIVER_CHECK_IDS = RECEIVER_CHECKS.map((c) => c.id) as ReceiverCheckId[];
