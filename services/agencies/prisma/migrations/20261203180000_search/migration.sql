-- Thai-aware search and sorting (docs/SEARCH.md). The service fills the derived columns on every
-- write (packages/common/src/search.ts) and, for rows written before this migration, right after it
-- (backfillSearch: SQL cannot segment Thai words). Sort keys compare byte by byte (collation "C"),
-- so PGlite and PostgreSQL order the same whatever their locale.
ALTER TABLE "Agency" ADD COLUMN "nameThWords" TEXT,
ADD COLUMN "nameThSort" TEXT COLLATE "C",
ADD COLUMN "nameEnWords" TEXT;

ALTER TABLE "Person" ADD COLUMN "fullNameThWords" TEXT,
ADD COLUMN "fullNameThSort" TEXT COLLATE "C",
ADD COLUMN "fullNameEnWords" TEXT;

CREATE INDEX "Agency_districtCode_idx" ON "Agency"("districtCode");
CREATE INDEX "Agency_nameThSort_id_idx" ON "Agency"("nameThSort", "id");
CREATE INDEX "Person_fullNameThSort_id_idx" ON "Person"("fullNameThSort", "id");

-- Word search: the words as lexemes, taken verbatim (array_to_tsvector: no text parser, no locale, so
-- PGlite and PostgreSQL see the same lexemes), kept in a column by a trigger so that a search reads
-- them instead of computing them for every row (a generated column would do the same, but Prisma
-- takes its expression for a default and reports drift).
CREATE FUNCTION search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fields jsonb := to_jsonb(NEW);
BEGIN
  NEW."search" := array_to_tsvector(string_to_array(COALESCE(fields ->> TG_ARGV[0], ''), ' '))
               || array_to_tsvector(string_to_array(COALESCE(fields ->> TG_ARGV[1], ''), ' '));
  RETURN NEW;
END $$;
ALTER TABLE "Agency" ADD COLUMN "search" tsvector;
CREATE TRIGGER "Agency_search" BEFORE INSERT OR UPDATE OF "nameThWords", "nameEnWords" ON "Agency"
  FOR EACH ROW EXECUTE FUNCTION search_vector('nameThWords', 'nameEnWords');
CREATE INDEX "Agency_search_idx" ON "Agency" USING GIN ("search");
ALTER TABLE "Person" ADD COLUMN "search" tsvector;
CREATE TRIGGER "Person_search" BEFORE INSERT OR UPDATE OF "fullNameThWords", "fullNameEnWords" ON "Person"
  FOR EACH ROW EXECUTE FUNCTION search_vector('fullNameThWords', 'fullNameEnWords');
CREATE INDEX "Person_search_idx" ON "Person" USING GIN ("search");
