-- The search vector, made the same whatever an earlier version of the search migration left (it
-- first had expression indexes, which made every search compute each matching row's tsvector again,
-- then a trigger converting the whole row to JSON): a "search" column, kept by a trigger of its own
-- per table from the words columns (array_to_tsvector of the words: no text parser, no locale, the
-- same lexemes on PGlite and PostgreSQL), filled for existing rows, GIN-indexed. Not a generated
-- column: Prisma takes a generation expression for a default and reports drift.
DROP INDEX IF EXISTS "Agency_search_idx";
DROP TRIGGER IF EXISTS "Agency_search" ON "Agency";
ALTER TABLE "Agency" ADD COLUMN IF NOT EXISTS "search" tsvector;
CREATE FUNCTION "Agency_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := array_to_tsvector(string_to_array(COALESCE(NEW."nameThWords", ''), ' '))
               || array_to_tsvector(string_to_array(COALESCE(NEW."nameEnWords", ''), ' '));
  RETURN NEW;
END $$;
CREATE TRIGGER "Agency_search" BEFORE INSERT OR UPDATE OF "nameThWords", "nameEnWords" ON "Agency"
  FOR EACH ROW EXECUTE FUNCTION "Agency_search"();
UPDATE "Agency" SET "search" = array_to_tsvector(string_to_array(COALESCE("nameThWords", ''), ' '))
                         || array_to_tsvector(string_to_array(COALESCE("nameEnWords", ''), ' '))
WHERE "search" IS NULL;
CREATE INDEX "Agency_search_idx" ON "Agency" USING GIN ("search");

DROP INDEX IF EXISTS "Person_search_idx";
DROP TRIGGER IF EXISTS "Person_search" ON "Person";
ALTER TABLE "Person" ADD COLUMN IF NOT EXISTS "search" tsvector;
CREATE FUNCTION "Person_search"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."search" := array_to_tsvector(string_to_array(COALESCE(NEW."fullNameThWords", ''), ' '))
               || array_to_tsvector(string_to_array(COALESCE(NEW."fullNameEnWords", ''), ' '));
  RETURN NEW;
END $$;
CREATE TRIGGER "Person_search" BEFORE INSERT OR UPDATE OF "fullNameThWords", "fullNameEnWords" ON "Person"
  FOR EACH ROW EXECUTE FUNCTION "Person_search"();
UPDATE "Person" SET "search" = array_to_tsvector(string_to_array(COALESCE("fullNameThWords", ''), ' '))
                         || array_to_tsvector(string_to_array(COALESCE("fullNameEnWords", ''), ' '))
WHERE "search" IS NULL;
CREATE INDEX "Person_search_idx" ON "Person" USING GIN ("search");

DROP FUNCTION IF EXISTS search_vector();
