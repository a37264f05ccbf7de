// Progress lines go to stderr, so stdout carries only the result table (e.g. `npm run bench > table.md`).
export function progress(message: string): void {
  process.stderr.write(`· ${message}\n`);
}
