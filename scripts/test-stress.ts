// `npm run test:stress [-- <vitest args>]`: the test suite while stress-ng keeps both CPU cores busy, as on a loaded
// CI machine. Exits with the suite's code, and stress-ng is stopped however the run ends.
import { spawn, type ChildProcess } from "node:child_process";

/** Its own process group, so that one signal stops stress-ng and every worker it forked. */
const stress = spawn("stress-ng", ["--cpu", "2", "--quiet"], { stdio: "ignore", detached: true });
const stopStress = () => {
  try {
    process.kill(-stress.pid!, "SIGTERM");
  } catch {
    // Not started, or already gone.
  }
};
process.once("exit", stopStress);
stress.once("error", (error) => {
  console.error(`test:stress needs stress-ng (Debian package stress-ng): ${error.message}`);
  process.exit(1);
});

const args = process.argv.slice(2);
const tests: ChildProcess = spawn("npm", ["test", ...(args.length > 0 ? ["--", ...args] : [])], { stdio: "inherit" });
// Ctrl-C or a CI cancel reaches the suite; the exit handler then stops stress-ng.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => tests.kill(signal));
tests.once("exit", (code) => process.exit(code ?? 1));
