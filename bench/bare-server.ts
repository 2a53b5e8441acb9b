// The baseline for bench/platform.ts: plain Fastify with one route and nothing else (no logger, no plugins),
// started as a child process exactly like the app so both pay the same process and loopback costs.
import Fastify from 'fastify';

const app = Fastify();
app.get('/bare', async () => ({ ok: true }));

process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0));
});

await app.listen({ host: process.env.HOST ?? '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.stdout.write('bare server listening\n');
