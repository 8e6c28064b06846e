-- CreateEnum
CREATE TYPE "Virtue" AS ENUM ('SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE');

-- CreateEnum
CREATE TYPE "ProvenanceKind" AS ENUM ('REFERENCE_DATA', 'SOURCE_DOCUMENT', 'IMPORT', 'USER_ENTRY', 'SYNTHETIC');

-- CreateTable
CREATE TABLE "Region" (
    "code" TEXT NOT NULL,
    "grouping" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "Region_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Province" (
    "code" TEXT NOT NULL,
    "dopaCode" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "regionCode" TEXT NOT NULL,
    "mpcRegionCode" TEXT NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "Province_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "District" (
    "code" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT,
    "source" TEXT NOT NULL,

    CONSTRAINT "District_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "NetworkSector" (
    "code" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "sortOrder" INTEGER NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "NetworkSector_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "Network" (
    "id" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "sectorCode" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT,
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Network_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProgrammeYear" (
    "id" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "programmeYear" INTEGER NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "targetBehaviourTh" TEXT NOT NULL,
    "targetBehaviourEn" TEXT,
    "targetVirtues" "Virtue"[],
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProgrammeYear_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Province_dopaCode_key" ON "Province"("dopaCode");

-- CreateIndex
CREATE INDEX "Province_regionCode_idx" ON "Province"("regionCode");

-- CreateIndex
CREATE INDEX "District_provinceCode_idx" ON "District"("provinceCode");

-- CreateIndex
CREATE UNIQUE INDEX "Network_provinceCode_sectorCode_key" ON "Network"("provinceCode", "sectorCode");

-- CreateIndex
CREATE UNIQUE INDEX "ProgrammeYear_provinceCode_programmeYear_key" ON "ProgrammeYear"("provinceCode", "programmeYear");

-- CreateIndex
CREATE UNIQUE INDEX "ProgrammeYear_provinceCode_fiscalYear_key" ON "ProgrammeYear"("provinceCode", "fiscalYear");

-- AddForeignKey
ALTER TABLE "Province" ADD CONSTRAINT "Province_regionCode_fkey" FOREIGN KEY ("regionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Province" ADD CONSTRAINT "Province_mpcRegionCode_fkey" FOREIGN KEY ("mpcRegionCode") REFERENCES "Region"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "District" ADD CONSTRAINT "District_provinceCode_fkey" FOREIGN KEY ("provinceCode") REFERENCES "Province"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Network" ADD CONSTRAINT "Network_provinceCode_fkey" FOREIGN KEY ("provinceCode") REFERENCES "Province"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Network" ADD CONSTRAINT "Network_sectorCode_fkey" FOREIGN KEY ("sectorCode") REFERENCES "NetworkSector"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProgrammeYear" ADD CONSTRAINT "ProgrammeYear_provinceCode_fkey" FOREIGN KEY ("provinceCode") REFERENCES "Province"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Thai dictionary order (ICU) for Thai text, so ORDER BY sorts Thai names as Thai readers expect.
CREATE COLLATION IF NOT EXISTS "thai" (provider = icu, locale = 'th-TH');
ALTER TABLE "Province" ALTER COLUMN "nameTh" TYPE TEXT COLLATE "thai";
ALTER TABLE "District" ALTER COLUMN "nameTh" TYPE TEXT COLLATE "thai";
ALTER TABLE "Network" ALTER COLUMN "nameTh" TYPE TEXT COLLATE "thai";
