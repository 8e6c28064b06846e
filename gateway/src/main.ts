import { createLogger, operationsConfig, readEnv, startTracing } from '@moral-registry/common';
import { startGateway } from './gateway.ts';

// --- Operations: tracing before the gateway starts; on SIGTERM/SIGINT drain, flush spans, exit ---
const env = readEnv();
const operations = operationsConfig(env);
const logger = createLogger('gateway', operations);
// Hive Gateway's OpenTelemetry plugin makes the HTTP spans; the node:http instrumentation would double them.
const tracing = await startTracing('gateway', operations, { http: false });
const gateway = await startGateway({ env });
logger.info({ url: gateway.url, tracing: tracing !== null }, `gateway ready at ${gateway.url}`);
let stopping = false;
const stop = (signal: string) => {
  // npm start's children get Ctrl-C from the terminal and SIGTERM from their parent: drain once.
  if (stopping) return;
  stopping = true;
  logger.info({ signal, timeoutMs: operations.shutdownTimeoutMs }, 'shutting down: draining in-flight requests');
  void gateway
    .close()
    .then(() => tracing?.shutdown())
    .then(() => {
      logger.info('stopped');
      process.exit(0);
    });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stop(signal));
// Started by `npm start` (an IPC channel): if it dies, even by kill -9, stop rather than run on as an orphan.
process.on('disconnect', () => stop('npm start went away'));
// --- end of operations ---
