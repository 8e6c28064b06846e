-- A narrow copy of the live agencies' search columns (docs/SEARCH.md, bench/NOTES.md): a common word
-- matches one agency in six, and ranking them read every matching 1.8 KB agency row (6,669 of 12,254
-- pages at scale 10) and lowered each name. This table holds what ranking needs (≈ 1 KB a row, the
-- names already lowered), only for live agencies; a trigger on Agency keeps it, whatever writes.
CREATE TABLE "AgencySearch" (
    "id" TEXT NOT NULL,
    "nameThLower" TEXT NOT NULL,
    "nameEnLower" TEXT,
    "nameThSort" TEXT COLLATE "C",
    "search" tsvector,

    CONSTRAINT "AgencySearch_pkey" PRIMARY KEY ("id")
);

CREATE FUNCTION "AgencySearch_keep"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW."archivedAt" IS NOT NULL THEN
    DELETE FROM "AgencySearch" WHERE id = OLD.id;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.id <> NEW.id THEN
    DELETE FROM "AgencySearch" WHERE id = OLD.id;
  END IF;
  INSERT INTO "AgencySearch" (id, "nameThLower", "nameEnLower", "nameThSort", search)
  VALUES (NEW.id, lower(NEW."nameTh" COLLATE "C"), lower(NEW."nameEn" COLLATE "C"), NEW."nameThSort", NEW.search)
  ON CONFLICT (id) DO UPDATE SET "nameThLower" = EXCLUDED."nameThLower", "nameEnLower" = EXCLUDED."nameEnLower",
    "nameThSort" = EXCLUDED."nameThSort", search = EXCLUDED.search;
  RETURN NEW;
END $$;

-- After Agency's own BEFORE trigger has made its search vector.
CREATE TRIGGER "AgencySearch_keep" AFTER INSERT OR DELETE OR UPDATE OF id, "nameTh", "nameEn", "nameThSort",
  "nameThWords", "nameEnWords", "archivedAt" ON "Agency"
  FOR EACH ROW EXECUTE FUNCTION "AgencySearch_keep"();

INSERT INTO "AgencySearch" (id, "nameThLower", "nameEnLower", "nameThSort", search)
SELECT id, lower("nameTh" COLLATE "C"), lower("nameEn" COLLATE "C"), "nameThSort", search
FROM "Agency" WHERE "archivedAt" IS NULL;

CREATE INDEX "AgencySearch_search_idx" ON "AgencySearch" USING GIN ("search");
