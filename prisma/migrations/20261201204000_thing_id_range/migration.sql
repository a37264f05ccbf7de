-- Thing ids stop at 2147483647 (Prisma's Int is 32-bit, and PostgreSQL's serial stops there too), but SQLite's
-- INTEGER is 64-bit and AUTOINCREMENT would go on past it. Refuse such a row instead: AFTER INSERT, because in a
-- BEFORE INSERT trigger NEW."id" is still -1 when AUTOINCREMENT assigns it. RAISE(ABORT) undoes the whole statement,
-- the sqlite_sequence update and the other rows of a multi-row INSERT included.
CREATE TRIGGER "Thing_id_range" AFTER INSERT ON "Thing"
WHEN NEW."id" > 2147483647
BEGIN
    SELECT RAISE(ABORT, 'THING_ID_RANGE_EXHAUSTED');
END;
