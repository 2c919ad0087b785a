/*
 * A deliberately plain check, not full RFC 5322: the address becomes an inSync login, so quoted
 * local parts, IP-literal domains and comments are refused, while the Unicode letters Entra
 * allows in mail and UPN values are accepted.
 */
const LOCAL_PART = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;

/** True when `value` looks like a deliverable address: one @, a dotted domain, no spaces. */
export function isValidEmail(value: string): boolean {
  // RFC 5321 limits: 254 for the whole path, 64 for the local part.
  if (value.length === 0 || value.length > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at !== value.indexOf('@')) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return false;
  const labels = domain.split('.');
  // A bare host ("user@localhost") is not an address an inSync user can receive mail at.
  if (labels.length < 2) return false;
  return labels.every((label) => DOMAIN_LABEL.test(label));
}
