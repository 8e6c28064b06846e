import { runMain } from '@moral-registry/common';
import { createServer } from './server.ts';

await runMain((options) => createServer(options));
