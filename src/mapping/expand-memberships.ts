/**
 * Transitive closure of group membership: the direct groups plus every group that contains one
 * of them, however deep. Graph has no delta for transitiveMembers (graph-semantics §5), so nesting
 * is computed locally from the direct-member graph, and group cycles are legal in Entra, hence
 * the visited set (§11 item 5).
 */
export function expandMemberships(
  direct: ReadonlySet<string>,
  parentsOf: (groupId: string) => Iterable<string>,
): Set<string> {
  const seen = new Set<string>(direct);
  const pending = [...direct];
  for (let groupId = pending.pop(); groupId !== undefined; groupId = pending.pop()) {
    for (const parent of parentsOf(groupId)) {
      if (seen.has(parent)) continue;
      seen.add(parent);
      pending.push(parent);
    }
  }
  return seen;
}
