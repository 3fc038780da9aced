// The start-up banner: log lines always; on a terminal, the text a person reads as well.
import pino from 'pino';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { announce, startUpLog } from '../../src/announce.js';
import { loadConfig } from '../../src/config.js';

function capturingLogger(level: string) {
  const written: string[] = [];
  const stream = new Writable({ write(chunk, _encoding, done) { written.push(String(chunk)); done(); } });
  return { log: pino({ level }, stream), lines: () => written.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

const startUp = {
  config: loadConfig({ PORT: '3000' }), listening: '127.0.0.1:3000', describeDatabase: 'SQLite /srv/hms/hms.sqlite', setupToken: 'T'.repeat(43),
  setupLinkElsewhere: false, metricsAddress: '127.0.0.1:9464',
};

describe('the start-up banner', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is log lines with the link in full, written at info even when the level is warn; no plain text when not on a terminal', () => {
    const { log, lines } = capturingLogger('warn');
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    announce(startUpLog(log, 'warn'), startUp, false);
    expect(lines().map((line) => [line.level, line.msg])).toEqual([
      [30, 'no accounts exist yet: create the first administrator at this link (valid for one hour, usable once)'],
      [30, 'metrics listener ready'],
      [30, 'HMS is serving http://127.0.0.1:3000'],
    ]);
    expect(lines()[0]!.setupLink).toBe(`http://127.0.0.1:3000/setup/${'T'.repeat(43)}`);
    expect(printed).not.toHaveBeenCalled();
  });

  it('adds the human-readable text on a terminal; silent stays silent', () => {
    const { log, lines } = capturingLogger('silent');
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    announce(startUpLog(log, 'silent'), startUp, true);
    expect(lines()).toEqual([]);
    const text = String(printed.mock.calls[0]![0]);
    expect(text).toContain('No accounts exist yet. Create the first administrator at this link');
    expect(text).toContain(`    http://127.0.0.1:3000/setup/${'T'.repeat(43)}`);
    expect(text).toContain('HMS is serving http://127.0.0.1:3000 (listening on 127.0.0.1:3000, data in SQLite /srv/hms/hms.sqlite)');
  });
});
