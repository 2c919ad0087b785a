import { sql } from 'drizzle-orm';
import { AppError } from '../core/app-error.js';
import type { Logger } from '../core/logger.js';
import type { GraphApi } from '../graph/create-graph-api.js';
import { getMailboxPurpose } from '../graph/get-mailbox-purpose.js';
import type { Db, Store } from '../store/open-store.js';
import { textArray, uuidArray } from '../store/unnest.js';

/** The attribute the mirror keeps a probed mailbox purpose under. */
export const MAILBOX_PURPOSE = 'mailboxPurpose';

/**
 * Learns which disabled users are shared mailboxes, when the tenant imports shared mailboxes.
 * The reliable signal is mailboxSettings.userPurpose; accountEnabled=false is only a heuristic
 * (graph-semantics §6, §11.9, P1/P2). Only disabled users about to be decided are asked, so the
 * cost is a handful of calls, not one per user. Without MailboxSettings.Read the tenant's explicit
 * sharedMailboxIds list is all we have, and the log says so.
 */
export async function probeSharedMailboxes(input: {
  store: Store;
  /** Reads and writes go in short transactions of their own; the Graph calls happen between them. */
  inTx: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  graph: GraphApi;
  tenantId: number;
  decideAll: boolean;
  logger: Logger;
}): Promise<{ probed: number; permission: boolean }> {
  const { store, tenantId } = input;
  const candidates = await input.inTx((db) => store.rows<{ id: string }>(db, sql`
    select id from entra_users
    where tenant_id = ${tenantId} and deletion = 'none' and account_enabled = false
      and not (attributes ? ${MAILBOX_PURPOSE}) ${input.decideAll ? sql`` : sql`and changed_seq > (select decided_seq from tenants where id = ${tenantId})`}
    order by id limit 1000`));
  let permission = true;
  const found: { id: string; purpose: string }[] = [];
  for (const { id } of candidates) {
    let purpose: string | null;
    try {
      purpose = await getMailboxPurpose(input.graph, id);
    } catch (err) {
      if (err instanceof AppError && err.code === 'GRAPH_FORBIDDEN') {
        input.logger.warn(
          'the app lacks MailboxSettings.Read, so shared mailboxes are recognised only from the tenant\'s sharedMailboxIds list',
        );
        permission = false;
        break;
      }
      throw err;
    }
    found.push({ id, purpose: purpose ?? 'none' });
  }
  if (found.length > 0) {
    await input.inTx((db) => db.execute(sql`
      update entra_users u set attributes = u.attributes || jsonb_build_object(${MAILBOX_PURPOSE}::text, x.purpose)
      from unnest(${uuidArray(found.map((f) => f.id))}, ${textArray(found.map((f) => f.purpose))}) as x(id, purpose)
      where u.tenant_id = ${tenantId} and u.id = x.id`));
  }
  return { probed: found.length, permission };
}
