import { Logger } from '@nestjs/common';
import { ROUTE_TABLE } from './call.controller.js';
import { createSampleApp } from './create-app.js';

/**
 * Starts the sample on `$HOST:$PORT`, by default 127.0.0.1:3000: a demo that may be running on
 * its public development secret stays off the network unless asked (`HOST=0.0.0.0`).
 * How the app is set up (raw body, JSON limit) is in create-app.ts.
 */
async function bootstrap(): Promise<void> {
  // A configuration error rejects after Nest has logged it: exit with code 1.
  const app = await createSampleApp().catch(() => undefined);
  if (!app) {
    process.exitCode = 1;
    return;
  }
  const host = process.env.HOST || '127.0.0.1';
  const port = Number(process.env.PORT || 3000);
  try {
    await app.listen(port, host);
  } catch {
    // Nest has logged why (a port in use, say).
    await app.close();
    process.exitCode = 1;
    return;
  }
  const logger = new Logger('SampleApp');
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.log(`Listening on ${base}`);
  for (const [method, path, what] of ROUTE_TABLE) {
    logger.log(`  ${method.padEnd(7)} ${method === 'WS' ? base.replace(/^http/, 'ws') : base}/${path}  ${what}`);
  }
  logger.log('Send it a webhook the way jambonz does: npm run webhook -- call-hook-inbound');
  logger.log('Open a WebSocket API session the way jambonz does: npm run session');
}

void bootstrap();
