-- The search vector, made the same whatever an earlier version of the search migration left (it
-- first had expression indexes, which made every search compute each matching row's tsvector again,
-- then a trigger converting the whole row to JSON): a "search" column, kept by a trigger of its own
-- per table from the words columns (array_to_tsvector of the words: no text parser, no locale, the
-- same lexemes on PGlite and PostgreSQL), filled for existing rows, GIN-indexed. Not a generated
-- column: Prisma takes a generation expression for a default and reports drift.
DROP INDEX IF EXISTS "Activity_search_idx";
DROP TRIGGER IF EXISTS "Activity_search" ON "Activity";
ALTER TABLE "Activity" ADD COLUMN IF NOT EXISTS "search" tsvector;
CREATE FUNCTION "Activity_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := array_to_tsvector(string_to_array(COALESCE(NEW."titleThWords", ''), ' '))
               || array_to_tsvector(string_to_array(COALESCE(NEW."titleEnWords", ''), ' '));
  RETURN NEW;
END $$;
CREATE TRIGGER "Activity_search" BEFORE INSERT OR UPDATE OF "titleThWords", "titleEnWords" ON "Activity"
  FOR EACH ROW EXECUTE FUNCTION "Activity_search"();
UPDATE "Activity" SET "search" = array_to_tsvector(string_to_array(COALESCE("titleThWords", ''), ' '))
                         || array_to_tsvector(string_to_array(COALESCE("titleEnWords", ''), ' '))
WHERE "search" IS NULL;
CREATE INDEX "Activity_search_idx" ON "Activity" USING GIN ("search");

DROP FUNCTION IF EXISTS search_vector();
CREATE INDEX IF NOT EXISTS "Activity_virtues_idx" ON "Activity" USING GIN ("virtues");
