// Argon2id computations take turns: at most one per core plus one at a time, the others wait in
// order. Each takes a libuv thread and 19 MiB for ~10 ms. Unlimited, a login storm kept all four
// of the pool's threads hashing on a two-core machine, and every page waited for the event loop's
// turn among them; the one beyond the cores keeps both cores busy while the event loop hands the
// next computation over (one per core alone cost 10 % of the logins/s). Measured in
// bench/RESULTS.md (2e): the page's p99 during a storm 25 → 17 ms on SQLite, logins/s unchanged.
// Never all of the pool (unless it has a single thread): one stays free for file reads (static assets).
import os from 'node:os';

/** libuv's thread pool: 4 unless UV_THREADPOOL_SIZE says otherwise (read by Node at start). */
const POOL_THREADS = Number(process.env.UV_THREADPOOL_SIZE) || 4;

export interface HashSlots {
  /** Runs `work` once a slot is free; slots are handed over in the order they were asked for. */
  run<T>(work: () => Promise<T>): Promise<T>;
}

export function hashSlots(count = Math.max(1, Math.min(os.availableParallelism() + 1, POOL_THREADS - 1))): HashSlots {
  let free = count;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next(); // the slot goes straight to the next in line
    else free += 1;
  };
  return {
    async run(work) {
      if (free > 0) free -= 1;
      else await new Promise<void>((resolve) => waiting.push(resolve));
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
