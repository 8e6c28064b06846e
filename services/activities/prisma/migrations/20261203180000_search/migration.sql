-- Thai-aware search, sorting and filters (docs/SEARCH.md); see the agencies migration of the same name.
ALTER TABLE "Activity" ADD COLUMN "titleThWords" TEXT,
ADD COLUMN "titleThSort" TEXT COLLATE "C",
ADD COLUMN "titleEnWords" TEXT;

CREATE INDEX "Activity_startDate_id_idx" ON "Activity"("startDate", "id");

-- Word search: the expression must match search.ts's searchVector exactly.
CREATE INDEX "Activity_search_idx" ON "Activity" USING GIN ((
  array_to_tsvector(string_to_array(COALESCE("titleThWords", ''), ' ')) || array_to_tsvector(string_to_array(COALESCE("titleEnWords", ''), ' '))
));
-- Activities promoting a virtue (virtues @> ARRAY[…]).
CREATE INDEX "Activity_virtues_idx" ON "Activity" USING GIN ("virtues");
