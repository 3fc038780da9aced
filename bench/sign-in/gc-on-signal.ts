// Loaded into the HMS server of the benchmark only (`node --expose-gc --import`): on SIGUSR2 it
// runs a full garbage collection and says so on stderr, so resident memory can be read without
// the garbage the last load left (memory is then compared after a forced GC, idle and at the end).
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
  process.stderr.write('bench: gc done\n');
});
