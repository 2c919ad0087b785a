import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import type { MockGraph } from '../../src/mock-graph/start-mock-graph.js';
import { DEMO_CONFIG, SECRET, startFixtureMock } from './sync-harness.js';

const BIN = fileURLToPath(new URL('../../src/cli/bin.js', import.meta.url));

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliSandbox {
  /** A temporary folder holding ca.pem, config.json (the demo config pointed at the mock) and PGlite's data. */
  readonly dir: string;
  readonly mock: MockGraph;
  /** The real binary in a child process, as an operator runs it, with the sandbox's environment. */
  cli(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<Ran>;
}

/**
 * For end-to-end files: a mock Graph with the fixture tenant, its CA in NODE_EXTRA_CA_CERTS, the
 * demo config pointed at it, and a database of its own (PGlite in the folder, or a throwaway
 * database on TEST_DATABASE_URL's server). Everything is removed after the file.
 */
export function useCliSandbox(prefix: string): CliSandbox {
  let dir = '';
  let mock: MockGraph | undefined;
  let env: NodeJS.ProcessEnv = {};
  let dropDatabase: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    mock = await startFixtureMock();
    await writeFile(join(dir, 'ca.pem'), mock.caPem ?? '');
    await writeFile(join(dir, 'config.json'), (await readFile(DEMO_CONFIG, 'utf8')).replaceAll('https://localhost:8443', mock.url));
    env = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      NODE_EXTRA_CA_CERTS: join(dir, 'ca.pem'),
      ENTRA_IMPORT_DATA_DIR: join(dir, 'data'),
      CONTOSO_GRAPH_SECRET: SECRET,
    };
    const pg = process.env['TEST_DATABASE_URL'];
    if (pg) {
      const name = `ei_e2e_${process.pid}_${Date.now()}`;
      const admin = postgres(pg, { max: 1, onnotice: () => {} });
      await admin.unsafe(`create database ${name}`);
      const url = new URL(pg);
      url.pathname = `/${name}`;
      env['DATABASE_URL'] = url.toString();
      dropDatabase = async () => {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
        await admin.end({ timeout: 5 });
      };
    }
  });

  afterAll(async () => {
    await mock?.close();
    await dropDatabase?.();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  return {
    get dir() {
      return dir;
    },
    get mock() {
      if (!mock) throw new Error('the sandbox has not started');
      return mock;
    },
    cli(args, extraEnv = {}) {
      return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    },
  };
}
