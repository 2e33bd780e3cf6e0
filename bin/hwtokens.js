#!/usr/bin/env node
// Runs the compiled CLI; `npm run build` makes dist/.
import '../dist/src/server/cli/main.js';
