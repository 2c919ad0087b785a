import { COUNTED_TABLES } from './bench-database.js';
import { WRITE_STEPS, type WriteBounds, type WritePath } from './write-bounds.js';

/** One markdown table, like the bench's: seconds per step for the three paths, then the database's CPU. */
export function formatWriteBounds(b: WriteBounds): string {
  const s = (n: number) => n.toFixed(2);
  const paths = [b.perBatch, b.deferred, b.bulk];
  const total = (p: WritePath) => WRITE_STEPS.reduce((sum, step) => sum + p.steps[step], 0);
  const rows = (p: WritePath) => COUNTED_TABLES.map((t) => p.rows[t]).join('/');
  const cells = (f: (p: WritePath) => string) => paths.map(f).join(' | ');
  const lines = [
    `write bounds: ${b.users} users, ${b.groups} groups; per batch = ${b.batch} rows a statement into the indexed tables, as a first import writes;`,
    'deferred = the same batches into a new tenant\'s own tables, keeping only the indexes the import reads while it runs, the rest built after;',
    'bulk = one statement a table into empty tables, their indexes built afterwards, the decide read as one join',
    '',
    '| step | per batch s | deferred s | bulk s |',
    '| --- | --: | --: | --: |',
    ...WRITE_STEPS.map((step) => `| ${step} | ${cells((p) => s(p.steps[step]))} |`),
    `| total (of which index builds) | ${s(total(b.perBatch))} | ${s(total(b.deferred))} (${s(b.deferred.indexBuilds)}) | ${s(total(b.bulk))} (${s(b.bulk.indexBuilds)}) |`,
    `| database CPU s | ${cells((p) => (p.databaseCpu === null ? '-' : s(p.databaseCpu)))} |`,
    `| decide read: users/memberships | ${cells((p) => `${p.decideRead.users}/${p.decideRead.memberships}`)} |`,
    `| rows users/members/insync/log | ${cells(rows)} |`,
  ];
  return lines.join('\n');
}
