// The CLI tests run the compiled `hms` command exactly as `npm run hms` does: build it once
// before the suite (incremental, a few seconds when little changed).
import { execFileSync } from 'node:child_process';

export default function buildOnce(): void {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
