import { quiet } from '../core/quiet.js';

/**
 * Joins consecutive batches until each holds at least `size` items (the last may hold fewer),
 * and says how many batches went into each.
 */
export async function* atLeast<C>(source: AsyncIterable<C[]>, size: number): AsyncGenerator<{ changes: C[]; parts: number }> {
  let held: C[] = [];
  let parts = 0;
  for await (const batch of source) {
    held = held.length === 0 ? batch : held.concat(batch);
    parts += 1;
    if (held.length >= size) {
      yield { changes: held, parts };
      held = [];
      parts = 0;
    }
  }
  if (parts > 0) yield { changes: held, parts };
}

/**
 * Writes a stream's batches one after another, while the caller fetches and parses the next:
 * one write in flight. Waiting for each write before reading on left the database idle while
 * this process parsed, and the Graph chain idle while the database wrote. Batches still land in
 * order, each in its own transaction, and a failed write stops the stream at the next batch.
 */
export class BatchWriter {
  private inFlight: Promise<boolean> | null = null;
  private nestingChanged = false;

  /** Waits for the write in flight, then starts this one without waiting for it. */
  async next(write: () => Promise<boolean>): Promise<void> {
    await this.settle();
    this.inFlight = quiet(write());
  }

  /** Waits for the last write; says whether any batch changed group nesting. */
  async drain(): Promise<boolean> {
    await this.settle();
    return this.nestingChanged;
  }

  /** After a failure elsewhere: lets the write in flight finish, so that nothing runs on after the stream. */
  async abandon(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    this.inFlight = null;
  }

  private async settle(): Promise<void> {
    const pending = this.inFlight;
    this.inFlight = null;
    if (pending) this.nestingChanged = (await pending) || this.nestingChanged;
  }
}
