// How a target says that its database cannot be reached on this machine (e.g. no PostgreSQL server listening), as
// opposed to failing: the benchmark then skips it with a notice, except on CI, where every target must run.

export class TargetUnavailableError extends Error {
  override name = "TargetUnavailableError";
}
