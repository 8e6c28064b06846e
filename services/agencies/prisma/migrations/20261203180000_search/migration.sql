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

-- Word search: the words as lexemes, taken verbatim (array_to_tsvector: no text parser, no locale).
-- Not expressible in schema.prisma; the expression must match search.ts's searchVector exactly.
CREATE INDEX "Agency_search_idx" ON "Agency" USING GIN ((
  array_to_tsvector(string_to_array(COALESCE("nameThWords", ''), ' ')) || array_to_tsvector(string_to_array(COALESCE("nameEnWords", ''), ' '))
));
CREATE INDEX "Person_search_idx" ON "Person" USING GIN ((
  array_to_tsvector(string_to_array(COALESCE("fullNameThWords", ''), ' ')) || array_to_tsvector(string_to_array(COALESCE("fullNameEnWords", ''), ' '))
));
