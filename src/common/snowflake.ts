/**
 * 64-bit snowflake ids: 41 bits of milliseconds since EPOCH, 10 bits of worker id, 12 bits of sequence.
 * Serialized as decimal strings. The worker id is leased per process (see SnowflakeService) so that
 * ids stay unique across replicas.
 */
/** A snowflake id as the API carries it: a decimal string of at most 20 digits. */
export const SNOWFLAKE_ID = /^\d{1,20}$/;

export const SNOWFLAKE_EPOCH = 1704067200000n; // 2024-01-01T00:00:00Z

export class SnowflakeGenerator {
  private lastMs = -1n;
  private sequence = 0n;

  constructor(private readonly workerId: number) {
    if (!Number.isInteger(workerId) || workerId < 0 || workerId > 1023) throw new Error('worker id must be 0..1023');
  }

  next(): string {
    let now = BigInt(Date.now());
    if (now < this.lastMs) now = this.lastMs; // clock went backwards: keep monotonic
    if (now === this.lastMs) {
      this.sequence = (this.sequence + 1n) & 0xfffn;
      if (this.sequence === 0n) {
        // 4096 ids in one millisecond: borrow the next millisecond
        now = this.lastMs + 1n;
      }
    } else {
      this.sequence = 0n;
    }
    this.lastMs = now;
    return (((now - SNOWFLAKE_EPOCH) << 22n) | (BigInt(this.workerId) << 12n) | this.sequence).toString();
  }
}

export function snowflakeTimestamp(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH));
}
