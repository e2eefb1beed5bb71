// What a result was measured on: printed and stored with every result, since a figure without its machine means little.
import os from "node:os";

export type Machine = {
  cores: number; cpu: string; memoryGb: number; node: string; os: string; database: string;
  /** The 1-minute load average when the run began and ended: other work on the machine shows here. */
  loadAverage: { start: number; end: number };
};

export function machine(database: string, loadAtStart: number): Machine {
  const cpus = os.cpus();
  return {
    cores: cpus.length, cpu: cpus[0]?.model.trim() ?? "unknown", memoryGb: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    node: process.version, os: `${os.type()} ${os.release()}`, database,
    loadAverage: { start: loadAtStart, end: Math.round(os.loadavg()[0]! * 10) / 10 },
  };
}
