// What CloudTrail recording costs a call: signed sts:GetCallerIdentity, 50 connections,
// on two real `bulwark start` processes (SQLite store), one recording and one not.
// The machine is shared, so the two are measured in interleaved rounds (off, on, on,
// off, ...) and each figure is the median of the rounds' ratios: a neighbour's burst
// then skews one round, not the figure.
//   recording overhead      rps(off) / rps(on) - 1                          target <= 15 %
//   recording CPU overhead  server CPU time per call (all threads), on / off - 1: the
//                           cost itself, less swayed by what else the machine runs  target <= 15 %
//   recorded throughput     rps with recording                              target >= 5,000 req/s
// BENCH_ROUNDS (default 10) and BENCH_ROUND_MS (default 2000) size the run;
// BENCH_NODE_FLAGS (e.g. --cpu-prof) goes to both servers' node.
import { readFileSync } from 'node:fs';
import type { Benchmark, BenchResult } from './run.ts';
import { load, percentile, startRootKeyServer, type RootKeyServer } from './support.ts';

const CONNECTIONS = 50;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 2_000);
/** /proc/PID/stat counts CPU time in clock ticks: 100 a second on Linux. */
const TICKS_PER_SECOND = 100;
const WARMUP_MS = 1_500;

const startServer = (recording: boolean) => startRootKeyServer(CONNECTIONS, ['--cloudtrail-recording', recording ? 'on' : 'off']);

interface Measurement {
  rps: number;
  /** Server CPU time (user + system, every thread) per call, in µs. */
  cpuPerCall: number;
  latencies: number[];
}

async function measure(server: RootKeyServer, durationMs: number): Promise<Measurement> {
  const cpuBefore = cpuSeconds(server.bulwark.child.pid!);
  const { latencies, failures, seconds } = await load(server.agent, server.bulwark.port, server.getCallerIdentity, CONNECTIONS, durationMs);
  const cpu = cpuSeconds(server.bulwark.child.pid!) - cpuBefore;
  if (failures > 0) throw new Error(`${failures} requests failed`);
  return { rps: latencies.length / seconds, cpuPerCall: (cpu / latencies.length) * 1e6, latencies };
}

/** The process's CPU time so far (utime + stime, fields 14 and 15 of /proc/PID/stat). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function run(): Promise<BenchResult[]> {
  const off = await startServer(false);
  const on = await startServer(true).catch(async (error) => {
    await off.stop();
    throw error;
  });
  try {
    await measure(off, WARMUP_MS);
    await measure(on, WARMUP_MS);
    const overheads: number[] = [];
    const cpuOverheads: number[] = [];
    const recordedRps: number[] = [];
    const recordedLatencies: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // ABBA order: neither side always runs first (after the other's load).
      const order = round % 2 === 0 ? [off, on] : [on, off];
      const [first, second] = [await measure(order[0], ROUND_MS), await measure(order[1], ROUND_MS)];
      const [without, withRecording] = order[0] === off ? [first, second] : [second, first];
      overheads.push((without.rps / withRecording.rps - 1) * 100);
      cpuOverheads.push((withRecording.cpuPerCall / without.cpuPerCall - 1) * 100);
      recordedRps.push(withRecording.rps);
      recordedLatencies.push(...withRecording.latencies);
      console.error(
        `cloudtrail: round ${round + 1}: without recording ${without.rps.toFixed(0)} req/s (${without.cpuPerCall.toFixed(0)} µs CPU a call), ` +
          `with ${withRecording.rps.toFixed(0)} req/s (${withRecording.cpuPerCall.toFixed(0)} µs): ` +
          `${overheads[round].toFixed(1)} % throughput, ${cpuOverheads[round].toFixed(1)} % CPU`,
      );
    }
    recordedLatencies.sort((a, b) => a - b);
    const overhead = median(overheads);
    const cpuOverhead = median(cpuOverheads);
    console.error(
      `cloudtrail: over ${ROUNDS} rounds, recording costs ${overhead.toFixed(1)} % throughput, ${cpuOverhead.toFixed(1)} % CPU a call ` +
        `(medians); recorded p50 ${percentile(recordedLatencies, 0.5).toFixed(2)} ms, p99 ${percentile(recordedLatencies, 0.99).toFixed(2)} ms`,
    );
    return [
      { bench: 'cloudtrail.recording_overhead', value: Math.round(overhead * 10) / 10, unit: '%', target: 15 },
      { bench: 'cloudtrail.recording_cpu_overhead', value: Math.round(cpuOverhead * 10) / 10, unit: '%', target: 15 },
      { bench: 'cloudtrail.recorded_throughput', value: Math.round(median(recordedRps)), unit: 'req/s', target: 5000 },
    ];
  } finally {
    await Promise.all([off.stop(), on.stop()]);
  }
}

export default { run } satisfies Benchmark;
