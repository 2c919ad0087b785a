import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/**
 * Any other user property the seed may carry (e.g. mobilePhone): scalars, string lists and flat
 * string maps. The map member exists so the named object property below fits the index signature.
 */
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string()), z.record(z.string(), z.string().nullable())]);

const extensionAttributes = z.record(z.string().regex(/^extensionAttribute([1-9]|1[0-5])$/), z.string().nullable());

export const mockUserSeedSchema = z
  .object({
    id: z.string().min(1),
    userPrincipalName: z.string().min(1),
    displayName: z.string(),
    mail: z.string().nullable().optional(),
    givenName: z.string().nullable().optional(),
    surname: z.string().nullable().optional(),
    // Optional on purpose: some real accounts have no userType at all (graph-semantics §6).
    userType: z.enum(['Member', 'Guest']).optional(),
    accountEnabled: z.boolean().optional(),
    city: z.string().nullable().optional(),
    department: z.string().nullable().optional(),
    jobTitle: z.string().nullable().optional(),
    companyName: z.string().nullable().optional(),
    officeLocation: z.string().nullable().optional(),
    country: z.string().nullable().optional(),
    employeeId: z.string().nullable().optional(),
    onPremisesExtensionAttributes: extensionAttributes.optional(),
    /** Served by `/users/{id}/mailboxSettings` as userPurpose; absent = no Exchange mailbox (I18). */
    mailboxPurpose: z.enum(['user', 'linked', 'shared', 'room', 'equipment', 'others']).optional(),
  })
  .catchall(scalar);

export const mockGroupSeedSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  groupTypes: z.array(z.string()),
  mailEnabled: z.boolean(),
  securityEnabled: z.boolean(),
  mail: z.string().nullable().optional(),
  mailNickname: z.string().optional(),
  description: z.string().nullable().optional(),
  membershipRule: z.string().nullable().optional(),
  membershipRuleProcessingState: z.string().nullable().optional(),
  members: z.array(z.string()),
  owners: z.array(z.string()).optional(),
});

export const mockAppSeedSchema = z.object({
  /** Defaults to the seed's directoryId; a different value models an app of another tenant. */
  directoryId: z.string().optional(),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  roles: z.array(z.string()),
});

export const directorySeedSchema = z.object({
  directoryId: z.string().min(1),
  organization: z.object({ displayName: z.string(), verifiedDomains: z.array(z.string()).optional() }).optional(),
  apps: z.array(mockAppSeedSchema),
  users: z.array(mockUserSeedSchema),
  groups: z.array(mockGroupSeedSchema),
});

export type MockUserSeed = z.infer<typeof mockUserSeedSchema>;
export type MockGroupSeed = z.infer<typeof mockGroupSeedSchema>;
export type MockAppSeed = z.infer<typeof mockAppSeedSchema>;
export type DirectorySeed = z.infer<typeof directorySeedSchema>;

/** Reads and validates a fixture tenant; a bad fixture fails loudly with every zod issue listed. */
export async function loadDirectorySeed(path: string): Promise<DirectorySeed> {
  const text = await readFile(path, 'utf8');
  const parsed = directorySeedSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid directory seed ${path}: ${issues}`);
  }
  return parsed.data;
}
