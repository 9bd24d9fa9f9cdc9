#!/usr/bin/env node
// Runs Tandem's TypeScript directly through tsx, so `npx tandem …` works right after `npm install`.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/run.ts')
