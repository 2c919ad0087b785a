/**
 * Graph roots and token hosts per national cloud (graph-semantics §9, D18/D19). Apps are
 * registered per cloud and tokens are not interchangeable, so both hosts come from one row.
 */
export const CLOUDS = {
  global: { graphUrl: 'https://graph.microsoft.com', authorityHost: 'https://login.microsoftonline.com' },
  usgov: { graphUrl: 'https://graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  'usgov-dod': { graphUrl: 'https://dod-graph.microsoft.us', authorityHost: 'https://login.microsoftonline.us' },
  china: { graphUrl: 'https://microsoftgraph.chinacloudapi.cn', authorityHost: 'https://login.chinacloudapi.cn' },
} as const satisfies Record<string, { graphUrl: string; authorityHost: string }>;

export type CloudName = keyof typeof CLOUDS;

export const CLOUD_NAMES = Object.keys(CLOUDS) as CloudName[];
