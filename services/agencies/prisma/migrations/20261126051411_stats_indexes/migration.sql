-- DropIndex
DROP INDEX "Agency_provinceCode_sectorCode_idx";

-- CreateIndex
CREATE INDEX "Agency_provinceCode_sectorCode_kind_archivedAt_idx" ON "Agency"("provinceCode", "sectorCode", "kind", "archivedAt");
