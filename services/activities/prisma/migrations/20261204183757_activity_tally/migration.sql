-- CreateTable
CREATE TABLE "ActivityTally" (
    "fiscalYear" INTEGER NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "measure" TEXT NOT NULL,
    "n" BIGINT NOT NULL,

    CONSTRAINT "ActivityTally_pkey" PRIMARY KEY ("fiscalYear","provinceCode","measure")
);

-- Kept by triggers, in the same transaction as every write to "Activity" and "ParticipationSummary"
-- (mutations, imports, seeds, hand-written SQL alike), as ParticipationSummary is: per fiscal year and
-- province, `activities` (live activities), `participants` (their summed head counts), `kind:<kind>`,
-- `virtue:<virtue>` (live activities promoting it, once however often the array names it) and
-- `agencies` (agencies with a ParticipationSummary row above 0). Activities without a province count
-- nowhere, as in the statistics. Statement-level triggers with transition tables: one aggregate per
-- statement, so bulk loads stay fast. The functions keep the search_path they were created with.

-- Adds signed amounts per (fiscal year, province, measure), rows locked in key order (concurrent
-- writers wait for each other instead of deadlocking). A row that reaches 0 is kept.
CREATE FUNCTION tally_apply(fys integer[], pcs text[], ms text[], ns bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF fys IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO "ActivityTally" AS t ("fiscalYear", "provinceCode", "measure", "n")
  SELECT d.fy, d.pc, d.m, sum(d.n) FROM unnest(fys, pcs, ms, ns) AS d(fy, pc, m, n)
  GROUP BY 1, 2, 3 HAVING sum(d.n) <> 0 ORDER BY 1, 2, 3
  ON CONFLICT ("fiscalYear", "provinceCode", "measure") DO UPDATE SET "n" = t."n" + excluded."n";
END $$;

-- What live activities with a province count for, with a sign (-1 taken off, +1 added), as parallel
-- arrays (virtues as the text of their array): amounts per measure, netted, then applied.
CREATE FUNCTION tally_activity_rows(fys integer[], pcs text[], hs integer[], ks text[], vs text[], signs integer[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  m text[];
  n bigint[];
BEGIN
  IF fys IS NULL THEN
    RETURN;
  END IF;
  WITH changed AS (
    SELECT * FROM unnest(fys, pcs, hs, ks, vs, signs) AS c(fy, pc, heads, kind, virtues, sign)
  ),
  amounts AS (
    SELECT c.fy, c.pc, 'activities' AS measure, sum(c.sign)::bigint AS n FROM changed c GROUP BY 1, 2
    UNION ALL SELECT c.fy, c.pc, 'participants', sum(c.sign * c.heads::bigint)::bigint FROM changed c GROUP BY 1, 2
    UNION ALL SELECT c.fy, c.pc, 'kind:' || c.kind, sum(c.sign)::bigint FROM changed c GROUP BY 1, 2, 3
    UNION ALL SELECT c.fy, c.pc, 'virtue:' || u.v, sum(c.sign)::bigint
      FROM changed c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.virtues::text[]) AS v) u GROUP BY 1, 2, 3
  )
  SELECT array_agg(a.fy), array_agg(a.pc), array_agg(a.measure), array_agg(a.n) INTO f, p, m, n FROM amounts a WHERE a.n <> 0;
  PERFORM tally_apply(f, p, m, n);
END $$;

-- Activities added, removed or changed: the rows before the statement taken off, the rows after it
-- added (an update that changes none of the figures nets to nothing). A statement trigger with
-- transition tables has one event, so each event reads only the tables it has.
CREATE FUNCTION tally_activities_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  h integer[];
  k text[];
  v text[];
  s integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(x."fiscalYear"), array_agg(x."provinceCode"), array_agg(x."participantCount"), array_agg(x.kind::text),
           array_agg(x.virtues::text), array_agg(1) INTO f, p, h, k, v, s
    FROM after_rows x WHERE x."archivedAt" IS NULL AND x."provinceCode" IS NOT NULL;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(x."fiscalYear"), array_agg(x."provinceCode"), array_agg(x."participantCount"), array_agg(x.kind::text),
           array_agg(x.virtues::text), array_agg(-1) INTO f, p, h, k, v, s
    FROM before_rows x WHERE x."archivedAt" IS NULL AND x."provinceCode" IS NOT NULL;
  ELSE
    SELECT array_agg(x."fiscalYear"), array_agg(x."provinceCode"), array_agg(x."participantCount"), array_agg(x.kind::text),
           array_agg(x.virtues::text), array_agg(x.sign) INTO f, p, h, k, v, s
    FROM (SELECT *, -1 AS sign FROM before_rows UNION ALL SELECT *, 1 FROM after_rows) x
    WHERE x."archivedAt" IS NULL AND x."provinceCode" IS NOT NULL;
  END IF;
  PERFORM tally_activity_rows(f, p, h, k, v, s);
  RETURN NULL;
END $$;

CREATE TRIGGER tally_activities_inserted AFTER INSERT ON "Activity"
  REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_activities_changed();
CREATE TRIGGER tally_activities_updated AFTER UPDATE ON "Activity"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_activities_changed();
CREATE TRIGGER tally_activities_deleted AFTER DELETE ON "Activity"
  REFERENCING OLD TABLE AS before_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_activities_changed();

-- Participating agencies: a ParticipationSummary row counts while its activities are above 0.
CREATE FUNCTION tally_participation_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  f integer[];
  p text[];
  m text[];
  n bigint[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg('agencies'::text), array_agg(d.c) INTO f, p, m, n FROM (
      SELECT x."fiscalYear" AS fy, x."provinceCode" AS pc, count(*) AS c FROM after_rows x WHERE x.activities > 0 GROUP BY 1, 2
    ) d;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg('agencies'::text), array_agg(d.c) INTO f, p, m, n FROM (
      SELECT x."fiscalYear" AS fy, x."provinceCode" AS pc, -count(*) AS c FROM before_rows x WHERE x.activities > 0 GROUP BY 1, 2
    ) d;
  ELSE
    SELECT array_agg(d.fy), array_agg(d.pc), array_agg('agencies'::text), array_agg(d.c) INTO f, p, m, n FROM (
      SELECT x.fy, x.pc, sum(x.sign) AS c FROM (
        SELECT o."fiscalYear" AS fy, o."provinceCode" AS pc, -1 AS sign FROM before_rows o WHERE o.activities > 0
        UNION ALL SELECT w."fiscalYear", w."provinceCode", 1 FROM after_rows w WHERE w.activities > 0
      ) x GROUP BY 1, 2
    ) d;
  END IF;
  PERFORM tally_apply(f, p, m, n);
  RETURN NULL;
END $$;

CREATE TRIGGER tally_participation_inserted AFTER INSERT ON "ParticipationSummary"
  REFERENCING NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_participation_changed();
CREATE TRIGGER tally_participation_updated AFTER UPDATE ON "ParticipationSummary"
  REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_participation_changed();
CREATE TRIGGER tally_participation_deleted AFTER DELETE ON "ParticipationSummary"
  REFERENCING OLD TABLE AS before_rows FOR EACH STATEMENT EXECUTE FUNCTION tally_participation_changed();

-- What is already there.
INSERT INTO "ActivityTally" ("fiscalYear", "provinceCode", "measure", "n")
SELECT fy, pc, measure, n FROM (
  SELECT a."fiscalYear" AS fy, a."provinceCode" AS pc, 'activities' AS measure, count(*)::bigint AS n
  FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT a."fiscalYear", a."provinceCode", 'participants', sum(a."participantCount")::bigint
  FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2
  UNION ALL SELECT a."fiscalYear", a."provinceCode", 'kind:' || a.kind::text, count(*)::bigint
  FROM "Activity" a WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2, 3
  UNION ALL SELECT a."fiscalYear", a."provinceCode", 'virtue:' || u.v::text, count(*)::bigint
  FROM "Activity" a CROSS JOIN LATERAL (SELECT DISTINCT unnest(a.virtues) AS v) u
  WHERE a."archivedAt" IS NULL AND a."provinceCode" IS NOT NULL GROUP BY 1, 2, 3
  UNION ALL SELECT s."fiscalYear", s."provinceCode", 'agencies', count(*)::bigint
  FROM "ParticipationSummary" s WHERE s.activities > 0 GROUP BY 1, 2
) t WHERE n <> 0;
