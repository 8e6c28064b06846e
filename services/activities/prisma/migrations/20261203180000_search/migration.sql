-- Thai-aware search, sorting and filters (docs/SEARCH.md); see the agencies migration of the same name.
ALTER TABLE "Activity" ADD COLUMN "titleThWords" TEXT,
ADD COLUMN "titleThSort" TEXT COLLATE "C",
ADD COLUMN "titleEnWords" TEXT;

CREATE INDEX "Activity_startDate_id_idx" ON "Activity"("startDate", "id");

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
ALTER TABLE "Activity" ADD COLUMN "search" tsvector;
CREATE TRIGGER "Activity_search" BEFORE INSERT OR UPDATE OF "titleThWords", "titleEnWords" ON "Activity"
  FOR EACH ROW EXECUTE FUNCTION search_vector('titleThWords', 'titleEnWords');
CREATE INDEX "Activity_search_idx" ON "Activity" USING GIN ("search");

-- Activities promoting a virtue (virtues @> ARRAY[…]).
CREATE INDEX "Activity_virtues_idx" ON "Activity" USING GIN ("virtues");
