-- CreateEnum
CREATE TYPE "ProvenanceKind" AS ENUM ('REFERENCE_DATA', 'SOURCE_DOCUMENT', 'IMPORT', 'USER_ENTRY', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "Virtue" AS ENUM ('SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE');

-- CreateEnum
CREATE TYPE "ActivityKind" AS ENUM ('CONSULTATION_MEETING', 'MORAL_ASSEMBLY', 'MORAL_MARKET', 'TRAINING', 'MONITORING_VISIT', 'LESSON_EXTRACTION', 'ACADEMIC_COLLABORATION', 'CAMPAIGN', 'OTHER');

-- CreateTable
CREATE TABLE "Activity" (
    "id" TEXT NOT NULL,
    "titleTh" TEXT NOT NULL,
    "titleEn" TEXT,
    "kind" "ActivityKind" NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "provinceCode" TEXT,
    "districtCode" TEXT,
    "venue" TEXT,
    "participantCount" INTEGER NOT NULL DEFAULT 0,
    "virtues" "Virtue"[],
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Activity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivityOrganizer" (
    "activityId" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ActivityOrganizer_pkey" PRIMARY KEY ("activityId","agencyId")
);

-- CreateTable
CREATE TABLE "ActivityParticipant" (
    "activityId" TEXT NOT NULL,
    "agencyId" TEXT NOT NULL,

    CONSTRAINT "ActivityParticipant_pkey" PRIMARY KEY ("activityId","agencyId")
);

-- CreateIndex
CREATE INDEX "Activity_provinceCode_fiscalYear_idx" ON "Activity"("provinceCode", "fiscalYear");

-- CreateIndex
CREATE INDEX "Activity_fiscalYear_idx" ON "Activity"("fiscalYear");

-- CreateIndex
CREATE INDEX "ActivityOrganizer_agencyId_idx" ON "ActivityOrganizer"("agencyId");

-- CreateIndex
CREATE INDEX "ActivityParticipant_agencyId_idx" ON "ActivityParticipant"("agencyId");

-- AddForeignKey
ALTER TABLE "ActivityOrganizer" ADD CONSTRAINT "ActivityOrganizer_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivityParticipant" ADD CONSTRAINT "ActivityParticipant_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "Activity"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Thai dictionary order (ICU) for Thai text, so ORDER BY sorts Thai names as Thai readers expect.
CREATE COLLATION IF NOT EXISTS "thai" (provider = icu, locale = 'th-TH');
ALTER TABLE "Activity" ALTER COLUMN "titleTh" TYPE TEXT COLLATE "thai";
