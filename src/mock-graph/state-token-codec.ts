import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Everything a delta round needs is carried in its link (D4: query options go into the token),
 * so the mock keeps no per-client state. Tokens are base64url JSON plus an HMAC: opaque and
 * tamper-evident, as clients must copy links verbatim (D1, D6).
 */
export const deltaStateSchema = z.object({
  resource: z.enum(['users', 'groups']),
  /** Seq the round compares against; null = initial round (everything that exists). */
  since: z.number().int().nullable(),
  /** Seq when the round began; changes after it are left to the tail or to the next round. */
  upTo: z.number().int(),
  /** 'main' walks the round's objects; 'tail' re-emits objects that changed while it ran (D1). */
  phase: z.enum(['main', 'tail']),
  tailUpTo: z.number().int().nullable(),
  cursor: z.number().int(),
  memberOffset: z.number().int(),
  page: z.number().int(),
  select: z.array(z.string()).nullable(),
  ids: z.array(z.string()).nullable(),
  /** Clock time (ms) the round's starting link was issued; page tokens inherit it. */
  issuedAt: z.number(),
  generation: z.number().int(),
});
export type DeltaState = z.infer<typeof deltaStateSchema>;

export const deltaLinkSchema = z.object({
  resource: z.enum(['users', 'groups']),
  since: z.number().int(),
  select: z.array(z.string()).nullable(),
  ids: z.array(z.string()).nullable(),
  issuedAt: z.number(),
  generation: z.number().int(),
});
export type DeltaLinkState = z.infer<typeof deltaLinkSchema>;

export class StateTokenCodec {
  private readonly key = randomBytes(32);

  encode(payload: object): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  /** Returns undefined for anything forged, truncated or of the wrong shape. */
  decode<T>(token: string, schema: z.ZodType<T>): T | undefined {
    const [body, mac] = token.split('.');
    if (!body || !mac) return undefined;
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const parsed = schema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url').slice(0, 22);
  }
}
