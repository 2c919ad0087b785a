import { z } from 'zod';

const guid = z.guid();

/** The same GUID rule the tenant file applies to group and directory ids (config-schema.ts). */
export function isGuid(value: string): boolean {
  return guid.safeParse(value).success;
}
