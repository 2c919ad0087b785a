/**
 * The Graph user properties a mapping may match on. Every one is a single-valued string (or
 * nullable string) on `user` in v1.0 and is selectable in users/delta (graph-semantics §1.2:
 * I21, I22 for userType/accountEnabled/onPremisesExtensionAttributes). Properties outside the
 * main Entra store (birthday, skills, aboutMe: I4, I6) fail the whole delta request, so the list
 * is closed and checked when a mapping is saved.
 */
export const MAPPABLE_USER_ATTRIBUTES = [
  'userPrincipalName', 'mail', 'displayName', 'givenName', 'surname', 'userType',
  'jobTitle', 'department', 'companyName', 'officeLocation', 'city', 'state', 'country',
  'postalCode', 'streetAddress', 'usageLocation', 'preferredLanguage', 'employeeId',
  'employeeType', 'mailNickname', 'onPremisesSamAccountName', 'onPremisesDomainName',
] as const;

export const EXTENSION_ATTRIBUTES = Array.from(
  { length: 15 },
  (_, i) => `onPremisesExtensionAttributes.extensionAttribute${i + 1}`,
);

export function isMappableAttribute(name: string): boolean {
  return (MAPPABLE_USER_ATTRIBUTES as readonly string[]).includes(name) || EXTENSION_ATTRIBUTES.includes(name);
}
