-- CreateEnum
CREATE TYPE "ProvenanceKind" AS ENUM ('REFERENCE_DATA', 'SOURCE_DOCUMENT', 'IMPORT', 'USER_ENTRY', 'SYNTHETIC');

-- CreateEnum
CREATE TYPE "Virtue" AS ENUM ('SUFFICIENCY', 'DISCIPLINE', 'HONESTY', 'VOLUNTEERISM', 'GRATITUDE');

-- CreateEnum
CREATE TYPE "RecognitionProgramme" AS ENUM ('MORAL_UNIT_ASSESSMENT', 'VIRTUE_HONOUR', 'MORAL_AWARD');

-- CreateEnum
CREATE TYPE "RecognitionLevel" AS ENUM ('PROMOTING', 'MORAL', 'MODEL', 'OUTSTANDING_MODEL');

-- CreateEnum
CREATE TYPE "RecognitionScope" AS ENUM ('PROVINCIAL', 'NATIONAL');

-- CreateEnum
CREATE TYPE "RecognitionStatus" AS ENUM ('NOMINATED', 'PROVINCE_CERTIFIED', 'NATIONALLY_CONFIRMED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "RecipientKind" AS ENUM ('AGENCY', 'PERSON', 'PROVINCE');

-- CreateTable
CREATE TABLE "Recognition" (
    "id" TEXT NOT NULL,
    "programme" "RecognitionProgramme" NOT NULL,
    "level" "RecognitionLevel",
    "virtue" "Virtue",
    "scope" "RecognitionScope" NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "status" "RecognitionStatus" NOT NULL,
    "titleTh" TEXT,
    "provinceCode" TEXT,
    "recipientKind" "RecipientKind" NOT NULL,
    "recipientId" TEXT NOT NULL,
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Recognition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AwardCriteria" (
    "id" TEXT NOT NULL,
    "provinceCode" TEXT NOT NULL,
    "fiscalYear" INTEGER NOT NULL,
    "textTh" TEXT NOT NULL,
    "virtues" "Virtue"[],
    "sourceKind" "ProvenanceKind" NOT NULL,
    "sourceLabel" TEXT NOT NULL,
    "sourceUrl" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AwardCriteria_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Recognition_provinceCode_fiscalYear_idx" ON "Recognition"("provinceCode", "fiscalYear");

-- CreateIndex
CREATE INDEX "Recognition_recipientKind_recipientId_idx" ON "Recognition"("recipientKind", "recipientId");

-- CreateIndex
CREATE UNIQUE INDEX "AwardCriteria_provinceCode_fiscalYear_key" ON "AwardCriteria"("provinceCode", "fiscalYear");
