/**
 * What one delta item says about one directory object, as graph/ parses it and store/ mirrors it.
 * Shared here because both rooms speak it and neither may import the other. Object ids are
 * lowercased: GUIDs are case-insensitive and config may spell them either way.
 */
export type UserChange =
  | { kind: 'removed'; id: string; reason: 'changed' | 'deleted' }
  | {
      kind: 'upsert';
      id: string;
      /**
       * Only the properties present in the item, as text ("accountEnabled": "false"): absent means
       * "not sent", null means "cleared" (graph-semantics D4, I16).
       */
      attributes: Record<string, string | null>;
    };

export type GroupChange =
  | { kind: 'removed'; id: string; reason: 'changed' | 'deleted' }
  | {
      kind: 'upsert';
      id: string;
      props: { displayName?: string | null; groupTypes?: string[]; mailEnabled?: boolean | null; securityEnabled?: boolean | null };
      /** members@delta entries: no annotation = added (I13), @removed = removed (D3). */
      memberAdds: { id: string; type: string }[];
      memberRemoves: string[];
    };
