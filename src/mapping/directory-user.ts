/**
 * One Entra user as the decision engine sees it: the mirror's merged state, not a raw delta item.
 * Graph leaves out properties that were never set (graph-semantics I16), so every property that
 * may be absent is `null` here rather than guessed.
 */
export interface DirectoryUser {
  id: string;
  userPrincipalName: string | null;
  mail: string | null;
  displayName: string | null;
  /** 'Member' or 'Guest' as Graph returns it; null when Graph did not report one (§6, S10). */
  userType: string | null;
  accountEnabled: boolean | null;
  /** users/delta `@removed` reason: 'changed' is a soft delete, 'deleted' a hard one (D1, D2). */
  deletion: 'none' | 'soft' | 'hard';
  /** Flat attribute values, e.g. 'city' or 'onPremisesExtensionAttributes.extensionAttribute1'. */
  attributes: Record<string, string | null>;
}
