import { ConfigError, loadConfig } from './config.ts';
import { DatabaseInUseError } from './db/client.ts';
import { startServer } from './server.ts';

try {
  await startServer(loadConfig());
} catch (err) {
  // Expected failures get one readable message, not a stack trace.
  if (err instanceof ConfigError || err instanceof DatabaseInUseError) console.error(err.message);
  else console.error(err);
  process.exit(1);
}
