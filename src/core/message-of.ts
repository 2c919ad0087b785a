/** What went wrong, in words, whatever was thrown: an Error's message, or anything else as a string. */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
