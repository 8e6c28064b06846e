-- AlterTable
ALTER TABLE "Recognition" ADD COLUMN     "districtCode" TEXT;
