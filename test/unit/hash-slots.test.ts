// Argon2id computations take turns: never more at once than there are slots, in the order asked,
// and a computation that fails still hands its slot on (else one malformed hash would stop sign-in).
import { expect, it } from 'vitest';
import { hashSlots } from '../../src/auth/hash-slots.js';

/** Work that ends when the test says so. */
function controlled() {
  let finish!: (value: string) => void;
  let fail!: (error: Error) => void;
  const done = new Promise<string>((resolve, reject) => { finish = resolve; fail = reject; });
  return { work: () => done, finish, fail };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

it('runs at most as many at once as it has slots, the rest in the order they asked', async () => {
  const slots = hashSlots(2);
  const started: number[] = [];
  const jobs = Array.from({ length: 5 }, () => controlled());
  const results = jobs.map((job, i) => slots.run(() => { started.push(i); return job.work(); }));
  await settle();
  expect(started).toEqual([0, 1]);
  jobs[1]!.finish('one');
  await settle();
  expect(started).toEqual([0, 1, 2]);
  jobs[0]!.finish('zero');
  await settle();
  expect(started).toEqual([0, 1, 2, 3]);
  jobs[3]!.finish('three');
  jobs[2]!.finish('two');
  await settle();
  expect(started).toEqual([0, 1, 2, 3, 4]);
  jobs[4]!.finish('four');
  expect(await Promise.all(results)).toEqual(['zero', 'one', 'two', 'three', 'four']);
});

it('a computation that fails passes its slot on, and its caller gets the error', async () => {
  const slots = hashSlots(1);
  const failing = controlled();
  const next = controlled();
  const first = slots.run(failing.work);
  let nextStarted = false;
  const second = slots.run(() => { nextStarted = true; return next.work(); });
  await settle();
  expect(nextStarted).toBe(false);
  failing.fail(new Error('malformed hash'));
  await expect(first).rejects.toThrow('malformed hash');
  await settle();
  expect(nextStarted).toBe(true);
  next.finish('verified');
  expect(await second).toBe('verified');
});

it('hands a freed slot to whoever asks next when nobody waits', async () => {
  const slots = hashSlots(1);
  expect(await slots.run(async () => 'a')).toBe('a');
  expect(await slots.run(async () => 'b')).toBe('b');
  const [c, d] = await Promise.all([slots.run(async () => 'c'), slots.run(async () => 'd')]);
  expect([c, d]).toEqual(['c', 'd']);
});
