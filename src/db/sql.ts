// Prisma's SQL template tag and its helpers, from the client runtime that both generated clients share. Imported from
// a generated client (`Prisma.sql`), they would load that provider's client, with its query compiler, on the other
// provider too.
export { empty, join, Sql, sqltag as sql } from "@prisma/client/runtime/client";
