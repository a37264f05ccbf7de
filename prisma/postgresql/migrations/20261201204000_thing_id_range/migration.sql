-- Thing ids stop at 2147483647 (Prisma's Int is 32-bit). The serial column's sequence is already an integer
-- sequence with that maximum, so this changes nothing: it states the limit, as the SQLite history's migration of the
-- same name does with a trigger. Past it, nextval fails with SQLSTATE 2200H and nothing is inserted.
-- No semicolon may appear in this file but at the end of a statement: adapter-pg splits scripts at every one.
ALTER SEQUENCE "Thing_id_seq" MAXVALUE 2147483647;
