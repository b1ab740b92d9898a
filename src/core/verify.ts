// Checking a delivery the way Anchor's docs say a receiver must (verify-check.ts), and explaining
// a failure by reproducing the usual mistakes (verify-diagnosis.ts): whichever variant makes the
// HMAC match is the likely cause. Receivers and `webhooks verify` import both from here.
export {
  humanAge,
  signatureMismatchDetail,
  verifyDelivery,
  type Check,
  type CheckName,
  type VerifyInput,
  type VerifyResult,
} from './verify-check.js';
export { diagnose, type Cause, type Diagnosis } from './verify-diagnosis.js';
