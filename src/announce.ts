// What `hms serve` tells the operator at start: that it serves, where, and on an empty database
// the first-administrator link. They are log lines (the journal keeps them, the link in full: it
// is meant for the operator), and on a terminal also the plain text a person reads.
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.js';

export interface StartUp {
  config: Config;
  /** The address and port the pages are served on, as bound (PORT=0 picks one). */
  listening: string;
  describeDatabase: string;
  /** The first-administrator link's token, when this instance issued one. */
  setupToken: string | null;
  /** No account exists, but another instance (or this one, moments ago) printed the link. */
  setupLinkElsewhere: boolean;
  metricsAddress: string | null;
}

/** Start-up lines are written at info even when HMS_LOG_LEVEL is quieter: an operator needs them (silent stays silent). */
export function startUpLog(log: FastifyBaseLogger, level: string): FastifyBaseLogger {
  const quieter = ['warn', 'error', 'fatal'].includes(level);
  return quieter ? log.child({}, { level: 'info' }) : log;
}

export function announce(log: FastifyBaseLogger, startUp: StartUp, terminal = process.stdout.isTTY === true): void {
  const { config } = startUp;
  const link = startUp.setupToken ? `${config.publicOrigin}/setup/${startUp.setupToken}` : null;
  if (link) {
    log.info({ setupLink: link, validMinutes: 60 }, 'no accounts exist yet: create the first administrator at this link (valid for one hour, usable once)');
  } else if (startUp.setupLinkElsewhere) {
    log.info('no accounts exist yet: a first-administrator link was printed in the last two minutes (by another instance starting now, or a restart); restart later for a new one, or use `hms user add`');
  }
  if (startUp.metricsAddress) log.info({ metrics: `http://${startUp.metricsAddress}/metrics` }, 'metrics listener ready');
  log.info({ publicUrl: config.publicOrigin, listen: startUp.listening, database: startUp.describeDatabase },
    `HMS is serving ${config.publicOrigin}`);

  if (!terminal) return;
  const lines: string[] = [];
  if (link) {
    lines.push('', 'No accounts exist yet. Create the first administrator at this link (valid for one hour, usable once):', '', `    ${link}`, '',
      'Or from the command line: npm run hms -- user add --email E --name "N" --role admin --password-stdin', '');
  }
  lines.push(`HMS is serving ${config.publicOrigin} (listening on ${startUp.listening}, data in ${startUp.describeDatabase})`);
  if (startUp.metricsAddress) lines.push(`Metrics: http://${startUp.metricsAddress}/metrics`);
  console.log(lines.join('\n'));
}
