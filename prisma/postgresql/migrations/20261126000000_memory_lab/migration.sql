-- CreateTable
CREATE TABLE "MemoryLab" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "config" TEXT NOT NULL,
    "cells" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MemoryLab_pkey" PRIMARY KEY ("id")
);
