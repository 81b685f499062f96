import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { BUILD_DIR } from './global-setup.js';
import { TEST_JWT_SECRET } from './test-app.js';

/** One line of the service's JSON log. */
export type LogLine = Record<string, unknown> & { msg?: string };

/** The service as a real process (compiled once per test run by the global setup). */
export class ServiceProcess {
  readonly log: LogLine[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  private constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, ['--enable-source-maps', path.resolve(BUILD_DIR, 'main.js')], {
      // Not the checkout: a developer's .env there must not change what the test runs.
      cwd: tmpdir(),
      env: { PATH: process.env['PATH'] ?? '', ...baseEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        try {
          this.log.push(JSON.parse(line) as LogLine);
        } catch {
          this.log.push({ msg: line });
        }
      });
    }
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Starts the service and resolves with its base URL once it listens. */
  static async start(env: Record<string, string>): Promise<{ service: ServiceProcess; url: string }> {
    const service = new ServiceProcess(env);
    const url = await service.waitFor((line) => typeof line['url'] === 'string' && /listening/.test(line.msg ?? ''), 60_000);
    return { service, url: (url['url'] as string).replace(/\/(graphql|healthz)$/, '') };
  }

  /** The first log line (already written or still to come) that matches. */
  waitFor(matches: (line: LogLine) => boolean, timeoutMs = 10_000): Promise<LogLine> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        const found = this.log.find(matches);
        if (found) return resolve(found);
        if (this.child.exitCode !== null) return reject(new Error(`the service exited (${this.child.exitCode}):\n${this.output()}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for a log line:\n${this.output()}`));
        setTimeout(check, 25);
      };
      check();
    });
  }

  output(): string {
    return this.log.map((line) => JSON.stringify(line)).join('\n');
  }

  kill(signal: NodeJS.Signals): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

const baseEnv = () => ({ NODE_ENV: 'test', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', JWT_SECRET_KEY: TEST_JWT_SECRET });

/** Runs one of the command-line tools to completion; its stdout, stderr and exit code. */
export async function runCli(tool: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [path.resolve(BUILD_DIR, 'cli', `${tool}.js`)], {
      cwd: tmpdir(),
      env: { PATH: process.env['PATH'] ?? '', ...baseEnv(), LOG_LEVEL: 'warn', ...env },
      timeout: 60_000,
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    return { stdout: failed.stdout ?? '', stderr: failed.stderr ?? '', code: failed.code ?? 1 };
  }
}
