// Ends every run with one plain line, "tests: N passed, N failed, N skipped", that any CI log reader understands.
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === "passed" || state === "failed") count[state] += 1;
        else count.skipped += 1;
      }
      // A file that failed to load has no tests to count, but it is a failure all the same.
      if (testModule.state() === "failed" && testModule.children.size === 0) count.failed += 1;
    }
    console.log(`\ntests: ${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped`);
  }
}
