import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runMockGraphServer } from '../../src/mock-graph/run-mock-graph-server.js';
import { CLIENT_ID, FIXTURE, SECRET, TENANT } from './mock-graph-harness.js';

describe('runMockGraphServer', () => {
  it('prints url, tenant, client id and the CA hint, writes the CA, and never prints the secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mock-graph-run-'));
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => { text += c.toString(); });
    const certOut = join(dir, 'ca.pem');
    const mock = await runMockGraphServer({ port: 0, host: '127.0.0.1', fixture: FIXTURE, certOut }, out);
    try {
      expect(text).toContain(mock.url);
      expect(text).toContain(TENANT);
      expect(text).toContain(CLIENT_ID);
      expect(text).toContain(`NODE_EXTRA_CA_CERTS=${certOut}`);
      expect(text).not.toContain(SECRET);
      expect(await readFile(certOut, 'utf8')).toBe(mock.caPem);
    } finally {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
