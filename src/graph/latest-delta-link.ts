import { AppError } from '../core/app-error.js';
import type { GraphApi } from './create-graph-api.js';
import { deltaPages } from './delta-pages.js';

/**
 * A delta link that means "now", without reading anything: `$deltatoken=latest` answers with an
 * empty value and a deltaLink (D1). The fast first round takes it before listing, so the next
 * round replays whatever changed while the list was read (§9b).
 */
export async function latestDeltaLink(api: GraphApi, deltaPath: string): Promise<string> {
  const url = `${deltaPath}${deltaPath.includes('?') ? '&' : '?'}$deltatoken=latest`;
  for await (const page of deltaPages(api, url)) {
    if (page.deltaLink) return page.deltaLink;
  }
  throw new AppError('GRAPH_BAD_RESPONSE', 'Graph answered $deltatoken=latest without a delta link');
}
