-- Thai-aware search and sorting (docs/SEARCH.md); see the agencies migration of the same name.
ALTER TABLE "Network" ADD COLUMN "nameThWords" TEXT,
ADD COLUMN "nameThSort" TEXT COLLATE "C",
ADD COLUMN "nameEnWords" TEXT;

-- Word search: the expression must match search.ts's searchVector exactly.
CREATE INDEX "Network_search_idx" ON "Network" USING GIN ((
  array_to_tsvector(string_to_array(COALESCE("nameThWords", ''), ' ')) || array_to_tsvector(string_to_array(COALESCE("nameEnWords", ''), ' '))
));
