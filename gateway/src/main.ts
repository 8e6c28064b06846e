import { startGateway } from './gateway.ts';

const gateway = await startGateway();
console.log(`[gateway] ${gateway.url} ready`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`[gateway] ${signal}: stopping`);
    void gateway.close().then(() => process.exit(0));
  });
}
