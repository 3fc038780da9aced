// Start-up as an operator sees it (issue #11): the banner and the first-administrator link are log
// lines (the link in full), written even when the log level is quieter; of several instances
// starting together on an empty database, one prints the link; PostgreSQL needs shared keys.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/auth/setup-link.js';
import { runCli, startServer } from '../support/cli.js';
import { postgresql } from '../support/databases.js';
import { describeOnEachDatabase, freshAppPerTest } from '../support/each-database.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function jsonLines(output: string): Record<string, unknown>[] {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describeOnEachDatabase('start-up', (database) => {
  const t = freshAppPerTest(database);

  it('of two instances starting together on an empty database, exactly one prints the first-administrator link, as a log line', async () => {
    const env = { ...t().database.env, HMS_LOG_LEVEL: 'warn' };
    expect((await runCli(['migrate'], env)).code).toBe(0);
    const ports = [await freePort(), await freePort()];
    const [metricsPort] = [await freePort()];
    const servers = await Promise.all(ports.map((port, i) => startServer({
      ...env, PORT: String(port), ...(i === 0 ? { HMS_METRICS_PORT: String(metricsPort) } : {}),
    })));
    await Promise.all(servers.map((server) => server.stop()));
    const outputs = servers.map((server) => jsonLines(server.output()));
    const links = outputs.flat().filter((line) => typeof line.setupLink === 'string');
    expect(links).toHaveLength(1);
    expect(links[0]!.setupLink).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\/[\w-]{43}$/);
    expect(outputs.flat().filter((line) => String(line.msg).includes('was printed in the last two minutes'))).toHaveLength(1);
    // At HMS_LOG_LEVEL=warn the start-up lines are still there, at info.
    for (const lines of outputs) {
      const serving = lines.find((line) => String(line.msg).startsWith('HMS is serving'))!;
      expect(serving).toMatchObject({ level: 30, listen: expect.stringMatching(/^127\.0\.0\.1:\d+$/) as unknown });
    }
    expect(outputs[0]!.find((line) => line.msg === 'metrics listener ready')).toMatchObject({ metrics: `http://127.0.0.1:${metricsPort}/metrics` });
  });

  it('five first-administrator links asked for at the same moment: one is issued (the decision is taken under a lock)', async () => {
    const tokens = await Promise.all(Array.from({ length: 5 }, () => issueSetupToken(t().ctx)));
    expect(tokens.filter((token) => token !== null)).toHaveLength(1);
    expect(await t().ctx.db.selectFrom('setup_tokens').select('token_hash').execute()).toHaveLength(1);
  });
});

describe.skipIf(!postgresql.requirement.available)('PostgreSQL without shared keys', () => {
  it('refuses to start without HMS_ENCRYPTION_KEYS, saying why', async () => {
    const database = await postgresql.create();
    try {
      const { HMS_ENCRYPTION_KEYS: _keys, ...withoutKeys } = database.env;
      const result = await runCli(['audit'], withoutKeys);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('HMS_ENCRYPTION_KEYS is not set: with DATABASE_URL (PostgreSQL), every instance must be given the same keys.');
    } finally {
      await database.drop();
    }
  });
});
