-- Periodic jobs run once per period across all app instances (see app/modules/jobs/scheduler.server.ts).
CREATE TABLE "job_schedule" (
    "name" TEXT NOT NULL,
    "interval_seconds" INTEGER NOT NULL,
    "next_run_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_started_at" TIMESTAMPTZ(3),
    "last_finished_at" TIMESTAMPTZ(3),
    "last_owner" TEXT,
    "last_error" TEXT,
    "run_count" INTEGER NOT NULL DEFAULT 0,
    "failure_count" INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT "job_schedule_pkey" PRIMARY KEY ("name")
);

-- The rate-limit cleanup job deletes old windows by start time.
CREATE INDEX "rate_limit_window_start_idx" ON "rate_limit"("window_start");
