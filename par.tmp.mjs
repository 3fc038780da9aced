import { createPasswordHasher } from './dist/src/auth/passwords.js';
import { performance } from 'node:perf_hooks';
const h = await createPasswordHasher({ memoryKib: 19456, iterations: 2 });
const ph = await h.hash('x'.repeat(20));
for (const par of [1, 2, 4]) {
  const end = performance.now() + 4000; let n = 0; const t0 = performance.now();
  await Promise.all(Array.from({ length: par }, async () => { while (performance.now() < end) { await h.verify(ph, 'x'.repeat(20)); n++; } }));
  console.log(par, (n / ((performance.now() - t0) / 1000)).toFixed(1) + '/s');
}
