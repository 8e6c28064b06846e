-- CreateTable
CREATE TABLE "ParticipationSummary" (
    "fiscalYear" INTEGER NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "activities" INTEGER NOT NULL,

    CONSTRAINT "ParticipationSummary_pkey" PRIMARY KEY ("fiscalYear","provinceCode","agencyId")
);

-- Kept by triggers, in the same transaction as every write to "Activity" and "ActivityParticipant"
-- (mutations, imports, seeds, hand-written SQL alike): for each fiscal year, province and agency, the
-- number of live (not archived) activities of that province and year the agency took part in (0 once
-- they are all archived or moved). Activities without a province count nowhere, as in the statistics.
-- Statement-level triggers with transition tables: one aggregate per statement, so bulk loads stay fast.
-- The functions keep the search_path they were created with (the service's schema).

-- Adds signed counts per (fiscal year, province, agency). Rows are locked in key order, so concurrent
-- writers (parallel imports, bulk loads) wait for each other instead of deadlocking. A row whose count
-- reaches 0 is kept (deleting it could lock out of order): readers count rows with activities > 0.
CREATE FUNCTION participation_apply(fys integer[], pcs text[], ags text[], ns bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF fys IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO "ParticipationSummary" AS s ("fiscalYear", "provinceCode", "agencyId", "activities")
  SELECT d.fy, d.pc, d.ag, sum(d.n)::int FROM unnest(fys, pcs, ags, ns) AS d(fy, pc, ag, n)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT ("fiscalYear", "provinceCode", "agencyId") DO UPDATE SET "activities" = s."activities" + excluded."activities";
END $$;

-- Participation links added, removed or changed: +1 / -1 per link of a live activity with a province.
CREATE FUNCTION participation_links_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  g text[];
  n bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg(d.ag), array_agg(d.c) INTO f, p, g, n FROM (
      SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, x."agencyId" AS ag, count(*) AS c
      FROM added x JOIN "Activity" a ON a.id = x."activityId"
      WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL
      GROUP BY 1, 2, 3
    ) d;
  ELSIF TG_OP = 'DELETE' THEN
    -- Links deleted by the cascade of an activity's deletion find no activity here: the activity's
    -- BEFORE DELETE trigger has taken them off already.
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg(d.ag), array_agg(d.c) INTO f, p, g, n FROM (
      SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, x."agencyId" AS ag, -count(*) AS c
      FROM removed x JOIN "Activity" a ON a.id = x."activityId"
      WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL
      GROUP BY 1, 2, 3
    ) d;
  ELSE
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg(d.ag), array_agg(d.c) INTO f, p, g, n FROM (
      SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, x."agencyId" AS ag, sum(x.sign) AS c
      FROM (SELECT "activityId", "agencyId", 1 AS sign FROM added
            UNION ALL SELECT "activityId", "agencyId", -1 FROM removed) x
      JOIN "Activity" a ON a.id = x."activityId"
      WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL
      GROUP BY 1, 2, 3
    ) d;
  END IF;
  PERFORM participation_apply(f, p, g, n);
  RETURN NULL;
END $$;

CREATE TRIGGER participation_links_added AFTER INSERT ON "ActivityParticipant"
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION participation_links_changed();
CREATE TRIGGER participation_links_removed AFTER DELETE ON "ActivityParticipant"
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION participation_links_changed();
CREATE TRIGGER participation_links_updated AFTER UPDATE ON "ActivityParticipant"
  REFERENCING OLD TABLE AS removed NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION participation_links_changed();

-- Activities archived, restored, or moved to another province or fiscal year: their links move with them.
CREATE FUNCTION participation_activities_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  g text[];
  n bigint[];
BEGIN
  SELECT array_agg(d.fy), array_agg(d.pc), array_agg(d.ag), array_agg(d.c) INTO f, p, g, n FROM (
    SELECT s.fy, s.pc, l."agencyId" AS ag, sum(s.sign) AS c
    FROM (
      SELECT o.id, o."fiscalYear" AS fy, o."provinceCode" AS pc, -1 AS sign
      FROM before_rows o JOIN after_rows w ON w.id = o.id
      WHERE o."archivedAt" IS NULL AND o."provinceCode" IS NOT NULL
        AND (w."archivedAt" IS NOT NULL OR w."provinceCode" IS DISTINCT FROM o."provinceCode" OR w."fiscalYear" <> o."fiscalYear")
      UNION ALL
      SELECT w.id, w."fiscalYear", w."provinceCode", 1
      FROM before_rows o JOIN after_rows w ON w.id = o.id
      WHERE w."archivedAt" IS NULL AND w."provinceCode" IS NOT NULL
        AND (o."archivedAt" IS NOT NULL OR w."provinceCode" IS DISTINCT FROM o."provinceCode" OR w."fiscalYear" <> o."fiscalYear")
    ) s
    JOIN "ActivityParticipant" l ON l."activityId" = s.id
    GROUP BY 1, 2, 3
  ) d;
  PERFORM participation_apply(f, p, g, n);
  RETURN NULL;
END $$;

CREATE TRIGGER participation_activities_updated AFTER UPDATE ON "Activity"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION participation_activities_changed();

-- An activity deleted outright (the registry archives; tests and maintenance may delete): its links,
-- about to go by cascade, are taken off while they can still be read.
CREATE FUNCTION participation_activity_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  g text[];
  n bigint[];
BEGIN
  IF OLD."archivedAt" IS NULL AND OLD."provinceCode" IS NOT NULL THEN
    SELECT array_agg(OLD."fiscalYear"), array_agg(OLD."provinceCode"), array_agg(l."agencyId"), array_agg(-1::bigint)
    INTO f, p, g, n FROM "ActivityParticipant" l WHERE l."activityId" = OLD.id;
    PERFORM participation_apply(f, p, g, n);
  END IF;
  RETURN OLD;
END $$;

CREATE TRIGGER participation_activity_deleted BEFORE DELETE ON "Activity"
  FOR EACH ROW EXECUTE FUNCTION participation_activity_deleted();

-- What is already there.
INSERT INTO "ParticipationSummary" ("fiscalYear", "provinceCode", "agencyId", "activities")
SELECT a."fiscalYear", a."provinceCode", l."agencyId", count(*)::int
FROM "ActivityParticipant" l JOIN "Activity" a ON a.id = l."activityId"
WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL
GROUP BY 1, 2, 3;
