/**
 * The client-credentials scope is always `<graph root>/.default`, in the cloud's own Graph domain
 * (graph-semantics D19, D20; §9 table).
 */
export function graphScope(graphUrl: string): string {
  return `${new URL(graphUrl).origin}/.default`;
}
