// `npm run db:status`: the stock `prisma migrate status`, naming the migrations folder it really read. Prisma 7.10.1
// prints "N migrations found in prisma/migrations" whatever prisma.config.ts's migrations.path is (the folder is
// hard-coded in that line of prisma/build/cli.js), which is wrong for PostgreSQL's prisma/postgresql/migrations.

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { PRISMA_PATHS, readDatabaseUrl } from "../src/config.ts";

const folder = PRISMA_PATHS[readDatabaseUrl().provider].migrations;
const prisma = fileURLToPath(new URL("../node_modules/.bin/prisma", import.meta.url));
const child = spawn(prisma, ["migrate", "status"], { stdio: ["inherit", "pipe", "inherit"] });
createInterface({ input: child.stdout }).on("line", (line) => {
  console.log(line.replace(/^((?:\d+ migrations?|No migration) found in) prisma\/migrations$/, `$1 ${folder}`));
});
// Its exit code is the point for CI (1: migrations pending or history differs).
child.on("close", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
