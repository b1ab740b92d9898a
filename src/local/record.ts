// The delivery record: every request `listen` receives, kept on disk so that it can be listed,
// shown, replayed and inspected later. An append-only store in the state folder, chosen over
// SQLite because Node 20 has no node:sqlite and a native module would have to download a
// prebuilt binary on every supported Node line (see the README for the measurements):
//
// - segments of one JSON line per event: `req` when a request is decided (before `listen` answers
//   it), `fwd` when the app's answer to a forwarded one comes back, `skipped` for refusals that the
//   rate limit kept out;
// - verified requests (an HMAC that matched with a fresh timestamp) go to `seg-<time>-<pid>-<n>`
//   segments, refused ones to `ref-…` segments: a stranger's requests never evict the owner's;
// - each `listen` run appends to segments of its own, so a run killed mid-write leaves at most a
//   torn last line in its own segment, which readers report and skip;
// - retention at the start of each run and at each new segment: whole segments older than 7 days
//   go, and so do segments beyond the newest 1,000 verified (200 refused) requests; refusals are
//   recorded at most 50 at once, then 10 a second, and the rest are counted;
// - readers order requests by arrival time across segments (two `listen` runs may write at once).
//
// Folder 0700, files 0600, and a folder or file another user owns, or others can write, is refused
// (record-files.ts). No secret is written: the signing secrets and the API key are redacted from
// every header and answer stored (bodies are kept byte for byte).
export * from './record-types.js';
export {
  applyRetention,
  recordDir,
  recordStamp,
  RETAIN_MS,
  RETAIN_REFUSED,
  RETAIN_REQUESTS,
  stateDir,
} from './record-files.js';
export { RecordWriter, REFUSED_BURST, REFUSED_PER_SECOND, isOwners } from './record-writer.js';
export { findRecord, readRecords, type ReadOptions } from './record-reader.js';
