-- The search vector, made the same whatever an earlier version of the search migration left (it
-- first had expression indexes, which made every search compute each matching row's tsvector again,
-- then a trigger converting the whole row to JSON): a "search" column, kept by a trigger of its own
-- per table from the words columns (array_to_tsvector of the words: no text parser, no locale, the
-- same lexemes on PGlite and PostgreSQL), filled for existing rows, GIN-indexed. Not a generated
-- column: Prisma takes a generation expression for a default and reports drift.
DROP INDEX IF EXISTS "Network_search_idx";
DROP TRIGGER IF EXISTS "Network_search" ON "Network";
ALTER TABLE "Network" ADD COLUMN IF NOT EXISTS "search" tsvector;
CREATE FUNCTION "Network_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := array_to_tsvector(string_to_array(COALESCE(NEW."nameThWords", ''), ' '))
               || array_to_tsvector(string_to_array(COALESCE(NEW."nameEnWords", ''), ' '));
  RETURN NEW;
END $$;
CREATE TRIGGER "Network_search" BEFORE INSERT OR UPDATE OF "nameThWords", "nameEnWords" ON "Network"
  FOR EACH ROW EXECUTE FUNCTION "Network_search"();
UPDATE "Network" SET "search" = array_to_tsvector(string_to_array(COALESCE("nameThWords", ''), ' '))
                         || array_to_tsvector(string_to_array(COALESCE("nameEnWords", ''), ' '))
WHERE "search" IS NULL;
CREATE INDEX "Network_search_idx" ON "Network" USING GIN ("search");

DROP FUNCTION IF EXISTS search_vector();
