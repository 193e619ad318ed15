/**
 * Password checks running now, per key (an account, an address). Throttles count them as failures until they are
 * known: guesses sent all at once must not all pass a throttle while their (slow, asynchronous) scrypt checks run.
 */
export class InFlightChecks {
  private readonly running = new Map<string, number>();

  /** How many checks under `key` are running. */
  count(key: string): number {
    return this.running.get(key) ?? 0;
  }

  /** Runs `check` counted under each of `keys` until it settles. */
  async around<T>(keys: readonly string[], check: () => Promise<T>): Promise<T> {
    for (const key of keys) this.running.set(key, this.count(key) + 1);
    try {
      return await check();
    } finally {
      for (const key of keys) {
        const n = this.count(key) - 1;
        if (n > 0) this.running.set(key, n);
        else this.running.delete(key);
      }
    }
  }
}
