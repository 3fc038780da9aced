// What a result was measured on: printed with every table, so numbers are never read without it.
import os from 'node:os';

export interface Machine {
  date: string;
  cores: number;
  cpu: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function describeMachine(): Machine {
  return {
    date: new Date().toISOString().slice(0, 10),
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

export function machineLine(machine: Machine): string {
  return `${machine.date} · ${machine.cores} cores, ${machine.cpu} · ${machine.memoryGiB} GiB · Node ${machine.node} · ${machine.os}`;
}
