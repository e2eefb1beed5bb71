#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a checkout needs no build step.
import { register } from "tsx/esm/api";

// React picks its production build from NODE_ENV when it is first loaded (by main.ts below). An operator who starts
// Intact without setting it still gets production behaviour: React's development build is several times slower
// per page. Set NODE_ENV=development explicitly to debug.
process.env.NODE_ENV ??= "production";
register();
await import("../src/main.ts");
