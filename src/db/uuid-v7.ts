// UUIDv7 (RFC 9562): 48 bits of Unix milliseconds first, so the ids of deletions sort by their time as plain
// strings, and "TrashedThing"'s one index on (deletionId, id) also serves the trash list, newest deletion first.
import { randomBytes } from "node:crypto";

let lastMs = -1;
let sequence = 0;

/**
 * A UUIDv7 for the time `at`. Within one millisecond of this process, the 12-bit rand_a field counts up (RFC 9562
 * method 1), so the ids one process makes keep their order; ids of several instances in one millisecond may not.
 */
export function uuidV7(at: Date): string {
  let ms = at.getTime();
  if (ms <= lastMs && sequence < 0xfff) {
    ms = lastMs;
    sequence += 1;
  } else {
    sequence = randomBytes(2).readUInt16BE() & 0x7ff;
  }
  lastMs = Math.max(lastMs, ms);
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (sequence >> 8);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
