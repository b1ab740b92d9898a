// The memory a stranger can make `listen` hold: body bytes kept before the HMAC says whose they
// are, counted process-wide and per peer address, so 4,000 slow 1 MiB bodies cannot take gigabytes.
import { isLoopbackPeer } from '../lib/loopback.js';

/**
 * 64 MiB in all: 64 deliveries of the 1 MiB maximum at once, far more than Anchor sends one
 * endpoint concurrently (it retries a 503), while `listen` stays near 150 MB of RSS under attack.
 */
export const DEFAULT_BUFFERED_BODY_BYTES = 64 * 1024 * 1024;
/** A quarter of the whole, so that filling it takes at least four addresses. */
export const DEFAULT_BUFFERED_BODY_BYTES_PER_ADDRESS = 16 * 1024 * 1024;

/** Which limit a request would pass: the process-wide one, or its address's. */
export type BudgetRefusal = 'process' | 'address';

/** What one request holds of the budget; `release` is safe to call more than once. */
export interface BodyLease {
  /** Counts `bytes` more, or says which limit that would pass (and counts nothing). */
  take: (bytes: number) => BudgetRefusal | undefined;
  /** Gives back everything this request took. */
  release: () => void;
}

export class BodyBudget {
  private total = 0;
  private readonly byAddress = new Map<string, number>();

  constructor(
    private readonly maxBytes: number,
    private readonly maxBytesPerAddress: number,
  ) {}

  /** Bytes held now, in all (0 when no request is buffering a body). */
  get held(): number {
    return this.total;
  }

  /** Addresses holding bytes now (an address is forgotten when it holds none). */
  get addresses(): number {
    return this.byAddress.size;
  }

  lease(peer: string | undefined): BodyLease {
    // Behind a tunnel every peer is 127.0.0.1, and X-Forwarded-For is the stranger's to write, so a
    // loopback peer is one address shared by everyone: only the process-wide limit applies to it.
    const address = peer && !isLoopbackPeer(peer) ? peer : undefined;
    let held = 0;
    return {
      take: (bytes) => {
        if (this.total + bytes > this.maxBytes) return 'process';
        if (address !== undefined) {
          const mine = this.byAddress.get(address) ?? 0;
          if (mine + bytes > this.maxBytesPerAddress) return 'address';
          this.byAddress.set(address, mine + bytes);
        }
        this.total += bytes;
        held += bytes;
        return undefined;
      },
      release: () => {
        if (held === 0) return;
        this.total -= held;
        if (address !== undefined) {
          const left = (this.byAddress.get(address) ?? 0) - held;
          if (left > 0) this.byAddress.set(address, left);
          else this.byAddress.delete(address);
        }
        held = 0;
      },
    };
  }
}
