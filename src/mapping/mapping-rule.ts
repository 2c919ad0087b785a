/**
 * A mapping as data. Rules are validated when saved (src/config) and only read here, so the
 * engine trusts their shape.
 */
export interface AttributeClause {
  /** A name accepted by isMappableAttribute (src/config/user-attributes.ts). */
  name: string;
  op: 'equals' | 'notEquals' | 'startsWith' | 'contains' | 'present';
  /** Any of them satisfies equals/startsWith/contains; notEquals needs the value to differ from all. Empty for present. */
  values: string[];
  ignoreCase: boolean;
}

export type Selector =
  | { kind: 'group'; groupIds: string[]; nested: boolean }
  /** Every clause must hold. */
  | { kind: 'attribute'; clauses: AttributeClause[] }
  | { kind: 'all-users' };

export interface MappingRule {
  id: number;
  name: string;
  /** 1 is the highest; ties are broken by the lower id (the older mapping). */
  priority: number;
  selector: Selector;
  profile: string;
  storage: string;
  /** Bytes; null means unlimited. */
  quotaBytes: number | null;
}

export interface TenantPolicy {
  emailFrom: 'mail' | 'userPrincipalName';
  includeSharedMailboxes: boolean;
  /** Entra object ids known to be shared mailboxes (from userPurpose or the admin's list, §6). */
  sharedMailboxIds: ReadonlySet<string>;
}

/** Group ids the user belongs to. `transitive` is expected to contain `direct` as well. */
export interface Memberships {
  direct: ReadonlySet<string>;
  transitive: ReadonlySet<string>;
}
