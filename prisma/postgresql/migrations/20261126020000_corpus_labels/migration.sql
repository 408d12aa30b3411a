-- CreateTable
CREATE TABLE "CorpusLabels" (
    "id" SERIAL NOT NULL,
    "corpusId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "names" TEXT NOT NULL,
    "data" BYTEA NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CorpusLabels_pkey" PRIMARY KEY ("id")
);

-- AddForeignKey
ALTER TABLE "CorpusLabels" ADD CONSTRAINT "CorpusLabels_corpusId_fkey" FOREIGN KEY ("corpusId") REFERENCES "Corpus"("id") ON DELETE CASCADE ON UPDATE CASCADE;
