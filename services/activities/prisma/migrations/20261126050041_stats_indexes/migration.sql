-- Statistics of all 77 provinces per fiscal year (Province/Region/Nation.activityStats, activityRanking):
-- (fiscalYear, provinceCode, archivedAt, id) lets PostgreSQL read the live activities of a year by province
-- from the index alone and join each id to ActivityParticipant's primary key (activityId, agencyId) for the
-- distinct-agency counts. It has the old fiscalYear index as its prefix, so that one goes.

-- DropIndex
DROP INDEX "Activity_fiscalYear_idx";

-- CreateIndex
CREATE INDEX "Activity_fiscalYear_provinceCode_archivedAt_id_idx" ON "Activity"("fiscalYear", "provinceCode", "archivedAt", "id");
