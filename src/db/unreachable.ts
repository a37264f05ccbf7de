// Whether a database error means the server cannot be reached: driver-independent, so the migration path can
// classify an error without loading pg.

/**
 * The server cannot be reached or refuses us: nothing listens, DNS fails, it is starting or shutting down, the
 * credentials or the database are wrong. Checked by Node/pg error codes, the adapter's error kinds and Prisma's codes.
 */
export function isUnreachable(error: unknown): boolean {
  const text =
    error instanceof Error ? `${error.message} ${String((error as { code?: unknown }).code)}` : String(error);
  // P1000–P1003, P1017: Prisma's codes for the same (the schema engine reports these).
  return /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ECONNRESET|timeout expired|Connection terminated|Can't reach database server|\bP100[0-3]\b|\bP1017\b|57P0[1-3]|28P01|28000|3D000|DatabaseDoesNotExist|DatabaseNotReachable|AuthenticationFailed|SocketTimeout/i.test(
    text,
  );
}
