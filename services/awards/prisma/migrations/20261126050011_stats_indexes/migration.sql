-- DropIndex
DROP INDEX "Recognition_provinceCode_fiscalYear_idx";

-- CreateIndex
CREATE INDEX "Recognition_provinceCode_fiscalYear_status_archivedAt_idx" ON "Recognition"("provinceCode", "fiscalYear", "status", "archivedAt");

-- CreateIndex
CREATE INDEX "Recognition_stats_idx" ON "Recognition"("fiscalYear", "provinceCode", "status", "level", "programme", "virtue", "recipientKind", "archivedAt");
