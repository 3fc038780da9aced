// Reading a Prometheus exposition as a monitoring system would: a sample's value by name and labels.
import { execFileSync } from 'node:child_process';

/** The value of the sample with exactly this name and these labels (order ignored), or undefined. */
export function sampleValue(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of exposition.split('\n')) {
    const match = /^([a-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/\b(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(found).length && wanted.every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

/** Every label value of every sample. */
export function labelValues(exposition: string): string[] {
  return [...exposition.matchAll(/\b\w+="((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
}

/** promtool's verdict on an exposition: its exit code and what it said. */
export function promtoolCheck(exposition: string): { code: number; output: string } {
  try {
    const output = execFileSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}
