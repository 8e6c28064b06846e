-- CreateEnum
CREATE TYPE "ProvenanceKind" AS ENUM ('REFERENCE_DATA', 'SOURCE_DOCUMENT', 'IMPORT', 'USER_ENTRY', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('GOVERNMENT_OFFICE', 'LOCAL_GOVERNMENT', 'PUBLIC_ORGANIZATION', 'RELIGIOUS_ORGANIZATION', 'SCHOOL', 'UNIVERSITY', 'MEDIA', 'COMPANY', 'CIVIL_SOCIETY_GROUP', 'COMMUNITY_ORGANIZATION', 'COMMUNITY', 'FARMER_GROUP', 'OTHER');

-- CreateTable
CREATE TABLE "Agency" (
    "id" TEXT NOT NULL,
    "nameTh" TEXT NOT NULL,
    "nameEn" TEXT,
    "kind" "AgencyKind" NOT NULL,
    "provinceCode" TEXT,
    "districtCode" TEXT,
    "networkId" TEXT,
    "sectorCode" TEXT,
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" TEXT NOT NULL,
    "titleTh" TEXT,
    "fullNameTh" TEXT NOT NULL,
    "fullNameEn" TEXT,
    "positionTh" TEXT,
    "agencyId" TEXT,
    "provinceCode" TEXT,
    "phone" TEXT,
    "email" TEXT,
    "address" TEXT,
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Agency_provinceCode_sectorCode_idx" ON "Agency"("provinceCode", "sectorCode");

-- CreateIndex
CREATE INDEX "Agency_networkId_idx" ON "Agency"("networkId");

-- CreateIndex
CREATE INDEX "Person_agencyId_idx" ON "Person"("agencyId");

-- CreateIndex
CREATE INDEX "Person_provinceCode_idx" ON "Person"("provinceCode");

-- AddForeignKey
ALTER TABLE "Person" ADD CONSTRAINT "Person_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Thai dictionary order (ICU) for Thai text, so ORDER BY sorts Thai names as Thai readers expect.
CREATE COLLATION IF NOT EXISTS "thai" (provider = icu, locale = 'th-TH');
ALTER TABLE "Agency" ALTER COLUMN "nameTh" TYPE TEXT COLLATE "thai";
ALTER TABLE "Person" ALTER COLUMN "fullNameTh" TYPE TEXT COLLATE "thai";
