/**
 * Property names the mock knows, from the v1.0 `user`/`group` types (M1). Delta only tracks
 * properties of the main Entra store (D1); the rest are rejected in delta `$select` (I4, I5, I6).
 */
export const USER_DELTA_PROPERTIES: ReadonlySet<string> = new Set([
  'id', 'accountEnabled', 'ageGroup', 'assignedLicenses', 'businessPhones', 'city', 'companyName',
  'consentProvidedForMinor', 'country', 'createdDateTime', 'creationType', 'department', 'displayName',
  'employeeHireDate', 'employeeId', 'employeeLeaveDateTime', 'employeeOrgData', 'employeeType',
  'externalUserState', 'externalUserStateChangeDateTime', 'faxNumber', 'givenName', 'identities',
  'imAddresses', 'isResourceAccount', 'jobTitle', 'legalAgeGroupClassification', 'mail', 'mailNickname',
  'manager', 'mobilePhone', 'officeLocation', 'onPremisesDistinguishedName', 'onPremisesDomainName',
  'onPremisesExtensionAttributes', 'onPremisesImmutableId', 'onPremisesLastSyncDateTime',
  'onPremisesSamAccountName', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled',
  'onPremisesUserPrincipalName', 'otherMails', 'passwordPolicies', 'postalCode', 'preferredDataLocation',
  'preferredLanguage', 'proxyAddresses', 'securityIdentifier', 'showInAddressList', 'state',
  'streetAddress', 'surname', 'usageLocation', 'userPrincipalName', 'userType',
]);

/** Real user properties that exist but fail in delta `$select` (I4 birthday, I5 signInActivity, I6, §1.2). */
export const USER_NON_DELTA_PROPERTIES: ReadonlySet<string> = new Set([
  'aboutMe', 'birthday', 'hireDate', 'interests', 'mailboxSettings', 'mySite', 'pastProjects',
  'preferredName', 'responsibilities', 'schools', 'signInActivity', 'skills', 'licenseAssignmentStates',
]);

/** D4: the default set users/delta returns without `$select`. */
export const USER_DEFAULT_PROPERTIES: readonly string[] = [
  'businessPhones', 'displayName', 'givenName', 'jobTitle', 'mail', 'mobilePhone', 'officeLocation',
  'preferredLanguage', 'surname', 'userPrincipalName',
];

export const GROUP_PROPERTIES: ReadonlySet<string> = new Set([
  'id', 'classification', 'createdDateTime', 'description', 'displayName', 'expirationDateTime',
  'groupTypes', 'isAssignableToRole', 'mail', 'mailEnabled', 'mailNickname', 'membershipRule',
  'membershipRuleProcessingState', 'onPremisesSecurityIdentifier', 'onPremisesSyncEnabled',
  'proxyAddresses', 'renewedDateTime', 'resourceProvisioningOptions', 'securityEnabled',
  'securityIdentifier', 'visibility', 'members', 'owners',
]);

/** Properties accepted by `$select` on plain reads (`/users`, `/users/{id}`, members lists). */
export const USER_READ_PROPERTIES: ReadonlySet<string> = new Set([...USER_DELTA_PROPERTIES, ...USER_NON_DELTA_PROPERTIES]);

/** Splits a `$select` value; `undefined` when absent. Whitespace and empty items are dropped. */
export function parseSelect(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Checks a delta `$select` and returns the Graph error message, or null when fine. The wording is
 * the one observed for unsupported properties (I4); unknown names get the OData parser's message.
 */
export function deltaSelectError(resource: 'users' | 'groups', names: readonly string[]): string | null {
  const known = resource === 'users' ? USER_DELTA_PROPERTIES : GROUP_PROPERTIES;
  const unknown = names.filter((n) => !known.has(n) && !(resource === 'users' && USER_NON_DELTA_PROPERTIES.has(n)));
  if (unknown.length > 0) {
    return `Parsing OData Select and Expand failed: Could not find a property named '${unknown[0]}' on type 'microsoft.graph.${resource === 'users' ? 'user' : 'group'}'.`;
  }
  const unsupported = names.filter((n) => !known.has(n));
  if (unsupported.length > 0) {
    return `Invalid request for delta query: for this entity set, $expand/$select is not supported for the following properties: ${unsupported.join(',')}`;
  }
  return null;
}
