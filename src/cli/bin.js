#!/usr/bin/env node
// The published entry point. The sources are TypeScript run through tsx's loader, so a fresh
// clone needs no build step; `npm run typecheck` keeps them honest.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
