-- Thai-aware search and sorting (docs/SEARCH.md); see the agencies migration of the same name.
ALTER TABLE "Network" ADD COLUMN "nameThWords" TEXT,
ADD COLUMN "nameThSort" TEXT COLLATE "C",
ADD COLUMN "nameEnWords" TEXT;

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
ALTER TABLE "Network" ADD COLUMN "search" tsvector;
CREATE TRIGGER "Network_search" BEFORE INSERT OR UPDATE OF "nameThWords", "nameEnWords" ON "Network"
  FOR EACH ROW EXECUTE FUNCTION search_vector('nameThWords', 'nameEnWords');
CREATE INDEX "Network_search_idx" ON "Network" USING GIN ("search");
