/**
 * `npm run bench`: speed targets live here, never in timed tests. The scale work (issue 8) fills
 * it in with a synthetic tenant; until then it says so and exits 0.
 */
process.stdout.write('bench: not yet — the scale benchmark arrives with the scale issue (synthetic tenant, rows/s, Graph requests per 1k users)\n');
