/**
 * The users stream of a full round as the decide step sees it while the stream is still being
 * mirrored: how many of its batches have committed, and whether it has finished (its last batch,
 * the sweep of users it did not return and its delta link are committed).
 *
 * Why following works: every writer of a tenant's mirrored users takes the tenant's users-mirror
 * lock before it stamps a row from entra_change_seq (lockUsersMirror), so their transactions
 * commit in the order of their stamps. Once the group streams are done, which in a full round do
 * not stamp members, every row above the stamps a reader can see belongs to a transaction that
 * has not committed yet: a read of "stamped after X, in stamp order" never steps over a row that
 * appears later below what it read.
 */
export class UsersFollower {
  private commitCount = 0;
  private ended = false;
  private failure: { error: unknown } | null = null;
  private waiters: (() => void)[] = [];

  /** Batches committed so far; pass it to `changedSince` to wait for the next. */
  get commits(): number {
    return this.commitCount;
  }

  /** Whether the stream is over, finished or failed. */
  get finished(): boolean {
    return this.ended;
  }

  /** A batch of the stream committed. */
  committed(): void {
    this.commitCount += 1;
    this.wake();
  }

  /** The stream finished: everything it will write is committed. */
  finish(): void {
    this.ended = true;
    this.wake();
  }

  /** The stream failed: whoever follows it stops with its error. */
  fail(error: unknown): void {
    this.failure ??= { error };
    this.ended = true;
    this.wake();
  }

  /**
   * Resolves once a batch after `commits` has committed or the stream has finished; rejects with
   * the stream's error if it failed.
   */
  async changedSince(commits: number): Promise<void> {
    if (this.commitCount === commits && !this.ended) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure) throw this.failure.error;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
