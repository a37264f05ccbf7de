// Everything the benchmark starts or creates is released here, newest first, also when a run fails or the user
// presses Ctrl-C: a leaked server would keep its port and a leaked temp dir its gigabyte-sized database files.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

type Task = () => unknown;

export class Cleanup {
  #tasks: Task[] = [];

  defer(task: Task): void {
    this.#tasks.push(task);
  }

  #running: Promise<void> | undefined;

  /**
   * Runs every task even when one fails; the first failure is rethrown at the end. A signal handler and the normal
   * exit path may both call it: the second call waits for the same run instead of exiting halfway through it.
   */
  run(): Promise<void> {
    this.#running ??= this.#runAll();
    return this.#running;
  }

  async #runAll(): Promise<void> {
    const failures: unknown[] = [];
    for (let task = this.#tasks.pop(); task; task = this.#tasks.pop()) {
      try {
        await task();
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length > 0) throw failures[0];
  }

  /** A fresh directory under the OS temp dir, removed at cleanup. */
  tempDir(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.defer(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  }
}
