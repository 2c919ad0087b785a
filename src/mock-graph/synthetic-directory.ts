import type { MockGroupSeed, MockUserSeed } from './directory-seed.js';
import type { SyntheticUserSource } from './directory-records.js';
import { MockDirectory } from './mock-directory.js';
import { CITIES, DEPARTMENTS, GIVEN_NAMES as GIVEN, SURNAMES } from './synthetic-vocabulary.js';

/** The synthetic tenant's directory (tenant) id; its apps are the fixture's (see mock-graph --synthetic-users). */
export const SYNTHETIC_DIRECTORY_ID = '5d000000-0000-4000-8000-000000000000';

export interface SyntheticDirectoryOptions {
  /** Same seed, same tenant: every property is a pure function of (seed, index). */
  seed: number;
  users: number;
  groups: number;
  domain?: string;
  /** How user ids relate to the listing order (default 'random'; see SyntheticIdOrder). */
  idOrder?: SyntheticIdOrder;
}

/**
 * 'random': user ids in no order, as Entra's random GUIDs (the default: the unkind case for
 * indexes keyed by object id). 'listed': ids rise with the order users are listed in. Whether
 * Graph lists users by object id is not documented (D1 promises no order), so both can be served.
 */
export type SyntheticIdOrder = 'random' | 'listed';
export const SYNTHETIC_ID_ORDERS: readonly SyntheticIdOrder[] = ['random', 'listed'];

const GROUP_KINDS: Pick<MockGroupSeed, 'groupTypes' | 'mailEnabled' | 'securityEnabled'>[] = [
  { groupTypes: [], mailEnabled: false, securityEnabled: true }, // security
  { groupTypes: ['Unified'], mailEnabled: true, securityEnabled: false }, // Microsoft 365
  { groupTypes: [], mailEnabled: true, securityEnabled: false }, // distribution
  { groupTypes: [], mailEnabled: true, securityEnabled: true }, // mail-enabled security
];

/**
 * Synthetic ids encode their index, so a bench can name user or group N without asking the mock.
 * With 'random' order a user's index goes through a fixed permutation first, into the id's
 * leading 12 hex digits: ids that rise with the listing order make every index keyed by object id
 * grow at its right edge only, far kinder to the database than random GUIDs.
 */
export const syntheticUserId = (i: number, order: SyntheticIdOrder = 'random') => {
  const hex = (order === 'random' ? permute48(i) : i).toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8)}-4000-8000-${USER_ID_SUFFIX}`;
};
export const syntheticGroupId = (i: number) => `5f000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

const USER_ID_SUFFIX = '5e0000000000';
const SYNTHETIC_USER_ID = new RegExp(`^([0-9a-f]{8})-([0-9a-f]{4})-4000-8000-${USER_ID_SUFFIX}$`);

/** The index a synthetic user id encodes, whether or not the tenant has that many users. */
function syntheticUserIndex(id: string, order: SyntheticIdOrder): number | undefined {
  const m = SYNTHETIC_USER_ID.exec(id);
  if (!m?.[1] || !m[2]) return undefined;
  const n = parseInt(m[1] + m[2], 16);
  return order === 'random' ? unpermute48(n) : n;
}

// A four-round Feistel network over two 24-bit halves: a bijection on 48-bit numbers, computed
// with 32-bit integer arithmetic, and its inverse.
const HALF = 0xffffff;
const TOP = 2 ** 24;
const ROUND_KEYS = [0x3c6ef3, 0xa54ff5, 0x510e52, 0x9b0568];

function feistel(half: number, key: number): number {
  let t = Math.imul(half ^ key, 0x9e3779b1);
  t ^= t >>> 15;
  t = Math.imul(t, 0x85ebca6b);
  return (t ^ (t >>> 13)) & HALF;
}

function permute48(n: number): number {
  let left = Math.floor(n / TOP) & HALF;
  let right = n & HALF;
  for (const key of ROUND_KEYS) [left, right] = [right, left ^ feistel(right, key)];
  return left * TOP + right;
}

function unpermute48(n: number): number {
  let left = Math.floor(n / TOP) & HALF;
  let right = n & HALF;
  for (let k = ROUND_KEYS.length - 1; k >= 0; k -= 1) [left, right] = [right ^ feistel(left, ROUND_KEYS[k] as number), left];
  return left * TOP + right;
}

/** A small, fast, well-mixed 32-bit hash (mulberry32 step) so users differ without a stored RNG. */
function mix(seed: number, index: number, salt: number): number {
  let t = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(salt, 0x85ebca6b)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

function pickFrom<T>(list: readonly T[], n: number): T {
  return list[n % list.length] as T;
}

/**
 * A large deterministic tenant for scale work. Users are generated from their index on demand
 * (only ids are ever enumerated); groups are materialised, since their member lists are ids.
 * Mix: ~3% guests, ~2% disabled, ~1% without mail, ~1% without userType (graph-semantics §6).
 */
export function syntheticDirectory(opts: SyntheticDirectoryOptions): MockDirectory {
  const domain = opts.domain ?? 'synthetic.example';
  const order = opts.idOrder ?? 'random';
  const userAt = (i: number): MockUserSeed => {
    // mix() called directly rather than through a closure made for every user: this runs for
    // every user that every page lists.
    const given = pickFrom(GIVEN, mix(opts.seed, i, 1));
    const surname = pickFrom(SURNAMES, mix(opts.seed, i, 2));
    const nick = `${given}.${surname}.${i}`.toLowerCase();
    const guest = mix(opts.seed, i, 3) % 100 < 3;
    const upn = guest ? `${nick}_partner.example#EXT#@${domain}` : `${nick}@${domain}`;
    const user: MockUserSeed = {
      id: syntheticUserId(i, order), userPrincipalName: upn, displayName: `${given} ${surname} ${i}`, givenName: given, surname,
      mail: mix(opts.seed, i, 4) % 100 === 0 ? null : guest ? `${nick}@partner.example` : `${nick}@${domain}`,
      accountEnabled: mix(opts.seed, i, 5) % 100 >= 2, department: pickFrom(DEPARTMENTS, mix(opts.seed, i, 6)), city: pickFrom(CITIES, mix(opts.seed, i, 7)),
      employeeId: `S${i}`, mailNickname: nick,
      onPremisesExtensionAttributes: { extensionAttribute1: mix(opts.seed, i, 8) % 10 === 0 ? 'backup-tier-gold' : null },
    };
    if (!guest) user.mailboxPurpose = 'user';
    // Some real accounts carry no userType at all.
    if (mix(opts.seed, i, 9) % 100 !== 0) user.userType = guest ? 'Guest' : 'Member';
    return user;
  };
  const syntheticUsers: SyntheticUserSource = {
    count: opts.users,
    idAt: (i) => syntheticUserId(i, order),
    indexOf: (id) => {
      const i = syntheticUserIndex(id, order);
      return i !== undefined && i < opts.users ? i : undefined;
    },
    userAt,
  };
  const members: string[][] = Array.from({ length: opts.groups }, () => []);
  if (opts.groups > 0) {
    for (let i = 0; i < opts.users; i++) members[mix(opts.seed, i, 10) % opts.groups]?.push(syntheticUserId(i, order));
    // Every tenth group nests the next one, so transitive membership has something to resolve.
    for (let g = 0; g + 1 < opts.groups; g += 10) members[g]?.push(syntheticGroupId(g + 1));
  }
  const groups: MockGroupSeed[] = members.map((m, g) => ({
    id: syntheticGroupId(g), displayName: `Synthetic group ${g}`, ...pickFrom(GROUP_KINDS, g),
    mailNickname: `synthetic-${g}`, members: m,
  }));
  return new MockDirectory({ syntheticUsers, groups });
}
